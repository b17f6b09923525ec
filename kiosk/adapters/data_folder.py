"""The data folder (`--data`): every name the kiosk writes there, in one place (what
`kiosk check` and the staff panel say about it is in `data_facts`).

    checkins.json            the check-in counts            (kiosk.adapters.storage)
    checkins.json.corrupt-N  a damaged file, kept aside     (storage)
    checkins.lock            one kiosk per folder           (storage)
    backups/                 daily copies and the recent copy (storage)
    heartbeat.json           the present state, for `kiosk status` (kiosk.adapters.health)
    staff-lockout.json       the staff PIN's lockout        (kiosk.adapters.pin_store)
    config-last-good/        the last config that loaded   (kiosk.config.watch)
    cache/font-maps.json     fonts' character maps         (kiosk.words.fonts)
    cache/escpos/            the printer library's parsed database (kiosk.adapters.printer)
    cache/fonts/             a smaller copy of the Chinese font    (kiosk.words.cjk_subset)
    feeds/<id>.ics, .json    a calendar feed's good copy, state (kiosk.adapters.feeds)
    config-versions/         the configs `kiosk sync` replaced (kiosk.adapters.sync)
    logs/                    the log, rotated by size       (kiosk.shell.env)
    kivy/                    the display toolkit's settings (kiosk.shell.env)
"""

from __future__ import annotations

CHECKINS = "checkins.json"
LOCK = "checkins.lock"
BACKUPS = "backups"
RECENT_BACKUP = "checkins-recent.json"  # in BACKUPS
HEARTBEAT = "heartbeat.json"
PIN_LOCKOUT = "staff-lockout.json"
LAST_GOOD_CONFIG = "config-last-good"
FONT_MAPS = "cache/font-maps.json"
PRINTER_CACHE = "cache/escpos"
FONT_SUBSETS = "cache/fonts"
FEEDS = "feeds"
CONFIG_VERSIONS = "config-versions"
LOGS = "logs"
KIVY = "kivy"
