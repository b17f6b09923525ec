"""The app's single clock. Every "now" in the kiosk comes from here.

In normal use it is the wall clock. With `--at` it starts at a given local time and
runs on from there. Tests, previews and replays give it a monotonic source that
only moves when told, so timers can be driven without sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo

from kiosk.core.recurrence import HIGHEST_YEAR, LOWEST_YEAR


class ManualTime:
    """A monotonic time source (seconds) that moves only when advanced."""

    def __init__(self, start: float = 0.0) -> None:
        self.value = start

    def __call__(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only moves forward")
        self.value += seconds


class KioskClock:
    def __init__(
        self,
        tz: tzinfo,
        start: datetime | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.tz = tz
        self._monotonic = monotonic
        self._origin = start.astimezone(UTC) if start else None
        self._origin_tick = monotonic()

    def now(self) -> datetime:
        if self._origin is None:
            return datetime.now(self.tz)
        elapsed = timedelta(seconds=self._monotonic() - self._origin_tick)
        return (self._origin + elapsed).astimezone(self.tz)

    def seconds(self) -> float:
        """Monotonic seconds, for measuring durations (idle, tip rotation)."""
        return self._monotonic()


def parse_at(text: str, tz: tzinfo) -> datetime:
    """`--at` value: an ISO date-time, local to `tz` unless it has an offset."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"--at {text!r} is not an ISO date-time; write it like 2026-12-01T17:45"
        ) from None
    if not LOWEST_YEAR <= value.year <= HIGHEST_YEAR:
        raise ValueError(
            f"--at {text}: the year {value.year} is out of range"
            f" (use a date from {LOWEST_YEAR} to {HIGHEST_YEAR})"
        )
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz).astimezone(UTC)
    return value.astimezone(tz)
