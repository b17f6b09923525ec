"""The check-in counters on disk: TinyDB over a storage that cannot be half-written.

Durable by construction: every write goes to a temporary file, is fsync'd, replaces the
database with os.replace, and the folder is fsync'd. A file that does not parse is never
taken for a new database: it is set aside and the newest good daily backup restored.

Private by construction: one document per occurrence with its counters, nothing else,
and the files' times are set to midnight so they do not tell when anyone checked in.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.storages import Storage

from kiosk.checkins import COUNTER_FIELDS, Mood, Tally, counter_for

log = logging.getLogger(__name__)

DB_NAME = "checkins.json"
BACKUP_DIR = "backups"
KEEP_BACKUPS = 7
TABLE = "occurrences"


class CorruptDatabase(Exception):
    """The database file exists but is not a database (empty, cut short, garbage)."""


# --- low-level file handling ----------------------------------------------------------------


def _midnight(day: date | None = None) -> float:
    return datetime.combine(day or date.today(), time.min).timestamp()


def _hide_times(path: Path) -> None:
    """Set a file's access and change times to midnight, so they say the day only."""
    stamp = _midnight()
    os.utime(path, (stamp, stamp))


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that after a power cut it holds the old or the new
    content, whole. Returns only when the new content is on the disk."""
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    _hide_times(tmp)
    os.replace(tmp, path)
    _fsync_dir(path.parent)
    _hide_times(path.parent)


def read_quietly(path: Path) -> bytes:
    """Read without updating the file's access time where the system allows it."""
    flags = os.O_RDONLY | getattr(os, "O_NOATIME", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:  # O_NOATIME needs to own the file
        fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _load_json(data: bytes) -> dict[str, Any]:
    if not data.strip(b" \t\r\n"):
        raise CorruptDatabase("the file is empty")
    try:
        content = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorruptDatabase(f"the file is not valid JSON ({exc})") from None
    if not isinstance(content, dict) or not all(isinstance(v, dict) for v in content.values()):
        raise CorruptDatabase("the file does not hold check-in tables")
    return content


def parse(data: bytes) -> dict[str, Any]:
    """The database in `data`, fully checked, or CorruptDatabase. Empty is corrupt, never
    'new'. (Start-up checks the file this way; later reads trust what we wrote.)"""
    content = _load_json(data)
    for table in content.values():
        for doc in table.values():
            if not isinstance(doc, dict) or not isinstance(doc.get("occurrence"), str):
                raise CorruptDatabase("a record has no occurrence id")
            if any(not isinstance(doc.get(k, 0), int) or doc.get(k, 0) < 0 for k in COUNTER_FIELDS):
                raise CorruptDatabase(f"the record of {doc['occurrence']} has a bad count")
    return content


class AtomicJSONStorage(Storage):
    """A TinyDB storage that writes atomically and durably, and refuses a corrupt file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, Any] | None:
        try:
            data = read_quietly(self.path)
        except FileNotFoundError:
            return None
        return _load_json(data)

    def write(self, data: dict[str, Any]) -> None:
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))  # the fast C encoder
        atomic_write(self.path, text.encode("utf-8"))

    def close(self) -> None:
        pass


# --- the store ------------------------------------------------------------------------------


@dataclass
class Recovery:
    """What start-up had to do to the data folder (for the log and `kiosk check`)."""

    removed_temp_files: list[str] = field(default_factory=list)
    set_aside: str | None = None
    problem: str | None = None
    restored_from: str | None = None

    def __bool__(self) -> bool:
        return bool(self.removed_temp_files or self.set_aside)

    def describe(self) -> list[str]:
        lines = []
        if self.removed_temp_files:
            lines.append(
                f"removed {len(self.removed_temp_files)} unfinished temporary file(s)"
                " left by an interrupted write"
            )
        if self.set_aside:
            restored = (
                f"restored the backup {self.restored_from}"
                if self.restored_from
                else "no good backup was found, so counting starts again from zero"
            )
            lines.append(
                f"{DB_NAME} could not be read ({self.problem}); it was kept as"
                f" {self.set_aside} and {restored}"
            )
        return lines


class CheckinStore:
    """The counters of every occurrence that had check-ins. Use it from one thread."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / DB_NAME
        self.backups = self.folder / BACKUP_DIR
        self.recovery = self._recover()
        for line in self.recovery.describe():
            log.warning("Check-in data: %s", line)
        self.db = TinyDB(self.path, storage=AtomicJSONStorage)
        self.table = self.db.table(TABLE)

    # --- start-up ---------------------------------------------------------------------------

    def _recover(self) -> Recovery:
        recovery = Recovery()
        for stale in sorted(self.folder.glob(f"{DB_NAME}.tmp-*")):
            stale.unlink()
            recovery.removed_temp_files.append(stale.name)
        if self.backups.is_dir():
            for stale in sorted(self.backups.glob("*.tmp-*")):
                stale.unlink()
                recovery.removed_temp_files.append(f"{BACKUP_DIR}/{stale.name}")
        if not self.path.exists():
            return recovery
        try:
            parse(read_quietly(self.path))
            return recovery
        except CorruptDatabase as exc:
            recovery.problem = str(exc)
        aside = self._free_name()
        os.replace(self.path, aside)  # kept, never overwritten
        _fsync_dir(self.folder)
        recovery.set_aside = aside.name
        for backup in self.backup_files():
            try:
                data = read_quietly(backup)
                parse(data)
            except (OSError, CorruptDatabase):
                continue
            atomic_write(self.path, data)
            recovery.restored_from = f"{BACKUP_DIR}/{backup.name}"
            break
        return recovery

    def _free_name(self) -> Path:
        n = 1
        while (aside := self.folder / f"{DB_NAME}.corrupt-{n}").exists():
            n += 1
        return aside

    def backup_files(self) -> list[Path]:
        """Daily backups, newest first."""
        if not self.backups.is_dir():
            return []
        return sorted(self.backups.glob("checkins-????-??-??.json"), reverse=True)

    def set_aside_files(self) -> list[Path]:
        return sorted(self.folder.glob(f"{DB_NAME}.corrupt-*"))

    # --- use --------------------------------------------------------------------------------

    def record(self, occurrence: str, mood: Mood, today: date) -> None:
        """Count one check-in (and its mood answer). Returns once it is safely on disk.
        `today` is the kiosk's local date: it names the day's backup."""
        self._daily_backup(today)
        counters = ["checkins", *filter(None, [counter_for(mood)])]

        def add(doc: dict[str, Any]) -> None:
            for key in counters:
                doc[key] = int(doc.get(key, 0)) + 1

        # One read and one write: count on the record if there is one, else create it.
        if not self.table.update(add, Query().occurrence == occurrence):
            doc = {"occurrence": occurrence, **dict.fromkeys(COUNTER_FIELDS, 0)}
            add(doc)
            self.table.insert(doc)

    def tallies(self) -> list[Tally]:
        return [
            Tally(doc["occurrence"], **{k: int(doc.get(k, 0)) for k in COUNTER_FIELDS})
            for doc in self.table.all()
        ]

    def _daily_backup(self, today: date) -> None:
        """Before the first write of a day, copy the database as it stands; keep a week."""
        target = self.backups / f"checkins-{today.isoformat()}.json"
        if target.exists() or not self.path.exists():
            return
        self.backups.mkdir(exist_ok=True)
        atomic_write(target, read_quietly(self.path))
        for old in self.backup_files()[KEEP_BACKUPS:]:
            old.unlink()

    def close(self) -> None:
        self.db.close()


def load_tallies(folder: Path | str) -> list[Tally]:
    """Read the counters without changing anything (for reports). Empty if none yet."""
    path = Path(folder) / DB_NAME
    if not path.exists():
        return []
    content = parse(read_quietly(path))
    return [
        Tally(doc["occurrence"], **{k: int(doc.get(k, 0)) for k in COUNTER_FIELDS})
        for doc in content.get(TABLE, {}).values()
    ]
