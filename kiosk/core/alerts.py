"""Which alerts are in force, in what order, and what `kiosk check` says of them.

Plain Python: alerts come from alerts.toml with local, zone-less times; every alert ends
by itself at `until`, and one with no `from` is in force from the moment it loads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.core.text import safe_excerpt

MAX_DAYS = 14
LEVELS = ("urgent", "notice")  # urgent first


@dataclass(frozen=True)
class LiveAlert:
    id: str
    level: str
    text: Any  # LocalText
    start: datetime | None  # aware, local
    until: datetime  # aware, local
    link: str | None


def localize(alerts: Sequence[Any], tz: ZoneInfo) -> list[LiveAlert]:
    """The config's alerts with their local times made aware in the kiosk's zone."""
    return [
        LiveAlert(
            a.id,
            a.level,
            a.text,
            a.start.replace(tzinfo=tz) if a.start is not None else None,
            a.until.replace(tzinfo=tz),
            a.link,
        )
        for a in alerts
    ]


def in_force(alerts: Sequence[LiveAlert], now: datetime) -> list[LiveAlert]:
    """The alerts showing at `now`: urgent before notice, then the newest first."""
    live = [a for a in alerts if (a.start is None or a.start <= now) and now < a.until]
    return sorted(
        live,
        key=lambda a: (LEVELS.index(a.level), -(a.start or a.until).timestamp(), a.id),
    )


def skipped_hour(local: datetime, tz: ZoneInfo) -> bool:
    """Whether the zone-less `local` time never happens in `tz` (the hour skipped when the
    clocks go forward): such a time would come out an hour off."""
    aware = local.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != local


def too_long_from_now(alert: LiveAlert, now: datetime) -> bool:
    """An alert with no `from` starts now, so it may end at most MAX_DAYS from now."""
    return alert.start is None and alert.until - now > timedelta(days=MAX_DAYS)


def summary(alerts: Sequence[LiveAlert], now: datetime, lang: str) -> list[str]:
    """`kiosk check`'s lines: each alert in force or still to come, and when it ends."""
    lines = []
    for a in sorted(alerts, key=lambda a: (a.start or now, a.id)):
        if now >= a.until:
            continue
        when = "in force" if a.start is None or a.start <= now else f"from {a.start:%a %b %d %H:%M}"
        short = safe_excerpt(a.text.get(lang, lang), 60)  # never raw to a terminal
        lines.append(f"{a.id} ({a.level}), {when} until {a.until:%a %b %d %H:%M}: {short}")
    return lines
