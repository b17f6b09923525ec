"""The after-group question through the real app: a replay of residents answering it,
counted exactly in `kiosk report --kind after-group`, and absent outside its window."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kiosk.adapters.storage import DB_NAME
from tests.drive import kiosk_cli

ONE = "tap aftergroup\nexpect after-before\ntap after.{a}\nexpect after-now\ntap after.{b}\n"
ONE += "expect thanks\nadvance 6\n"


def after_config(config_dir: Path) -> Path:
    kiosk = config_dir / "kiosk.toml"
    kiosk.write_text(kiosk.read_text() + "\n[after_group]\nenabled = true\n")
    return config_dir


def replay(config: Path, data: Path, script: str, at: str, tmp_path: Path):
    path = tmp_path / "script.txt"
    path.write_text(script)
    return kiosk_cli(
        "run", "--config", str(config), "--data", str(data), "--at", at,
        "--replay", str(path), "--size", "800x500", timeout=300,
    )  # fmt: skip


def after_report(config: Path, data: Path) -> list[dict[str, str]]:
    out = kiosk_cli(
        "report", "--config", str(config), "--data", str(data), "--kind", "after-group",
        timeout=60, check=True,
    ).stdout  # fmt: skip
    header, *rows = [line.split(",") for line in out.strip().splitlines()]
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_a_replay_of_answers_after_group_is_counted_exactly_with_suppression(
    config_dir: Path, tmp_path: Path
) -> None:
    config, data = after_config(config_dir), tmp_path / "data"
    # Four answers on Nov 10 (under the minimum of 5), six on Nov 17, one with a Skip. (Not
    # the sample's "today": the report holds back an occurrence whose question is open at
    # the real time.)
    pairs_10 = [(2, 4), (3, 3), (1, 5), (4, 2)]
    pairs_17 = [(2, 4), (2, 5), (3, 3), (4, 3), (1, 2), ("skip", 4)]
    for day, pairs in (("2026-11-10", pairs_10), ("2026-11-17", pairs_17)):
        script = "".join(ONE.format(a=a, b=b) for a, b in pairs)
        result = replay(config, data, script, f"{day}T19:25", tmp_path)
        assert result.returncode == 0, result.stderr
        # The log says nothing of the answers, so it cannot date one.
        log = result.stderr.replace(str(tmp_path), "<tmp>")
        assert not re.search(r"after|mood|thanks|answer", log, re.IGNORECASE)
    rows = after_report(config, data)
    assert rows == [
        {"date": "2026-11-10", "group": "harm-reduction", "title": "Harm Reduction Group",
         "start": "2026-11-10T18:00:00-08:00", "answers": "4", "better": "", "same": "",
         "worse": "", "partial": ""},
        {"date": "2026-11-17", "group": "harm-reduction", "title": "Harm Reduction Group",
         "start": "2026-11-17T18:00:00-08:00", "answers": "5", "better": "3", "same": "1",
         "worse": "1", "partial": "1"},
    ]  # fmt: skip
    # A day of answers leaves no time of day in the data folder.
    for path in [data / DB_NAME, *sorted((data / "backups").glob("*.json"))]:
        assert not re.search(r"\d{1,2}:\d{2}|T\d{2}", path.read_text()), path
    assert json.loads((data / DB_NAME).read_text())["occurrences"]


def test_outside_its_window_home_has_no_after_group_button(config_dir: Path, tmp_path: Path):
    config, data = after_config(config_dir), tmp_path / "data"
    for at in ("2026-12-01T19:19", "2026-12-01T20:15", "2026-12-02T19:25"):
        result = replay(config, data, "expect home\ntap aftergroup\n", at, tmp_path)
        assert result.returncode == 3, (at, result.stdout, result.stderr)
        assert "aftergroup" in result.stdout + result.stderr
    # Going past the window's end with the screen up: the button goes, with no restart.
    script = "expect home\nadvance 3000\ntap aftergroup\n"
    assert replay(config, data, script, "2026-12-01T19:25", tmp_path).returncode == 3
