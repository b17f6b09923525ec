"""The after-group question: when home offers it, and how two answers become one count.

One resident answers two questions at one sitting, "When you arrived today, how were you
doing?" and "And how are you doing now?" (a retrospective before and after). The pair is
counted, never stored as an answer: the occurrence's counter for that pair of faces goes
up by one, and nothing says who, when, or in what order.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

from kiosk.config.models import AfterGroup
from kiosk.core.checkins import MOODS, PARTIAL_FIELD
from kiosk.core.schedule import Occurrence, Schedule

Face = int | Literal["skipped"]


def window(o: Occurrence, settings: AfterGroup) -> tuple[datetime, datetime]:
    """From `opens_minutes_before_end` the end of `o` until `closes_minutes_after_end`
    after it (never before its start)."""
    end = o.end_utc
    opens = max(end - timedelta(minutes=settings.opens_minutes_before_end), o.start_utc)
    return opens, end + timedelta(minutes=settings.closes_minutes_after_end)


def asked_for(o: Occurrence, settings: AfterGroup) -> bool:
    """Whether the question is offered for `o` at all: listed groups, or when none are
    listed every recurring group (config groups and calendar imports, not one-off events)."""
    if not settings.enabled or o.cancelled:
        return False
    if settings.groups:
        return o.source in settings.groups
    return o.kind != "event"


def open_now(schedule: Schedule, now: datetime, settings: AfterGroup) -> list[Occurrence]:
    """Occurrences whose after-group question is open at `now`, soonest ended first."""
    if not settings.enabled:
        return []
    at = now.astimezone(UTC)
    back = timedelta(minutes=settings.closes_minutes_after_end) + timedelta(days=1)
    ahead = timedelta(minutes=settings.opens_minutes_before_end + 1)
    found = []
    for o in schedule.occurrences(now - back, now + ahead):
        opens, closes = window(o, settings)
        if asked_for(o, settings) and opens <= at < closes:
            found.append(o)
    return sorted(found, key=lambda o: (o.end_utc, o.id))


def counter_for(arrived: Face, now: Face) -> str:
    """The one counter a finished answer adds to."""
    if arrived == "skipped" or now == "skipped":
        return PARTIAL_FIELD
    if arrived not in MOODS or now not in MOODS:
        raise ValueError(f"not a pair of faces: {arrived!r}, {now!r}")
    return f"after_{arrived}_{now}"


def compare(counts: dict[str, int]) -> tuple[int, int, int]:
    """(better, same, worse) from the pair counters: a face higher now than on arrival is
    better (5 = really good)."""
    better = same = worse = 0
    for a in MOODS:
        for b in MOODS:
            n = counts.get(f"after_{a}_{b}", 0)
            if b > a:
                better += n
            elif b == a:
                same += n
            else:
                worse += n
    return better, same, worse
