"""The schedule engine: recurrence, one-off events, cancellations, time zones and DST.

Expected times are worked out by hand. 2026: Mar 1 and Nov 1 are Sundays; Los Angeles
springs forward on Sun Mar 8 (02:00 PST -> 03:00 PDT) and falls back on Sun Nov 1
(02:00 PDT -> 01:00 PST). PST is -08:00, PDT is -07:00.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.cli import main
from kiosk.config.models import ScheduleFile
from kiosk.core.schedule import Schedule, group_meets_on
from tests.conftest import SAMPLE_CONFIG, schedule_from

LA = ZoneInfo("America/Los_Angeles")
PST, PDT = timedelta(hours=-8), timedelta(hours=-7)


schedule = schedule_from


def starts(s: Schedule, start: datetime, days: float) -> list[tuple[str, datetime, timedelta]]:
    return [
        (o.id, o.start.replace(tzinfo=None), o.start.utcoffset()) for o in s.upcoming(start, days)
    ]


WEEKLY = """
[[group]]
id = "hr"
title = "Group"
days = ["tue"]
start = 18:00:00
duration_minutes = 90
"""


def test_weekly_group_keeps_wall_clock_time_across_spring_forward() -> None:
    s = schedule(WEEKLY)
    got = starts(s, datetime(2026, 3, 1, 12, tzinfo=LA), 14)
    assert got == [
        ("hr@2026-03-03", datetime(2026, 3, 3, 18), PST),
        ("hr@2026-03-10", datetime(2026, 3, 10, 18), PDT),
    ]


def test_weekly_group_keeps_wall_clock_time_across_fall_back() -> None:
    s = schedule(WEEKLY)
    got = starts(s, datetime(2026, 10, 25, 12, tzinfo=LA), 14)
    assert got == [
        ("hr@2026-10-27", datetime(2026, 10, 27, 18), PDT),
        ("hr@2026-11-03", datetime(2026, 11, 3, 18), PST),
    ]
    end = s.upcoming(datetime(2026, 11, 3, 12, tzinfo=LA), 1)[0].end
    assert end.isoformat() == "2026-11-03T19:30:00-08:00"


def test_time_skipped_by_spring_forward_moves_later_by_the_gap() -> None:
    s = schedule(WEEKLY.replace('["tue"]', '["sun"]').replace("18:00:00", "02:30:00"))
    (occ,) = s.upcoming(datetime(2026, 3, 7, 12, tzinfo=LA), 1.5)
    # 02:30 does not exist on Mar 8; 02:30 PST would be 10:30 UTC = 03:30 PDT.
    assert occ.id == "sun@2026-03-08".replace("sun", "hr")
    assert occ.start.isoformat() == "2026-03-08T03:30:00-07:00"
    assert occ.end.isoformat() == "2026-03-08T05:00:00-07:00"


def test_time_repeated_by_fall_back_takes_the_first_and_lasts_its_real_length() -> None:
    s = schedule(
        WEEKLY.replace('["tue"]', '["sun"]').replace("18:00:00", "01:30:00").replace("90", "60")
    )
    (occ,) = s.upcoming(datetime(2026, 10, 31, 12, tzinfo=LA), 1)
    # 01:30 happens twice on Nov 1: first in PDT (08:30 UTC). One hour later it is
    # 09:30 UTC, which reads 01:30 again, now in PST.
    assert occ.start.isoformat() == "2026-11-01T01:30:00-07:00"
    assert occ.end.isoformat() == "2026-11-01T01:30:00-08:00"
    assert occ.end_utc - occ.start_utc == timedelta(hours=1)


def test_first_tuesday_monthly_rule() -> None:
    s = schedule(WEEKLY.replace('days = ["tue"]', 'rrule = "FREQ=MONTHLY;BYDAY=1TU"'))
    got = [o.start.date() for o in s.upcoming(datetime(2026, 11, 1, tzinfo=LA), 120)]
    assert got == [date(2026, 11, 3), date(2026, 12, 1), date(2027, 1, 5), date(2027, 2, 2)]


def test_rrule_prefix_and_case_are_accepted() -> None:
    s = schedule(WEEKLY.replace('days = ["tue"]', 'rrule = "rrule:freq=monthly;byday=-1fr"'))
    got = [o.start.date() for o in s.upcoming(datetime(2026, 11, 1, tzinfo=LA), 40)]
    assert got == [date(2026, 11, 27)]  # last Friday of November 2026


def test_interval_rule_counts_from_its_first_date() -> None:
    s = schedule(
        WEEKLY.replace(
            'days = ["tue"]', 'rrule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"\nfrom = 2026-11-10'
        )
    )
    got = [o.start.date() for o in s.upcoming(datetime(2026, 11, 1, tzinfo=LA), 30)]
    assert got == [date(2026, 11, 10), date(2026, 11, 24)]


def test_group_whose_until_has_passed_shows_nothing() -> None:
    s = schedule(WEEKLY + "until = 2026-11-24\n")
    assert s.upcoming(datetime(2026, 11, 25, tzinfo=LA), 30) == []
    # ...but its last meeting, on the until date itself, still counts.
    assert [o.id for o in s.upcoming(datetime(2026, 11, 20, tzinfo=LA), 30)] == ["hr@2026-11-24"]


def test_group_before_its_from_date_shows_nothing() -> None:
    s = schedule(WEEKLY + "from = 2026-12-08\n")
    got = [o.id for o in s.upcoming(datetime(2026, 11, 25, tzinfo=LA), 21)]
    assert got == ["hr@2026-12-08", "hr@2026-12-15"]


def test_cancellation_marks_one_occurrence_with_its_reason() -> None:
    s = schedule(
        WEEKLY
        + '[[cancellation]]\ngroup = "hr"\ndate = 2026-11-24\n'
        + 'reason = { en = "Thanksgiving", es = "Acción de Gracias" }\n'
    )
    got = s.upcoming(datetime(2026, 11, 20, tzinfo=LA), 14)
    assert [(o.id, o.cancelled) for o in got] == [("hr@2026-11-24", True), ("hr@2026-12-01", False)]
    assert got[0].note is not None and got[0].note.get("es", "en") == "Acción de Gracias"


def test_one_off_event_and_in_progress_occurrences() -> None:
    s = schedule(
        WEEKLY
        + '[[event]]\nid = "training"\ntitle = "Naloxone"\nstart = 2026-12-05T14:00:00\n'
        + "duration_minutes = 60\n"
    )
    # At 14:30 the training has started but not ended: it is included, and live.
    (occ,) = s.upcoming(datetime(2026, 12, 5, 14, 30, tzinfo=LA), 1)
    assert occ.id == "training@2026-12-05" and occ.is_live(datetime(2026, 12, 5, 14, 30, tzinfo=LA))
    assert s.upcoming(datetime(2026, 12, 5, 15, 0, tzinfo=LA), 1) == []


def test_group_meets_on() -> None:
    model = ScheduleFile.model_validate(tomllib.loads(WEEKLY + "until = 2026-12-31\n"))
    group = model.group[0]
    assert group_meets_on(group, date(2026, 12, 29))
    assert not group_meets_on(group, date(2026, 12, 30))
    assert not group_meets_on(group, date(2027, 1, 5))  # after until


def test_times_are_in_the_config_zone_not_the_machine_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    s = schedule(WEEKLY, tz=tokyo)
    (occ,) = s.upcoming(datetime(2026, 12, 1, 12, tzinfo=tokyo), 1)
    assert occ.start.isoformat() == "2026-12-01T18:00:00+09:00"


def upcoming_json(capsys, *args: str) -> list[dict]:
    assert main(["upcoming", "--json", "--config", str(SAMPLE_CONFIG), *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_upcoming_json_around_spring_forward(capsys: pytest.CaptureFixture[str]) -> None:
    items = upcoming_json(capsys, "--at", "2026-03-01T12:00", "--days", "10")
    # Window: Sun Mar 1 12:00 to Wed Mar 11 12:00. The wound-care group (2nd Wed) is at
    # 13:00 on Mar 11, just after it.
    assert [(i["id"], i["start"], i["end"]) for i in items] == [
        ("harm-reduction@2026-03-03", "2026-03-03T18:00:00-08:00", "2026-03-03T19:30:00-08:00"),
        ("coffee-drop-in@2026-03-05", "2026-03-05T10:00:00-08:00", "2026-03-05T11:00:00-08:00"),
        ("harm-reduction@2026-03-10", "2026-03-10T18:00:00-07:00", "2026-03-10T19:30:00-07:00"),
    ]


def test_upcoming_json_around_fall_back(capsys: pytest.CaptureFixture[str]) -> None:
    items = upcoming_json(capsys, "--at", "2026-10-26T12:00", "--days", "10")
    assert [(i["id"], i["start"]) for i in items] == [
        ("harm-reduction@2026-10-27", "2026-10-27T18:00:00-07:00"),
        ("coffee-drop-in@2026-10-29", "2026-10-29T10:00:00-07:00"),
        ("harm-reduction@2026-11-03", "2026-11-03T18:00:00-08:00"),
        ("coffee-drop-in@2026-11-05", "2026-11-05T10:00:00-08:00"),
    ]


def test_upcoming_json_shape_with_cancellation_and_language(capsys) -> None:
    items = upcoming_json(capsys, "--at", "2026-11-24T17:00", "--days", "2", "--lang", "es")
    assert items[0] == {
        "id": "harm-reduction@2026-11-24",
        "title": "Grupo de Reducción de Daños",
        "start": "2026-11-24T18:00:00-08:00",
        "end": "2026-11-24T19:30:00-08:00",
        "location": "Sala Comunitaria, 2.º piso",
        "cancelled": True,
        "note": "Semana de Acción de Gracias: no hay grupo. Nos vemos el 1 de diciembre.",
    }
    assert items[1]["id"] == "coffee-drop-in@2026-11-26" and items[1]["cancelled"] is True
    assert items[1]["note"] == "Día de Acción de Gracias. ¡Felices fiestas!"


def test_upcoming_includes_what_has_started_but_not_ended(capsys) -> None:
    items = upcoming_json(capsys, "--at", "2026-12-01T19:29", "--days", "1")
    assert items[0]["id"] == "harm-reduction@2026-12-01"


def test_upcoming_rejects_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["upcoming", "--config", str(SAMPLE_CONFIG), "--at", "next tuesday"]) == 1
    assert main(["upcoming", "--config", str(SAMPLE_CONFIG), "--lang", "fr"]) == 1
    assert main(["upcoming", "--config", str(SAMPLE_CONFIG), "--days", "0"]) == 1
    err = capsys.readouterr().err
    assert "ISO date-time" in err and "not one of the languages" in err and "Traceback" not in err


def test_upcoming_with_broken_config_exits_1(tmp_path: Path, capsys) -> None:
    (tmp_path / "kiosk.toml").write_text('name = "x"\ntimezone = "Mars/Olympus"\n')
    assert main(["upcoming", "--config", str(tmp_path)]) == 1
    out = capsys.readouterr()
    assert out.out == ""  # nothing a script could mistake for JSON
    assert "Mars/Olympus" in out.err and "Traceback" not in out.err


def test_next_meeting_skips_cancellations_and_looks_past_a_week() -> None:
    s = schedule(
        WEEKLY
        + '[[cancellation]]\ngroup = "hr"\ndate = 2026-11-24\n'
        + '[[cancellation]]\ngroup = "hr"\ndate = 2026-12-01\n'
    )
    nxt = s.next_meeting(datetime(2026, 11, 23, 12, tzinfo=LA))
    assert nxt is not None and nxt.id == "hr@2026-12-08"
    live = s.next_meeting(datetime(2026, 12, 8, 19, 0, tzinfo=LA))
    assert live is not None and live.id == "hr@2026-12-08"
    ended = schedule(WEEKLY + "until = 2026-11-24\n")
    assert ended.next_meeting(datetime(2026, 11, 25, tzinfo=LA)) is None
