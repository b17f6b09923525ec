"""Night mode and the burn-in shift."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from kiosk.core.screen_care import SHIFT_SECONDS, SHIFT_SPOTS, burn_in_shift, in_quiet_hours

LA = ZoneInfo("America/Los_Angeles")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 1, hour, minute, tzinfo=LA)


def test_quiet_hours_across_midnight_and_within_a_day() -> None:
    night = (time(23, 0), time(6, 0))
    assert [in_quiet_hours(at(h), *night) for h in (22, 23, 0, 5, 6, 12)] == [
        False, True, True, True, False, False,
    ]  # fmt: skip
    early = (time(1, 0), time(6, 0))
    assert [in_quiet_hours(at(h, 59), *early) for h in (0, 1, 5, 6)] == [False, True, True, False]


def test_the_shift_moves_every_few_minutes_and_stays_within_1_5_percent() -> None:
    spots = {burn_in_shift(n * SHIFT_SECONDS, 1920, 1080) for n in range(SHIFT_SPOTS)}
    assert len(spots) == SHIFT_SPOTS  # every step is a new place
    assert burn_in_shift(0, 1920, 1080) == burn_in_shift(SHIFT_SECONDS - 1, 1920, 1080)
    for width, height in ((1920, 1080), (800, 480), (1080, 1920)):
        for n in range(SHIFT_SPOTS):
            dx, dy = burn_in_shift(n * SHIFT_SECONDS, width, height)
            assert abs(dx) <= 0.015 * width and abs(dy) <= 0.015 * height
            assert max(abs(dx), abs(dy)) >= 0.005 * min(width, height)
