"""The heartbeat file and what `kiosk status` makes of it. No Kivy import.

The app rewrites `heartbeat.json` in the data folder at start-up and every 30 s. It
holds only the present state, never a history, and it names the screen only as the
kind of screen ("resident" for any screen a resident is using), so it cannot say when
someone checked in.
"""

from __future__ import annotations

import json
import os
import resource
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

HEARTBEAT = "heartbeat.json"
INTERVAL_SECONDS = 30
STALE_SECONDS = 120

# Screens named as they are; every other (resident) screen is just "resident".
_NAMED_SCREENS = {"home", "quiet", "staff-pin", "staff"}


@dataclass(frozen=True)
class Heartbeat:
    time: str  # UTC, ISO 8601, whole seconds
    version: str
    pid: int
    uptime_seconds: int
    config_ok: bool
    config_origin: str  # files, last-good, snapshot or fallback (see ConfigWatcher)
    config_errors: int
    screen: str
    memory_mb: float  # resident set size
    failed_writes: int  # check-ins that could not be saved since start


def screen_kind(screen: str) -> str:
    return screen if screen in _NAMED_SCREENS else "resident"


def memory_mb() -> float:
    """Resident set size now (from /proc), or the peak where /proc is missing."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
    except (OSError, ValueError, IndexError):
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def write(folder: Path, beat: Heartbeat) -> None:
    """Replace the heartbeat whole (a reader never sees half a file)."""
    path = folder / HEARTBEAT
    tmp = folder / f".{HEARTBEAT}.tmp-{os.getpid()}"
    tmp.write_text(json.dumps(asdict(beat), indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


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
    return Status(
        True,
        0,
        f"OK: heartbeat {age:.0f} s ago, up {beat.get('uptime_seconds', 0) // 3600} h,"
        f" {beat.get('memory_mb')} MB, showing {beat.get('screen')}",
        beat,
    )


def now_text() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
