"""The in-app probe behind `make bench` (kiosk/bench_probe.py), on a fake clock."""

from __future__ import annotations

import json
import time

import pytest

from kiosk.testing import bench_probe
from kiosk.testing.bench_probe import BenchProbe


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(bench_probe.time, "time", lambda: now[0])
    return now


def test_off_unless_the_environment_names_a_file(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv(bench_probe.ENV, raising=False)
    assert BenchProbe.from_env() is None
    monkeypatch.setenv(bench_probe.ENV, str(tmp_path / "probe.json"))
    assert BenchProbe.from_env().path == tmp_path / "probe.json"


def test_first_frame_is_written_at_once_and_kept(clock, tmp_path) -> None:
    probe = BenchProbe(tmp_path / "probe.json")
    probe.flipped()
    clock[0] += 5
    probe.flipped()
    record = json.loads(probe.path.read_text())
    assert record["first_frame"] == 1000.0
    assert 0 < record["first_frame_since_boot"] <= time.clock_gettime(time.CLOCK_BOOTTIME)


def test_fade_frames_are_only_those_inside_the_fade(clock, tmp_path) -> None:
    probe = BenchProbe(tmp_path / "probe.json")
    probe.flipped()
    probe.fade_started(0.4)
    for step in (0.1, 0.2, 0.4, 0.5):
        clock[0] = 1000 + step
        probe.flipped()
    probe.close()
    fades = json.loads(probe.path.read_text())["fades"]
    assert fades == [[1000.1, 1000.2, 1000.4]]


def test_a_tap_counts_until_the_first_frame_that_shows_thanks(clock, tmp_path) -> None:
    probe = BenchProbe(tmp_path / "probe.json")
    opacity = [0.0]
    probe.checkin_tapped()
    clock[0] += 0.02
    probe.flipped()  # still writing the check-in: not yet
    clock[0] += 0.03
    probe.thanks_shown(lambda: opacity[0] > 0)
    probe.flipped()  # the fade's first frame, thanks still at opacity 0: not yet
    clock[0] += 0.02
    opacity[0] = 0.1
    probe.flipped()
    clock[0] += 0.02
    probe.flipped()  # later frames do not count again
    probe.thanks_shown(lambda: True)  # thanks without a tap (e.g. a test) is no sample
    probe.flipped()
    probe.close()
    assert json.loads(probe.path.read_text())["taps"] == [pytest.approx(0.07)]
