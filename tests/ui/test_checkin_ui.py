"""Anonymous check-in through the real app: replays, failures, power cuts, privacy."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from kiosk.adapters.files import STAMP
from kiosk.adapters.storage import DB_NAME, CheckinStore, load_tallies
from kiosk.core.flow import Screen
from tests.conftest import SAMPLE_CONFIG
from tests.drive import kiosk_cli, start_app

CHECKIN = "tap checkin\nexpect checkin\ntap checkin.confirm\ntap mood.4\nexpect thanks\n"


def replay(tmp_path: Path, script: str, at: str, data: Path, *extra: str):
    path = tmp_path / "script.txt"
    path.write_text(script)
    return kiosk_cli(
        "run", "--config", str(SAMPLE_CONFIG), "--data", str(data), "--at", at,
        "--replay", str(path), "--size", "800x500", *extra, timeout=300,
    )  # fmt: skip


def report_csv(data: Path, *extra: str) -> list[list[str]]:
    out = kiosk_cli(
        "report", "--config", str(SAMPLE_CONFIG), "--data", str(data), "--format", "csv",
        *extra, timeout=60, check=True,
    ).stdout  # fmt: skip
    return [line.split(",") for line in out.strip().splitlines()]


@pytest.mark.smoke
def test_replay_checkin_in_window_then_report(tmp_path: Path) -> None:
    data = tmp_path / "data"
    # (Not the sample's "today": the report holds back an occurrence whose check-in is
    # open at the real time, and Dec 1 at 17:45 is a real time too.)
    result = replay(tmp_path, CHECKIN + "advance 6\n" + CHECKIN, "2026-11-17T17:45", data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("ok line") == 4
    # The log (stderr) says nothing about check-ins, so it cannot date one.
    assert not re.search(r"check.?in|mood|thanks|I'm here", result.stderr, re.IGNORECASE)
    rows = report_csv(data)
    assert rows[0] == ["date", "group", "title", "start", "checkins", "mood_1", "mood_2",
                       "mood_3", "mood_4", "mood_5", "mood_skipped", "first_time",
                       "returning", "first_skipped"]  # fmt: skip
    # Two check-ins is below the privacy minimum (5): the mood cells stay blank.
    assert rows[1] == ["2026-11-17", "harm-reduction", "Harm Reduction Group",
                       "2026-11-17T18:00:00-08:00", "2", *[""] * 9]  # fmt: skip


def test_replay_outside_any_window_leads_to_closed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = replay(tmp_path, "tap checkin\nexpect closed\ntap back\nexpect home\n",
                    "2026-12-01T12:00", data)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert load_tallies(data) == [], "no record for an occurrence with no check-in"
    failed = replay(tmp_path, CHECKIN, "2026-12-01T12:00", data)
    assert failed.returncode == 3 and "'closed' is showing" in failed.stderr


def test_mood_counts_show_at_the_privacy_minimum(tmp_path: Path) -> None:
    data = tmp_path / "data"
    script = "".join(
        f"tap checkin\ntap checkin.confirm\ntap mood.{m}\nexpect thanks\nadvance 6\n"
        for m in ("1", "5", "5", "skip", "3", "2")
    )
    # (Not the sample's "today": see test_replay_checkin_in_window_then_report.)
    assert replay(tmp_path, script, "2026-11-17T17:45", data).returncode == 0
    row = report_csv(data)[1]
    assert row[4:] == ["6", "1", "1", "1", "0", "2", "1", "", "", ""]  # five faces: shown


def test_two_open_groups_let_the_resident_choose(kiosk, config_dir: Path, tmp_path: Path) -> None:
    with (config_dir / "schedule.toml").open("a") as fh:
        fh.write(
            '\n[[group]]\nid = "art-drop-in"\ntitle = "Art drop-in"\ndays = ["tue"]\n'
            "start = 18:15:00\nduration_minutes = 60\n"
        )
    driver = kiosk()
    driver.tap("checkin")
    assert driver.find("checkin.confirm") is None
    assert driver.find("checkin.harm-reduction@2026-12-01") is not None
    driver.tap("checkin.art-drop-in@2026-12-01")
    driver.tap("mood.skip")
    driver.expect("thanks")
    assert load_tallies(tmp_path / "data")[0].occurrence == "art-drop-in@2026-12-01"


def test_button_rests_after_a_checkin_so_mashing_cannot_inflate(kiosk, tmp_path: Path) -> None:
    driver = kiosk()
    driver.tap("checkin")
    driver.tap("checkin.confirm")
    driver.tap("mood.2")
    driver.tap("home")  # leave thanks at once
    driver.expect("home")
    assert driver.find("checkin").resting
    for _ in range(5):
        driver.tap("checkin")  # mashed while resting: nothing happens
    driver.expect("home")
    assert load_tallies(tmp_path / "data")[0].checkins == 1
    driver.advance(5)
    assert not driver.find("checkin").resting
    driver.tap("checkin")
    driver.expect("checkin")


def test_leaving_at_the_mood_question_still_counts(kiosk, tmp_path: Path) -> None:
    driver = kiosk(lang="es")
    driver.tap("checkin")
    driver.tap("checkin.confirm")
    driver.expect("mood")
    driver.advance(61)
    driver.expect("home")
    tally = load_tallies(tmp_path / "data")[0]
    assert (tally.checkins, tally.mood_skipped) == (1, 1)
    assert driver.app.lobby.flow.language == "en"


def test_a_failed_write_says_so_counts_nothing_and_logs_only_later(
    kiosk, tmp_path: Path, monkeypatch, caplog
) -> None:
    import errno

    from kiosk.adapters import storage

    driver = kiosk()
    assert driver.app.lobby.store.wait_idle()  # the start's own upkeep is on disk first
    real_fsync = storage.os.fsync

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", disk_full)
    caplog.clear()
    driver.tap("checkin")
    driver.tap("checkin.confirm")
    driver.tap("mood.3")
    driver.expect("checkin")
    assert "did not go through" in driver.app.widgets[Screen.CHECKIN].view.error
    assert driver.find("checkin.confirm") is not None  # they can try again
    assert "failed" not in caplog.text, "the log must not mark the moment of a check-in"
    monkeypatch.setattr(storage.os, "fsync", real_fsync)
    driver.advance(300)  # the timed refresh reports it
    assert "1 attendance write(s) failed recently" in caplog.text
    assert load_tallies(tmp_path / "data") == []
    assert not list((tmp_path / "data").glob("*.tmp-*"))


def test_start_with_a_damaged_database_restores_and_says_so(
    config_dir: Path, tmp_path: Path, caplog
) -> None:
    data = tmp_path / "data"
    store = CheckinStore(data, today=date(2026, 12, 1))
    store.record("harm-reduction@2026-11-17", 5)
    store.refresh(date(2026, 12, 1))
    store.record("harm-reduction@2026-12-01", 5)
    store.close()
    (data / DB_NAME).write_bytes(b"\x00" * 512)
    (data / f"{DB_NAME}.tmp-999").write_bytes(b"{")
    driver = start_app(config_dir, data, at="2026-12-01T17:45")
    try:
        assert "restored the backup backups/checkins-2026-12-01.json" in caplog.text
        assert "unfinished temporary file" in caplog.text
        driver.tap("checkin")
        driver.tap("checkin.confirm")
        driver.tap("mood.1")
        driver.expect("thanks")
    finally:
        driver.stop()
    assert (data / f"{DB_NAME}.corrupt-1").read_bytes() == b"\x00" * 512
    counts = {t.occurrence: t.checkins for t in load_tallies(data)}
    assert counts == {"harm-reduction@2026-11-17": 1, "harm-reduction@2026-12-01": 1}
    check = kiosk_cli("check", "--config", str(config_dir), "--data", str(data), timeout=60)
    assert "damaged file(s) kept aside" in check.stdout and f"{DB_NAME}.corrupt-1" in check.stdout


def test_a_day_of_use_leaves_no_time_of_day_and_no_per_tap_record(kiosk, tmp_path: Path) -> None:
    data = tmp_path / "data"
    driver = kiosk(at="2026-12-03T09:40")  # coffee at 10:00 today
    taps = 0
    for _ in range(7):
        driver.tap("checkin")
        driver.tap("checkin.confirm")
        driver.tap(random.Random(taps).choice(["mood.1", "mood.3", "mood.5", "mood.skip"]))
        driver.advance(9)
        taps += 1
    driver.advance(8 * 3600)  # evening
    content = json.loads((data / DB_NAME).read_text())
    records = list(content["occurrences"].values())
    assert [r["occurrence"] for r in records] == ["coffee-drop-in@2026-12-03"]
    assert records[0]["checkins"] == taps
    for path in [data / DB_NAME, *sorted((data / "backups").glob("*.json"))]:
        text = path.read_text()
        assert not re.search(r"\d{1,2}:\d{2}|T\d{2}|\d{10}", text), path
        assert os.stat(path).st_mtime == STAMP, path


def test_kill_9_during_checkins_never_loses_or_invents_a_count(tmp_path: Path) -> None:
    """20 power cuts at random moments: the database always loads, and holds every check-in
    that reached "thanks", plus at most the one being written."""
    data = tmp_path / "data"
    script = tmp_path / "many.txt"
    step = "tap checkin\ntap checkin.confirm\ntap mood.3\nexpect thanks\nadvance 6\n"
    script.write_text(step * 200)
    rng = random.Random(20261126)
    total = 0
    for run in range(20):
        proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "run", "--config", str(SAMPLE_CONFIG), "--data",
             str(data), "--at", "2026-12-01T17:45", "--size", "480x320", "--replay", str(script)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        thanks = 0
        lines: list[str] = []
        reader = threading.Thread(
            target=lambda p=proc, out=lines: out.extend(p.stdout), daemon=True
        )
        reader.start()
        deadline = time.monotonic() + 60
        while not lines and time.monotonic() < deadline:  # wait for the first check-in
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        reader.join(timeout=10)
        thanks = sum("expect thanks" in line for line in lines)
        assert thanks > 0, f"run {run}: no check-in finished before the kill"
        store = CheckinStore(data)  # must load: nothing set aside
        assert store.recovery.set_aside is None, store.recovery.describe()
        stored = sum(t.checkins for t in store.tallies())
        store.close()
        assert total + thanks <= stored <= total + thanks + 1, (run, total, thanks, stored)
        total = stored


def test_window_closing_while_the_checkin_screen_is_up_leads_to_closed(kiosk, tmp_path) -> None:
    driver = kiosk(at="2026-12-01T18:59:30")
    driver.tap("checkin")
    driver.expect("checkin")
    driver.advance(40)  # 19:00:10: the window (60 min after the start) has closed
    driver.tap("checkin.confirm")
    driver.expect("closed")
    assert load_tallies(tmp_path / "data") == []


def test_a_second_kiosk_on_the_same_data_folder_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    holder = CheckinStore(data)
    try:
        result = replay(tmp_path, "expect home\n", "2026-12-01T17:45", data)
    finally:
        holder.close()
    assert result.returncode == 1
    assert "another kiosk is already using the data folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_collector_waits_from_a_check_in_to_its_thanks_then_runs_again(kiosk) -> None:
    import gc

    from kiosk.lobby import Update

    driver = kiosk(at="2026-12-01T17:45")
    seen = []
    driver.app.lobby.subscribe(
        lambda changes: seen.append(gc.isenabled()) if Update.SAVING in changes else None
    )
    driver.tap("checkin")
    driver.tap("checkin.confirm")
    driver.tap("mood.4")
    driver.expect("thanks")
    driver.wait(0.2)
    assert seen == [False], "no full collection while the check-in is written"
    assert gc.isenabled(), "the collector runs again once thanks is up"
    driver.app.lobby.store.store.path.write_bytes(b"")  # the next write fails...
    driver.advance(6)
    driver.tap("checkin")
    driver.tap("checkin.confirm")
    driver.tap("mood.2")
    driver.wait(0.5)
    assert driver.screen != "thanks" and driver.app.lobby.flow.save_failed
    assert seen[-1] is False and gc.isenabled(), "...and the collector is back after it too"
