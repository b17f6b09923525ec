"""Recurrence rules for groups: weekly days or any RFC 5545 RRULE, on local wall-clock times.

Expansion happens on naive local date-times; the schedule attaches the time zone
afterwards, so an 18:00 group stays at 18:00 across daylight-saving changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from dateutil import rrule as du

# Groups meet on days: finer rules (hourly, by the minute) are refused.
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS = (du.MO, du.TU, du.WE, du.TH, du.FR, du.SA, du.SU)

# Two anchors a rule is expanded from to tell whether its dates depend on the anchor.
_PROBE_ANCHORS = (date(2026, 1, 5), date(2025, 7, 17))
_PROBE_SPAN = timedelta(days=800)


class RuleError(ValueError):
    """A recurrence rule staff wrote that cannot be used, with a suggested fix."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def normalize_day(name: str) -> str | None:
    """'Tue', 'tuesday' and 'TUE' -> 'tue'; None if it is not a day name."""
    key = name.strip().lower()
    if key in DAY_NAMES:
        return key
    if key in _FULL_DAY_NAMES:
        return DAY_NAMES[_FULL_DAY_NAMES.index(key)]
    return None


def normalize_rule(text: str) -> str:
    """Strip an optional 'RRULE:' prefix and check the rule parses; raise RuleError."""
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    rule = rule.strip().upper()
    if not rule:
        raise RuleError("the rrule is empty", 'Write a rule like "FREQ=MONTHLY;BYDAY=1TU".')
    if "\n" in rule or "DTSTART" in rule:
        raise RuleError(
            "the rrule must be a single RRULE line with no DTSTART inside",
            "Remove DTSTART; the start time goes in `start` and the first date in `from`.",
        )
    freq = dict(p.split("=", 1) for p in rule.split(";") if "=" in p).get("FREQ")
    if freq not in FREQUENCIES:
        raise RuleError(
            f'"{text}" needs FREQ={"/".join(FREQUENCIES)}',
            'Start the rule with FREQ, e.g. "FREQ=MONTHLY;BYDAY=1TU" for the first Tuesday.',
        )
    try:
        du.rrulestr(rule, dtstart=datetime(2026, 1, 5, 12, 0))
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise RuleError(
            f'"{text}" is not a valid RRULE ({exc})',
            'Check it against RFC 5545, e.g. "FREQ=MONTHLY;BYDAY=1TU" (first Tuesday)'
            ' or "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH" (every other Thursday).',
        ) from None
    return rule


def build(days: Sequence[str] | None, rule: str | None, anchor: datetime) -> du.rrule:
    """A dateutil rule from weekly day names or an RRULE string, starting at `anchor`."""
    if days:
        weekdays = [_WEEKDAYS[DAY_NAMES.index(d)] for d in days]
        return du.rrule(du.WEEKLY, byweekday=weekdays, dtstart=anchor)
    assert rule is not None
    result = du.rrulestr(rule, dtstart=anchor)
    assert isinstance(result, du.rrule)
    return result


def depends_on_anchor(rule: str, start: time) -> bool:
    """True if the rule's dates change with its first date (INTERVAL, COUNT, or a
    FREQ with no BYxxx part), so staff must say which date it starts from."""
    first, second = (datetime.combine(a, start) for a in _PROBE_ANCHORS)
    window_start = max(first, second) + timedelta(days=1)
    window_end = window_start + _PROBE_SPAN
    a = build(None, rule, first).between(window_start, window_end, inc=True)
    b = build(None, rule, second).between(window_start, window_end, inc=True)
    return a != b
