"""Attendance reports: the contract's CSV and a self-contained HTML page."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from kiosk.adapters.storage import CheckinStore
from kiosk.cli import main
from kiosk.config.loader import load
from kiosk.core.checkins import Tally
from kiosk.core.report import after_to_csv, monthly_totals, rows, to_csv, to_html, weekly_totals
from tests.conftest import SAMPLE_CONFIG, edit

CONFIG = load(SAMPLE_CONFIG).config
assert CONFIG is not None

TALLIES = [
    Tally("harm-reduction@2026-12-01", checkins=7, mood_1=1, mood_3=2, mood_5=3, mood_skipped=1),
    Tally("coffee-drop-in@2026-12-03", checkins=2, mood_4=2),
    Tally("wound-care@2026-11-11", checkins=5, mood_2=5),
    Tally("retired-group@2026-10-06", checkins=1),
]


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_rows_in_start_order_with_titles_and_suppression() -> None:
    got = parse(to_csv(rows(CONFIG, TALLIES)))
    assert [r["date"] for r in got] == ["2026-10-06", "2026-11-11", "2026-12-01", "2026-12-03"]
    hr = got[2]
    assert hr == {
        "date": "2026-12-01", "group": "harm-reduction", "title": "Harm Reduction Group",
        "start": "2026-12-01T18:00:00-08:00", "checkins": "7", "mood_1": "1", "mood_2": "0",
        "mood_3": "2", "mood_4": "0", "mood_5": "3", "mood_skipped": "1",
        "first_time": "", "returning": "", "first_skipped": "",  # the question is off
    }  # fmt: skip
    coffee = got[3]
    assert coffee["checkins"] == "2" and coffee["mood_4"] == "" and coffee["mood_skipped"] == ""
    assert got[1]["mood_2"] == "5"  # exactly at the minimum: shown
    # A group no longer in the config keeps its id as title and an empty start.
    assert got[0]["group"] == got[0]["title"] == "retired-group" and got[0]["start"] == ""


def after_tally(occurrence: str, **pairs: int) -> Tally:
    return Tally.from_counts(occurrence, {f"after_{k[1:]}": v for k, v in pairs.items()})


def test_first_time_columns_show_once_enough_answered_and_only_when_asked(config_dir) -> None:
    tallies = [
        Tally("harm-reduction@2026-12-01", checkins=9, first_time=2, returning=3, first_skipped=4),
        Tally("coffee-drop-in@2026-12-03", checkins=9, first_time=1, returning=3, first_skipped=5),
    ]
    off = parse(to_csv(rows(CONFIG, tallies)))
    assert [(r["first_time"], r["returning"], r["first_skipped"]) for r in off] == [
        ("", "", "")
    ] * 2
    edit(
        config_dir / "kiosk.toml",
        "mood_question = true",
        "mood_question = true\nfirst_time_question = true",
    )
    config = load(config_dir).config
    on = parse(to_csv(rows(config, tallies)))
    # 2 + 3 answered Yes or No: shown. 1 + 3 is under the minimum of 5: blank, skips too.
    assert [(r["first_time"], r["returning"], r["first_skipped"]) for r in on] == [
        ("2", "3", "4"), ("", "", "")
    ]  # fmt: skip


def test_after_group_csv_compares_the_two_faces_and_hides_small_counts() -> None:
    tallies = [
        # better: 2->4 twice, 1->5; same: 3->3; worse: 4->2; partial: 3
        after_tally("harm-reduction@2026-12-01", _2_4=2, _1_5=1, _3_3=1, _4_2=1, _partial=3),
        after_tally("harm-reduction@2026-11-24", _2_3=2, _3_3=1, _partial=9),
        Tally("coffee-drop-in@2026-12-03", checkins=4),  # no after-group answers: no row
    ]
    got = parse(after_to_csv(rows(CONFIG, tallies, kind="after-group")))
    assert list(got[0]) == ["date", "group", "title", "start", "answers", "better", "same",
                            "worse", "partial"]  # fmt: skip
    assert [r["date"] for r in got] == ["2026-11-24", "2026-12-01"]
    assert got[1] == {
        "date": "2026-12-01", "group": "harm-reduction", "title": "Harm Reduction Group",
        "start": "2026-12-01T18:00:00-08:00", "answers": "5", "better": "3", "same": "1",
        "worse": "1", "partial": "3",
    }  # fmt: skip
    # Three answers (and nine partial ones) are too few: only the count of answers shows.
    assert (got[0]["answers"], got[0]["better"], got[0]["partial"]) == ("3", "", "")


def test_date_range_is_inclusive() -> None:
    got = rows(CONFIG, TALLIES, date(2026, 11, 11), date(2026, 12, 1))
    assert [r.tally.occurrence for r in got] == [
        "wound-care@2026-11-11",
        "harm-reduction@2026-12-01",
    ]


def test_privacy_minimum_comes_from_the_config(config_dir: Path) -> None:
    edit(config_dir / "kiosk.toml", "min_report_count = 5", "min_report_count = 2")
    config = load(config_dir).config
    coffee = parse(to_csv(rows(config, TALLIES)))[3]
    assert coffee["mood_4"] == "2"


def test_weekly_totals_fill_empty_weeks() -> None:
    got = weekly_totals(rows(CONFIG, TALLIES))
    assert got[0] == (date(2026, 10, 5), 1)
    assert got[-1] == (date(2026, 11, 30), 9)  # Tue Dec 1 and Thu Dec 3: week of Mon Nov 30
    assert len(got) == 9 and sum(n for _, n in got) == 15


def test_monthly_mood_totals_leave_out_suppressed_meetings() -> None:
    months = {m: (n, c, moods) for m, n, c, moods in monthly_totals(rows(CONFIG, TALLIES))}
    assert months["2026-12"] == (2, 9, (1, 0, 2, 0, 3, 1))  # coffee's 2 not added in
    assert months["2026-10"] == (1, 1, None)


def test_html_is_self_contained_and_explains_itself(config_dir: Path) -> None:
    edit(config_dir / "kiosk.toml", 'en = "Harm Reduction Group"', 'en = "A <b>&</b> Group"')
    config = load(config_dir).config
    html = to_html(config, rows(config, TALLIES), None, None)
    assert "<svg" in html and "Check-ins per week" in html and "Week starting" in html
    assert "check-ins, not people" in html and "fewer than 5 people chose a face" in html
    assert "A &lt;b&gt;&amp;&lt;/b&gt; Group" in html and "<b>&</b>" not in html
    assert "http" not in html.replace("http://www.w3.org/2000/svg", "")  # nothing to fetch


def test_cli_report_writes_files_and_rejects_bad_input(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    store = CheckinStore(data)
    for _ in range(6):
        store.record("harm-reduction@2026-12-01", 4)
    store.close()
    out = tmp_path / "out" / "report.html"
    args = ["report", "--config", str(SAMPLE_CONFIG), "--data", str(data)]
    assert main([*args, "--format", "html", "--out", str(out)]) == 0
    assert out.read_text().startswith("<!doctype html>")
    assert main([*args, "--from", "2026-12-02", "--to", "2026-12-01"]) == 1
    assert main([*args, "--from", "yesterday"]) == 1
    (data / "checkins.json").write_bytes(b"\x00")
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "is after" in err and "not a date" in err and "cannot be read" in err
    assert "Traceback" not in err


def test_moods_hide_when_few_chose_a_face_however_many_checked_in() -> None:
    walkaways = Tally("harm-reduction@2026-12-01", checkins=9, mood_3=1, mood_skipped=8)
    (row,) = parse(to_csv(rows(CONFIG, [walkaways])))
    assert row["checkins"] == "9" and row["mood_3"] == "" and row["mood_skipped"] == ""


def test_an_occurrence_still_open_for_checkin_is_not_reported_yet() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    during = datetime(2026, 12, 1, 18, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert [r.group for r in rows(CONFIG, TALLIES[:1], now=during)] == []
    # Check-in closed at 19:00; someone who tapped "I'm here" at 18:59 may still be
    # answering: the meeting waits half an hour more.
    just_closed = during.replace(hour=19, minute=20)
    assert [r.group for r in rows(CONFIG, TALLIES[:1], now=just_closed)] == []
    after = during.replace(hour=19, minute=30)
    assert [r.group for r in rows(CONFIG, TALLIES[:1], now=after)] == ["harm-reduction"]


def test_after_group_answers_wait_until_half_an_hour_after_the_question_closes(
    config_dir: Path,
) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    kiosk = config_dir / "kiosk.toml"
    kiosk.write_text(kiosk.read_text() + "\n[after_group]\nenabled = true\n")
    config = load(config_dir).config
    tallies = [after_tally("harm-reduction@2026-12-01", _2_4=5)]
    at = datetime(2026, 12, 1, 20, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert rows(config, tallies, now=at, kind="after-group") == []  # closed at 20:15
    later = at.replace(hour=20, minute=45)
    assert len(rows(config, tallies, now=later, kind="after-group")) == 1


def test_csv_title_cannot_run_as_a_spreadsheet_formula(config_dir: Path) -> None:
    for lang in ("es", "zh-Hant", "tl"):
        edit(config_dir / "schedule.toml", f"title.{lang} = ", f"# title.{lang} = ")
    old = 'title.en = "Harm Reduction Group"'
    edit(config_dir / "schedule.toml", old, 'title = "=HYPERLINK(1)"')
    config = load(config_dir).config
    assert config is not None
    (row,) = [r for r in parse(to_csv(rows(config, TALLIES))) if r["group"] == "harm-reduction"]
    assert row["title"] == "'=HYPERLINK(1)"


def helping_html(tallies: list[Tally], config=CONFIG) -> str:
    after = rows(config, tallies, kind="after-group")
    return to_html(config, rows(config, tallies), None, None, after)


def test_the_report_says_whether_the_group_helps_from_enough_answers() -> None:
    # 14 better and 3 worse in all, over three meetings of 5 or more answers each.
    tallies = [
        after_tally("harm-reduction@2026-11-10", _2_4=5, _3_3=1),
        after_tally("harm-reduction@2026-11-17", _1_3=5, _4_2=2),
        after_tally("harm-reduction@2026-12-01", _3_5=4, _3_2=1, _3_3=2),
        after_tally("harm-reduction@2026-11-03", _5_1=3),  # 3 answers: hidden, not pooled
    ]
    page = helping_html(tallies)
    assert "Is the group helping?" in page and "How to read this" in page
    assert "Felt better <strong>14</strong>" in page and "Felt worse <strong>3</strong>" in page
    assert "20 answers at 3 meeting(s); 1 meeting(s) with too few answers are left out" in page
    assert "p = 0.013" in page and "82% (95% range 57% to 96%)" in page
    assert "People left feeling better more often than chance alone would give." in page


def test_too_few_who_changed_get_a_plain_message_and_no_p_value() -> None:
    tallies = [after_tally("harm-reduction@2026-12-01", _2_4=4, _3_3=3, _4_3=1)]
    page = helping_html(tallies)
    assert "Too few answers yet to tell a change from chance." in page
    assert "5 answer(s) felt better or worse" in page and "About 44 more answers" in page
    assert "p =" not in page and "p &lt;" not in page


def test_a_group_with_too_few_answers_in_all_shows_nothing_of_them() -> None:
    tallies = [after_tally("harm-reduction@2026-12-01", _2_4=3, _3_3=1)]
    page = helping_html(tallies)
    assert "Fewer than 5 answers" in page and "Felt better" not in page
