"""The check-in counters on disk: TinyDB over a storage that cannot be half-written.

Durable by construction: every write goes to a temporary file, is fsync'd, replaces the
database with os.replace, and the folder is fsync'd. A file that does not parse is never
taken for a new database: it is kept as *.corrupt-<n> and the newest good daily backup
restored. One process at a time may use a data folder.

Private by construction: one document per occurrence with its counters, under a random
id (not a running number), written in sorted order. File times
are set to a fixed date, and the database is rewritten on a fixed timer, so neither the
file times nor the order of records tell when anyone checked in.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from kiosk.checkins import COUNTER_FIELDS, Mood, Tally, counter_for

log = logging.getLogger(__name__)

DB_NAME = "checkins.json"
BACKUP_DIR = "backups"
LOCK_NAME = "checkins.lock"
KEEP_BACKUPS = 7
TABLE = "occurrences"
ID_SPACE = 1_000_000  # record ids are random below this
EMPTY = json.dumps({TABLE: {}}).encode()

# Every file and folder time the store touches is set to this (2000-01-01 00:00 UTC).
STAMP = 946_684_800


class CorruptDatabase(Exception):
    """The database file exists but is not a database (empty, cut short, garbage)."""


class DataFolderInUse(Exception):
    """Another kiosk process is using this data folder."""


# --- low-level file handling ----------------------------------------------------------------


def stamp(path: Path) -> None:
    """Set a file's (or folder's) access and modify times to the fixed STAMP."""
    os.utime(path, (STAMP, STAMP))


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
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        stamp(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        with contextlib.suppress(OSError):
            stamp(path.parent)
        raise
    stamp(path.parent)
    _fsync_dir(path.parent)


def read_quietly(path: Path) -> bytes:
    """Read without leaving a read time on the file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOATIME", 0))
        noatime = hasattr(os, "O_NOATIME")
    except PermissionError:  # O_NOATIME needs to own the file
        fd = os.open(path, os.O_RDONLY)
        noatime = False
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(fd)
    if not noatime:
        stamp(path)
    return b"".join(chunks)


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
    'new'. (Start-up and backups check the file this way; other reads trust our writes.)"""
    content = _load_json(data)
    seen: set[str] = set()
    for table in content.values():
        for key, doc in table.items():
            if not key.isdigit() or not isinstance(doc, dict):
                raise CorruptDatabase("a record is not a check-in record")
            occurrence = doc.get("occurrence")
            if not isinstance(occurrence, str) or occurrence in seen:
                raise CorruptDatabase("a record has no occurrence id, or a repeated one")
            seen.add(occurrence)
            if any(not isinstance(doc.get(k, 0), int) or doc.get(k, 0) < 0 for k in COUNTER_FIELDS):
                raise CorruptDatabase(f"the record of {occurrence} has a bad count")
    return content


def random_doc_id(taken: set[int]) -> int:
    """A record's id: random, so ids say nothing about which occurrence got its first
    check-in first (TinyDB would otherwise number records 1, 2, 3 in that order)."""
    while True:
        candidate = secrets.randbelow(ID_SPACE - 1) + 1
        if candidate not in taken:
            return candidate


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
    missing: bool = False
    problem: str | None = None
    restored_from: str | None = None

    def describe(self) -> list[str]:
        lines = []
        if self.removed_temp_files:
            lines.append(
                f"removed {len(self.removed_temp_files)} unfinished temporary file(s)"
                " left by an interrupted write"
            )
        restored = (
            f"restored the backup {self.restored_from}"
            if self.restored_from
            else "no good backup was found, so counting starts again from zero"
        )
        if self.set_aside:
            lines.append(
                f"{DB_NAME} could not be read ({self.problem}); it was kept as"
                f" {self.set_aside} and {restored}"
            )
        elif self.missing:
            lines.append(f"{DB_NAME} was missing though backups exist; {restored}")
        return lines


class CheckinStore:
    """The counters of every occurrence that had check-ins. Use it from one thread, and
    from one process at a time (it holds a lock on the folder until closed)."""

    def __init__(self, folder: Path | str, today: date | None = None) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / DB_NAME
        self.backups = self.folder / BACKUP_DIR
        self._lock = self._take_lock()
        self.today = today or date.today()
        try:
            self.recovery = self._recover()
        except BaseException:
            self._release_lock()
            raise
        for line in self.recovery.describe():
            log.warning("Check-in data: %s", line)
        self.db = TinyDB(self.path, storage=AtomicJSONStorage)
        self.table = self.db.table(TABLE)

    # --- the folder lock --------------------------------------------------------------------

    def _take_lock(self) -> int:
        fd = os.open(self.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DataFolderInUse(
                f"another kiosk is already using the data folder {self.folder}"
            ) from None
        return fd

    def _release_lock(self) -> None:
        if self._lock >= 0:
            os.close(self._lock)  # closing releases the flock
            self._lock = -1

    # --- start-up ---------------------------------------------------------------------------

    def _recover(self) -> Recovery:
        recovery = Recovery()
        for folder, prefix in ((self.folder, ""), (self.backups, f"{BACKUP_DIR}/")):
            if folder.is_dir():
                for stale in sorted(folder.glob("*.tmp-*")):
                    stale.unlink()
                    recovery.removed_temp_files.append(prefix + stale.name)
        if self.path.exists():
            try:
                parse(read_quietly(self.path))
                return recovery
            except (CorruptDatabase, OSError) as exc:
                recovery.problem = str(exc)
            # Keep the damaged file under a new name first (a second link to it), so a
            # crash before the restore below still leaves it, and never overwrite it.
            aside = self._free_name()
            os.link(self.path, aside)
            stamp(aside)
            _fsync_dir(self.folder)
            recovery.set_aside = aside.name
        elif self.backup_files() or self.set_aside_files():
            recovery.missing = True  # it was here once: restore, don't start anew
        else:
            return recovery  # a new installation
        good = self.newest_good_backup()
        if good is not None:
            recovery.restored_from = f"{BACKUP_DIR}/{good[0].name}"
        atomic_write(self.path, good[1] if good else EMPTY)
        return recovery

    def _free_name(self) -> Path:
        n = 1
        while (aside := self.folder / f"{DB_NAME}.corrupt-{n}").exists():
            n += 1
        return aside

    def backup_files(self) -> list[Path]:
        """Daily backups up to today, newest first (one dated later, after a clock jump,
        is left alone and never restored)."""
        if not self.backups.is_dir():
            return []
        latest = f"checkins-{self.today.isoformat()}.json"
        found = sorted(self.backups.glob("checkins-????-??-??.json"), reverse=True)
        return [p for p in found if p.name <= latest]

    def newest_good_backup(self) -> tuple[Path, bytes] | None:
        for backup in self.backup_files():
            try:
                data = read_quietly(backup)
                parse(data)
            except (OSError, CorruptDatabase):
                continue
            return backup, data
        return None

    def set_aside_files(self) -> list[Path]:
        return sorted(self.folder.glob(f"{DB_NAME}.corrupt-*"))

    # --- use --------------------------------------------------------------------------------

    def record(self, occurrence: str, mood: Mood) -> None:
        """Count one check-in (and its mood answer). Returns once it is safely on disk."""
        counters = ["checkins", *filter(None, [counter_for(mood)])]

        def add(doc: dict[str, Any]) -> None:
            for key in counters:
                doc[key] = int(doc.get(key, 0)) + 1

        found = self.table.get(Query().occurrence == occurrence)
        if found is not None:
            self.table.update(add, doc_ids=[found.doc_id])
        else:
            doc = {"occurrence": occurrence, **dict.fromkeys(COUNTER_FIELDS, 0)}
            add(doc)
            taken = {d.doc_id for d in self.table.all()}
            self.table.insert(Document(doc, doc_id=random_doc_id(taken)))

    def refresh(self, today: date) -> None:
        """On a fixed timer, never at a check-in: take the day's backup, and rewrite the
        database as it is, so its file times show this moment, not the last check-in."""
        self.today = today
        data = read_quietly(self.path) if self.path.exists() else EMPTY
        parse(data)  # a bad file is never backed up, and never pushes a good backup out
        self._daily_backup(today, data)
        atomic_write(self.path, data)

    def _daily_backup(self, today: date, data: bytes) -> None:
        target = self.backups / f"checkins-{today.isoformat()}.json"
        if target.exists():
            return
        if not self.backups.is_dir():
            self.backups.mkdir()
            _fsync_dir(self.folder)
        atomic_write(target, data)
        good = [p for p in self.backup_files() if self._parses(p)]
        for old in good[KEEP_BACKUPS:]:
            old.unlink()
        stamp(self.backups)

    @staticmethod
    def _parses(path: Path) -> bool:
        try:
            parse(read_quietly(path))
            return True
        except (OSError, CorruptDatabase):
            return False

    def tallies(self) -> list[Tally]:
        return [
            Tally(doc["occurrence"], **{k: int(doc.get(k, 0)) for k in COUNTER_FIELDS})
            for doc in self.table.all()
        ]

    def close(self) -> None:
        self.db.close()
        self._release_lock()


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
