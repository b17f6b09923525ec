"""The check-in counters on disk: TinyDB over a storage that cannot be half-written.

Durable by construction: every write goes to a temporary file, is fsync'd, replaces the
database with os.replace, and the folder is fsync'd. On the fixed refresh timer (never at a
check-in) the good database is copied to backups/checkins-recent.json, and once a day to a
dated backup (the last 7 kept). A file that does not parse is never taken for a new
database: it is kept as *.corrupt-<n>, every complete record that can still be read from
it is salvaged, and merged with the newest good backup, so damage loses at most the
check-ins since the last refresh. One process at a time may use a data folder.

Private by construction: one document per occurrence with its counters, under a random
id (not a running number), written in sorted order. File times
are set to a fixed date, and the database and its recent copy are rewritten on a fixed
timer, so neither the file times nor the order of records tell when anyone checked in.

Bounded on bad input: a file over MAX_BYTES, with more entries than check-in data can
have, nested too deeply, or with absurd counts is CorruptDatabase, never a crash, and the
salvage scan is linear in the file's size.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from kiosk.adapters import data_folder as layout
from kiosk.adapters.files import atomic_write, fsync_dir, read_quietly, stamp
from kiosk.core import after_group
from kiosk.core.checkins import (
    COUNTER_FIELDS,
    FirstTime,
    Mood,
    Tally,
    counter_for,
    first_counter_for,
)

log = logging.getLogger(__name__)

DB_NAME = layout.CHECKINS
BACKUP_DIR = layout.BACKUPS
RECENT_NAME = layout.RECENT_BACKUP  # in BACKUP_DIR: the copy taken at every refresh
LOCK_NAME = layout.LOCK
KEEP_BACKUPS = 7
TABLE = "occurrences"
ID_SPACE = 1_000_000  # record ids are random below this
EMPTY = json.dumps({TABLE: {}}).encode()

# Limits on what is read, so a damaged or hostile file costs bounded time and memory.
# Five years of check-ins are well under 1 MB, about 1,600 records of 8 entries each.
MAX_BYTES = 50 * 1024 * 1024  # no data file is read past this
MAX_ENTRIES = 1_000_000  # commas in one file, counted before parsing (about its values)
MAX_COUNT = 1_000_000_000  # no counter of one occurrence gets near this (years of taps)
MAX_ID_DIGITS = 15  # record ids are random below ID_SPACE; older files may count up
MAX_SALVAGED = 100_000  # records taken from a damaged file
MAX_SALVAGE_TRIES = 2 * MAX_SALVAGED  # record-like pieces of it parsed, at most
MAX_RECORD_BYTES = 4096  # a record's text; a longer one is not taken for a record

# A record as written: a flat JSON object (no braces or brackets inside), at least as long
# as {"occurrence":""}. The scan is linear: each attempt starts at a "{" and stops at the
# next brace or bracket, or at the cap.
_RECORD = re.compile(rb"\{[^{}\[\]]{15,%d}\}" % MAX_RECORD_BYTES)
_COUNTERS = frozenset(COUNTER_FIELDS)
_RECORD_KEYS = frozenset(("occurrence", *COUNTER_FIELDS))


class CorruptDatabase(Exception):
    """The database file exists but is not a database (empty, cut short, garbage)."""


class DataFolderInUse(Exception):
    """Another kiosk process is using this data folder."""


def _too_large(size: int) -> CorruptDatabase:
    return CorruptDatabase(
        f"the file is {size / 2**20:.0f} MB, more than the {MAX_BYTES // 2**20} MB that"
        " check-in data could ever need (five years take under 1 MB)"
    )


def read_data_file(path: Path) -> bytes:
    """A data file's bytes, or CorruptDatabase if it is over MAX_BYTES (then it is not read)."""
    size = os.stat(path).st_size  # a stat leaves no read time
    if size > MAX_BYTES:
        raise _too_large(size)
    data = read_quietly(path, MAX_BYTES + 1)
    if len(data) > MAX_BYTES:  # it grew since the stat
        raise _too_large(len(data))
    return data


def _load_json(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_BYTES:
        raise _too_large(len(data))
    if not data.strip(b" \t\r\n"):
        raise CorruptDatabase("the file is empty")
    # Bound the parse's memory before it starts: a JSON text holds at most about twice as
    # many values as commas (deeper nesting is refused below), and check-in data has at
    # most 38 values per occurrence (fewer: a record keeps only its counters above zero).
    entries = data.count(b",") + 1
    if entries > MAX_ENTRIES:
        raise CorruptDatabase(
            f"the file holds {entries:,} entries, far more than check-in data can have"
        )
    try:
        content = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise CorruptDatabase("the file is nested too deeply to be check-in data") from None
    except ValueError as exc:  # bad UTF-8, bad JSON, a number of thousands of digits
        raise CorruptDatabase(f"the file is not valid JSON ({_short(str(exc))})") from None
    if not isinstance(content, dict) or not all(isinstance(v, dict) for v in content.values()):
        raise CorruptDatabase("the file does not hold check-in tables")
    return content


def _short(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _record_problem(doc: Any) -> str | None:
    """Why `doc` is not a check-in record (or None if it is one)."""
    if not isinstance(doc, dict):
        return "a record is not a check-in record"
    occurrence = doc.get("occurrence")
    if not isinstance(occurrence, str):
        return "a record has no occurrence id, or a repeated one"
    for key, value in doc.items():  # the counters it has (a missing one is 0)
        if key not in _COUNTERS:
            continue
        if type(value) is not int or value < 0:  # bool is not a count
            return f"the record of {_short(occurrence)!r} has a bad count ({key})"
        if value > MAX_COUNT:
            return f"the record of {_short(occurrence)!r} has an impossible count ({key})"
    return None


def _is_record_id(key: str) -> bool:
    return key.isascii() and key.isdigit() and len(key) <= MAX_ID_DIGITS


def parse(data: bytes) -> dict[str, Any]:
    """The database in `data`, fully checked, or CorruptDatabase. Empty is corrupt, never
    'new'. (Start-up and backups check the file this way; other reads trust our writes.)"""
    content = _load_json(data)
    seen: set[str] = set()
    for table in content.values():
        for key, doc in table.items():
            if not _is_record_id(key) or not isinstance(doc, dict):
                raise CorruptDatabase("a record is not a check-in record")
            problem = _record_problem(doc)
            if problem is None and doc["occurrence"] in seen:
                problem = "a record has no occurrence id, or a repeated one"
            if problem is not None:
                raise CorruptDatabase(problem)
            seen.add(doc["occurrence"])
    return content


def _dumps(content: dict[str, Any]) -> bytes:
    """The file's bytes: keys sorted, so records appear in the order of their random ids
    (and a record's counters in a fixed order, not the order they were first counted).
    orjson writes what json.dumps(sort_keys=True, separators=(",", ":")) would (as UTF-8,
    not \\u escapes), ten times faster: most of a check-in's write with years of data."""
    return orjson.dumps(content, option=orjson.OPT_SORT_KEYS)


def random_doc_id(taken: set[int]) -> int:
    """A record's id: random, so ids say nothing about which occurrence got its first
    check-in first (TinyDB would otherwise number records 1, 2, 3 in that order)."""
    while True:
        candidate = secrets.randbelow(ID_SPACE - 1) + 1
        if candidate not in taken:
            return candidate


def _file_identity(path: Path) -> tuple[int, ...]:
    """What changes whenever the file's content may have: every write replaces it (a new
    inode), and an edit in place changes its size or change time (its modify time is the
    fixed STAMP, so that cannot tell)."""
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_size, st.st_ctime_ns)


def _copy_tables(content: dict[str, Any]) -> dict[str, Any]:
    """A copy TinyDB may change without touching the original (records are flat)."""
    return {
        name: {key: dict(doc) if isinstance(doc, dict) else doc for key, doc in table.items()}
        for name, table in content.items()
    }


class AtomicJSONStorage(Storage):
    """A TinyDB storage that writes atomically and durably, and refuses a corrupt file.

    It remembers the content it last read or wrote, with the file's identity: TinyDB reads
    the whole file up to three times per check-in, and parsing five years of data is most
    of a tap's time on a slow machine. A file changed by anyone else is read again."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._known: tuple[tuple[int, ...], dict[str, Any]] | None = None

    def read(self) -> dict[str, Any] | None:
        try:
            identity = _file_identity(self.path)  # before the read: a later change misses
            if self._known is not None and self._known[0] == identity:
                return _copy_tables(self._known[1])
            data = read_data_file(self.path)
        except FileNotFoundError:
            self._known = None
            return None
        content = _load_json(data)
        self._known = (identity, _copy_tables(content))
        return content

    def write(self, data: dict[str, Any]) -> None:
        self._known = None  # a failed write leaves the file as it was, and unknown here
        atomic_write(self.path, _dumps(data))  # the fast C encoder
        self._known = (_file_identity(self.path), _copy_tables(data))

    def close(self) -> None:
        pass


# --- salvage ------------------------------------------------------------------------------


@dataclass
class Salvage:
    """The complete, well-formed records found in a damaged file, by occurrence."""

    records: dict[str, dict[str, int]] = field(default_factory=dict)
    stopped: str | None = None  # why the scan ended before the end of the file


def salvage(data: bytes) -> Salvage:
    """Every complete record in `data`, however damaged the rest: a record is a flat JSON
    object with an occurrence id (a string) and counters that are whole numbers from 0 to
    MAX_COUNT, and no other keys. One scan, linear in len(data) (at most MAX_BYTES
    are looked at); if an occurrence appears twice, the larger of each count is kept."""
    found = Salvage()
    if len(data) > MAX_BYTES:
        data = data[:MAX_BYTES]
        found.stopped = f"only its first {MAX_BYTES // 2**20} MB were read"
    tries = 0
    for match in _RECORD.finditer(data):
        text = match.group()
        if b'"occurrence"' not in text:  # cheap: most garbage stops here
            continue
        tries += 1
        if tries > MAX_SALVAGE_TRIES:
            found.stopped = f"it stopped after {MAX_SALVAGE_TRIES:,} record-like pieces"
            break
        try:
            doc = json.loads(text)
        except ValueError:  # bad UTF-8 or JSON, or a number of thousands of digits
            continue
        if not isinstance(doc, dict) or "occurrence" not in doc or not set(doc) <= _RECORD_KEYS:
            continue
        if _record_problem(doc) is not None:
            continue
        occurrence = doc["occurrence"]
        if occurrence not in found.records:
            if len(found.records) >= MAX_SALVAGED:
                found.stopped = f"it stopped at {MAX_SALVAGED:,} records"
                break
            found.records[occurrence] = {}
        counts = found.records[occurrence]
        for key, value in doc.items():
            if key != "occurrence":
                counts[key] = max(counts.get(key, 0), value)
    return found


def merge(base: bytes, records: dict[str, dict[str, int]]) -> bytes:
    """The good database `base` with `records` added: per occurrence and per counter the
    larger value (counts only grow, and salvaged records are newer than any backup).
    New occurrences get random ids."""
    content = parse(base)
    table = content.setdefault(TABLE, {})
    by_occurrence = {doc["occurrence"]: doc for doc in table.values()}
    taken = {int(key) for key in table}
    for occurrence, counts in records.items():
        doc = by_occurrence.get(occurrence)
        if doc is None:
            doc = {"occurrence": occurrence}
            doc_id = random_doc_id(taken)
            taken.add(doc_id)
            table[str(doc_id)] = doc
        for key in COUNTER_FIELDS:
            larger = max(int(doc.get(key, 0)), counts.get(key, 0))
            if larger or key in doc:
                doc[key] = larger
    return _dumps(content)


# --- backups --------------------------------------------------------------------------------


class GoodBackup(NamedTuple):
    """A backup that parses: its path and its bytes (unpacks as (path, data))."""

    path: Path
    data: bytes

    @property
    def name(self) -> str:
        """As the log and `kiosk check` name it: backups/<file>."""
        return f"{BACKUP_DIR}/{self.path.name}"

    @property
    def is_recent_copy(self) -> bool:
        return self.path.name == RECENT_NAME

    @property
    def label(self) -> str:
        """For a panel: the day of a daily backup, or what the recent copy is."""
        if self.is_recent_copy:
            return "the copy taken every five minutes"
        return self.path.stem.removeprefix("checkins-")


def daily_backups(folder: Path | str, today: date) -> list[Path]:
    """The daily backups in a data folder up to `today`, newest first (one dated later,
    after a clock jump, is left alone and never restored). Damaged ones are listed too."""
    backups = Path(folder) / BACKUP_DIR
    if not backups.is_dir():
        return []
    latest = f"checkins-{today.isoformat()}.json"
    found = sorted(backups.glob("checkins-????-??-??.json"), reverse=True)
    return [p for p in found if p.name <= latest]


def _good(path: Path) -> GoodBackup | None:
    try:
        data = read_data_file(path)
        parse(data)
    except (OSError, CorruptDatabase):
        return None
    return GoodBackup(path, data)


def newest_good_backup(folder: Path | str, today: date) -> GoodBackup | None:
    """The backup that recovery restores, or None: the single place that chooses it.

    The recent copy (taken at every refresh, so at most minutes old) if it parses, else
    the newest daily backup up to `today` that parses; damaged ones and ones dated after
    today are skipped. When the recent copy holds exactly what the newest good daily
    backup holds (right after the day's first refresh), the daily one is named: same
    data, and its name says the day. Read-only (it creates and changes nothing) and needs
    no open store, so `kiosk check` and the staff panel can ask it too."""
    daily = None
    for path in daily_backups(folder, today):
        if (daily := _good(path)) is not None:
            break
    recent = _good(Path(folder) / BACKUP_DIR / RECENT_NAME)
    if recent is not None and (daily is None or recent.data != daily.data):
        return recent
    return daily


# --- the store ------------------------------------------------------------------------------


@dataclass
class Recovery:
    """What start-up had to do to the data folder (for the log and `kiosk check`)."""

    removed_temp_files: list[str] = field(default_factory=list)
    set_aside: str | None = None
    missing: bool = False
    problem: str | None = None
    restored_from: str | None = None
    salvaged: int = 0  # records read from the damaged file and merged in
    salvage_stopped: str | None = None  # why the salvage did not read the whole file

    def describe(self) -> list[str]:
        lines = []
        if self.removed_temp_files:
            lines.append(
                f"removed {len(self.removed_temp_files)} unfinished temporary file(s)"
                " left by an interrupted write"
            )
        if self.restored_from:
            restored = f"restored the backup {self.restored_from}"
            if self.restored_from.endswith(f"/{RECENT_NAME}"):
                restored += " (the copy taken every five minutes)"
        elif self.salvaged:
            restored = "no good backup was found"
        else:
            restored = "no good backup was found, so counting starts again from zero"
        if self.set_aside:
            lines.append(
                f"{DB_NAME} could not be read ({self.problem}); it was kept as"
                f" {self.set_aside} and {restored}"
            )
            lines.append(self._salvage_line())
        elif self.missing:
            lines.append(f"{DB_NAME} was missing though backups exist; {restored}")
        return lines

    def _salvage_line(self) -> str:
        stopped = f" ({self.salvage_stopped})" if self.salvage_stopped else ""
        if not self.salvaged:
            line = f"no complete record could be read from {self.set_aside}{stopped}"
            if self.restored_from:
                line += "; any check-ins made after that backup was taken are lost"
            return line
        line = f"{self.salvaged} complete record(s) could still be read from {self.set_aside}"
        if self.restored_from:
            return line + f"{stopped}; for each count the larger of it and the backup's is kept"
        return line + f"{stopped}; they are all the counts there are now"


class CheckinStore:
    """The counters of every occurrence that had check-ins. Use it from one thread, and
    from one process at a time (it holds a lock on the folder until closed)."""

    def __init__(self, folder: Path | str, today: date | None = None) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / DB_NAME
        self.backups = self.folder / BACKUP_DIR
        self.recent = self.backups / RECENT_NAME
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
        found = Salvage()
        if self.path.exists():
            try:
                parse(read_data_file(self.path))
                return recovery
            except (CorruptDatabase, OSError) as exc:
                recovery.problem = str(exc)
            # Keep the damaged file under a new name first (a second link to it), so a
            # crash before the restore below still leaves it, and never overwrite it.
            aside = self._free_name()
            os.link(self.path, aside)
            stamp(aside)
            fsync_dir(self.folder)
            recovery.set_aside = aside.name
            found = self._salvage(aside)
            recovery.salvaged = len(found.records)
            recovery.salvage_stopped = found.stopped
        elif self.backup_files() or self.set_aside_files() or self.recent.exists():
            recovery.missing = True  # it was here once: restore, don't start anew
        else:
            return recovery  # a new installation
        good = self.newest_good_backup()
        if good is not None:
            recovery.restored_from = good.name
        base = good.data if good else EMPTY
        atomic_write(self.path, merge(base, found.records) if found.records else base)
        return recovery

    @staticmethod
    def _salvage(path: Path) -> Salvage:
        try:
            size = os.stat(path).st_size
            found = salvage(read_quietly(path, MAX_BYTES))
        except OSError as exc:  # unreadable (a bad sector): nothing to salvage
            return Salvage(stopped=f"it could not be read: {exc.strerror or exc}")
        if size > MAX_BYTES and found.stopped is None:
            found.stopped = f"only its first {MAX_BYTES // 2**20} MB were read"
        return found

    def _free_name(self) -> Path:
        n = 1
        while (aside := self.folder / f"{DB_NAME}.corrupt-{n}").exists():
            n += 1
        return aside

    def backup_files(self) -> list[Path]:
        """Daily backups up to today, newest first (one dated later, after a clock jump,
        is left alone and never restored)."""
        return daily_backups(self.folder, self.today)

    def newest_good_backup(self) -> GoodBackup | None:
        """See the module's newest_good_backup (the recent copy, else a daily one)."""
        return newest_good_backup(self.folder, self.today)

    def set_aside_files(self) -> list[Path]:
        return sorted(self.folder.glob(f"{DB_NAME}.corrupt-*"))

    # --- use --------------------------------------------------------------------------------

    def record(self, occurrence: str, mood: Mood, first: FirstTime = None) -> None:
        """Count one check-in (and its mood and first-time answers). Returns once it is
        safely on disk. It writes checkins.json and nothing else (no backup dates it)."""
        self._add(
            occurrence, ["checkins", *filter(None, [counter_for(mood), first_counter_for(first)])]
        )

    def record_after(
        self, occurrence: str, arrived: after_group.Face, now: after_group.Face
    ) -> None:
        """Count one answer to the after-group question: its pair of faces, or a Skip."""
        self._add(occurrence, [after_group.counter_for(arrived, now)])

    def _add(self, occurrence: str, counters: list[str]) -> None:
        def add(doc: dict[str, Any]) -> None:
            for key in counters:
                doc[key] = int(doc.get(key, 0)) + 1

        found = self.table.get(Query().occurrence == occurrence)
        if found is not None:
            self.table.update(add, doc_ids=[found.doc_id])
        else:
            doc: dict[str, Any] = {"occurrence": occurrence}  # only counters above zero
            add(doc)
            taken = {d.doc_id for d in self.table.all()}
            self.table.insert(Document(doc, doc_id=random_doc_id(taken)))

    def refresh(self, today: date) -> None:
        """On a fixed timer, never at a check-in: copy the database to the recent copy,
        take the day's backup, and rewrite the database as it is, so its file times show
        this moment, not the last check-in. A bad database is never copied (CorruptDatabase,
        and every backup stays as it was)."""
        self.today = today
        data = read_data_file(self.path) if self.path.exists() else EMPTY
        parse(data)
        try:
            if not self.backups.is_dir():
                self.backups.mkdir()
                stamp(self.folder)
                fsync_dir(self.folder)
            # The recent copy first: if it fails, no daily backup gets newer than it.
            atomic_write(self.recent, data)
            self._daily_backup(today, data)
        finally:
            atomic_write(self.path, data)  # even if a backup failed: the times must go

    def _daily_backup(self, today: date, data: bytes) -> None:
        target = self.backups / f"checkins-{today.isoformat()}.json"
        if target.exists():
            return
        atomic_write(target, data)
        good = [p for p in self.backup_files() if self._parses(p)]
        for old in good[KEEP_BACKUPS:]:
            old.unlink()
        stamp(self.backups)

    @staticmethod
    def _parses(path: Path) -> bool:
        return _good(path) is not None

    def tallies(self) -> list[Tally]:
        return [Tally.from_counts(doc["occurrence"], doc) for doc in self.table.all()]

    def close(self) -> None:
        self.db.close()
        self._release_lock()


def load_tallies(folder: Path | str) -> list[Tally]:
    """Read the counters without changing anything (for reports). Empty if none yet."""
    path = Path(folder) / DB_NAME
    if not path.exists():
        return []
    content = parse(read_data_file(path))
    return [Tally.from_counts(doc["occurrence"], doc) for doc in content.get(TABLE, {}).values()]
