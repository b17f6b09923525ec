"""Check-in storage: private by construction, durable by construction."""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime, time
from pathlib import Path

import pytest

from kiosk import storage
from kiosk.checkins import Tally
from kiosk.storage import DB_NAME, CheckinStore, load_tallies

DAY = date(2026, 12, 1)


def test_counts_per_occurrence_and_moods(tmp_path: Path) -> None:
    store = CheckinStore(tmp_path)
    store.record("hr@2026-12-01", 4, DAY)
    store.record("hr@2026-12-01", "skipped", DAY)
    store.record("hr@2026-12-01", 4, DAY)
    store.record("coffee@2026-12-03", None, DAY)
    got = {t.occurrence: t for t in load_tallies(tmp_path)}
    assert got["hr@2026-12-01"] == Tally("hr@2026-12-01", checkins=3, mood_4=2, mood_skipped=1)
    assert got["coffee@2026-12-03"] == Tally("coffee@2026-12-03", checkins=1)
    assert set(got) == {"hr@2026-12-01", "coffee@2026-12-03"}  # nothing for the rest


def test_stored_file_holds_counts_only(tmp_path: Path) -> None:
    store = CheckinStore(tmp_path)
    for mood in (1, 2, 3, 4, 5, "skipped"):
        store.record("hr@2026-12-01", mood, DAY)
    content = json.loads((tmp_path / DB_NAME).read_text())
    docs = list(content["occurrences"].values())
    assert len(docs) == 1
    assert set(docs[0]) == {
        "occurrence",
        "checkins",
        "mood_1",
        "mood_2",
        "mood_3",
        "mood_4",
        "mood_5",
        "mood_skipped",
    }
    text = (tmp_path / DB_NAME).read_text()
    assert not re.search(r"\d{1,2}:\d{2}|T\d{2}", text), "a time of day is stored"


def test_file_times_say_only_the_day(tmp_path: Path) -> None:
    store = CheckinStore(tmp_path)
    store.record("hr@2026-12-01", 3, DAY)
    midnight = datetime.combine(date.today(), time.min).timestamp()
    for path in (tmp_path / DB_NAME, tmp_path):
        st = os.stat(path)
        assert st.st_mtime == midnight and st.st_atime == midnight, path
    store.tallies()  # a read must not stamp the access time either
    assert os.stat(tmp_path / DB_NAME).st_atime == midnight


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b'{"occurrences": {"1": {"occurrence": "hr@2026-12-01", "check',
        b"\x00" * 4096,
        b"   \n",
        b"[1, 2, 3]",
        b'{"occurrences": {"1": {"occurrence": "x", "checkins": -4}}}',
    ],
    ids=["empty", "truncated", "nul-bytes", "blank", "not-tables", "negative-count"],
)
def test_damaged_file_is_set_aside_and_backup_restored(tmp_path: Path, damage: bytes) -> None:
    store = CheckinStore(tmp_path)
    store.record("hr@2026-11-24", 5, date(2026, 11, 24))
    store.record("hr@2026-12-01", 5, DAY)  # first write of Dec 1: yesterday's state backed up
    (tmp_path / DB_NAME).write_bytes(damage)

    reopened = CheckinStore(tmp_path)
    assert reopened.recovery.set_aside == f"{DB_NAME}.corrupt-1"
    assert reopened.recovery.restored_from == "backups/checkins-2026-12-01.json"
    assert (tmp_path / f"{DB_NAME}.corrupt-1").read_bytes() == damage  # kept as it was
    assert [t.occurrence for t in reopened.tallies()] == ["hr@2026-11-24"]
    assert any("restored the backup" in line for line in reopened.recovery.describe())


def test_damaged_file_without_backup_starts_from_zero_but_keeps_the_file(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"\x00\x00garbage")
    store = CheckinStore(tmp_path)
    assert store.recovery.set_aside and store.recovery.restored_from is None
    assert store.tallies() == []
    store.record("hr@2026-12-01", 2, DAY)
    assert (tmp_path / f"{DB_NAME}.corrupt-1").read_bytes() == b"\x00\x00garbage"


def test_second_damage_does_not_overwrite_the_first_set_aside_file(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"first")
    CheckinStore(tmp_path)
    (tmp_path / DB_NAME).write_bytes(b"second")
    CheckinStore(tmp_path)
    assert (tmp_path / f"{DB_NAME}.corrupt-1").read_bytes() == b"first"
    assert (tmp_path / f"{DB_NAME}.corrupt-2").read_bytes() == b"second"


def test_stale_temp_files_are_removed_at_start(tmp_path: Path) -> None:
    CheckinStore(tmp_path).record("hr@2026-12-01", 1, DAY)
    (tmp_path / f"{DB_NAME}.tmp-4242").write_bytes(b'{"half": ')
    store = CheckinStore(tmp_path)
    assert store.recovery.removed_temp_files == [f"{DB_NAME}.tmp-4242"]
    assert not list(tmp_path.glob("*.tmp-*"))
    assert store.tallies()[0].checkins == 1


def test_a_write_cut_short_leaves_the_old_database_whole(tmp_path: Path, monkeypatch) -> None:
    store = CheckinStore(tmp_path)
    store.record("hr@2026-12-01", 1, DAY)
    before = (tmp_path / DB_NAME).read_bytes()

    def power_cut(*_args):
        raise OSError("power cut")

    monkeypatch.setattr(storage.os, "replace", power_cut)
    with pytest.raises(OSError):
        store.record("hr@2026-12-01", 1, DAY)
    monkeypatch.undo()
    assert (tmp_path / DB_NAME).read_bytes() == before
    reopened = CheckinStore(tmp_path)
    assert reopened.tallies()[0].checkins == 1
    assert reopened.recovery.removed_temp_files  # the half-done temp file is cleaned up


def test_one_backup_a_day_and_a_week_of_them(tmp_path: Path) -> None:
    store = CheckinStore(tmp_path)
    for day in range(1, 12):
        store.record("hr@2026-12-01", 3, date(2026, 12, day))
        store.record("hr@2026-12-01", 3, date(2026, 12, day))
    names = [p.name for p in store.backup_files()]
    assert names == [f"checkins-2026-12-{d:02d}.json" for d in range(11, 4, -1)]
    # Each day's backup holds the counts from before that day's first check-in.
    dec_11 = json.loads((tmp_path / "backups" / "checkins-2026-12-11.json").read_text())
    assert next(iter(dec_11["occurrences"].values()))["checkins"] == 20


def test_load_tallies_of_an_empty_folder(tmp_path: Path) -> None:
    assert load_tallies(tmp_path) == []
