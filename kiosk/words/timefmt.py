"""Human words for when something happens: "in 45 min", "Tonight 6:00 PM", "Tomorrow"."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from babel.dates import format_timedelta

from kiosk.words.i18n import (
    babel_locale,
    gettext_for,
    ngettext_for,
    short_date_text,
    time_text,
    weekday_text,
)

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


def duration_text(seconds: float, lang: str) -> str:
    """A wait in words: "45 seconds", "2 minutes", "1 hora"."""
    return format_timedelta(
        timedelta(seconds=max(1, int(seconds))), threshold=2, locale=babel_locale(lang)
    )


# When check-in opens: a sentence for the closed screen, or short words for home's button
# (same day, tomorrow, this week, later).
_OPENS = (
    (
        "Check-in opens at {time}",
        "Check-in opens tomorrow at {time}",
        "Check-in opens {weekday} at {time}",
        "Check-in opens {date} at {time}",
    ),
    (
        "Check-in from {time}",
        "Check-in tomorrow {time}",
        "Check-in {weekday} {time}",
        "Check-in {date} {time}",
    ),
)


def opens_text(opens: datetime, now: datetime, lang: str, short: bool = False) -> str:
    """When check-in opens, in words: "Check-in opens at 5:30 PM", "... tomorrow at ...",
    "... Thursday at ...", or a date beyond this week (both in the kiosk's zone); with
    `short`, words for home's button: "Check-in from 5:30 PM"."""
    _ = gettext_for(lang)
    days = (opens.date() - now.date()).days
    index = 0 if days <= 0 else 1 if days == 1 else 2 if days < 7 else 3
    return _(_OPENS[short][index]).format(
        time=time_text(opens, lang),
        weekday=weekday_text(opens, lang),
        date=short_date_text(opens, lang),
    )
