"""`kiosk report --merge`: buildings' CSV reports as one, with their blanks kept."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kiosk.adapters.storage import CheckinStore
from kiosk.cli import main
from tests.conftest import SAMPLE_CONFIG


def building_csv(tmp_path: Path, name: str, checkins: int, capsys) -> Path:
    data = tmp_path / f"{name}-data"
    store = CheckinStore(data)
    # (Not the sample's "today", Dec 1: the report holds back a meeting whose check-in is
    # open at the real time.)
    for n in range(checkins):
        store.record("harm-reduction@2026-11-17", 1 + n % 5)
    store.record("coffee-drop-in@2026-11-19", 4)  # one check-in: its moods stay blank
    store.close()
    out = tmp_path / f"{name}.csv"
    args = ["report", "--config", str(SAMPLE_CONFIG), "--data", str(data), "--out", str(out)]
    assert main(args) == 0
    capsys.readouterr()
    return out


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_merge_adds_a_building_column_and_keeps_each_buildings_blanks(tmp_path, capsys) -> None:
    north = building_csv(tmp_path, "north", 7, capsys)
    south = building_csv(tmp_path, "south", 5, capsys)
    assert main(["report", "--merge", f"North House={north}", f"South={south}"]) == 0
    rows = parse(capsys.readouterr().out)
    assert list(rows[0])[:2] == ["building", "date"]
    assert [(r["building"], r["group"], r["checkins"]) for r in rows] == [
        ("North House", "harm-reduction", "7"),
        ("South", "harm-reduction", "5"),
        ("North House", "coffee-drop-in", "1"),
        ("South", "coffee-drop-in", "1"),
    ]
    assert rows[0]["mood_1"] == "2" and rows[2]["mood_4"] == "" and rows[3]["mood_4"] == ""


def test_merged_html_shows_every_building_and_the_total(tmp_path, capsys) -> None:
    north = building_csv(tmp_path, "north", 7, capsys)
    south = building_csv(tmp_path, "south", 5, capsys)
    out = tmp_path / "all.html"
    assert main(["report", "--merge", f"North={north}", f"South={south}", "--format", "html",
                 "--out", str(out)]) == 0  # fmt: skip
    page = out.read_text()
    assert "All buildings: North, South" in page
    assert '<span class="big">14</span> check-ins at 4 meetings' in page
    assert "North · Harm Reduction Group" in page and "South · Coffee &amp; Conversation" in page
    # November: 4 meetings, 14 check-ins; mood totals add up only the meetings shown (the
    # two single check-ins at coffee, both "good", stay out: 2 good, not 4).
    assert (
        "November 2026</th><td>4</td><td>14</td>"
        + "".join(f"<td>{n}</td>" for n in (3, 3, 2, 2, 2, 0))
        in page
    )


HEADER = b"date,group,title,start,checkins,mood_1,mood_2,mood_3,mood_4,mood_5,mood_skipped\n"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"date,group\n2026-12-01,x\n", "line 1: the columns are not those of `kiosk report`"),
        (b"\xff\xfe\x00", "not UTF-8 text"),
        (HEADER + b"2026-12-01,hr,T,,many,,,,,,\n", "line 2, column checkins: 'many' is not"),
        (HEADER + b"yesterday,hr,T,,3,,,,,,\n", "line 2: the date or start is not ISO 8601"),
        (HEADER + b"2026-12-01,hr,T,,3\n", "line 2: 5 columns, not 11"),
    ],
)
def test_a_file_that_is_not_a_buildings_report_is_refused_clearly(
    tmp_path, capsys, content: bytes, says: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    assert main(["report", "--merge", f"A={bad}"]) == 1
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


def test_bad_merge_arguments_are_refused(tmp_path, capsys) -> None:
    good = building_csv(tmp_path, "north", 5, capsys)
    assert main(["report", "--merge", str(good)]) == 1  # no NAME=
    assert main(["report", "--merge", f"A={good}", f"A={good}"]) == 1
    assert main(["report", "--merge", f"A={tmp_path / 'missing.csv'}"]) == 1
    assert main(["report", "--merge", f"A={good}", "--kind", "after-group"]) == 1
    err = capsys.readouterr().err
    assert "NAME=FILE" in err and "its own NAME" in err and "leave out --kind" in err


def test_huge_and_endless_files_are_refused_in_bounded_time(tmp_path, capsys) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as fh:
        fh.truncate(30 * 2**20)  # sparse: 30 MB of nothing, over the 20 MB cap
    assert main(["report", "--merge", f"A={huge}"]) == 1
    assert main(["report", "--merge", "B=/dev/zero"]) == 1  # never ends by itself
    many = tmp_path / "many.csv"
    many.write_bytes(HEADER + b"2026-12-01,hr,T,,3,,,,,,\n" * 250_000)
    assert main(["report", "--merge", f"C={many}"]) == 1
    err = capsys.readouterr().err
    assert err.count("larger than 20 MB") == 2 and "more than 200,000 rows" in err
    assert "Traceback" not in err
