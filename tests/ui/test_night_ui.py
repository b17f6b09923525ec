"""Night mode and the burn-in shift."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image

from kiosk.core.screen_care import SHIFT_SECONDS
from tests.drive import touch_at

LA = ZoneInfo("America/Los_Angeles")


def test_night_mode_in_the_app_and_a_touch_wakes_it(kiosk, tmp_path: Path) -> None:
    driver = kiosk(at="2026-12-02T02:00")
    driver.advance(61)
    driver.expect("quiet")
    shot = Image.open(driver.screenshot(tmp_path / "quiet.png")).convert("L")
    assert shot.getextrema()[1] < 200  # dim: nothing near white
    assert driver.audit(tmp_path / "quiet.png") == []
    touch_at(driver, 500, 500)  # anywhere: night mode has no buttons
    driver.expect("home")
    driver.advance(61)
    driver.expect("quiet")


def test_the_whole_layout_moves_between_steps(kiosk) -> None:
    driver = kiosk(at="2026-12-01T12:00")
    first = driver.find("checkin").to_window(0, 0)
    driver.advance(SHIFT_SECONDS)
    second = driver.find("checkin").to_window(0, 0)
    assert first != second
    assert max(abs(a - b) for a, b in zip(first, second, strict=True)) <= 0.03 * 1080
