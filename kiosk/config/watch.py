"""Hot reload with a last-known-good config.

A valid change replaces the running config. An invalid one keeps the last good
config running and reports the problems. The last good files are also copied to
the data folder, so a kiosk rebooted with a broken config still shows the schedule.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.adapters.files import read_capped
from kiosk.config.issues import Issue
from kiosk.config.loader import Config, load
from kiosk.config.models import KioskFile, ResourcesFile, ScheduleFile, TipsFile
from kiosk.core.config_sync import MARKER

log = logging.getLogger(__name__)

Signature = tuple[tuple[str, int, int, int], ...]

# In the saved copy: which config folder it is a copy of.
SNAPSHOT_SOURCE = "copied-from.txt"


def synced_version(folder: Path) -> dict[str, str]:
    """The commit a config version came from and when `kiosk sync` applied it ({} for a
    folder edited in place)."""
    try:
        raw = json.loads(read_capped(folder / MARKER, 4096))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    return {k: raw[k][:64] for k in ("commit", "applied") if isinstance(raw.get(k), str)}


@dataclass(frozen=True)
class ConfigStatus:
    """What staff need to know: is the config on screen the one in the files?"""

    ok: bool
    # "files": the config on screen is the files' content. "last-good": the files are broken,
    # the screen keeps what they held before. "snapshot": broken at start-up, the copy saved
    # in the data folder is shown. "fallback": nothing valid yet, only the clock is shown.
    origin: str
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()


def _local_zone_name() -> str:
    try:
        target = os.readlink("/etc/localtime")
        name = target.split("zoneinfo/", 1)[1]
        ZoneInfo(name)
        return name
    except (OSError, IndexError, ValueError, KeyError):
        return "UTC"


def fallback_config(folder: Path) -> Config:
    """Shown when no valid config has ever loaded: the clock, and nothing that could be wrong."""
    kiosk = KioskFile.model_validate({"name": "Welcome", "timezone": _local_zone_name()})
    return Config(folder, kiosk, ScheduleFile(), TipsFile(), ResourcesFile())


def signature(folder: Path, extra: tuple[Path, ...] = ()) -> Signature:
    """Cheap fingerprint of every file a config reads: name, size, mtime, inode, and where
    the folder leads (`kiosk sync` switches a link to a new version)."""
    paths = set(folder.glob("*.toml")) | set(folder.glob("*.ics")) | set(extra)
    found = [(str(folder.resolve()), 0, 0, 0)]
    for path in sorted(paths):
        try:
            st = path.stat()
        except OSError:
            continue
        found.append((str(path), st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(found)


class ConfigWatcher:
    def __init__(
        self,
        folder: Path | str,
        snapshot_dir: Path | str | None = None,
        data: Path | str | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.snapshot_dir = Path(snapshot_dir) if snapshot_dir else None
        self.data = Path(data) if data is not None else None  # calendar feeds' copies
        self._signature: Signature | None = None
        self.version: dict[str, str] = {}  # the synced commit in use, and when applied
        self.config: Config
        self.status: ConfigStatus
        self._start()

    def _start(self) -> None:
        before = signature(self.folder)
        result = self._load()
        if result.config:
            self._accept(result.config)
            # Files that changed while loading are read again at the first poll.
            self._signature = before if before != signature(self.folder) else self._current()
            return
        self._signature = before
        errors = tuple(result.errors)
        for issue in errors:
            log.error("Config error: %s", issue)
        snapshot = self._load_snapshot()
        if snapshot:
            log.warning("Showing the last good config, saved in %s", self.snapshot_dir)
            self.config = snapshot
            self.status = ConfigStatus(False, "snapshot", errors)
        else:
            log.warning("No valid config yet: showing the clock only")
            self.config = fallback_config(self.folder)
            self.status = ConfigStatus(False, "fallback", errors)

    def reload(self) -> bool:
        """Read the files again now, changed or not (the staff panel's button)."""
        self._signature = None
        return self.poll()

    def poll(self) -> bool:
        """Reload if any config file changed. True if the config or its status changed."""
        current = self._current()
        if current == self._signature:
            return False
        self._signature = current
        result = self._load()
        if result.config:
            log.info("Config reloaded from %s", self.folder)
            self._accept(result.config)
            return True
        errors = tuple(result.errors)
        for issue in errors:
            log.error("Config error (keeping the last good config): %s", issue)
        origin = "last-good" if self.status.origin in ("files", "last-good") else self.status.origin
        self.status = ConfigStatus(False, origin, errors)
        return True

    def _load(self):
        """Read one version whole: a link that `kiosk sync` switches is followed once, so
        a switch during the read cannot mix two versions."""
        return load(self.folder.resolve(), self.data)

    def _current(self) -> Signature:
        return signature(self.folder, self.config.sources)

    def _accept(self, config: Config) -> None:
        self.config = config
        self.version = synced_version(config.folder)
        self.status = ConfigStatus(True, "files", (), config.warnings)
        for issue in config.warnings:
            log.warning("Config warning: %s", issue)
        self._save_snapshot(config)

    # --- the last good copy -------------------------------------------------------------------

    def _save_snapshot(self, config: Config) -> None:
        if self.snapshot_dir is None:
            return
        target = self.snapshot_dir
        fresh = target.with_name(target.name + ".new")
        old = target.with_name(target.name + ".old")
        try:
            shutil.rmtree(fresh, ignore_errors=True)
            fresh.mkdir(parents=True)
            root = config.folder.resolve()
            (fresh / SNAPSHOT_SOURCE).write_text(str(self.folder.absolute()), encoding="utf-8")
            for path in config.sources:
                resolved = path.resolve()
                if not resolved.is_relative_to(root):
                    continue  # a calendar outside the config folder cannot be kept with it
                dest = fresh / resolved.relative_to(root)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(resolved, dest)
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                target.rename(old)
            fresh.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            shutil.rmtree(fresh, ignore_errors=True)  # a full disk leaves no half copy
            log.warning("Could not keep a copy of the good config in %s: %s", target, exc)

    def _load_snapshot(self) -> Config | None:
        if self.snapshot_dir is None:
            return None
        old = self.snapshot_dir.with_name(self.snapshot_dir.name + ".old")
        for candidate in (self.snapshot_dir, old):
            try:
                source = (candidate / SNAPSHOT_SOURCE).read_text(encoding="utf-8")
            except OSError:
                continue
            if source not in (str(self.folder.absolute()), str(self.folder.resolve())):
                log.warning(
                    "The saved config in %s is of %s, not of %s", candidate, source, self.folder
                )
                continue
            result = load(candidate, self.data)
            if result.config:
                return result.config
        return None
