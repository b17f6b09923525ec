"""Hot reload with a last-known-good config, and the copy kept for restarts."""

from __future__ import annotations

from pathlib import Path

from kiosk.config.watch import ConfigWatcher
from tests.conftest import bump_mtime, edit


def test_valid_change_is_picked_up(config_dir: Path, tmp_path: Path) -> None:
    watcher = ConfigWatcher(config_dir, tmp_path / "snap")
    assert watcher.status.ok and watcher.poll() is False
    edit(config_dir / "kiosk.toml", "tip_seconds = 12", "tip_seconds = 20")
    bump_mtime(config_dir / "kiosk.toml")
    assert watcher.poll() is True
    assert watcher.config.kiosk.timing.tip_seconds == 20
    assert watcher.status.ok and watcher.status.origin == "files"


def test_invalid_change_keeps_last_good_and_reports(config_dir: Path, tmp_path: Path) -> None:
    watcher = ConfigWatcher(config_dir, tmp_path / "snap")
    good = watcher.config
    edit(config_dir / "schedule.toml", 'days = ["tue"]', 'days = ["tuesdya"]')
    bump_mtime(config_dir / "schedule.toml")
    assert watcher.poll() is True
    assert watcher.config is good
    assert not watcher.status.ok and watcher.status.origin == "last-good"
    assert "tuesdya" in str(watcher.status.errors[0])
    # Fixing it brings the status back.
    edit(config_dir / "schedule.toml", 'days = ["tuesdya"]', 'days = ["tue", "fri"]')
    bump_mtime(config_dir / "schedule.toml", 2)
    assert watcher.poll() is True
    assert watcher.status.ok and watcher.config.schedule.group[0].days == ["tue", "fri"]


def test_new_file_in_folder_is_noticed(config_dir: Path) -> None:
    (config_dir / "resources.toml").unlink(missing_ok=True)
    watcher = ConfigWatcher(config_dir)
    (config_dir / "resources.toml").write_text(
        '[[resource]]\nid = "988"\ncategory = "hotline"\nname = "988 Lifeline"\nphone = "988"\n'
    )
    assert watcher.poll() is True
    assert [r.id for r in watcher.config.resources.resource] == ["988"]


def test_restart_with_broken_config_shows_the_saved_copy(config_dir: Path, tmp_path: Path) -> None:
    snapshot = tmp_path / "data" / "config-last-good"
    ConfigWatcher(config_dir, snapshot)
    assert (snapshot / "kiosk.toml").exists()
    edit(config_dir / "kiosk.toml", 'timezone = "America/Los_Angeles"', "timezone = ")
    watcher = ConfigWatcher(config_dir, snapshot)
    assert not watcher.status.ok and watcher.status.origin == "snapshot"
    assert watcher.config.kiosk.timezone == "America/Los_Angeles"
    assert len(watcher.config.tips.tip) > 20


def test_broken_config_with_no_saved_copy_falls_back_to_the_clock(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "kiosk.toml").write_text("name = [")
    watcher = ConfigWatcher(folder, tmp_path / "snap")
    assert watcher.status.origin == "fallback" and not watcher.status.ok
    assert watcher.config.tips.tip == [] and watcher.config.schedule.group == []
    assert "line 1" in str(watcher.status.errors[0])


def test_calendar_file_change_is_noticed(config_dir: Path, tmp_path: Path) -> None:
    ics = config_dir / "extra.ics"
    ics.write_text(_ics("First"))
    edit(
        config_dir / "schedule.toml",
        "[[cancellation]]",
        '[[calendar]]\nfile = "extra.ics"\n\n[[cancellation]]',
    )
    watcher = ConfigWatcher(config_dir, tmp_path / "snap")
    assert watcher.status.ok
    ics.write_text(_ics("Second"))
    bump_mtime(ics)
    assert watcher.poll() is True
    summary = watcher.config.calendars[0].ical.walk("VEVENT")[0]["SUMMARY"]
    assert str(summary) == "Second"
    assert (tmp_path / "snap" / "extra.ics").exists()


def _ics(summary: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:one@test\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261201T020000Z\r\n"
        f"DTEND:20261201T030000Z\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def test_saved_copy_of_another_folder_is_not_used(config_dir: Path, tmp_path: Path) -> None:
    snapshot = tmp_path / "data" / "config-last-good"
    ConfigWatcher(config_dir, snapshot)
    other = tmp_path / "other"
    other.mkdir()
    (other / "kiosk.toml").write_text("name = [")
    watcher = ConfigWatcher(other, snapshot)
    assert watcher.status.origin == "fallback"


def test_calendar_with_a_broken_series_shows_the_rest(config_dir: Path, tmp_path: Path) -> None:
    broken = (
        "BEGIN:VEVENT\r\nUID:bad@test\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20261201T020000Z\r\nRRULE:FREQ=WEEKLY;UNTIL=garbage\r\n"
        "SUMMARY:Broken\r\nEND:VEVENT\r\nEND:VCALENDAR"
    )
    (config_dir / "extra.ics").write_text(_ics("Fine").replace("END:VCALENDAR", broken))
    edit(
        config_dir / "schedule.toml",
        "[[cancellation]]",
        '[[calendar]]\nfile = "extra.ics"\n\n[[cancellation]]',
    )
    watcher = ConfigWatcher(config_dir, tmp_path / "snap")
    assert watcher.status.ok
    assert any("cannot be read" in w.message for w in watcher.status.warnings)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    upcoming = watcher.config.build_schedule().upcoming(
        datetime(2026, 11, 30, 12, tzinfo=ZoneInfo("America/Los_Angeles")), 2
    )
    assert "Fine" in [str(o.title) for o in upcoming]
