"""The staff panel in the running app, and health output while residents use it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kiosk.adapters import health
from kiosk.cli import main
from kiosk.core import pin as staff
from tests.conftest import edit
from tests.drive import run_replay

PIN = "2468"


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


def test_staff_exit_asks_first_and_back_keeps_the_kiosk_running(kiosk, config_dir: Path) -> None:
    _with_pin(config_dir)
    driver = kiosk()
    driver.press("name", 3)
    for d in PIN:
        driver.tap(f"pin.{d}")
    driver.tap("pin.ok")
    driver.expect("staff")
    stopped = []
    driver.app.stop = lambda *_args: stopped.append(True)  # the real stop ends the test's app
    assert driver.find("staff.exit.confirm") is None  # not before it is asked for
    driver.tap("staff.exit")
    assert stopped == [] and driver.screen == "staff"
    assert driver.find("staff.reload") is None  # the question blocks the panel behind it
    driver.tap("back")  # keep it running
    assert stopped == [] and driver.screen == "staff"
    assert driver.find("staff.exit.confirm") is None and driver.find("staff.reload")
    driver.tap("staff.exit")
    driver.tap("staff.exit.confirm")
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
