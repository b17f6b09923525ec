"""The HTML report's evidence sections: "Is the group helping?" from the after-group
answers, arrival moods month by month, and first-time against returning.

Only meetings whose numbers are shown are pooled (enough answers each), and a pooled
section shows only from enough answers in all, so no hidden meeting can be worked out
by subtracting one total from another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from kiosk.core import evidence

if TYPE_CHECKING:
    from kiosk.core.report import Row

SHIFT_COLOURS = (("Felt better", "#2f855a"), ("The same", "#a0aec0"), ("Felt worse", "#c05621"))
MOOD_COLOURS = ("#c53030", "#dd6b20", "#d69e2e", "#68a063", "#2f855a")
MOOD_NAMES = ("Really rough", "Not great", "Okay", "Good", "Really good")

HOW_TO_READ = """<div class="note"><p><strong>How to read this.</strong> After group,
residents may answer two questions on the kiosk: how they were doing when they arrived,
and how they are doing now. Each answer is a count, never linked to anyone.</p>
<ul><li>These are people's own words about themselves, given right after group. "When
you arrived" is remembered afterwards, which can make a change look bigger.</li>
<li>People who answer may differ from those who don't, and one person may answer at many
meetings: the numbers count answers, not people.</li>
<li>There is no comparison group: nobody is asked who did not come.</li>
<li>So this is evidence, not proof. It can show that people leave feeling better more
often than chance would give; it cannot show why.</li></ul>
<p>The chance figure (p) is from an exact sign test on the answers that felt better
against those that felt worse: if the group made no difference, a split this uneven
would come with chance p. Under 0.05 means less than 1 time in 20. The test treats each
answer as separate, though regulars answer week after week, so read p as a rough guide.
Looking at many groups or many periods until one shows p under 0.05 makes a false
"helping" likelier. The range is a 95% interval for the share that felt better among
the answers that changed.</p></div>"""


def _bar(parts: Sequence[tuple[str, str, int]], title: str, width: int = 640) -> str:
    """One horizontal bar split into labelled parts (label, colour, count)."""
    total = sum(n for _, _, n in parts) or 1
    x, pieces = 0.0, []
    for label, colour, n in parts:
        w = width * n / total
        if n:
            pieces.append(
                f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="36" fill="{colour}">'
                f"<title>{escape(label)}: {n}</title></rect>"
            )
        x += w
    legend = " ".join(
        f'<span class="key" style="background:{c}"></span>{escape(label)} <strong>{n}</strong>'
        for label, c, n in parts
    )
    return (
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} 36" width="100%"'
        f' style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">{"".join(pieces)}</svg>'
        f'<p class="legend">{legend}</p>'
    )


def _verdict(better: int, worse: int) -> str:
    result = evidence.sign_test(better, worse)
    changed = better + worse
    more = evidence.more_needed(changed)
    need = (
        f" About {more} more answers that changed (felt better or worse, not the same) would"
        " be needed to tell a moderate change (7 in 10 of them feeling better) from chance."
    )
    if result is None:
        return (
            "<p><strong>Too few answers yet to tell a change from chance.</strong>"
            f" {changed} answer(s) felt better or worse than on arrival.{need}</p>"
        )
    p = result.p_value
    chance = f"p = {p:.3f}" if p >= 0.001 else "p &lt; 0.001"
    share = f"{result.share_better:.0%} (95% range {result.low:.0%} to {result.high:.0%})"
    if p < evidence.ALPHA and better > worse:
        lead = "People left feeling better more often than chance alone would give."
    elif p < evidence.ALPHA:
        lead = "More people left feeling worse than better: worth talking about together."
    else:
        lead = "This split could well be chance."
    tail = need if p >= evidence.ALPHA and more else ""
    return (
        f"<p><strong>{lead}</strong> Of the {changed} answers that changed, {share} felt"
        f" better ({chance}).{tail}</p>"
    )


def helping_section(after_rows: list[Row], minimum: int, group_titles: dict[str, str]) -> str:
    """One "After group" part per group, pooled over the period."""
    by_group: dict[str, list[Row]] = defaultdict(list)
    for r in after_rows:
        by_group[r.group].append(r)
    parts = ["<h2>Is the group helping?</h2>", HOW_TO_READ]
    if not by_group:
        parts.append("<p>No after-group answers in this period.</p>")
    for group in sorted(by_group, key=lambda g: group_titles.get(g, g)):
        rows = by_group[group]
        shown = [r for r in rows if r.shown]
        better, same, worse, partial = (sum(r.after[i] for r in shown) for i in range(4))
        title = escape(group_titles.get(group, group))
        parts.append(f"<h3>After group: {title}</h3>")
        if better + same + worse < minimum:
            parts.append(
                f"<p>Fewer than {minimum} answers from meetings with enough answers to show:"
                " nothing is shown yet, so no one's answer can be picked out.</p>"
            )
            continue
        hidden = len(rows) - len(shown)
        parts.append(
            f"<p>{better + same + worse} answers at {len(shown)} meeting(s)"
            + (f"; {hidden} meeting(s) with too few answers are left out" if hidden else "")
            + (f"; {partial} answer(s) skipped a question" if partial else "")
            + ".</p>"
        )
        counts = (better, same, worse)
        bar = [(label, colour, n) for (label, colour), n in zip(SHIFT_COLOURS, counts, strict=True)]
        parts.append(_bar(bar, f"After group at {title}: better, same, worse"))
        parts.append(_verdict(better, worse))
    return "\n".join(parts)


def arrival_moods_section(months: list[tuple[str, int, int, tuple[int, ...] | None]]) -> str:
    """The arrival mood's spread month by month (meetings whose moods are shown)."""
    parts = ["<h2>Arrival mood, month by month</h2>"]
    shown = [(m, moods) for m, _, _, moods in months if moods and sum(moods[:5])]
    if not shown:
        return parts[0] + "<p>No mood answers to show in this period.</p>"
    for month, moods in shown:
        label = f"{datetime.strptime(month, '%Y-%m'):%B %Y}"
        bar = list(zip(MOOD_NAMES, MOOD_COLOURS, moods[:5], strict=True))
        parts.append(f"<h3>{label}</h3>" + _bar(bar, f"Arrival moods in {label}"))
    return "\n".join(parts)


def first_time_section(rows: list[Row]) -> str:
    """First-time against returning, month by month (meetings that show the answers)."""
    months: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        if r.first_shown:
            month = months[r.day.strftime("%Y-%m")]
            month[0] += r.tally.first_time
            month[1] += r.tally.returning
    if not months:
        return ""
    body = "".join(
        f"<tr><th scope='row'>{datetime.strptime(m, '%Y-%m'):%B %Y}</th>"
        f"<td class='n'>{first}</td><td class='n'>{back}</td></tr>"
        for m, (first, back) in sorted(months.items())
    )
    return (
        "<h2>New faces and regulars</h2><p>Answers to “Is this your first time at this"
        " group?”, month by month.</p><table><thead><tr><th>Month</th><th class='n'>First"
        f" time</th><th class='n'>Been before</th></tr></thead><tbody>{body}</tbody></table>"
    )
