"""Check-in windows and the counters kept per occurrence.

Private by construction: a check-in adds one to its occurrence's counters. Nothing
records who, when within the occurrence, or in what order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from kiosk.config.models import Checkin as CheckinSettings
from kiosk.core.schedule import Occurrence, Schedule

MOODS = (1, 2, 3, 4, 5)  # 1 = really rough ... 5 = really good
Mood = int | Literal["skipped"] | None  # None: the mood question is off

MOOD_FIELDS = ("checkins", "mood_1", "mood_2", "mood_3", "mood_4", "mood_5", "mood_skipped")
# "Is this your first time at this group?": Yes, No, Skip.
FIRST_FIELDS = ("first_time", "returning", "first_skipped")
FirstTime = Literal["yes", "no", "skipped"] | None  # None: the question is off
# The after-group question (kiosk.core.after_group): one counter per (arrived, now) pair
# of faces, and one for an answer with a Skip in it.
PAIR_FIELDS = tuple(f"after_{a}_{b}" for a in MOODS for b in MOODS)
PARTIAL_FIELD = "after_partial"
AFTER_FIELDS = (*PAIR_FIELDS, PARTIAL_FIELD)
COUNTER_FIELDS = (*MOOD_FIELDS, *FIRST_FIELDS, *AFTER_FIELDS)


def window(o: Occurrence, settings: CheckinSettings) -> tuple[datetime, datetime]:
    """When check-in for `o` is open: from `opens_minutes_before` its start until
    `closes_minutes_after_start`, but never past its end."""
    start = o.start_utc
    opens = start - timedelta(minutes=settings.opens_minutes_before)
    closes = min(start + timedelta(minutes=settings.closes_minutes_after_start), o.end_utc)
    return opens, max(closes, start)


def open_now(schedule: Schedule, now: datetime, settings: CheckinSettings) -> list[Occurrence]:
    """Occurrences a resident can check in to at `now` (none if check-in is off)."""
    if not settings.enabled:
        return []
    at = now.astimezone(UTC)
    ahead = timedelta(minutes=settings.opens_minutes_before)
    candidates = schedule.occurrences(now - timedelta(days=1), now + ahead + timedelta(minutes=1))
    found = []
    for o in candidates:
        opens, closes = window(o, settings)
        if not o.cancelled and opens <= at < closes:
            found.append(o)
    return found


def next_opening(
    schedule: Schedule, now: datetime, settings: CheckinSettings, within_days: int = 62
) -> Occurrence | None:
    """The next occurrence whose check-in has not opened yet, for the `closed` screen."""
    at = now.astimezone(UTC)
    for o in schedule.upcoming(now, within_days):
        if not o.cancelled and window(o, settings)[0] > at:
            return o
    return None


@dataclass(frozen=True)
class Tally:
    """The counters of one occurrence, exactly as stored."""

    occurrence: str
    checkins: int = 0
    mood_1: int = 0
    mood_2: int = 0
    mood_3: int = 0
    mood_4: int = 0
    mood_5: int = 0
    mood_skipped: int = 0
    first_time: int = 0
    returning: int = 0
    first_skipped: int = 0
    after: tuple[int, ...] = (0,) * len(AFTER_FIELDS)  # in the order of AFTER_FIELDS

    @classmethod
    def from_counts(cls, occurrence: str, counts: dict[str, int]) -> Tally:
        """From a stored record's counters (a missing one is 0)."""
        plain = {k: int(counts.get(k, 0)) for k in (*MOOD_FIELDS, *FIRST_FIELDS)}
        after = tuple(int(counts.get(k, 0)) for k in AFTER_FIELDS)
        return cls(occurrence, **plain, after=after)

    @property
    def moods(self) -> tuple[int, int, int, int, int]:
        return (self.mood_1, self.mood_2, self.mood_3, self.mood_4, self.mood_5)

    @property
    def after_counts(self) -> dict[str, int]:
        return dict(zip(AFTER_FIELDS, self.after, strict=True))

    @property
    def counts(self) -> dict[str, int]:
        """Every counter by its stored name (COUNTER_FIELDS)."""
        plain = {k: getattr(self, k) for k in (*MOOD_FIELDS, *FIRST_FIELDS)}
        return {**plain, **self.after_counts}

    @property
    def group(self) -> str:
        return self.occurrence.rsplit("@", 1)[0]

    @property
    def day(self) -> str:
        return self.occurrence.rsplit("@", 1)[-1]


def counter_for(mood: Mood) -> str | None:
    """Which mood counter one check-in adds to."""
    if mood is None:
        return None
    if mood == "skipped":
        return "mood_skipped"
    if mood in MOODS:
        return f"mood_{mood}"
    raise ValueError(f"not a mood: {mood!r}")


def first_counter_for(answer: FirstTime) -> str | None:
    """Which first-time counter one check-in adds to."""
    if answer is None:
        return None
    fields = {"yes": "first_time", "no": "returning", "skipped": "first_skipped"}
    if answer not in fields:
        raise ValueError(f"not a first-time answer: {answer!r}")
    return fields[answer]
