"""Configs, calendars, data files and command lines that once froze, crashed or blew up
the kiosk, each tried the way a careless staff member or an attacker would. Each one now
gets exit 1 with a message naming the file, entry and field (or the argument), and the
running kiosk keeps its last good config.

Plain Python, no window: the same loader serves `kiosk check` and the running app.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.cli import main
from kiosk.config.loader import load
from kiosk.config.watch import ConfigWatcher
from tests.conftest import bump_mtime, edit

LA = ZoneInfo("America/Los_Angeles")
GROUP = """
[[group]]
id = "{id}"
title = "Night group"
{when}
start = 19:00:00
duration_minutes = 60
"""


def add_group(config_dir: Path, when: str, group_id: str = "odd-group") -> None:
    with (config_dir / "schedule.toml").open("a", encoding="utf-8") as fh:
        fh.write(GROUP.format(id=group_id, when=when))


def errors(config_dir: Path) -> list[str]:
    result = load(config_dir)
    assert result.config is None, "expected the config to be refused"
    return [str(e) for e in result.errors]


def check(config_dir: Path, capsys) -> tuple[int, str]:
    code = main(["check", "--config", str(config_dir), "--at", "2026-12-01T17:45"])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out + out.err


# --- 1. unbounded expansion ---------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23",
        "FREQ=WEEKLY;BYDAY=MO;BYMINUTE=0,15,30,45",
        "FREQ=MONTHLY;BYDAY=1TU;BYSECOND=1,2",
        "FREQ=HOURLY",
        "FREQ=MINUTELY;INTERVAL=30",
    ],
)
def test_a_group_rule_that_would_meet_many_times_a_day_is_an_error(
    config_dir: Path, rule: str
) -> None:
    add_group(config_dir, f'rrule = "{rule}"\nfrom = 2026-01-06')
    [message] = errors(config_dir)
    assert '[[group]] #4 "odd-group"' in message and "field `rrule`" in message


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",  # the 30th of February
        "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31",
        "FREQ=DAILY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;BYSETPOS=9;BYDAY=MO",
        "FREQ=WEEKLY;COUNT=3;BYMONTHDAY=13;BYMONTH=2;BYDAY=FR;BYYEARDAY=1",
        "FREQ=MONTHLY;INTERVAL=12;BYMONTH=3",  # from a January first date: never March
    ],
)
def test_a_rule_that_never_gives_a_date_is_an_error_found_quickly(
    config_dir: Path, rule: str, capsys
) -> None:
    """Such rules made `kiosk check` search every day up to the year 9999 (28 s)."""
    add_group(config_dir, f'rrule = "{rule}"\nfrom = 2026-01-06')
    code, out = check(config_dir, capsys)
    assert code == 1 and '"odd-group", field `rrule`' in out and "never gives a date" in out


def test_a_group_that_meets_less_than_once_a_year_is_an_error(config_dir: Path) -> None:
    add_group(config_dir, 'rrule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"')  # leap days only
    [message] = errors(config_dir)
    assert "meets less than once in the 400 days" in message


def test_a_group_that_never_meets_between_from_and_until_is_an_error(config_dir: Path) -> None:
    add_group(config_dir, 'days = ["fri"]\nfrom = 2026-01-06\nuntil = 2026-01-08')
    [message] = errors(config_dir)
    assert "never meets between 2026-01-06 and 2026-01-08" in message


def _ics(events: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + events + "END:VCALENDAR\r\n"


def _event(uid: str, rule: str = "", start: str = "20261201T180000", extra: str = "") -> str:
    rrule = f"RRULE:{rule}\r\n" if rule else ""
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:{uid}\r\nDTSTART:{start}\r\n"
        f"DURATION:PT1H\r\n{rrule}{extra}END:VEVENT\r\n"
    )


def add_calendar(config_dir: Path, text: str | bytes, name: str = "groups.ics") -> None:
    data = text.encode() if isinstance(text, str) else text
    (config_dir / name).write_bytes(data)
    edit(
        config_dir / "schedule.toml",
        "[[cancellation]]",
        f'[[calendar]]\nfile = "{name}"\n\n[[cancellation]]',
    )


@pytest.mark.parametrize(
    ("rule", "why"),
    [
        ("FREQ=SECONDLY", "secondly"),
        ("FREQ=MINUTELY", "minutely"),
        ("FREQ=HOURLY", "hourly"),
        ("FREQ=DAILY;BYHOUR=1,2,3,4,5,6;BYMINUTE=0,30", "daily"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31", "never gives a date"),
    ],
)
def test_calendar_events_that_expand_without_bound_are_left_out_by_name(
    config_dir: Path, rule: str, why: str, capsys
) -> None:
    """One such event made `kiosk check` grow past 11 GB; the rest of the calendar shows."""
    add_calendar(config_dir, _ics(_event("flood", rule) + _event("coffee", "FREQ=WEEKLY")))
    code, out = check(config_dir, capsys)
    assert code == 0
    assert '"flood" in "groups.ics" is left out' in out and why in out
    config = load(config_dir).config
    week = config.build_schedule().upcoming(datetime(2026, 12, 1, 12, tzinfo=LA), 7)
    titles = [o.title.get("en", "en") for o in week]
    assert "coffee" in titles and "flood" not in titles


def test_a_calendar_event_a_few_times_a_day_is_kept(config_dir: Path) -> None:
    add_calendar(config_dir, _ics(_event("meds", "FREQ=DAILY;BYHOUR=9,17")))
    config = load(config_dir).config
    day = config.build_schedule().occurrences(
        datetime(2026, 12, 2, 0, tzinfo=LA), datetime(2026, 12, 3, 0, tzinfo=LA)
    )
    assert [o.start.hour for o in day if o.source == "meds"] == [9, 17]


# --- 2. size --------------------------------------------------------------------------------


def test_a_huge_tip_is_refused_by_check_and_by_the_running_app(config_dir: Path, tmp_path) -> None:
    """A 5 MB tip passed `kiosk check`, then took 141 s and 9.2 GB to draw."""
    watcher = ConfigWatcher(config_dir, tmp_path / "last-good")
    edit(config_dir / "tips.toml", 'text.en = "Street drugs', 'text.en = "' + "x" * 500_000)
    bump_mtime(config_dir / "tips.toml")
    [message] = errors(config_dir)
    assert '[[tip]] #1 "start-low-go-slow", field `text`' in message
    assert "characters long (at most 280 here)" in message
    assert watcher.poll() and not watcher.status.ok  # refused on hot reload too
    assert watcher.status.origin == "last-good"
    assert watcher.config.tips.tip[0].text.get("en", "en").startswith("Street drugs")


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        ("kiosk.toml", 'name.en = "Harm Reduction Group"', f'name.en = "{"N" * 81}"', "name"),
        ("schedule.toml", 'location.en = "Community', f'location.en = "{"L" * 130}', "location"),
        ("resources.toml", 'hours.en = "24/7"', f'hours.en = "{"h" * 81}"', "hours"),
        ("resources.toml", 'phone = "988"', f'phone = "9{" " * 40}88"', "phone"),
        ("tips.toml", 'id = "eat-first"\n', f'id = "{"e" * 65}"\n', "id"),
    ],
)
def test_every_text_field_has_a_limit(config_dir: Path, file, old, new, field) -> None:
    edit(config_dir / file, old, new)
    found = errors(config_dir)
    assert any(file in e and f"`{field}" in e for e in found), found


def test_too_many_entries_is_an_error(config_dir: Path) -> None:
    tips = "".join(
        f'[[tip]]\nid = "t{i}"\ncategory = "set"\ntext = "Rest."\n\n' for i in range(501)
    )
    (config_dir / "tips.toml").write_text(tips, encoding="utf-8")
    assert "501 entries (at most 500)" in errors(config_dir)[0]


def test_an_oversized_config_file_is_refused_without_reading_it_all(config_dir: Path) -> None:
    with (config_dir / "tips.toml").open("a", encoding="utf-8") as fh:
        fh.write("# " + "x" * (2 * 2**20) + "\n")
    assert "larger than 1 MB" in errors(config_dir)[0]


def test_an_oversized_calendar_is_refused(config_dir: Path, capsys) -> None:
    """A 50 MB .ics took 88 s and 916 MB."""
    padding = "X-PAD:" + "p" * 70 + "\r\n"
    big = _ics(_event("big", extra=padding * (11 * 2**20 // len(padding))))
    add_calendar(config_dir, big)
    code, out = check(config_dir, capsys)
    assert code == 1 and "larger than 10 MB" in out and '"groups.ics"' in out


def test_a_calendar_with_too_many_events_is_refused_before_parsing(config_dir: Path) -> None:
    add_calendar(config_dir, _ics("".join(_event(f"e{i}") for i in range(5001))))
    assert "5001 events, more than 5000" in errors(config_dir)[0]


def test_calendar_titles_are_cut_to_what_the_screen_has_room_for(config_dir: Path) -> None:
    add_calendar(config_dir, _ics(_event("x" * 5000, "FREQ=WEEKLY")))
    config = load(config_dir).config
    [o] = [
        o
        for o in config.build_schedule().upcoming(datetime(2026, 12, 1, 12, tzinfo=LA), 7)
        if o.kind == "calendar"
    ]
    assert len(o.title.get("en", "en")) == 100


# --- 3. dates at the edges ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("start = 2026-12-05T14:00:00", "start = 9999-12-31T23:00:00"),
        ("date = 2026-11-24", "date = 0001-01-01"),
        ("date = 2026-11-24", "date = 9999-12-31"),
        ("from = 2026-01-06", "from = 0001-01-02"),
    ],
)
def test_dates_outside_2000_to_2100_are_errors(config_dir: Path, old: str, new: str, capsys):
    """These gave OverflowError tracebacks, and the running app took such a config as
    good and stopped updating the screen."""
    edit(config_dir / "schedule.toml", old, new)
    code, out = check(config_dir, capsys)
    assert code == 1 and "is out of range" in out and "schedule.toml" in out


@pytest.mark.parametrize("at", ["0001-01-01T00:00", "9999-12-31T23:59", "2101-01-01T00:00"])
@pytest.mark.parametrize("command", ["check", "upcoming"])
def test_at_near_the_limits_is_a_clear_error(command: str, at: str, capsys) -> None:
    assert main([command, "--at", at]) == 1
    err = capsys.readouterr().err
    assert "out of range" in err and "Traceback" not in err


def test_a_data_file_with_counts_at_year_1_or_9999_still_reports(
    config_dir: Path, tmp_path: Path, capsys
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    records = {
        "1": {"occurrence": "harm-reduction@0001-01-01", "checkins": 3},
        "2": {"occurrence": "harm-reduction@9999-12-31", "checkins": 4},
        "3": {"occurrence": "harm-reduction@2026-11-17", "checkins": 6},
    }
    (data / "checkins.json").write_text(json.dumps({"occurrences": records}))
    code = main(["report", "--config", str(config_dir), "--data", str(data)])
    out = capsys.readouterr()
    assert code == 0 and "Traceback" not in out.err
    assert out.out.splitlines()[1].startswith("2026-11-17,harm-reduction")
    assert "2 count(s)" in out.err


# --- 4. deep nesting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "languages = " + "[" * 5000 + "]" * 5000,
        "x = " + "{a = " * 3000 + "1" + "}" * 3000,
        "languages = " + "[" * 7 + '"en"' + "]" * 7,
    ],
)
def test_deep_nesting_is_a_clear_error(config_dir: Path, text: str, capsys) -> None:
    """Nesting thousands deep gave a RecursionError that named only the folder."""
    edit(config_dir / "kiosk.toml", 'languages = ["en", "es", "zh-Hant", "tl"]', text)
    code, out = check(config_dir, capsys)
    assert code == 1 and "kiosk.toml" in out and "nested more than 6 deep" in out
    assert "fault in the kiosk" not in out


# --- 9. smaller -----------------------------------------------------------------------------


def test_a_garbage_calendar_never_prints_raw_bytes(config_dir: Path, capsys) -> None:
    add_calendar(config_dir, b"BEGIN:VCALENDAR\r\n\x1b[2J\x07\xff\xfe" + os.urandom(2000))
    code, out = check(config_dir, capsys)
    assert code == 1 and '"groups.ics"' in out
    assert "\x1b" not in out and "\x07" not in out and "\ufffd" not in out


def test_a_symlink_loop_is_reported_as_a_loop(config_dir: Path) -> None:
    (config_dir / "tips.toml").unlink()
    (config_dir / "tips.toml").symlink_to(config_dir / "tips.toml")
    assert "loops back on itself" in errors(config_dir)[0]


def test_report_on_a_missing_data_folder_is_an_error(config_dir: Path, tmp_path, capsys):
    code = main(["report", "--config", str(config_dir), "--data", str(tmp_path / "typo")])
    assert code == 1 and "no such folder" in capsys.readouterr().err


def test_replay_of_a_file_that_is_not_utf8_is_a_clear_error(tmp_path: Path, capsys) -> None:
    script = tmp_path / "script.txt"
    script.write_bytes(b"tap checkin\n\xff\xfe\n")
    assert main(["run", "--replay", str(script)]) == 1
    err = capsys.readouterr().err
    assert "not UTF-8" in err and "Traceback" not in err


def test_no_input_needs_much_memory(config_dir: Path, tmp_path: Path) -> None:
    """`kiosk check` on a hostile config, in a process limited to 500 MB."""
    add_group(config_dir, 'rrule = "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"\nfrom = 2026-01-06')
    add_calendar(config_dir, _ics(_event("flood", "FREQ=SECONDLY")))
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (500 * 2**20, 500 * 2**20))\n"
        "from kiosk.cli import main\n"
        f"sys.exit(main(['check', '--config', {str(config_dir)!r}, '--data', {str(tmp_path)!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1, result.stderr
    assert "never gives a date" in result.stdout and "left out" in result.stdout


def test_a_failed_heartbeat_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    from kiosk.adapters import health

    (tmp_path / health.HEARTBEAT).mkdir()  # the write cannot replace it
    beat = health.Heartbeat("2026-12-01T00:00:00+00:00", "1", 1, 1, True, "files", 0, True, 1.0)
    with pytest.raises(OSError):
        health.write(tmp_path, beat)
    assert [p.name for p in tmp_path.iterdir()] == [health.HEARTBEAT]


def test_a_failed_copy_of_the_good_config_leaves_no_half_copy(
    config_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    import errno
    import shutil

    def full_disk(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copy2", full_disk)
    ConfigWatcher(config_dir, tmp_path / "data" / "config-last-good")
    assert list((tmp_path / "data").iterdir()) == []
