"""Check-in storage: private by construction, durable by construction."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import time
from datetime import date
from pathlib import Path

import pytest

from kiosk.adapters import storage
from kiosk.adapters.files import STAMP
from kiosk.adapters.storage import (
    DB_NAME,
    CheckinStore,
    CorruptDatabase,
    DataFolderInUse,
    load_tallies,
)
from kiosk.core.checkins import Tally

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
    for doc in table.values():  # only the counters above zero
        assert set(doc) == {"occurrence", "checkins", "mood_1", "mood_5", "mood_skipped"}
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
    store.record("hr@2026-12-01", 1)  # counts on what is on disk, not the failed try
    assert store.tallies()[0].checkins == 2
    store.close()


def test_the_file_is_written_as_the_standard_json_module_would_write_it() -> None:
    import random

    from bench.bench_storage import simulated_history

    history = simulated_history(1, random.Random(1))
    history["occurrences"]["7"] = {"occurrence": "caf\u00e9-\u5c0f\u7d44@2026-12-01", "checkins": 1}
    text = json.dumps(history, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert storage._dumps(history) == text.encode("utf-8")


def test_checkins_in_a_row_parse_the_file_once(tmp_path: Path, monkeypatch) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-12-01", 1)
    reads = []
    real = storage.read_data_file
    monkeypatch.setattr(storage, "read_data_file", lambda path: reads.append(path) or real(path))
    for mood in (2, 3, "skipped"):
        store.record("hr@2026-12-01", mood)
    store.record("coffee@2026-12-03", None)
    assert reads == [], "the store's own writes are known without reading them back"
    assert {t.occurrence: t.checkins for t in store.tallies()} == {
        "hr@2026-12-01": 4, "coffee@2026-12-03": 1
    }  # fmt: skip
    store.close()


def test_a_file_changed_in_place_by_someone_else_is_read_again(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-12-01", 1)
    path = tmp_path / DB_NAME
    text = path.read_bytes()
    assert b'"checkins":1' in text
    time.sleep(0.01)  # a change time the file system can tell apart
    with open(path, "r+b") as f:  # same size, same inode: only the change time moves
        f.write(text.replace(b'"checkins":1', b'"checkins":7'))
    store.record("hr@2026-12-01", 1)
    assert store.tallies()[0].checkins == 8
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


# --- the recent copy, salvage and bad input (a damaged file loses minutes, not the day) ----

RECENT = "checkins-recent.json"


def snapshot(path: Path) -> tuple[int, int, bytes]:
    st = os.stat(path)
    return st.st_ino, st.st_ctime_ns, path.read_bytes()


def counts_in(data: bytes) -> dict[str, dict[str, int]]:
    table = json.loads(data)["occurrences"]
    return {  # the counters above zero (a record keeps no others)
        d["occurrence"]: {k: v for k, v in d.items() if k != "occurrence" and v}
        for d in table.values()
    }


def counts_of(store: CheckinStore) -> dict[str, dict[str, int]]:
    return {t.occurrence: {k: v for k, v in t.counts.items() if v} for t in store.tallies()}


def test_first_time_and_after_group_answers_are_counts_and_nothing_else(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    for answer in ("yes", "yes", "no", "skipped", None):
        store.record("hr@2026-12-01", 3, first=answer)
    for arrived, now in [(2, 4), (2, 4), (3, 3), (4, 1), ("skipped", 5), (5, "skipped")]:
        store.record_after("hr@2026-12-01", arrived, now)
    store.refresh(DAY)
    [tally] = store.tallies()
    store.close()
    assert (tally.checkins, tally.first_time, tally.returning, tally.first_skipped) == (5, 2, 1, 1)
    counts = tally.after_counts
    assert (counts["after_2_4"], counts["after_3_3"], counts["after_4_1"]) == (2, 1, 1)
    assert counts["after_partial"] == 2 and sum(tally.after) == 6
    for path in (tmp_path / DB_NAME, tmp_path / "backups" / RECENT):
        assert_private(path)
        [doc] = json.loads(path.read_text())["occurrences"].values()
        assert set(doc) == {"occurrence", "checkins", "mood_3", "first_time", "returning",
                            "first_skipped", "after_2_4", "after_3_3", "after_4_1",
                            "after_partial"}  # fmt: skip
    with pytest.raises(ValueError):
        open_store(tmp_path / "other").record_after("hr@2026-12-01", 0, 9)


def assert_private(path: Path) -> None:
    """The privacy rules for a data file: fixed times, sorted random ids, no time of day."""
    st = os.stat(path)
    assert (st.st_mtime, st.st_atime) == (STAMP, STAMP), path
    text = path.read_text()
    table = json.loads(text)["occurrences"]
    assert list(table) == sorted(table), path
    if len(table) > 2:
        assert [int(k) for k in table] != list(range(1, len(table) + 1)), path
    assert not re.search(r"\d{1,2}:\d{2}|T\d{2}", text), path


def a_day_with_two_refreshes(folder: Path) -> tuple[bytes, bytes]:
    """Check-ins, the day's first refresh (daily backup), more, a refresh (the recent copy
    only), more still, and no refresh since. Returns the recent copy and the final file."""
    store = open_store(folder)
    for occurrence, mood in [("a@2026-12-01", 3), ("a@2026-12-01", 5), ("b@2026-12-01", None)]:
        store.record(occurrence, mood, first="yes")
    store.record_after("a@2026-11-24", 2, 4)
    store.refresh(DAY)
    for occurrence, mood in [("a@2026-12-01", 4), ("c@2026-12-01", "skipped"), ("c@2026-12-01", 1)]:
        store.record(occurrence, mood, first="no")
    store.record_after("a@2026-12-01", 3, 3)
    store.refresh(DAY)
    for occurrence, mood in [("a@2026-12-01", 2), ("d@2026-12-01", 1), ("b@2026-12-01", 5)]:
        store.record(occurrence, mood)
    store.record_after("a@2026-12-01", "skipped", 4)
    store.record_after("a@2026-12-01", 1, 5)
    store.close()
    return (folder / "backups" / RECENT).read_bytes(), (folder / DB_NAME).read_bytes()


def complete_records(full: bytes, cut: int) -> dict[str, dict[str, int]]:
    """The records of `full` whose whole text lies in its first `cut` bytes (found by
    their exact text, independently of the module's scan)."""
    found = {}
    for occurrence, counts in counts_in(full).items():
        text = json.dumps(
            {"occurrence": occurrence, **counts}, sort_keys=True, separators=(",", ":")
        )
        end = full.index(text.encode()) + len(text)
        if end <= cut:
            found[occurrence] = counts
    return found


def test_a_truncated_file_loses_nothing_before_the_last_refresh(tmp_path: Path) -> None:
    template = tmp_path / "template"
    recent, full = a_day_with_two_refreshes(template)
    at_refresh, final = counts_in(recent), counts_in(full)
    daily = counts_in((template / "backups" / "checkins-2026-12-01.json").read_bytes())
    assert daily != at_refresh, "the recent copy must hold more than the day's first backup"
    cuts = sorted({*range(0, len(full), 23), len(full) - 1, len(full) - 2})
    salvaged_some = False
    for cut in cuts:
        folder = tmp_path / f"cut-{cut}"
        shutil.copytree(template, folder)
        (folder / DB_NAME).write_bytes(full[:cut])
        store = open_store(folder)
        got = counts_of(store)
        whole = complete_records(full, cut)
        assert store.recovery.restored_from == f"backups/{RECENT}", cut
        assert store.recovery.salvaged == len(whole), cut
        salvaged_some |= bool(whole)
        for occurrence, counts in at_refresh.items():  # nothing before the refresh is lost
            for key, value in counts.items():
                assert got[occurrence][key] >= value, (cut, occurrence, key)
        for occurrence, counts in got.items():  # nothing is invented
            for key, value in counts.items():
                assert value <= final[occurrence][key], (cut, occurrence, key)
        for occurrence, counts in whole.items():  # complete records are salvaged, whole
            assert got[occurrence] == counts, (cut, occurrence)
        store.close()
        assert (folder / f"{DB_NAME}.corrupt-1").read_bytes() == full[:cut]
        assert_private(folder / DB_NAME)
        assert load_tallies(folder)  # the recovered file parses
    assert salvaged_some


def test_recovery_says_what_was_salvaged_and_from_which_backup(tmp_path: Path) -> None:
    _recent, full = a_day_with_two_refreshes(tmp_path)
    (tmp_path / DB_NAME).write_bytes(full[: len(full) * 3 // 4])
    store = open_store(tmp_path)
    lines = store.recovery.describe()
    store.close()
    text = "\n".join(lines)
    assert store.recovery.salvaged > 0
    assert f"restored the backup backups/{RECENT} (the copy taken every five minutes)" in text
    assert f"{store.recovery.salvaged} complete record(s) could still be read from" in text
    assert f"{DB_NAME}.corrupt-1" in text


def test_salvage_takes_the_larger_count_and_skips_records_that_are_not_well_formed(
    tmp_path: Path,
) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    backup = {"occurrences": {
        "4821": {"occurrence": "a@2026-12-01", "checkins": 5, "mood_1": 2},
        "77": {"occurrence": "b@2026-12-01", "checkins": 3},
    }}  # fmt: skip
    storage.atomic_write(backups / RECENT, json.dumps(backup).encode())
    good = [
        '{"occurrence": "a@2026-12-01", "checkins": 7, "mood_1": 1}',  # more check-ins
        '{"checkins":1,"mood_5":1,"occurrence":"c@2026-12-01"}',  # new since the backup
    ]
    bad = [
        '{"occurrence": "d@2026-12-01", "checkins": -1}',
        '{"occurrence": "e@2026-12-01", "checkins": 1.5}',
        '{"occurrence": "f@2026-12-01", "checkins": true}',
        '{"occurrence": 12, "checkins": 1}',
        '{"occurrence": "g@2026-12-01", "checkins": 1, "who": "x"}',
        '{"occurrence": "h@2026-12-01", "checkins": 100000000000000000000}',
        '{"occurrence": "i@2026-12-01", "checkins": "4"}',
        '{"checkins": 4}',
    ]
    body = ", ".join(f'"{n}": {r}' for n, r in enumerate(good + bad, 1))
    damaged = ('{"occurrences": {' + body + ', "99": {"occurrence": "j@2026').encode()
    (tmp_path / DB_NAME).write_bytes(damaged)
    store = open_store(tmp_path)
    got = counts_of(store)
    assert store.recovery.salvaged == 2
    assert set(got) == {"a@2026-12-01", "b@2026-12-01", "c@2026-12-01"}
    assert (got["a@2026-12-01"]["checkins"], got["a@2026-12-01"]["mood_1"]) == (7, 2)
    assert got["b@2026-12-01"]["checkins"] == 3
    assert (got["c@2026-12-01"]["checkins"], got["c@2026-12-01"]["mood_5"]) == (1, 1)
    store.close()
    assert (tmp_path / f"{DB_NAME}.corrupt-1").read_bytes() == damaged
    assert_private(tmp_path / DB_NAME)


def test_without_a_backup_the_salvaged_records_are_kept(tmp_path: Path) -> None:
    damaged = b'{"occurrences":{"5":{"checkins":4,"occurrence":"a@2026-12-01"},"9":{"chec'
    (tmp_path / DB_NAME).write_bytes(damaged)
    store = open_store(tmp_path)
    assert counts_of(store)["a@2026-12-01"]["checkins"] == 4
    text = "\n".join(store.recovery.describe())
    assert store.recovery.restored_from is None
    assert "starts again from zero" not in text and "1 complete record(s)" in text
    store.close()


def test_the_recent_copy_is_taken_at_refresh_and_never_at_a_checkin(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-12-01", 3)
    assert not (tmp_path / "backups").exists()
    store.refresh(DAY)
    recent = tmp_path / "backups" / RECENT
    before, folder_before = snapshot(recent), os.stat(tmp_path / "backups")
    for mood in (1, 2, "skipped", None):
        time.sleep(0.002)
        store.record("hr@2026-12-01", mood)
        store.record("coffee@2026-12-01", mood)
    assert snapshot(recent) == before, "a check-in must not touch the recent copy"
    folder_after = os.stat(tmp_path / "backups")
    assert folder_after.st_ctime_ns == folder_before.st_ctime_ns, "nothing added or removed"
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [
        "checkins-2026-12-01.json", RECENT
    ]  # fmt: skip
    time.sleep(0.002)
    store.refresh(DAY)
    assert counts_in(recent.read_bytes()) == counts_of(store)
    assert os.stat(recent).st_ctime_ns > before[1]
    store.close()


def test_the_recent_copy_is_rewritten_at_every_refresh_even_unchanged(tmp_path: Path) -> None:
    """Else its change time would show the last five minutes that had a check-in."""
    store = open_store(tmp_path)
    store.record("hr@2026-12-01", 3)
    store.refresh(DAY)
    first = snapshot(tmp_path / "backups" / RECENT)
    time.sleep(0.002)
    store.refresh(DAY)
    again = snapshot(tmp_path / "backups" / RECENT)
    assert again[2] == first[2] and again[0] != first[0] and again[1] > first[1]
    store.close()


def test_the_recent_copy_keeps_the_privacy_rules(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    for occurrence in ("b@2026-12-01", "a@2026-12-01", "c@2026-12-01", "d@2026-12-02"):
        store.record(occurrence, 2)
    store.refresh(DAY)
    store.record("e@2026-12-01", 2)
    for path in (tmp_path / "backups" / RECENT, tmp_path / "backups", tmp_path):
        st = os.stat(path)
        assert (st.st_mtime, st.st_atime) == (STAMP, STAMP), path
    assert_private(tmp_path / "backups" / RECENT)
    store.close()


def test_a_damaged_database_never_replaces_a_good_recent_copy(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-12-01", 3)
    store.refresh(DAY)
    store.record("hr@2026-12-01", 3)
    store.refresh(DAY)
    recent = tmp_path / "backups" / RECENT
    good = snapshot(recent)
    for damage in (b'{"occurrences": {"1": {"occ', b"\x00" * 64, b"[" * 100_000):
        (tmp_path / DB_NAME).write_bytes(damage)
        for day in (DAY, date(2026, 12, 2)):
            with pytest.raises(CorruptDatabase):
                store.refresh(day)
            assert snapshot(recent) == good
    assert not (tmp_path / "backups" / "checkins-2026-12-02.json").exists()
    store.close()
    store = open_store(tmp_path)
    assert store.recovery.restored_from == f"backups/{RECENT}"
    assert [t.checkins for t in store.tallies()] == [2]
    store.close()


def test_a_missing_database_is_restored_from_the_recent_copy(tmp_path: Path) -> None:
    recent, _full = a_day_with_two_refreshes(tmp_path)
    (tmp_path / DB_NAME).unlink()
    store = open_store(tmp_path)
    assert store.recovery.missing and store.recovery.restored_from == f"backups/{RECENT}"
    assert counts_of(store) == counts_in(recent)
    store.close()


def test_a_damaged_recent_copy_is_skipped_for_the_newest_good_daily(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-12-01", 3)
    store.refresh(DAY)
    store.record("hr@2026-12-01", 3)
    store.refresh(DAY)
    store.close()
    (tmp_path / "backups" / RECENT).write_bytes(b'{"occurrences": {')
    (tmp_path / DB_NAME).write_bytes(b"")
    store = open_store(tmp_path)
    assert store.recovery.restored_from == "backups/checkins-2026-12-01.json"
    assert [t.checkins for t in store.tallies()] == [1]
    store.close()


def write_backup(folder: Path, name: str, checkins: int | None) -> bytes:
    """A backup holding one occurrence with `checkins`, or a damaged one (None)."""
    backups = folder / "backups"
    backups.mkdir(exist_ok=True)
    data = (
        b'{"occurrences": {"1": {"occ'
        if checkins is None
        else json.dumps({"occurrences": {"1": {"occurrence": "x", "checkins": checkins}}}).encode()
    )
    storage.atomic_write(backups / name, data)
    return data


def test_the_newest_good_backup_is_chosen_in_one_place(tmp_path: Path) -> None:
    newest = storage.newest_good_backup
    assert newest(tmp_path, DAY) is None  # a new folder
    assert not (tmp_path / "backups").exists(), "a read-only helper creates nothing"
    write_backup(tmp_path, "checkins-2027-03-01.json", 99)  # after a clock jump: never
    write_backup(tmp_path, "checkins-2026-12-02.json", 98)  # tomorrow: never
    write_backup(tmp_path, "checkins-2026-11-29.json", 1)
    write_backup(tmp_path, "checkins-2026-11-30.json", None)  # damaged: skipped
    assert newest(tmp_path, DAY).path.name == "checkins-2026-11-29.json"
    same = write_backup(tmp_path, "checkins-2026-12-01.json", 2)
    assert newest(tmp_path, DAY).path.name == "checkins-2026-12-01.json"
    assert newest(tmp_path, date(2026, 12, 2)).path.name == "checkins-2026-12-02.json"
    write_backup(tmp_path, RECENT, None)  # damaged: skipped
    assert newest(tmp_path, DAY).path.name == "checkins-2026-12-01.json"
    write_backup(tmp_path, RECENT, 2)  # the same as the day's backup: the dated one is named
    got = newest(tmp_path, DAY)
    assert (got.path.name, got.data, got.label) == ("checkins-2026-12-01.json", same, "2026-12-01")
    recent = write_backup(tmp_path, RECENT, 3)  # newer than every daily backup
    got = newest(tmp_path, DAY)
    assert (got.name, got.data) == (f"backups/{RECENT}", recent)
    assert got.label == "the copy taken every five minutes"
    path, data = got  # it still unpacks as (path, bytes)
    assert (path, data) == (got.path, got.data)
    listing = sorted(
        (p.name, p.stat().st_mtime, p.stat().st_atime) for p in (tmp_path / "backups").iterdir()
    )
    store = open_store(tmp_path)  # the store asks the same function
    assert store.newest_good_backup() == got
    store.close()
    assert all(t[1:] == (STAMP, STAMP) for t in listing)


def test_a_future_dated_backup_is_never_chosen_even_without_a_recent_copy(tmp_path: Path) -> None:
    write_backup(tmp_path, "checkins-2027-03-01.json", 99)
    write_backup(tmp_path, "checkins-2026-11-30.json", 4)
    (tmp_path / DB_NAME).write_bytes(b"\x00")
    store = open_store(tmp_path)
    assert store.recovery.restored_from == "backups/checkins-2026-11-30.json"
    assert [t.checkins for t in store.tallies()] == [4]
    store.close()


DEEP = 100_000
BAD_INPUT = {
    "deep-list": b"[" * DEEP + b"]" * DEEP,
    "deep-object": b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "deep-in-a-record": b'{"occurrences":{"1":{"occurrence":' + b"[" * DEEP + b"]" * DEEP + b"}}}",
    "deep-unclosed": b'{"occurrences":' + b"[" * DEEP,
    "digits-5000": b'{"occurrences":{"1":{"occurrence":"x","checkins":' + b"9" * 5000 + b"}}}",
    "huge-count": b'{"occurrences":{"1":{"occurrence":"x","checkins":100000000000000000000}}}',
    "negative": b'{"occurrences":{"1":{"occurrence":"x","mood_2":-1}}}',
    "float": b'{"occurrences":{"1":{"occurrence":"x","checkins":1.0}}}',
    "nan": b'{"occurrences":{"1":{"occurrence":"x","checkins":NaN}}}',
    "infinity": b'{"occurrences":{"1":{"occurrence":"x","checkins":-Infinity}}}',
    "bool": b'{"occurrences":{"1":{"occurrence":"x","checkins":true}}}',
    "string-count": b'{"occurrences":{"1":{"occurrence":"x","checkins":"3"}}}',
    "id-int": b'{"occurrences":{"1":{"occurrence":7,"checkins":1}}}',
    "id-null": b'{"occurrences":{"1":{"occurrence":null,"checkins":1}}}',
    "id-list": b'{"occurrences":{"1":{"occurrence":["x"],"checkins":1}}}',
    "key-superscript": '{"occurrences":{"²":{"occurrence":"x","checkins":1}}}'.encode(),
    "key-40-digits": b'{"occurrences":{"' + b"9" * 40 + b'":{"occurrence":"x"}}}',
    "record-a-list": b'{"occurrences":{"1":[1,2]}}',
    "many-entries": b'{"occurrences":{"1":[' + b"{}," * 1_200_000 + b"{}]}}",
    "bad-utf8": b'{"occurrences":{"1":{"occurrence":"\xff\xfe","checkins":1}}}',
    "utf16": '{"occurrences":{}}'.encode("utf-16"),
    "top-level-string": b'"occurrences"',
}


@pytest.mark.parametrize("data", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_a_corrupt_database_never_a_crash(tmp_path: Path, data: bytes) -> None:
    start = time.monotonic()
    with pytest.raises(CorruptDatabase):
        storage.parse(data)
    (tmp_path / DB_NAME).write_bytes(data)
    with pytest.raises(CorruptDatabase):
        load_tallies(tmp_path)
    store = open_store(tmp_path)  # set aside, and the kiosk counts on
    assert store.recovery.set_aside == f"{DB_NAME}.corrupt-1" and store.recovery.problem
    store.record("hr@2026-12-01", 1)
    store.close()
    assert (tmp_path / f"{DB_NAME}.corrupt-1").read_bytes() == data
    assert time.monotonic() - start < 10


def test_parsing_bad_input_takes_bounded_memory() -> None:
    import tracemalloc

    data = b"[" + b"{}," * 2_000_000 + b"{}]"  # 6 MB that would be 2 million objects
    tracemalloc.start()
    try:
        with pytest.raises(CorruptDatabase, match="entries"):
            storage.parse(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, peak


def test_the_running_store_refuses_a_file_replaced_by_deep_nesting(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-12-01", 1)
    (tmp_path / DB_NAME).write_bytes(b'{"occurrences":' + b"[" * DEEP)
    with pytest.raises(CorruptDatabase):
        store.record("hr@2026-12-01", 1)
    with pytest.raises(CorruptDatabase):
        store.refresh(DAY)
    store.close()


def test_a_100_mb_file_is_refused_unread_and_salvaged_within_bounds(tmp_path: Path) -> None:
    records = b'{"occurrences":{"3":{"checkins":2,"occurrence":"a@2026-12-01"},"8":{"checkins":1,'
    with open(tmp_path / DB_NAME, "wb") as f:
        f.write(records)
        f.truncate(100 * 2**20)  # the rest is zeros (a sparse file)
    start = time.monotonic()
    with pytest.raises(CorruptDatabase, match="100 MB"):
        load_tallies(tmp_path)
    assert time.monotonic() - start < 1, "refused by its size, not read"
    store = open_store(tmp_path)
    assert store.recovery.salvaged == 1
    assert "first 50 MB" in (store.recovery.salvage_stopped or "")
    assert counts_of(store)["a@2026-12-01"]["checkins"] == 2
    store.close()
    assert time.monotonic() - start < 30
    assert os.path.getsize(tmp_path / f"{DB_NAME}.corrupt-1") == 100 * 2**20


@pytest.mark.parametrize(
    "data",
    [b"{" * 10_000_000, b'{"occurrence":"x"' * 600_000, b'{"occurrence":"x"}' * 600_000,
     b"{" + b"x" * 10_000_000, b'{"aaaaaaaaaaaaaaaaaaaa"}' * 400_000,
     (b"{" + b'"occurrence"' * 340 + b"{") * 2_400],
    ids=["braces", "unclosed", "one-record-repeated", "no-close", "short-objects", "keys"],
)  # fmt: skip
def test_the_salvage_scan_is_linear_on_hostile_input(data: bytes) -> None:
    """Twice the input takes about twice the time (a quadratic scan would take four
    times): a ratio, so a busy machine cannot fail it the way a fixed bound would."""
    found = storage.salvage(data)
    assert len(found.records) <= 1

    def best_time(part: bytes) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            storage.salvage(part)
            times.append(time.perf_counter() - start)
        return min(times)

    small, large = best_time(data[: len(data) // 8]), best_time(data[: len(data) // 4])
    assert large < 3.0 * small + 0.01, (small, large)


@pytest.mark.parametrize("first", [True, False], ids=["first-refresh", "later-refresh"])
@pytest.mark.parametrize("fail_at", range(1, 8))
def test_a_failed_refresh_leaves_no_temp_file_and_whole_copies(
    tmp_path: Path, monkeypatch, first: bool, fail_at: int
) -> None:
    store = open_store(tmp_path)
    store.record("hr@2026-11-30", 1)
    if not first:
        store.refresh(date(2026, 11, 30))
    store.record("hr@2026-12-01", 1)
    current = (tmp_path / DB_NAME).read_bytes()
    recent = tmp_path / "backups" / RECENT
    old_recent = recent.read_bytes() if recent.exists() else None
    real_fsync, calls = os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == fail_at:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(storage.os, "fsync", fsync)
    if fail_at <= 6 + first:
        with pytest.raises(OSError):
            store.refresh(DAY)
    else:
        store.refresh(DAY)
    monkeypatch.undo()
    for folder in (tmp_path, tmp_path / "backups"):
        assert not list(folder.glob("*.tmp-*")), folder
    assert (tmp_path / DB_NAME).read_bytes() == current
    assert recent.exists() or old_recent is None
    if recent.exists():
        assert recent.read_bytes() in (old_recent, current)
    daily = tmp_path / "backups" / "checkins-2026-12-01.json"
    if daily.exists():  # a daily backup is never newer than the recent copy
        assert daily.read_bytes() == current == recent.read_bytes()
    assert os.stat(tmp_path).st_mtime == STAMP
    store.close()
