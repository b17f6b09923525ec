"""What each screen shows, as plain strings: computed from the config, the schedule,
the flow and the time. Screens only lay these out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.config.loader import Config
from kiosk.config.models import Tip
from kiosk.i18n import full_date_text, gettext_for, time_range_text, time_text
from kiosk.schedule import Occurrence
from kiosk.text import LocalText
from kiosk.timefmt import day_label, relative_start


@dataclass(frozen=True)
class CardView:
    heading: str  # "Happening now" / "Next"
    when: str  # "in 15 min" / "until 7:30 PM"
    title: str
    times: str  # "6:00 – 7:30 PM"
    location: str
    description: str
    live: bool


@dataclass(frozen=True)
class RowView:
    occurrence_id: str
    day: str
    time: str
    title: str
    location: str
    cancelled: bool
    live: bool
    note: str  # "Cancelled — Thanksgiving week" in words, not only a colour


@dataclass(frozen=True)
class TipView:
    id: str
    category: str
    badge: str  # "DRUG" / "SET" / "SETTING" in the chosen language
    text: str
    link: str | None


@dataclass(frozen=True)
class HomeView:
    name: str
    date: str
    time: str
    notice: str  # a cancellation today, said plainly at the top
    card: CardView | None
    week_heading: str
    rows: tuple[RowView, ...]
    more: str  # "+ {n} more this week": the screen fills in how many rows did not fit
    empty: str


class Texts:
    """Config text and interface strings in one language, with the default as fallback."""

    def __init__(self, config: Config, lang: str) -> None:
        self.lang = lang
        self.default = config.default_language
        self._ = gettext_for(lang)

    def __call__(self, text: LocalText | None) -> str:
        return text.get(self.lang, self.default) if text else ""


def _cancelled_note(o: Occurrence, t: Texts) -> str:
    if not o.cancelled:
        return ""
    if o.note:
        return t._("Cancelled — {reason}").format(reason=t(o.note))
    return t._("Cancelled")


def home_view(
    config: Config,
    upcoming: list[Occurrence],
    now: datetime,
    lang: str,
    following: Occurrence | None,
) -> HomeView:
    """`upcoming`: the week's list. `following`: what is on now, else the next meeting
    that is not cancelled, even if it is more than a week away."""
    t = Texts(config, lang)
    _ = t._
    all_day = _("All day")
    card = None
    if following:
        o = following
        live = o.is_live(now)
        if o.all_day:
            when = all_day if live else day_label(o.start, now, lang)
        elif live:
            when = _("until {time}").format(time=time_text(o.end, lang))
        else:
            when = relative_start(o.start, now, lang)
        card = CardView(
            heading=_("Happening now") if live else _("Next"),
            when=when,
            title=t(o.title),
            times=all_day if o.all_day else time_range_text(o.start, o.end, lang),
            location=t(o.location),
            description=t(o.description),
            live=live,
        )
    cancelled_today = [
        o for o in upcoming if o.cancelled and o.start.date() == now.date() and not o.all_day
    ]
    notice = "\n".join(
        _("Cancelled today: {title}").format(title=t(o.title))
        + (f"\n{t(o.note)}" if o.note else "")
        for o in cancelled_today
    )
    rows = tuple(
        RowView(
            occurrence_id=o.id,
            day=_("Now") if o.is_live(now) else day_label(o.start, now, lang),
            time=all_day if o.all_day else time_text(o.start, lang),
            title=t(o.title),
            location=t(o.location),
            cancelled=o.cancelled,
            live=o.is_live(now),
            note=_cancelled_note(o, t),
        )
        for o in upcoming
    )
    return HomeView(
        name=t(config.kiosk.name),
        date=full_date_text(now, lang),
        time=time_text(now, lang),
        notice=notice,
        card=card,
        week_heading=_("Next 7 days"),
        rows=rows,
        more=_("+ {n} more this week"),
        empty=_("Nothing is scheduled in the next 7 days."),
    )


def tip_view(config: Config, tip: Tip | None, lang: str) -> TipView | None:
    if tip is None:
        return None
    t = Texts(config, lang)
    badges = {"drug": t._("DRUG"), "set": t._("SET"), "setting": t._("SETTING")}
    return TipView(tip.id, tip.category, badges[tip.category], t(tip.text), tip.link)
