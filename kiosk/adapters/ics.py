"""Reading .ics calendars safely: bounded size, count, nesting and expansion.

A calendar comes from a staff member's export or a feed, so it may be huge, garbled or
hostile. Before the slow parser sees it, its size, its number of events and how deeply
its components nest are checked; after parsing, every event that could expand without
bound (many times a day, never, or at absurd dates) is left out with a warning that
names it, so the rest of the calendar still shows. No Kivy import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kiosk.core import recurrence
from kiosk.core.text import safe_excerpt

if TYPE_CHECKING:
    from icalendar import Calendar

MAX_BYTES = 10 * 2**20  # as for a feed (see the config contract)
MAX_EVENTS = 5000
MAX_DEPTH = 8  # VCALENDAR > VEVENT > VALARM is 3 deep
MAX_DATES = 1000  # RDATE and EXDATE values in one event
MAX_PER_DAY = 4  # a calendar event may meet a few times a day, no more
# An event starting outside these years is left out (a series from the 1990s is fine).
FIRST_YEAR, LAST_YEAR = 1970, recurrence.HIGHEST_YEAR
_PERIODS_PER_DAY = {"SECONDLY": 86_400, "MINUTELY": 1_440, "HOURLY": 24}
_BEGIN = re.compile(rb"^BEGIN:", re.IGNORECASE | re.MULTILINE)
_LINE = re.compile(rb"^(BEGIN|END):([A-Za-z-]+)", re.IGNORECASE | re.MULTILINE)


class IcsError(ValueError):
    """The file as a whole cannot be used. The message follows 'the calendar file X'."""


@dataclass(frozen=True)
class Skipped:
    """One event left out of a calendar, and why."""

    name: str  # its summary (or UID), shortened and made safe to print
    reason: str


def read(data: bytes) -> tuple[Calendar, list[Skipped]]:
    """A parsed calendar holding only events that expand within bounds, and the events
    left out. Raises IcsError when the file is too big, too deep or not a calendar."""
    _check_shape(data)
    from icalendar import Calendar  # only a config with calendars loads the library

    try:
        calendar = Calendar.from_ical(data)
    except RecursionError:
        raise IcsError("has parts nested too deeply") from None
    except Exception as exc:  # icalendar raises many types for malformed files
        raise IcsError(f"is not a readable .ics calendar ({safe_excerpt(str(exc))})") from None
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise IcsError("is not a readable .ics calendar (it holds no VCALENDAR)")
    skipped = []
    kept = []
    for component in calendar.subcomponents:
        try:
            why = _reason_to_skip(component) if component.name == "VEVENT" else None
        except Exception as exc:  # a property the library could not parse
            why = f"part of it cannot be read ({safe_excerpt(str(exc))})"
        if why:
            skipped.append(Skipped(_name(component), why))
        else:
            kept.append(component)
    calendar.subcomponents[:] = kept
    return calendar, skipped


def _check_shape(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise IcsError(f"is {len(data) / 2**20:.1f} MB, more than {MAX_BYTES // 2**20} MB")
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
        raise IcsError("is not a readable .ics calendar (it does not start with BEGIN:VCALENDAR)")
    events = len(_BEGIN.findall(data))
    if events > MAX_EVENTS * 3:  # every part counts; events and their alarms mostly
        raise IcsError(f"has {events} parts, more than a calendar the kiosk can show")
    depth = deepest = 0
    for match in _LINE.finditer(data):
        depth += 1 if match[1].upper() == b"BEGIN" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            raise IcsError(f"has parts nested more than {MAX_DEPTH} deep")
    vevents = len(re.findall(rb"^BEGIN:VEVENT", data, re.IGNORECASE | re.MULTILINE))
    if vevents > MAX_EVENTS:
        raise IcsError(f"has {vevents} events, more than {MAX_EVENTS}")


def _name(component: Any) -> str:
    raw = str(component.get("SUMMARY", "") or component.get("UID", "") or "an event")
    return safe_excerpt(raw, 60)


def _reason_to_skip(event: Any) -> str | None:
    """Why an event would expand without bound, or at dates the kiosk cannot place."""
    start = _moment(event.get("DTSTART"))
    if start is None:
        return "it has no start (DTSTART)"
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        return f"it starts in the year {start.year}"
    dates = sum(len(_values(event.get(key))) for key in ("RDATE", "EXDATE"))
    if dates > MAX_DATES:
        return f"it lists {dates} extra or excluded dates (more than {MAX_DATES})"
    for key in ("RDATE", "EXDATE", "RECURRENCE-ID"):
        for value in _values(event.get(key)):
            moment = _moment(value)
            if moment is not None and not FIRST_YEAR <= moment.year <= LAST_YEAR:
                return f"its {key} is in the year {moment.year}"
    rules = _values(event.get("RRULE"))
    if len(rules) > 1:
        return "it has more than one RRULE"
    if rules:
        return _rule_problem(rules[0], start)
    return None


def _rule_problem(rule: Any, start: datetime) -> str | None:
    parts = {str(k).upper(): v for k, v in dict(rule).items()}
    freq = str((parts.get("FREQ") or [""])[0]).upper()
    interval = int((parts.get("INTERVAL") or [1])[0] or 1)
    per_day = _PERIODS_PER_DAY.get(freq, 1) / max(interval, 1)
    for name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        per_day *= max(1, len(parts.get(name) or ()))
    if per_day > MAX_PER_DAY:
        return f"it repeats {freq.lower()} ({per_day:.0f} times a day or more)"
    try:
        # UNTIL and COUNT only cut a rule short, and UNTIL's UTC time would not mix with
        # the plain local start the probe uses.
        text = ";".join(
            part
            for part in rule.to_ical().decode("ascii", "replace").split(";")
            if part.split("=", 1)[0].upper() not in ("UNTIL", "COUNT")
        )
        if not recurrence.ever_meets(None, text, start.replace(tzinfo=None)):
            return "its RRULE never gives a date"
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        return f"its RRULE cannot be read ({safe_excerpt(str(exc))})"
    return None


def _values(prop: Any) -> list[Any]:
    """A property that may appear once or many times, each holding one or more values."""
    if prop is None:
        return []
    items = prop if isinstance(prop, list) else [prop]
    found = []
    for item in items:
        dts = getattr(item, "dts", None)
        found += [d.dt for d in dts] if dts is not None else [item]
    return found


def _moment(value: Any) -> datetime | None:
    value = getattr(value, "dt", value)
    if isinstance(value, tuple):  # a PERIOD: (start, end or duration)
        value = value[0]
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())
    if isinstance(value, timedelta):
        return None
    return None
