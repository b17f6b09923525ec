"""Check-in storage: private by construction, durable by construction."""

from __future__ import annotations

import errno
import json
import os
import re
import time
from datetime import date
from pathlib import Path

import pytest

from kiosk import storage
from kiosk.checkins import Tally
from kiosk.storage import (
    DB_NAME,
    STAMP,
    CheckinStore,
    CorruptDatabase,
    DataFolderInUse,
    load_tallies,
)

DAY = date(2026, 12, 1)


def open_store(folder: Path, today: date = DAY) -> CheckinStore:
    return CheckinStore(folder, today=today)


def test_counts_per_occurrence_and_moods(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-12-01", 4)
    store.record("hr@2026-12-01", "skipped")
    store.record("hr@2026-12-01", 4)
    store.record("coffee@2026-12-03", None)
    store.close()
    got = {t.occurrence: t for t in load_tallies(tmp_path)}
    assert got["hr@2026-12-01"] == Tally("hr@2026-12-01", checkins=3, mood_4=2, mood_skipped=1)
    assert got["coffee@2026-12-03"] == Tally("coffee@2026-12-03", checkins=1)
    assert set(got) == {"hr@2026-12-01", "coffee@2026-12-03"}  # nothing for the rest


def test_stored_file_holds_counts_only_under_ids_that_are_not_a_sequence(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    for occurrence in ("b@2026-12-01", "a@2026-12-01", "c@2026-12-01"):
        for mood in (1, 5, "skipped"):
            store.record(occurrence, mood)
    store.close()
    text = (tmp_path / DB_NAME).read_text()
    table = json.loads(text)["occurrences"]
    assert sorted(d["occurrence"] for d in table.values()) == [
        "a@2026-12-01", "b@2026-12-01", "c@2026-12-01"
    ]  # fmt: skip
    assert list(table) == sorted(table), "records are written in a fixed order"
    assert [int(k) for k in table] != [1, 2, 3], "ids must not count up"
    for doc in table.values():
        assert set(doc) == {"occurrence", "checkins", "mood_1", "mood_2", "mood_3", "mood_4",
                            "mood_5", "mood_skipped"}  # fmt: skip
    assert not re.search(r"\d{1,2}:\d{2}|T\d{2}", text), "a time of day is stored"


def test_file_and_folder_times_are_a_fixed_date(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.refresh(DAY)
    store.record("hr@2026-12-01", 3)
    store.tallies()  # reading must not leave a read time either
    # (Stat the folders before listing them: a listing by the test itself sets a read time.)
    for path in (tmp_path / DB_NAME, tmp_path, tmp_path / "backups"):
        st = os.stat(path)
        assert (st.st_mtime, st.st_atime) == (STAMP, STAMP), path
    for path in (tmp_path / "backups").iterdir():
        st = os.stat(path)
        assert (st.st_mtime, st.st_atime) == (STAMP, STAMP), path
    store.close()


def test_refresh_replaces_the_last_checkins_change_time(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-12-01", 3)
    written = os.stat(tmp_path / DB_NAME)
    time.sleep(0.01)
    store.refresh(DAY)
    refreshed = os.stat(tmp_path / DB_NAME)
    assert refreshed.st_ino != written.st_ino  # a new file: its birth time is now too
    assert refreshed.st_ctime_ns > written.st_ctime_ns
    assert load_tallies(tmp_path)[0].checkins == 1
    store.close()


def test_a_checkin_never_creates_a_backup(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-12-01", 3)
    assert not (tmp_path / "backups").exists()
    store.refresh(DAY)
    assert [p.name for p in store.backup_files()] == ["checkins-2026-12-01.json"]
    store.close()


def test_write_order_is_data_fsync_replace_folder_fsync(tmp_path: Path, monkeypatch) -> None:
    store = open_store(tmp_path)
    calls: list[str] = []
    real = {name: getattr(os, name) for name in ("write", "fsync", "replace")}

    def spy(name):
        def call(*args):
            if name == "fsync":
                calls.append("fsync-dir" if os.path.isdir(f"/proc/self/fd/{args[0]}") else "fsync")
            else:
                calls.append(name)
            return real[name](*args)

        return call

    for name in real:
        monkeypatch.setattr(storage.os, name, spy(name))
    store.record("hr@2026-12-01", 2)
    monkeypatch.undo()
    assert calls[-4:] == ["write", "fsync", "replace", "fsync-dir"]
    store.close()


@pytest.mark.parametrize(
    "damage",
    [b"", b'{"occurrences": {"1": {"occurrence": "hr@2026-12-01", "check', b"\x00" * 4096,
     b"   \n", b"[1, 2, 3]", b'{"occurrences": {"1": {"occurrence": "x", "checkins": -4}}}'],
    ids=["empty", "truncated", "nul-bytes", "blank", "not-tables", "negative-count"],
)  # fmt: skip
def test_damaged_file_is_set_aside_and_backup_restored(tmp_path: Path, damage: bytes) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-11-24", 5)
    store.refresh(DAY)  # the day's backup holds the Nov 24 count
    store.record("hr@2026-12-01", 5)
    store.close()
    (tmp_path / DB_NAME).write_bytes(damage)

    reopened = open_store(tmp_path)
    assert reopened.recovery.set_aside == f"{DB_NAME}.corrupt-1"
    assert reopened.recovery.restored_from == "backups/checkins-2026-12-01.json"
    assert (tmp_path / f"{DB_NAME}.corrupt-1").read_bytes() == damage  # kept as it was
    assert [t.occurrence for t in reopened.tallies()] == ["hr@2026-11-24"]
    assert any("restored the backup" in line for line in reopened.recovery.describe())
    reopened.close()


def test_damaged_file_without_backup_starts_from_zero_but_keeps_the_file(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"\x00\x00garbage")
    store = open_store(tmp_path)
    assert store.recovery.set_aside and store.recovery.restored_from is None
    assert store.tallies() == []
    store.record("hr@2026-12-01", 2)
    store.close()
    assert (tmp_path / f"{DB_NAME}.corrupt-1").read_bytes() == b"\x00\x00garbage"


def test_a_crash_during_recovery_loses_nothing(tmp_path: Path, monkeypatch) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-11-24", 5)
    store.refresh(DAY)
    store.close()
    (tmp_path / DB_NAME).write_bytes(b"\x00")

    def power_cut(*_args):
        raise OSError(errno.EIO, "power cut")

    monkeypatch.setattr(storage, "atomic_write", power_cut)
    with pytest.raises(OSError):
        open_store(tmp_path)  # cut after the damaged file was kept aside, before the restore
    monkeypatch.undo()
    store = open_store(tmp_path)  # the next start finishes the job
    assert [t.checkins for t in store.tallies()] == [1]
    assert (tmp_path / f"{DB_NAME}.corrupt-1").read_bytes() == b"\x00"
    store.close()


def test_missing_database_with_backups_is_restored_not_restarted(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-11-24", 5)
    store.refresh(DAY)
    store.close()
    (tmp_path / DB_NAME).unlink()
    store = open_store(tmp_path)
    assert store.recovery.missing and store.recovery.restored_from
    assert [t.checkins for t in store.tallies()] == [1]
    store.close()


def test_second_damage_does_not_overwrite_the_first_set_aside_file(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"first")
    open_store(tmp_path).close()
    (tmp_path / DB_NAME).write_bytes(b"second")
    open_store(tmp_path).close()
    assert (tmp_path / f"{DB_NAME}.corrupt-1").read_bytes() == b"first"
    assert (tmp_path / f"{DB_NAME}.corrupt-2").read_bytes() == b"second"


def test_stale_temp_files_are_removed_at_start(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-12-01", 1)
    store.close()
    (tmp_path / f"{DB_NAME}.tmp-4242").write_bytes(b'{"half": ')
    store = open_store(tmp_path)
    assert store.recovery.removed_temp_files == [f"{DB_NAME}.tmp-4242"]
    assert not list(tmp_path.glob("*.tmp-*"))
    assert store.tallies()[0].checkins == 1
    store.close()


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path, monkeypatch) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-12-01", 1)
    before = (tmp_path / DB_NAME).read_bytes()

    def disk_full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", disk_full)
    with pytest.raises(OSError):
        store.record("hr@2026-12-01", 1)
    monkeypatch.undo()
    assert (tmp_path / DB_NAME).read_bytes() == before
    assert not list(tmp_path.glob("*.tmp-*"))
    assert os.stat(tmp_path).st_mtime == STAMP
    store.close()


def test_one_backup_a_day_a_week_kept_and_never_a_bad_one(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    for day in range(1, 12):
        store.record("hr@2026-12-01", 3)
        store.refresh(date(2026, 12, day))
        store.refresh(date(2026, 12, day))  # later refreshes the same day change nothing
    names = [p.name for p in store.backup_files()]
    assert names == [f"checkins-2026-12-{d:02d}.json" for d in range(11, 4, -1)]
    dec_11 = json.loads((tmp_path / "backups" / "checkins-2026-12-11.json").read_text())
    assert next(iter(dec_11["occurrences"].values()))["checkins"] == 11
    # The live file goes bad while running: it is not backed up, and no backup is lost.
    (tmp_path / DB_NAME).write_bytes(b"\x00")
    with pytest.raises(CorruptDatabase):
        store.refresh(date(2026, 12, 12))
    assert [p.name for p in store.backup_files()] == names
    store.close()


def test_a_backup_dated_in_the_future_is_never_restored(tmp_path: Path) -> None:
    store = open_store(tmp_path, today=date(2027, 3, 1))  # a clock that jumped ahead
    store.record("hr@2026-12-01", 3)
    store.refresh(date(2027, 3, 1))
    store.record("hr@2026-12-01", 3)
    store.close()
    store = open_store(tmp_path)
    store.refresh(DAY)
    store.close()
    (tmp_path / DB_NAME).write_bytes(b"")
    store = open_store(tmp_path)
    assert store.recovery.restored_from == "backups/checkins-2026-12-01.json"
    store.close()


def test_one_process_at_a_time(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with pytest.raises(DataFolderInUse):
        open_store(tmp_path)
    store.close()
    open_store(tmp_path).close()


def test_load_tallies_of_an_empty_folder(tmp_path: Path) -> None:
    assert load_tallies(tmp_path) == []
