"""The staff PIN, the staff panel, the heartbeat and `kiosk status`."""

from __future__ import annotations

import json
import os
import re
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.adapters import health, pin_store
from kiosk.cli import main
from kiosk.config.loader import load
from kiosk.core import pin as staff
from tests.conftest import edit
from tests.test_ui import run_replay

PIN = "2468"


def test_pin_hash_is_salted_slow_and_verifies_only_the_right_pin() -> None:
    first, second = staff.hash_pin(PIN), staff.hash_pin(PIN)
    assert first != second  # salted
    assert first.startswith("scrypt$16384$8$1$")
    assert staff.verify_pin(PIN, first) and staff.verify_pin(PIN, second)
    assert not staff.verify_pin("2469", first)
    assert not staff.verify_pin(PIN, "") and not staff.verify_pin(PIN, "scrypt$1$2$3$!!$??")
    with pytest.raises(ValueError):
        staff.hash_pin("12a4")
    assert [staff.valid_pin(p) for p in ("123", "1234", "12345678", "123456789")] == [
        False, True, True, False,
    ]  # fmt: skip


def test_lockout_after_five_wrong_pins_lasts_60_seconds() -> None:
    gate = staff.PinGate()
    for t in range(4):
        assert not gate.attempt(False, t)
    assert not gate.locked(4) and gate.tries_left == 1
    assert not gate.attempt(False, 4)
    assert gate.locked(4) and gate.seconds_left(4) == 60
    assert not gate.attempt(True, 63.9)  # the right PIN does nothing while locked
    assert gate.attempt(True, 64)


def test_each_further_lockout_lasts_twice_as_long_up_to_an_hour() -> None:
    gate, t, pauses = staff.PinGate(), 0.0, []
    for _ in range(8):
        for _ in range(5):
            gate.attempt(False, t)
        pauses.append(gate.seconds_left(t))
        t = gate.locked_until
    assert pauses == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert gate.attempt(True, t) and gate.next_pause == 60  # the right PIN starts over


def test_a_restart_does_not_clear_a_lockout(tmp_path: Path) -> None:
    """The lockout lived in memory only: a restart gave five more guesses at once."""
    gate = staff.PinGate()
    for _ in range(5):
        gate.attempt(False, 100.0)
    pin_store.save_gate(tmp_path, gate, t=100.0, wall=1_000_000.0)
    # The machine restarts: a new monotonic clock, 20 s of wall time later.
    again = pin_store.load_gate(tmp_path, t=5.0, wall=1_000_020.0)
    assert again.locked(5.0) and again.seconds_left(5.0) == 40
    assert again.next_pause == 120  # and the next one is longer
    assert (tmp_path / pin_store.LOCKOUT_FILE).stat().st_mtime == 946_684_800  # no time kept


def test_a_damaged_lockout_file_locks_rather_than_frees(tmp_path: Path) -> None:
    (tmp_path / pin_store.LOCKOUT_FILE).write_text('{"failures": -3, "lockouts": 0, "until": 0}')
    assert pin_store.load_gate(tmp_path, t=0.0, wall=0.0).locked(1.0)


@pytest.mark.parametrize(
    "params",
    ["2$1$1", "1024$8$1", "16384$1$1", "16384$8$0", "3000$8$1", "4194304$8$1", "16384$8$99"],
)
def test_a_pin_hash_with_weak_or_absurd_parameters_is_refused(params: str) -> None:
    good = staff.hash_pin(PIN).split("$")
    weak = "$".join(["scrypt", *params.split("$"), good[4], good[5]])
    assert not staff.looks_like_hash(weak) and not staff.verify_pin(PIN, weak)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('pin_hash = ""', "pin_hash = ''"),
        ("[staff]", "[ staff ]"),
        ('[staff]\npin_hash = ""', 'staff.pin_hash = ""'),
        ('[staff]\npin_hash = ""', ""),
    ],
)
def test_set_pin_keeps_any_valid_kiosk_toml_valid(
    config_dir: Path, monkeypatch, capsys, old: str, new: str
) -> None:
    """`kiosk set-pin` said "PIN set" and left these files unloadable."""
    path = config_dir / "kiosk.toml"
    if old.startswith("[staff]") and new.startswith("staff."):
        text = path.read_text(encoding="utf-8").replace(old, "")
        path.write_text(text.replace("[timing]", new + "\n\n[timing]"), encoding="utf-8")
    else:
        edit(path, old, new)
    assert load(config_dir).config is not None
    monkeypatch.setattr("sys.stdin", _Lines(f"{PIN}\n{PIN}\n"))
    assert main(["set-pin", "--config", str(config_dir)]) == 0
    config = load(config_dir).config
    assert config is not None and staff.verify_pin(PIN, config.kiosk.staff.pin_hash)


def test_set_pin_on_a_broken_kiosk_toml_changes_nothing(config_dir: Path, monkeypatch, capsys):
    path = config_dir / "kiosk.toml"
    edit(path, 'timezone = "America/Los_Angeles"', 'timezone = "Mars/Base"')
    before = path.read_bytes()
    monkeypatch.setattr("sys.stdin", _Lines(f"{PIN}\n{PIN}\n"))
    assert main(["set-pin", "--config", str(config_dir)]) == 1
    assert "Nothing was changed" in capsys.readouterr().err and path.read_bytes() == before


def test_set_pin_writes_the_hash_and_keeps_the_rest_of_the_file(
    config_dir: Path, monkeypatch, capsys
) -> None:
    path = config_dir / "kiosk.toml"
    os.chmod(path, 0o664)  # staff edit it as a group
    before = path.read_text(encoding="utf-8")
    monkeypatch.setattr("sys.stdin", _Lines(f"{PIN}\n{PIN}\n"))
    assert main(["set-pin", "--config", str(config_dir)]) == 0
    after = path.read_text(encoding="utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 1 and changed[0][1].startswith('pin_hash = "scrypt$')
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    config = load(config_dir).config
    assert config is not None and staff.verify_pin(PIN, config.kiosk.staff.pin_hash)


@pytest.mark.parametrize(("lines", "says"), [("1234\n1235\n", "differ"), ("12\n12\n", "4 to 8")])
def test_set_pin_refuses_mismatched_or_short_pins(
    config_dir: Path, monkeypatch, capsys, lines: str, says: str
) -> None:
    before = (config_dir / "kiosk.toml").read_text(encoding="utf-8")
    monkeypatch.setattr("sys.stdin", _Lines(lines))
    assert main(["set-pin", "--config", str(config_dir)]) == 1
    assert says in capsys.readouterr().err
    assert (config_dir / "kiosk.toml").read_text(encoding="utf-8") == before


def test_a_pin_hash_typed_by_hand_is_a_config_error(config_dir: Path) -> None:
    edit(config_dir / "kiosk.toml", 'pin_hash = ""', 'pin_hash = "2468"')
    errors = [str(e) for e in load(config_dir).errors]
    assert errors and "not a PIN hash written by `kiosk set-pin`" in errors[0]


class _Lines:
    """Standard input that is not a terminal."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines(keepends=True)

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        return self._lines.pop(0) if self._lines else ""


def _with_pin(config_dir: Path) -> None:
    edit(config_dir / "kiosk.toml", 'pin_hash = ""', f'pin_hash = "{staff.hash_pin(PIN)}"')


def test_replay_long_press_pin_and_staff_panel(tmp_path: Path, config_dir: Path) -> None:
    _with_pin(config_dir)
    script = (
        "tap name\nexpect home   # a short tap does nothing\n"
        "press name 3\nexpect staff-pin\n"
        + "".join(f"tap pin.{d}\n" for d in PIN)
        + "tap pin.ok\nexpect staff\nshot staff\ntap staff.reload\nexpect staff\n"
        "advance 61\nexpect home\n"
    )
    result = run_replay(tmp_path, script, "--config", str(config_dir))
    assert result.returncode == 0, result.stderr


def test_replay_five_wrong_pins_lock_the_pad(tmp_path: Path, config_dir: Path) -> None:
    _with_pin(config_dir)
    wrong = "".join(f"tap pin.{d}\n" for d in "1111") + "tap pin.ok\n"
    right = "".join(f"tap pin.{d}\n" for d in PIN) + "tap pin.ok\n"
    script = "press name 3\n" + wrong * 5 + right + "expect staff-pin\nshot locked\n"
    assert run_replay(tmp_path, script, "--config", str(config_dir)).returncode == 0
    # Leaving and coming back does not lift the lock; after 60 s the right PIN opens it.
    later = (
        script
        + "advance 30\ntap back\npress name 3\n" + right + "expect staff-pin\n"
        + "advance 61\nexpect home\npress name 3\n" + right + "expect staff\n"
    )  # fmt: skip
    result = run_replay(tmp_path, later, "--config", str(config_dir))
    assert result.returncode == 0, result.stderr


def test_without_a_pin_the_long_press_does_nothing(tmp_path: Path) -> None:
    result = run_replay(tmp_path, "press name 3\nexpect staff-pin\n")
    assert result.returncode == 3


def test_staff_exit_stops_the_kiosk(kiosk, config_dir: Path) -> None:
    _with_pin(config_dir)
    driver = kiosk()
    driver.press("name", 3)
    for d in PIN:
        driver.tap(f"pin.{d}")
    driver.tap("pin.ok")
    driver.expect("staff")
    stopped = []
    driver.app.stop = lambda *_args: stopped.append(True)  # the real stop ends the test's app
    driver.tap("staff.exit")
    assert stopped == [True]


# --- heartbeat and status --------------------------------------------------------------------


def _health(data: Path, capsys) -> tuple[dict, str]:
    """The heartbeat without the fields that move with the clock, and `kiosk status`'s
    line without its ages."""
    beat = json.loads((data / health.HEARTBEAT).read_text())
    for moving in ("time", "uptime_seconds"):
        beat.pop(moving)
    main(["status", "--data", str(data), "--config", str(data / "none")])
    line = capsys.readouterr().out
    return beat, re.sub(r"\d+ s ago, up \d+ h", "", line)


def test_health_output_says_nothing_about_residents_using_the_screen(
    kiosk, tmp_path: Path, capsys
) -> None:
    """Heartbeat and `kiosk status` are the same before and after residents use the
    screen, check in, answer the mood question and open resources."""
    data = tmp_path / "data"
    driver = kiosk(at="2026-12-01T18:10")
    before = _health(data, capsys)
    assert before[0]["config_ok"] and before[0]["store_ok"] and before[0]["memory_mb"] > 0
    for _ in range(3):
        driver.tap("checkin")
        driver.tap("checkin.confirm")
        driver.tap("mood.4")
        driver.advance(6)  # the button's rest
    driver.tap("resources")
    driver.tap("resource.glide")
    driver.advance(31)  # a heartbeat while a resident screen is up
    during = _health(data, capsys)
    driver.tap("home")
    driver.advance(31)
    after = _health(data, capsys)
    assert before == during == after
    assert "resident" not in json.dumps(before[0]) and "showing" not in before[1]


def test_the_nightly_memory_figure_is_taken_once_a_night() -> None:
    from datetime import datetime as dt

    evening = dt(2026, 12, 1, 21, 0, tzinfo=UTC)
    assert not health.memory_due(evening, dt(2026, 12, 2, 3, 29, tzinfo=UTC))
    assert health.memory_due(evening, dt(2026, 12, 2, 3, 30, tzinfo=UTC))
    morning = dt(2026, 12, 2, 9, 0, tzinfo=UTC)
    assert not health.memory_due(dt(2026, 12, 2, 3, 31, tzinfo=UTC), morning)
    assert health.memory_due(dt(2026, 11, 28, 9, 0, tzinfo=UTC), morning)


def _beat(folder: Path, age: timedelta, config_ok: bool = True) -> None:
    when = (datetime.now(UTC) - age).replace(microsecond=0).isoformat()
    beat = health.Heartbeat(when, "0.1.0", 1, 60, config_ok, "files", 0 if config_ok else 2,
                            True, 80.0)  # fmt: skip
    health.write(folder, beat)


def test_status_is_0_with_a_fresh_heartbeat(tmp_path: Path, capsys) -> None:
    _beat(tmp_path, timedelta(seconds=20))
    assert main(["status", "--data", str(tmp_path), "--config", str(tmp_path / "none")]) == 0
    assert capsys.readouterr().out.startswith("OK:")


def test_status_is_2_with_a_stale_or_missing_heartbeat(tmp_path: Path, capsys) -> None:
    assert main(["status", "--data", str(tmp_path)]) == 2
    _beat(tmp_path, timedelta(minutes=3))
    assert main(["status", "--data", str(tmp_path)]) == 2
    assert "STALE" in capsys.readouterr().out.splitlines()[-1]


def test_status_is_1_when_the_config_is_in_error(tmp_path: Path, config_dir: Path, capsys) -> None:
    _beat(tmp_path, timedelta(seconds=5), config_ok=False)
    assert main(["status", "--data", str(tmp_path)]) == 1
    _beat(tmp_path, timedelta(seconds=5))
    assert main(["status", "--data", str(tmp_path), "--config", str(config_dir)]) == 0
    edit(config_dir / "kiosk.toml", 'timezone = "America/Los_Angeles"', 'timezone = "Mars"')
    assert main(["status", "--data", str(tmp_path), "--config", str(config_dir)]) == 1
    assert "CONFIG" in capsys.readouterr().out.splitlines()[-1]


def test_status_is_2_with_a_damaged_heartbeat_and_says_so(tmp_path: Path, capsys) -> None:
    (tmp_path / health.HEARTBEAT).write_text('{"time": "not a time"')  # cut off mid-write
    assert main(["status", "--data", str(tmp_path)]) == 2
    out = capsys.readouterr()
    assert "cannot be read" in out.out and "Traceback" not in out.err
