"""The benchmark's parsers and statistics (the benchmark itself is `make bench`)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from bench import measure

# A real /proc/PID/stat line shape, with a command name holding a space and a ')'.
STAT = (
    "4242 (Web Content) x) S 4200 4242 4242 0 -1 4194560 9000 0 12 0 "
    "250 130 0 0 20 0 7 0 123456 1234567890 5000 18446744073709551615 1 1 0 0 0 0 0 "
    "4096 0 0 0 0 17 1 0 0 0 0 0"
)


def test_cpu_time_parent_and_start_from_a_stat_line() -> None:
    assert measure.cpu_seconds(STAT) == pytest.approx(380 / measure.CLK_TCK)
    assert measure.parent_pid(STAT) == 4200
    assert measure.start_since_boot(STAT) == pytest.approx(123456 / measure.CLK_TCK)


def test_the_running_process_reads_back_as_itself() -> None:
    stat = Path(f"/proc/{os.getpid()}/stat").read_text()
    assert measure.parent_pid(stat) == os.getppid()
    assert measure.cpu_seconds(stat) > 0
    assert os.getpid() in measure.tree(os.getppid())
    assert measure.tree_pss_mib(os.getpid()) > 1


def test_pss_and_boot_time_lines() -> None:
    rollup = "55e0-7ffd ---p 00000000 00:00 0 [rollup]\nRss: 2048 kB\nPss: 1536 kB\n"
    assert measure.pss_kib(rollup) == 1536
    stat = Path(f"/proc/{os.getpid()}/stat").read_text()
    assert 0 < measure.start_since_boot(stat) <= time.clock_gettime(time.CLOCK_BOOTTIME)
    with pytest.raises(ValueError):
        measure.pss_kib("Rss: 1 kB\n")


def test_median_and_nearest_rank_percentile() -> None:
    assert measure.median([3, 1, 2]) == 2 and measure.median([4, 1, 3, 2]) == 2.5
    values = list(range(1, 101))
    assert measure.percentile(values, 50) == 50
    assert measure.percentile(values, 95) == 95 and measure.percentile(values, 99) == 99
    assert measure.percentile([7.0], 99) == 7.0


def test_report_table_and_json(tmp_path: Path) -> None:
    figures = {
        "1 start to first frame": measure.figure(1.2345, "s", "<= 1.5 x A", True, ratio_A=1.2),
        "3 idle CPU": measure.figure(7.5, "% of a core", "<= 5%", False),
    }
    text = measure.table(figures)
    assert "1 start to first frame  1.234 s" in text and text.splitlines()[-1].endswith("NO")
    assert "1.20 x A" in text.splitlines()[2]
    measure.write_report(tmp_path / "build" / "bench.json", figures)
    saved = json.loads((tmp_path / "build" / "bench.json").read_text())
    assert saved["figures"]["3 idle CPU"] == {
        "value": 7.5, "unit": "% of a core", "budget": "<= 5%", "ok": False,
    }  # fmt: skip


def test_the_checkin_replay_repeats_a_whole_round_trip() -> None:
    from bench.run import checkin_script

    lines = [line for line in checkin_script(3).splitlines() if not line.startswith("#")]
    assert lines.count("tap checkin.confirm") == 3
    assert lines[:5] == [
        "tap checkin", "tap checkin.confirm", "expect thanks", "advance 6", "expect home"
    ]  # fmt: skip
