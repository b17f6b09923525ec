"""Recurrence rules for groups: weekly days or any RFC 5545 RRULE, on local wall-clock times.

Expansion happens on naive local date-times; the schedule attaches the time zone
afterwards, so an 18:00 group stays at 18:00 across daylight-saving changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from dateutil import rrule as du

# Config dates and times outside these years are mistakes (a typo such as 20026, or a
# year 1 or 9999 placeholder); date arithmetic near the ends of Python's range overflows.
LOWEST_YEAR = 2000
HIGHEST_YEAR = 2100

# Groups meet on days: finer rules (hourly, by the minute) are refused, and so are parts
# that set a time of day, which comes from the group's `start` (one meeting a day at most).
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
MAX_RULE_LENGTH = 200
MAX_INTERVAL = 100
MAX_COUNT = 5000
# A group must meet at least once in this many days from its first date.
HORIZON_DAYS = 400

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS = (du.MO, du.TU, du.WE, du.TH, du.FR, du.SA, du.SU)

# Two anchors a rule is expanded from to tell whether its dates depend on the anchor.
_PROBE_ANCHORS = (date(2026, 1, 5), date(2025, 7, 17))
_PROBE_SPAN = timedelta(days=800)

# dateutil looks for a rule's next date period by period, up to the year 9999, so a
# rule that can never match ("the 30th of February") searches every day until then:
# seconds to minutes. Probes therefore run on calendars moved near 9999, where the
# search ends soon whatever the rule:
# - "does it ever match?" starts on the same month, day and weekday a few years before
#   9999 (what a rule fills in from its first date is just those);
# - "how soon does it match?" moves the first date by whole 400-year cycles (146,097
#   days, a whole number of weeks), after which the Gregorian calendar repeats exactly.
_CYCLE_YEARS = 400
_CYCLE_LANDING = 9590  # a moved first date lands in [9590, 9990): room for any window
_NEAR_END = range(9985, 9998)


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
    if len(rule) > MAX_RULE_LENGTH:
        raise RuleError(
            f"the rrule is {len(rule)} characters long (at most {MAX_RULE_LENGTH})",
            'A group rule is short, e.g. "FREQ=MONTHLY;BYDAY=1TU".',
        )
    if "\n" in rule or "DTSTART" in rule:
        raise RuleError(
            "the rrule must be a single RRULE line with no DTSTART inside",
            "Remove DTSTART; the start time goes in `start` and the first date in `from`.",
        )
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    freq = parts.get("FREQ")
    if freq not in FREQUENCIES:
        raise RuleError(
            f'"{rule}" needs FREQ={"/".join(FREQUENCIES)}',
            'Start the rule with FREQ, e.g. "FREQ=MONTHLY;BYDAY=1TU" for the first Tuesday.',
        )
    timed = [name for name in TIME_PARTS if name in parts]
    if timed:
        raise RuleError(
            f'"{rule}" sets a time of day ({", ".join(timed)}), so it could meet many times a day',
            f"Remove {', '.join(timed)}: the group meets at its `start` time, once on each"
            " day the rule gives. Make a second group for a second time.",
        )
    for name, most in (("INTERVAL", MAX_INTERVAL), ("COUNT", MAX_COUNT)):
        value = parts.get(name, "1")
        if not value.isdigit() or not 1 <= int(value) <= most:
            raise RuleError(
                f'{name}={value} is out of range in "{rule}" (1 to {most})',
                f"Use a whole number from 1 to {most}.",
            )
    try:
        parsed = du.rrulestr(rule, dtstart=datetime(2026, 1, 5, 12, 0))
        until = getattr(parsed, "_until", None)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise RuleError(
            f'"{rule}" is not a valid RRULE ({exc})',
            'Check it against RFC 5545, e.g. "FREQ=MONTHLY;BYDAY=1TU" (first Tuesday)'
            ' or "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH" (every other Thursday).',
        ) from None
    if until is not None and not (LOWEST_YEAR <= until.year <= HIGHEST_YEAR):
        raise RuleError(
            f'UNTIL in "{rule}" is in the year {until.year}',
            f"Use a date from {LOWEST_YEAR} to {HIGHEST_YEAR}, or put the last date in `until`.",
        )
    return rule


def rule_until(rule: str) -> date | None:
    """The date of a rule's own UNTIL part, if it has one."""
    until = getattr(du.rrulestr(rule, dtstart=datetime(2026, 1, 5, 12, 0)), "_until", None)
    return until.date() if until else None


def build(days: Sequence[str] | None, rule: str | None, anchor: datetime) -> du.rrule:
    """A dateutil rule from weekly day names or an RRULE string, starting at `anchor`."""
    if days:
        weekdays = [_WEEKDAYS[DAY_NAMES.index(d)] for d in days]
        return du.rrule(du.WEEKLY, byweekday=weekdays, dtstart=anchor)
    assert rule is not None
    result = du.rrulestr(rule, dtstart=anchor)
    assert isinstance(result, du.rrule)
    return result


def _moved(moment: datetime) -> datetime:
    """The same moment in the same place of the 400-year calendar cycle, moved into
    [_CYCLE_LANDING, _CYCLE_LANDING + 400)."""
    cycles = (_CYCLE_LANDING + _CYCLE_YEARS - 1 - moment.year) // _CYCLE_YEARS
    return moment.replace(year=moment.year + cycles * _CYCLE_YEARS)


def _near_the_end(moment: datetime) -> datetime:
    """A moment a few years before 9999 on the same month, day, weekday and time (or,
    for a 29 February that finds none, the moved moment)."""
    for year in _NEAR_END:
        try:
            candidate = moment.replace(year=year)
        except ValueError:  # 29 February in a common year
            continue
        if candidate.weekday() == moment.weekday():
            return candidate
    return _moved(moment)


def _unbounded(days: Sequence[str] | None, rule: str | None, anchor: datetime) -> du.rrule:
    """The rule from `anchor`, without its UNTIL and COUNT (the probes move it in time)."""
    return build(days, rule, anchor).replace(until=None, count=None)


def ever_meets(days: Sequence[str] | None, rule: str | None, first: datetime) -> bool:
    """Whether the rule, from `first`, could give any date at all (ignoring UNTIL and
    COUNT, which only cut it short). Bounded in time for any rule."""
    return next(iter(_unbounded(days, rule, _near_the_end(first))), None) is not None


def first_meeting(
    days: Sequence[str] | None, rule: str | None, first: datetime, within: timedelta
) -> datetime | None:
    """The first date the rule gives within `within` from `first` (ignoring its UNTIL and
    COUNT: the caller checks those against the result). Call it on rules that
    `ever_meets`: the search then ends at the next match."""
    anchor = _moved(first)
    shift = anchor.year - first.year
    found = _unbounded(days, rule, anchor).between(anchor, anchor + within, inc=True)
    return found[0].replace(year=found[0].year - shift) if found else None


def depends_on_anchor(rule: str, start: time) -> bool:
    """True if the rule's dates change with its first date (INTERVAL, COUNT, or a
    FREQ with no BYxxx part), so staff must say which date it starts from. Call it on
    rules that `ever_meets`."""
    first, second = (_moved(datetime.combine(a, start)) for a in _PROBE_ANCHORS)
    shift = first.year - _PROBE_ANCHORS[0].year  # both moved by the same whole cycles
    second = second.replace(year=_PROBE_ANCHORS[1].year + shift)
    window_start = max(first, second) + timedelta(days=1)
    window_end = window_start + _PROBE_SPAN
    # UNTIL would cut the moved dates short; COUNT stays, as it counts from the anchor.
    a = build(None, rule, first).replace(until=None).between(window_start, window_end, inc=True)
    b = build(None, rule, second).replace(until=None).between(window_start, window_end, inc=True)
    return a != b
