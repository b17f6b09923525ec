"""What the alert band and the alert screen show, as plain strings (see kiosk.core.alerts
for which alerts are in force). No Kivy import."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kiosk.config.links import display_link
from kiosk.config.loader import Config
from kiosk.core.alerts import LiveAlert
from kiosk.core.views import Texts
from kiosk.words.i18n import gettext_for, short_date_text, time_text


@dataclass(frozen=True)
class BandView:
    """The line across the top of every resident screen while an alert is in force."""

    level: str  # of the alert it shows: "urgent" (a band) or "notice" (a smaller line)
    label: str  # "Alert" or "Notice", before the words
    text: str  # the first alert's words, whole
    cue: str  # "Tap to read", or "2 alerts · Tap to read"


@dataclass(frozen=True)
class AlertView:
    """One alert, whole, on the `alert` screen."""

    level: str
    heading: str
    text: str
    ends: str  # "Until Thu, Dec 4, 9:00 AM": every alert ends by itself
    link: str  # what the QR code holds ("" if none)
    link_label: str
    scan_hint: str
    position: str  # "1 of 2" when more than one is in force, else ""
    next: str  # "Next alert" when more than one is in force, else ""


def _label(level: str, t: Texts) -> str:
    return t._("Alert") if level == "urgent" else t._("Notice")


def band_view(
    config: Config, live: Sequence[LiveAlert], lang: str, night: bool = False
) -> BandView | None:
    """The band for the alerts in force (urgent first), or None. At night only urgent
    alerts show: the night screen stays dim for everything else."""
    shown = [a for a in live if a.level == "urgent"] if night else list(live)
    if not shown:
        return None
    t = Texts(config, lang)
    first = shown[0]
    cue = t._("Tap to read")
    if len(live) > 1:
        cue = t._("{n} alerts · Tap to read").format(n=len(live))
    return BandView(first.level, _label(first.level, t), t(first.text), cue)


def ends_text(until: datetime, now: datetime, lang: str) -> str:
    """When an alert ends, in words: every alert ends by itself."""
    g = gettext_for(lang)
    if until.date() == now.date():
        return g("Until {time} today").format(time=time_text(until, lang))
    return g("Until {date}, {time}").format(
        date=short_date_text(until, lang), time=time_text(until, lang)
    )


def alert_view(
    config: Config, live: Sequence[LiveAlert], index: int, now: datetime, lang: str
) -> AlertView | None:
    """The alert at `index` among those in force (the first if it has gone), or None."""
    if not live:
        return None
    position = (index if 0 <= index < len(live) else 0) + 1
    alert = live[position - 1]
    t = Texts(config, lang)
    many = len(live) > 1
    link = alert.link or ""
    return AlertView(
        level=alert.level,
        heading=t._("Urgent alert") if alert.level == "urgent" else t._("Notice"),
        text=t(alert.text),
        ends=ends_text(alert.until, now, lang),
        link=link,
        link_label=display_link(link) if link else "",
        scan_hint=t._("Scan with your phone's camera. Nothing is recorded.") if link else "",
        position=t._("{n} of {total}").format(n=position, total=len(live)) if many else "",
        next=t._("Next alert") if many else "",
    )


def spoken(view: AlertView) -> str:
    """What read-aloud says on the alert screen."""
    return "\n".join(part for part in (view.heading, view.text, view.ends) if part)
