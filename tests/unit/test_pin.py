"""The staff PIN: its hash, its lockout, and `kiosk set-pin`."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kiosk.adapters import pin_store
from kiosk.cli import main
from kiosk.config.loader import load
from kiosk.core import pin as staff
from tests.conftest import edit

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
