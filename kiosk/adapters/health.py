"""The heartbeat file and what `kiosk status` makes of it. No Kivy import.

The app rewrites `heartbeat.json` in the data folder at start-up and every 30 s. It
holds only the present state of the machine and its config, never a history, and
nothing in it changes when a resident uses the screen or checks in: no screen name, no
count of check-ins or failed writes (the state of the data folder comes from the
timed 5-minute upkeep, never from a check-in), and a memory figure taken at start-up
and then once a night, not live.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time
from pathlib import Path

from kiosk.adapters import data_folder

HEARTBEAT = data_folder.HEARTBEAT
INTERVAL_SECONDS = 30
STALE_SECONDS = 120
# Memory is measured at start-up and then at this local time each night, when the
# kiosk has long been idle: a live figure would move when residents use the screen.
MEMORY_SAMPLE_AT = time(3, 30)


@dataclass(frozen=True)
class Heartbeat:
    time: str  # UTC, ISO 8601, whole seconds
    version: str
    pid: int
    uptime_seconds: int
    config_ok: bool
    config_origin: str  # files, last-good, snapshot or fallback (see ConfigWatcher)
    config_errors: int
    store_ok: bool  # the last timed upkeep of the check-in data succeeded
    memory_mb: float  # resident set size at start-up or at the last MEMORY_SAMPLE_AT
    config_commit: str = ""  # the commit `kiosk sync` applied ("" for files edited in place)
    config_applied: str = ""  # when it was applied (UTC, ISO 8601)


def memory_due(last_sampled: datetime, now: datetime) -> bool:
    """Whether the nightly memory figure is due: the first moment at or after
    MEMORY_SAMPLE_AT on a day later than the last sample's."""
    sample_time = datetime.combine(now.date(), MEMORY_SAMPLE_AT, now.tzinfo)
    return now >= sample_time > last_sampled


def memory_mb() -> float:
    """Resident set size now (from /proc), or the peak where /proc is missing."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
    except (OSError, ValueError, IndexError):
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def write(folder: Path, beat: Heartbeat) -> None:
    """Replace the heartbeat whole (a reader never sees half a file); a failed write (a
    full disk) leaves no temporary file behind."""
    path = folder / HEARTBEAT
    tmp = folder / f".{HEARTBEAT}.tmp-{os.getpid()}"
    try:
        tmp.write_text(json.dumps(asdict(beat), indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@dataclass(frozen=True)
class Status:
    ok: bool
    code: int  # 0 well, 1 config in error, 2 no heartbeat or a stale one
    message: str
    heartbeat: dict | None


def check(folder: Path, now: datetime | None = None) -> Status:
    """How the kiosk is doing, from its heartbeat."""
    path = folder / HEARTBEAT
    try:
        beat = json.loads(path.read_text(encoding="utf-8"))
        written = datetime.fromisoformat(beat["time"])
    except FileNotFoundError:
        return Status(False, 2, f"no heartbeat in {folder}: the kiosk has not run here", None)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Status(False, 2, f"the heartbeat {path} cannot be read ({exc})", None)
    age = ((now or datetime.now(UTC)) - written).total_seconds()
    if age < -STALE_SECONDS:
        return Status(False, 2, "the heartbeat is from the future: check the clock", beat)
    if age > STALE_SECONDS:
        return Status(
            False,
            2,
            f"STALE: the last heartbeat is {age / 60:.0f} min old; is the kiosk running?",
            beat,
        )
    if not beat.get("config_ok", False):
        errors = beat.get("config_errors", 0)
        return Status(
            False,
            1,
            f"CONFIG: {errors} error(s); the screen shows the {beat.get('config_origin')} config."
            " Run `kiosk check`.",
            beat,
        )
    if beat.get("store_ok") is False:
        return Status(
            False,
            1,
            "DATA: the check-in data could not be saved at the last upkeep (a full or"
            " read-only disk?). See the kiosk's log.",
            beat,
        )
    commit = beat.get("config_commit") or ""
    synced = f", config {commit[:12]} applied {beat.get('config_applied', '?')}" if commit else ""
    return Status(
        True,
        0,
        f"OK: heartbeat {age:.0f} s ago, up {beat.get('uptime_seconds', 0) // 3600} h,"
        f" {beat.get('memory_mb')} MB{synced}",
        beat,
    )


def age_seconds(status: Status, now: datetime | None = None) -> float | None:
    """How old the heartbeat is, or None when there is none to read."""
    beat = status.heartbeat
    try:
        written = datetime.fromisoformat(beat["time"]) if beat else None
    except (KeyError, TypeError, ValueError):
        return None
    return None if written is None else ((now or datetime.now(UTC)) - written).total_seconds()


def now_text() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
