"""`kiosk report --merge NAME=FILE ...`: several buildings' CSV reports as one.

Each file is a CSV that `kiosk report` wrote at one building, so its cells are already
suppressed there: a blank stays blank, and totals add up only cells that are shown. A
file that is not such a report is refused with its name, line and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.core.checkins import Tally
from kiosk.core.report import CSV_COLUMNS, Row, _cell

MAX_BYTES = 20 * 1024 * 1024  # decades of weekly meetings at one building are under 1 MB
MAX_ROWS = 200_000
MERGED_COLUMNS = ("building", *CSV_COLUMNS)
_NAME = re.compile(r"^[^=\n\r]{1,80}$")
_OLDER = CSV_COLUMNS[: CSV_COLUMNS.index("mood_skipped") + 1]  # before the first-time columns


class MergeError(Exception):
    """A --merge argument or file that cannot be read as a building's report."""


@dataclass(frozen=True)
class BuildingRow:
    building: str
    row: Row
    cells: tuple[str, ...]  # the counts as that building's CSV had them ("" = hidden)


def parse_argument(text: str) -> tuple[str, str]:
    """NAME=FILE, split; NAME is how the building is shown."""
    name, sep, path = text.partition("=")
    name = name.strip()
    if not sep or not path or not _NAME.match(name):
        raise MergeError(
            f"--merge {text!r}: give NAME=FILE, a building's name (up to 80 characters, no"
            " '=') and the CSV that `kiosk report` wrote there, e.g. Hotel-Iroquois=iroquois.csv"
        )
    return name, path


def _count(value: str, where: str) -> int | None:
    if value == "":
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise MergeError(f"{where}: {value[:20]!r} is not a count")
    return int(value)


def read_report(building: str, file_name: str, data: bytes) -> list[BuildingRow]:
    """The rows of one building's CSV report, checked."""
    if len(data) > MAX_BYTES:
        raise MergeError(f"{file_name}: over {MAX_BYTES // 2**20} MB, not a building's report")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MergeError(f"{file_name}: not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(header) not in (CSV_COLUMNS, _OLDER):
        raise MergeError(
            f"{file_name}, line 1: the columns are not those of `kiosk report` (expected"
            f" {','.join(CSV_COLUMNS)})"
        )
    width = len(header)
    found = []
    for line, cells in enumerate(reader, start=2):
        if line > MAX_ROWS:
            raise MergeError(f"{file_name}: more than {MAX_ROWS:,} rows")
        if not cells:
            continue
        where = f"{file_name}, line {line}"
        if len(cells) != width:
            raise MergeError(f"{where}: {len(cells)} columns, not {width}")
        values = dict(zip(header, cells, strict=True))
        try:
            day = date.fromisoformat(values["date"])
            start = datetime.fromisoformat(values["start"]) if values["start"] else None
        except ValueError:
            raise MergeError(f"{where}: the date or start is not ISO 8601") from None
        counts = {k: _count(values.get(k, ""), f"{where}, column {k}") for k in CSV_COLUMNS[4:]}
        checkins = counts["checkins"]
        if checkins is None:
            raise MergeError(f"{where}, column checkins: it is empty")
        group = values["group"][:200]
        tally = Tally.from_counts(
            f"{group}@{day.isoformat()}", {k: v or 0 for k, v in counts.items()}
        )
        shown = counts["mood_1"] is not None
        first_shown = counts["first_time"] is not None
        title = values["title"].removeprefix("'")[:200]
        row = Row(day, group, title, start, tally, shown, first_shown)
        cells_out = tuple(values.get(k, "") for k in CSV_COLUMNS[5:])
        found.append(BuildingRow(building, row, cells_out))
    return found


def merged_rows(reports: list[list[BuildingRow]]) -> list[BuildingRow]:
    every = [r for report in reports for r in report]
    return sorted(every, key=lambda r: (r.row.day, r.building, r.row.group))


def to_csv(rows: list[BuildingRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MERGED_COLUMNS)
    for r in rows:
        start = r.row.start.isoformat() if r.row.start else ""
        writer.writerow(
            [_cell(r.building), r.row.day.isoformat(), r.row.group, _cell(r.row.title), start,
             r.row.tally.checkins, *r.cells]
        )  # fmt: skip
    return out.getvalue()


def as_report_rows(rows: list[BuildingRow]) -> list[Row]:
    """For the HTML page: each meeting titled with its building, and grouped by it."""
    from dataclasses import replace

    return [
        replace(r.row, group=f"{r.building}/{r.row.group}", title=f"{r.building} · {r.row.title}")
        for r in rows
    ]
