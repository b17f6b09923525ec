"""What each screen shows, as plain strings: computed from the config, the schedule,
the flow and the time. Screens only lay these out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

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
    live: bool


@dataclass(frozen=True)
class RowView:
    occurrence_id: str
    day: str
    time: str
    title: str
    location: str
    cancelled: bool
    note: str  # "Cancelled: Thanksgiving week" in words


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


def home_view(config: Config, upcoming: list[Occurrence], now: datetime, lang: str) -> HomeView:
    t = Texts(config, lang)
    _ = t._
    card = None
    live = [o for o in upcoming if o.is_live(now)]
    nxt = [o for o in upcoming if not o.cancelled and o.start_utc > now.astimezone(UTC)]
    if live or nxt:
        o = (live or nxt)[0]
        when = (
            _("until {time}").format(time=time_text(o.end, lang))
            if live
            else relative_start(o.start, now, lang)
        )
        card = CardView(
            heading=_("Happening now") if live else _("Next"),
            when=when,
            title=t(o.title),
            times=time_range_text(o.start, o.end, lang),
            location=t(o.location),
            live=bool(live),
        )
    rows = tuple(
        RowView(
            occurrence_id=o.id,
            day=day_label(o.start, now, lang),
            time=time_text(o.start, lang),
            title=t(o.title),
            location=t(o.location),
            cancelled=o.cancelled,
            note=(_("Cancelled: {reason}").format(reason=t(o.note)) if o.note else _("Cancelled"))
            if o.cancelled
            else "",
        )
        for o in upcoming
    )
    return HomeView(
        name=t(config.kiosk.name),
        date=full_date_text(now, lang),
        time=time_text(now, lang),
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
