"""Groups, one-off events, cancellations and imported calendars -> dated occurrences.

Pure and time-zone aware: recurring times are expanded as local wall-clock times
and only then placed in the kiosk's zone, so they hold across daylight saving.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from kiosk.config.models import PLACE_CHARS, TITLE_CHARS, Cancellation, Event, Group
from kiosk.core import recurrence
from kiosk.core.text import LocalText, safe_excerpt

if TYPE_CHECKING:  # the calendar libraries load only for a config that has calendars
    from icalendar import Calendar as ICalendar

log = logging.getLogger(__name__)

Kind = Literal["group", "event", "calendar"]


@dataclass(frozen=True)
class Occurrence:
    """One dated meeting. `id` is '<group or event id>@<local start date>'."""

    id: str
    source: str
    kind: Kind
    title: LocalText
    start: datetime
    end: datetime
    location: LocalText | None = None
    description: LocalText | None = None
    cancelled: bool = False
    note: LocalText | None = None
    all_day: bool = False

    # Python compares and subtracts datetimes that share a tzinfo by wall clock, ignoring
    # the offset: 01:30 PDT and 01:30 PST would look equal. Compare in UTC instead.
    @property
    def start_utc(self) -> datetime:
        return self.start.astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        return self.end.astimezone(UTC)

    def is_live(self, now: datetime) -> bool:
        return self.start_utc <= now.astimezone(UTC) < self.end_utc and not self.cancelled

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """On at some moment in [start, end); an instant (end == start) counts at its start."""
        begin, finish = start.astimezone(UTC), end.astimezone(UTC)
        if self.start_utc >= finish:
            return False
        return self.end_utc > begin or self.start_utc >= begin


@dataclass(frozen=True)
class ImportedCalendar:
    """A parsed .ics file named by a [[calendar]] entry."""

    file: str
    ical: ICalendar


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """Attach `tz` to a wall-clock time. A time skipped by a spring-forward change moves
    forward by the gap (02:30 -> 03:30); a repeated one takes its first instance."""
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def later(start: datetime, minutes: float) -> datetime:
    """`start` plus elapsed minutes, with the offset in force at the result."""
    return (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(start.tzinfo)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "event"


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    return datetime.combine(day, time.min), datetime.combine(day, time.max)


def group_dates(group: Group, lo: datetime, hi: datetime) -> list[datetime]:
    """Naive local start times of `group` within [lo, hi], honouring from/until."""
    if group.from_:
        lo = max(lo, datetime.combine(group.from_, time.min))
    if group.until:
        hi = min(hi, datetime.combine(group.until, time.max))
    if lo > hi:
        return []
    first = group.from_ or lo.date() - timedelta(days=1)
    rule = recurrence.build(group.days, group.rrule, datetime.combine(first, group.start))
    return rule.between(lo, hi, inc=True)


def unreadable_events(ical: ICalendar, days: int = 366) -> str | None:
    """Why some events of a calendar cannot be expanded over the coming year, if any.
    (At run time such events are skipped, so the rest still shows.)"""
    now = datetime.now(UTC)
    try:
        import recurring_ical_events

        expander = recurring_ical_events.of(ical, skip_bad_series=False)
        expander.between(now - timedelta(days=1), now + timedelta(days=days))
    except Exception as exc:  # the library raises many types for malformed series
        return safe_excerpt(f"{type(exc).__name__}: {exc}")
    return None


def group_meets_on(group: Group, day: date) -> bool:
    return bool(group_dates(group, *_day_bounds(day)))


class Schedule:
    """Every occurrence the kiosk knows about, computed on demand for a window."""

    def __init__(
        self,
        tz: ZoneInfo,
        groups: Sequence[Group] = (),
        events: Sequence[Event] = (),
        cancellations: Sequence[Cancellation] = (),
        calendars: Sequence[ImportedCalendar] = (),
    ) -> None:
        self.tz = tz
        self.groups = tuple(groups)
        self.events = tuple(events)
        self.cancelled = {(c.group, c.date): c for c in cancellations}
        self.calendars = tuple(calendars)
        self._expanders = []
        self.calendar_errors: dict[str, str] = {}
        if calendars:
            import recurring_ical_events

            for c in calendars:
                try:
                    expander = recurring_ical_events.of(c.ical, skip_bad_series=True)
                except Exception as exc:  # a series the library cannot even set up
                    self._calendar_failed(c.file, exc)
                    continue
                self._expanders.append((c.file, expander))

    def occurrences(self, start: datetime, end: datetime) -> list[Occurrence]:
        """Occurrences overlapping [start, end), cancelled ones included, sorted by start."""
        found: list[Occurrence] = []
        found += self._from_groups(start, end)
        found += self._from_events(start, end)
        found += self._from_calendars(start, end)
        overlapping = [o for o in found if o.overlaps(start, end)]
        return sorted(overlapping, key=lambda o: (o.start_utc, o.end_utc, o.id))

    def upcoming(self, now: datetime, days: float = 7) -> list[Occurrence]:
        """What has started but not ended, and everything starting in the next `days`."""
        return self.occurrences(now, now + timedelta(days=days))

    def next_meeting(self, now: datetime, within_days: int = 62) -> Occurrence | None:
        """What is on now, else the next meeting that is not cancelled."""
        now_utc = now.astimezone(UTC)
        for step in (7, within_days):  # most weeks answer from the first, cheap window
            for o in self.upcoming(now, step):
                if not o.cancelled and (o.is_live(now) or o.start_utc > now_utc):
                    return o
        return None

    def _cancellation(self, source: str, day: date) -> tuple[bool, LocalText | None]:
        c = self.cancelled.get((source, day))
        return (True, c.reason) if c else (False, None)

    def _from_groups(self, start: datetime, end: datetime) -> Iterable[Occurrence]:
        longest = max((g.duration_minutes for g in self.groups), default=0)
        lo = (start - timedelta(minutes=longest)).astimezone(self.tz).replace(tzinfo=None)
        hi = end.astimezone(self.tz).replace(tzinfo=None)
        for g in self.groups:
            for naive in group_dates(g, lo - timedelta(hours=3), hi + timedelta(hours=3)):
                yield self._dated(g, "group", naive)

    def _from_events(self, start: datetime, end: datetime) -> Iterable[Occurrence]:
        for e in self.events:
            yield self._dated(e, "event", e.start)

    def _dated(self, item: Group | Event, kind: Kind, naive_start: datetime) -> Occurrence:
        """The occurrence of a group or event starting at a local wall-clock time."""
        begin = localize(naive_start, self.tz)
        day = naive_start.date()
        cancelled, note = self._cancellation(item.id, day)
        return Occurrence(
            id=f"{item.id}@{day.isoformat()}",
            source=item.id,
            kind=kind,
            title=item.title,
            start=begin,
            end=later(begin, item.duration_minutes),
            location=item.location,
            description=item.description,
            cancelled=cancelled,
            note=note,
        )

    def _from_calendars(self, start: datetime, end: datetime) -> Iterable[Occurrence]:
        # All-day and floating events are read as local times; widen by a day for them.
        lo, hi = start - timedelta(days=1), end + timedelta(days=1)
        for file, expander in self._expanders:
            try:
                components = expander.between(lo, hi)
            except Exception as exc:  # a broken series in a staff-supplied file
                self._calendar_failed(file, exc)
                continue
            for comp in components:
                occurrence = self._from_component(comp)
                if occurrence:
                    yield occurrence

    def _calendar_failed(self, file: str, exc: Exception) -> None:
        why = safe_excerpt(f"{type(exc).__name__}: {exc}")
        if self.calendar_errors.get(file) != why:
            log.error("Calendar %s could not be read: %s", file, why)
        self.calendar_errors[file] = why

    def _as_local(self, value: Any) -> datetime:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                return localize(value, self.tz)
            return value.astimezone(self.tz)
        return localize(datetime.combine(value, time.min), self.tz)

    def _from_component(self, comp: Any) -> Occurrence | None:
        if "DTSTART" not in comp:
            return None
        raw_start = comp["DTSTART"].dt
        begin = self._as_local(raw_start)
        if "DTEND" in comp:
            finish = self._as_local(comp["DTEND"].dt)
        elif "DURATION" in comp:
            finish = later(begin, comp["DURATION"].dt.total_seconds() / 60)
        elif not isinstance(raw_start, datetime):
            finish = self._as_local(raw_start + timedelta(days=1))
        else:
            finish = begin
        source = slug(str(comp.get("UID", "")) or str(comp.get("SUMMARY", "")))

        def text(key: str, limit: int) -> LocalText | None:
            value = " ".join(str(comp.get(key, "")).split())  # one line, as the screen has
            if len(value) > limit:
                value = value[: limit - 1].rstrip() + "…"
            return LocalText.plain(value) if value else None

        return Occurrence(
            id=f"{source}@{begin.date().isoformat()}",
            source=source,
            kind="calendar",
            title=text("SUMMARY", TITLE_CHARS) or LocalText.plain("Event"),
            start=begin,
            end=finish if finish.astimezone(UTC) > begin.astimezone(UTC) else begin,
            location=text("LOCATION", PLACE_CHARS),
            cancelled=str(comp.get("STATUS", "")).upper() == "CANCELLED",
            all_day=not isinstance(raw_start, datetime),
        )
