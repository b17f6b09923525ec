"""Check-in windows and counters, without Kivy."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kiosk.config.models import Checkin
from kiosk.core.checkins import counter_for, next_opening, open_now, window
from tests.conftest import schedule_from

LA = ZoneInfo("America/Los_Angeles")
SHORT = """
[[group]]
id = "short"
title = "Short"
days = ["tue"]
start = 18:00:00
duration_minutes = 30
"""


schedule = schedule_from


def test_window_never_runs_past_the_end() -> None:
    s = schedule(SHORT)
    (o,) = s.upcoming(datetime(2026, 12, 1, 12, tzinfo=LA), 1)
    opens, closes = window(o, Checkin(opens_minutes_before=30, closes_minutes_after_start=60))
    assert opens.astimezone(LA).time().isoformat() == "17:30:00"
    assert closes.astimezone(LA).time().isoformat() == "18:30:00"


def test_check_in_off_means_nothing_is_open() -> None:
    s = schedule(SHORT)
    at = datetime(2026, 12, 1, 18, 5, tzinfo=LA)
    assert [o.id for o in open_now(s, at, Checkin())] == ["short@2026-12-01"]
    assert open_now(s, at, Checkin(enabled=False)) == []


def test_next_opening_skips_what_is_already_open() -> None:
    s = schedule(SHORT)
    nxt = next_opening(s, datetime(2026, 12, 1, 18, 5, tzinfo=LA), Checkin())
    assert nxt is not None and nxt.id == "short@2026-12-08"


def test_window_across_the_fall_back_change() -> None:
    s = schedule(SHORT.replace('["tue"]', '["sun"]').replace("18:00:00", "01:30:00"))
    (o,) = s.upcoming(datetime(2026, 10, 31, 12, tzinfo=LA), 1)
    opens, closes = window(o, Checkin(opens_minutes_before=30, closes_minutes_after_start=60))
    # 01:30 PDT = 08:30 UTC; it opens at 08:00 UTC and closes at its end, 09:00 UTC.
    assert (opens.hour, opens.minute, closes.hour, closes.minute) == (8, 0, 9, 0)


@pytest.mark.parametrize(
    ("mood", "counter"),
    [(1, "mood_1"), (5, "mood_5"), ("skipped", "mood_skipped"), (None, None)],
)
def test_counter_for(mood, counter) -> None:
    assert counter_for(mood) == counter


def test_counter_for_rejects_anything_else() -> None:
    with pytest.raises(ValueError):
        counter_for(6)
