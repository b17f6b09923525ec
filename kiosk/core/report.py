"""Attendance reports: CSV (the contract's columns) and one self-contained HTML page.

Counts are check-ins, not people. Mood numbers for an occurrence with fewer check-ins
than `privacy.min_report_count` are left blank, and monthly mood totals only add up
occurrences whose numbers are shown, so a blank can never be worked out by subtraction.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html import escape

from kiosk.config.loader import Config
from kiosk.core import after_group, checkins
from kiosk.core.checkins import PARTIAL_FIELD, Tally
from kiosk.core.recurrence import HIGHEST_YEAR, LOWEST_YEAR
from kiosk.core.schedule import Occurrence, Schedule

CSV_COLUMNS = (
    "date", "group", "title", "start", "checkins",
    "mood_1", "mood_2", "mood_3", "mood_4", "mood_5", "mood_skipped",
    "first_time", "returning", "first_skipped",
)  # fmt: skip
AFTER_CSV_COLUMNS = (
    "date", "group", "title", "start", "answers", "better", "same", "worse", "partial",
)  # fmt: skip


@dataclass(frozen=True)
class Row:
    day: date
    group: str
    title: str
    start: datetime | None  # None if the occurrence is no longer in the config
    tally: Tally
    shown: bool  # mood numbers shown (enough check-ins)
    first_shown: bool = False  # first-time numbers shown (asked, and enough answered)

    @property
    def moods(self) -> tuple[int, ...]:
        return (*self.tally.moods, self.tally.mood_skipped)

    @property
    def first(self) -> tuple[int, int, int]:
        t = self.tally
        return (t.first_time, t.returning, t.first_skipped)

    @property
    def after(self) -> tuple[int, int, int, int]:
        """(better, same, worse, partial) of the after-group question."""
        better, same, worse = after_group.compare(self.tally.after_counts)
        return (better, same, worse, self.tally.after_counts[PARTIAL_FIELD])

    @property
    def answers(self) -> int:
        return _answered(self.tally)


def _answered(tally: Tally) -> int:
    """After-group answers with a face for both questions (better, same or worse)."""
    return sum(after_group.compare(tally.after_counts))


def rows(
    config: Config,
    tallies: list[Tally],
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
    kind: str = "checkins",
) -> list[Row]:
    """One row per occurrence with check-ins (kind "checkins") or with after-group answers
    (kind "after-group") in [start, end], ordered by start.

    An occurrence whose check-in or after-group question is open at `now`, or closed
    less than HOLD ago, is left out (see _held)."""
    schedule = config.build_schedule()
    settings = config.kiosk
    minimum = settings.privacy.min_report_count
    still_open = _held(config, schedule, now) if now is not None else set()

    def counted(t: Tally) -> bool:
        return t.checkins > 0 if kind == "checkins" else sum(t.after) > 0

    chosen = [
        (day, t)
        for t in tallies
        if counted(t)
        and t.occurrence not in still_open
        and (day := _day(t)) is not None
        and not (start and day < start)
        and not (end and day > end)
    ]
    known = _occurrences(schedule, {day for day, _ in chosen})
    asked_first = settings.checkin.first_time_question
    found = []
    for day, tally in chosen:
        o = known.get(tally.occurrence)
        title = o.title.get(config.default_language, config.default_language) if o else tally.group
        begins = o.start if o else None
        # Numbers show only when enough people actually chose an answer: a count of
        # check-ins could hide a single answer among walk-aways and skips.
        answered = sum(tally.moods) if kind == "checkins" else _answered(tally)
        shown = answered >= minimum
        first_shown = asked_first and tally.first_time + tally.returning >= minimum
        found.append(Row(day, tally.group, title, begins, tally, shown, first_shown))
    return sorted(found, key=lambda r: (r.day, r.start.time() if r.start else time.max, r.group))


# A resident who started before a window closed can finish its questions after: a report
# leaves an occurrence out until this long after its windows close.
HOLD = timedelta(minutes=30)


def _held(config: Config, schedule: Schedule, now: datetime) -> set[str]:
    """Occurrences a report made at `now` leaves out: open for check-in or for the
    after-group question, or closed less than HOLD ago. Two reports minutes apart must
    not show, by difference, how one person answered."""
    settings, at = config.kiosk, now.astimezone(UTC)
    held = set()
    for o in schedule.occurrences(now - timedelta(days=2), now + timedelta(days=1)):
        windows = []
        if settings.checkin.enabled and not o.cancelled:
            windows.append(checkins.window(o, settings.checkin))
        if after_group.asked_for(o, settings.after_group):
            windows.append(after_group.window(o, settings.after_group))
        if any(opens <= at < closes + HOLD for opens, closes in windows):
            held.add(o.id)
    return held


def _day(tally: Tally) -> date | None:
    """The local date of a count's occurrence; None for an id the kiosk cannot have
    written (no date, or a year outside the config's range)."""
    try:
        day = date.fromisoformat(tally.day)
    except ValueError:
        return None
    return day if LOWEST_YEAR <= day.year <= HIGHEST_YEAR else None


def unplaced(tallies: list[Tally]) -> int:
    """How many counts have no date a report can place (they are left out)."""
    return sum(1 for t in tallies if (t.checkins > 0 or sum(t.after)) and _day(t) is None)


def _occurrences(schedule: Schedule, days: set[date]) -> dict[str, Occurrence]:
    """Every occurrence of the months the counts cover, by id: one schedule expansion a
    month with counts, not one per occurrence counted (nor one over the whole span)."""
    found: dict[str, Occurrence] = {}
    for year, month in sorted({(d.year, d.month) for d in days}):
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        lo = datetime.combine(first, time.min, schedule.tz) - timedelta(hours=3)
        hi = datetime.combine(following, time.min, schedule.tz) + timedelta(hours=3)
        found.update((o.id, o) for o in schedule.occurrences(lo, hi))
    return found


def _cell(text: str) -> str:
    """Keep a spreadsheet from running a title (say, from an imported calendar) as a
    formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(
    columns: tuple[str, ...], report_rows: list[Row], counts: Callable[[Row], list[object]]
) -> str:
    """The rows under `columns`: date, group, title and start, then `counts(row)`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in report_rows:
        start = r.start.isoformat() if r.start else ""
        writer.writerow([r.day.isoformat(), r.group, _cell(r.title), start, *counts(r)])
    return out.getvalue()


def to_csv(report_rows: list[Row]) -> str:
    def counts(r: Row) -> list[object]:
        moods = [str(n) for n in r.moods] if r.shown else [""] * 6
        first = [str(n) for n in r.first] if r.first_shown else [""] * 3
        return [r.tally.checkins, *moods, *first]

    return _csv(CSV_COLUMNS, report_rows, counts)


def after_to_csv(report_rows: list[Row]) -> str:
    """`kiosk report --kind after-group`: rows from rows(kind="after-group")."""

    def counts(r: Row) -> list[object]:
        return [r.answers, *([str(n) for n in r.after] if r.shown else [""] * 4)]

    return _csv(AFTER_CSV_COLUMNS, report_rows, counts)


# --- HTML -----------------------------------------------------------------------------------

MOOD_LABELS = ("Really rough", "Not great", "Okay", "Good", "Really good", "Skipped")


def weekly_totals(report_rows: list[Row]) -> list[tuple[date, int]]:
    """(Monday, check-ins) for every week from the first to the last, gaps included."""
    if not report_rows:
        return []
    totals: dict[date, int] = defaultdict(int)
    for r in report_rows:
        totals[r.day - timedelta(days=r.day.weekday())] += r.tally.checkins
    first, last = min(totals), max(totals)
    weeks = []
    monday = first
    while monday <= last:
        weeks.append((monday, totals.get(monday, 0)))
        monday += timedelta(days=7)
    return weeks


def monthly_totals(report_rows: list[Row]) -> list[tuple[str, int, int, tuple[int, ...] | None]]:
    """(YYYY-MM, occurrences, check-ins, mood totals of shown occurrences or None)."""
    months: dict[str, list[Row]] = defaultdict(list)
    for r in report_rows:
        months[r.day.strftime("%Y-%m")].append(r)
    result = []
    for month in sorted(months):
        group = months[month]
        shown = [r for r in group if r.shown]
        moods = tuple(sum(r.moods[i] for r in shown) for i in range(6)) if shown else None
        result.append((month, len(group), sum(r.tally.checkins for r in group), moods))
    return result


def _svg_chart(weeks: list[tuple[date, int]], key: str = "all") -> str:
    if not weeks:
        return "<p>No check-ins in this period.</p>"
    width, height = 900, 320
    left, right, top, bottom = 60, 20, 30, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(n for _, n in weeks) or 1
    step = _nice_step(peak)
    top_value = ((peak + step - 1) // step) * step
    bar_w = plot_w / len(weeks)
    parts = [
        f'<svg role="img" aria-labelledby="chart-{key}" viewBox="0 0 {width} {height}"'
        f' width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-{key}">Check-ins per week</title>',
    ]
    for value in range(0, top_value + 1, step):
        y = top + plot_h - plot_h * value / top_value
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d5dd"/>'
            f'<text x="{left - 8}" y="{y + 5:.1f}" text-anchor="end" font-size="14">{value}</text>'
        )
    label_every = max(1, len(weeks) // 12)
    for i, (monday, n) in enumerate(weeks):
        h = plot_h * n / top_value
        x = left + i * bar_w
        parts.append(
            f'<rect x="{x + bar_w * 0.15:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w * 0.7:.1f}"'
            f' height="{h:.1f}" fill="#2b6cb0"><title>Week of {monday:%b %d}: {n}</title></rect>'
        )
        if i % label_every == 0:
            cx, cy = x + bar_w / 2, top + plot_h + 18
            parts.append(
                f'<text x="{cx:.1f}" y="{cy:.1f}" font-size="13" text-anchor="end"'
                f' transform="rotate(-35 {cx:.1f} {cy:.1f})">{monday:%b %d}</text>'
            )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="14">'
        "Week starting (Monday)</text>"
        f'<text x="16" y="{top + plot_h / 2:.1f}" text-anchor="middle" font-size="14"'
        f' transform="rotate(-90 16 {top + plot_h / 2:.1f})">Check-ins</text></svg>'
    )
    return "".join(parts)


def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if peak / step <= 6:
            return step
    return max(1, peak // 5)


def _per_group_weeks(report_rows: list[Row]) -> str:
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in report_rows:
        groups[r.group].append(r)
    if len(groups) < 2:
        return ""
    parts = ["<h2>Check-ins per week, group by group</h2>"]
    ordered = sorted(groups.values(), key=lambda rows_of: rows_of[0].title)
    for number, rows_of in enumerate(ordered, start=1):
        parts.append(f"<h3>{escape(rows_of[0].title)}</h3>")
        parts.append(_svg_chart(weekly_totals(rows_of), key=str(number)))
    return "\n".join(parts)


def to_html(
    config: Config | None,
    report_rows: list[Row],
    start: date | None,
    end: date | None,
    after_rows: list[Row] | None = None,
    title: str = "",
) -> str:
    """The one-file report. `after_rows` (rows of kind "after-group") add "Is the group
    helping?"; without them (the question is off, or never answered) it is left out.
    Without a config (several buildings merged) `title` names it."""
    from kiosk.core import report_after

    if config is not None:
        title = config.kiosk.name.get(config.default_language, config.default_language)
    name = escape(title)
    minimum = config.kiosk.privacy.min_report_count if config else 5
    first = start or (report_rows[0].day if report_rows else None)
    last = end or (report_rows[-1].day if report_rows else None)
    period = f"{first:%B %d, %Y} to {last:%B %d, %Y}" if first and last else "all dates"
    total = sum(r.tally.checkins for r in report_rows)

    def cells(values: tuple[int, ...] | None) -> str:
        if values is None:
            return "".join('<td class="blank">–</td>' for _ in range(6))
        return "".join(f"<td>{v}</td>" for v in values)

    mood_heads = "".join(f"<th>{m}</th>" for m in MOOD_LABELS)
    months = monthly_totals(report_rows)
    month_rows = "".join(
        f"<tr><th scope='row'>{datetime.strptime(m, '%Y-%m'):%B %Y}</th><td>{n}</td>"
        f"<td>{c}</td>{cells(moods)}</tr>"
        for m, n, c, moods in months
    )
    detail_rows = "".join(
        f"<tr><td>{r.day:%a %b} {r.day.day}, {r.day.year}</td><td>{escape(r.title)}</td>"
        f"<td>{r.start.strftime('%I:%M %p').lstrip('0') if r.start else ''}</td>"
        f"<td>{r.tally.checkins}</td>{cells(r.moods if r.shown else None)}</tr>"
        for r in report_rows
    )
    titles = {r.group: r.title for r in [*report_rows, *(after_rows or [])]}
    evidence_html = ""
    if after_rows or (config is not None and config.kiosk.after_group.enabled):
        evidence_html = report_after.helping_section(after_rows or [], minimum, titles)
    evidence_html += report_after.arrival_moods_section(months)
    evidence_html += report_after.first_time_section(report_rows)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Attendance: {name}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem;
       color: #1a202c; max-width: 1100px; line-height: 1.45; }}
h1 {{ margin-bottom: .2rem; }} .period {{ color: #4a5568; margin-top: 0; }}
.note {{ background: #f7fafc; border-left: 4px solid #2b6cb0; padding: .6rem 1rem; }}
table {{ border-collapse: collapse; margin: 1rem 0 2rem; width: 100%; }}
th, td {{ border-bottom: 1px solid #e2e8f0; padding: .4rem .6rem; text-align: right; }}
th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) {{ text-align: left; }}
td:first-child, td:nth-child(3) {{ white-space: nowrap; }}
thead th {{ background: #edf2f7; }} td.blank {{ color: #a0aec0; text-align: center; }}
.big {{ font-size: 2rem; font-weight: 700; }}
.legend {{ margin: .3rem 0 1rem; }} .key {{ display: inline-block; width: .9rem; height: .9rem;
       margin: 0 .3rem 0 .8rem; vertical-align: -2px; border-radius: 2px; }}
.key:first-child {{ margin-left: 0; }} th.n, td.n {{ text-align: right; }}
</style></head><body>
<h1>Attendance: {name}</h1>
<p class="period">{period}</p>
<p><span class="big">{total}</span> check-ins at {len(report_rows)} meetings.</p>
<p class="note"><strong>These are check-ins, not people.</strong> Check-in is anonymous, so one
person may check in more than once, and some people come without checking in.</p>
<p class="note">Mood answers are optional. A dash (–) means the numbers are hidden: a meeting
where fewer than {minimum} people chose a face does not show its moods, so no one's answer can
be picked out. Monthly mood totals add up only the meetings whose moods are shown. A meeting
still open for check-in or for the after-group question, or closed less than half an hour
ago, is not in the report yet.</p>
<h2>Check-ins per week</h2>
{_svg_chart(weekly_totals(report_rows))}
{_per_group_weeks(report_rows)}
{evidence_html}
<h2>Monthly totals</h2>
<table><thead><tr><th>Month</th><th>Meetings</th><th>Check-ins</th>{mood_heads}</tr></thead>
<tbody>{month_rows}</tbody></table>
<h2>Each meeting</h2>
<table><thead><tr><th>Date</th><th>Group</th><th>Start</th><th>Check-ins</th>{mood_heads}</tr>
</thead><tbody>{detail_rows}</tbody></table>
</body></html>
"""
