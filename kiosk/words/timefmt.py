"""Human words for when something happens: "in 45 min", "Tonight 6:00 PM", "Tomorrow"."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from kiosk.words.i18n import gettext_for, ngettext_for, short_date_text, time_text, weekday_text

# From this hour on, "today" reads as "tonight".
EVENING_HOUR = 17


def relative_start(start: datetime, now: datetime, lang: str) -> str:
    """When `start` is, seen from `now` (both in the kiosk's zone)."""
    _ = gettext_for(lang)
    n_ = ngettext_for(lang)
    at = time_text(start, lang)
    seconds = (start.astimezone(UTC) - now.astimezone(UTC)).total_seconds()
    if seconds <= 0:
        return _("Now")
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return n_("in {n} min", "in {n} min", minutes).format(n=minutes)
    days = (start.date() - now.date()).days
    if days == 0:
        template = _("Tonight {time}") if start.hour >= EVENING_HOUR else _("Today {time}")
        return template.format(time=at)
    if days == 1:
        return _("Tomorrow {time}").format(time=at)
    if days < 7:
        return _("{weekday} {time}").format(weekday=weekday_text(start, lang), time=at)
    return _("{date} {time}").format(date=short_date_text(start, lang), time=at)


def day_label(start: datetime, now: datetime, lang: str) -> str:
    """The day column of the week list: 'Today', 'Tomorrow', 'Thu, Dec 3'."""
    _ = gettext_for(lang)
    days = (start.date() - now.date()).days
    if days == 0:
        return _("Today")
    if days == 1:
        return _("Tomorrow")
    return short_date_text(start, lang)
