"""`kiosk status` and the heartbeat it reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.adapters import health
from kiosk.cli import main
from tests.conftest import edit

PIN = "2468"


def test_the_nightly_memory_figure_is_taken_once_a_night() -> None:
    from datetime import datetime as dt

    evening = dt(2026, 12, 1, 21, 0, tzinfo=UTC)
    assert not health.memory_due(evening, dt(2026, 12, 2, 3, 29, tzinfo=UTC))
    assert health.memory_due(evening, dt(2026, 12, 2, 3, 30, tzinfo=UTC))
    morning = dt(2026, 12, 2, 9, 0, tzinfo=UTC)
    assert not health.memory_due(dt(2026, 12, 2, 3, 31, tzinfo=UTC), morning)
    assert health.memory_due(dt(2026, 11, 28, 9, 0, tzinfo=UTC), morning)


def _beat(folder: Path, age: timedelta, config_ok: bool = True) -> None:
    when = (datetime.now(UTC) - age).replace(microsecond=0).isoformat()
    beat = health.Heartbeat(when, "0.1.0", 1, 60, config_ok, "files", 0 if config_ok else 2,
                            True, 80.0)  # fmt: skip
    health.write(folder, beat)


def test_status_is_0_with_a_fresh_heartbeat(tmp_path: Path, capsys) -> None:
    _beat(tmp_path, timedelta(seconds=20))
    assert main(["status", "--data", str(tmp_path), "--config", str(tmp_path / "none")]) == 0
    assert capsys.readouterr().out.startswith("OK:")


def test_status_is_2_with_a_stale_or_missing_heartbeat(tmp_path: Path, capsys) -> None:
    assert main(["status", "--data", str(tmp_path)]) == 2
    _beat(tmp_path, timedelta(minutes=3))
    assert main(["status", "--data", str(tmp_path)]) == 2
    assert "STALE" in capsys.readouterr().out.splitlines()[-1]


def test_status_is_1_when_the_config_is_in_error(tmp_path: Path, config_dir: Path, capsys) -> None:
    _beat(tmp_path, timedelta(seconds=5), config_ok=False)
    assert main(["status", "--data", str(tmp_path)]) == 1
    _beat(tmp_path, timedelta(seconds=5))
    assert main(["status", "--data", str(tmp_path), "--config", str(config_dir)]) == 0
    edit(config_dir / "kiosk.toml", 'timezone = "America/Los_Angeles"', 'timezone = "Mars"')
    assert main(["status", "--data", str(tmp_path), "--config", str(config_dir)]) == 1
    assert "CONFIG" in capsys.readouterr().out.splitlines()[-1]


def test_status_is_2_with_a_damaged_heartbeat_and_says_so(tmp_path: Path, capsys) -> None:
    (tmp_path / health.HEARTBEAT).write_text('{"time": "not a time"')  # cut off mid-write
    assert main(["status", "--data", str(tmp_path)]) == 2
    out = capsys.readouterr()
    assert "cannot be read" in out.out and "Traceback" not in out.err


def prometheus(folder: Path, config: Path, capsys) -> tuple[int, dict[str, list]]:
    from prometheus_client.parser import text_string_to_metric_families

    code = main(
        ["status", "--data", str(folder), "--config", str(config), "--format", "prometheus"]
    )
    text = capsys.readouterr().out
    families = {f.name: f.samples for f in text_string_to_metric_families(text)}
    return code, families


def test_prometheus_format_parses_with_the_official_parser(
    tmp_path: Path, config_dir: Path, capsys
):
    _beat(tmp_path, timedelta(seconds=20))
    code, metrics = prometheus(tmp_path, config_dir, capsys)
    assert code == 0
    for name in ("kiosk_up", "kiosk_heartbeat_age_seconds", "kiosk_config_ok",
                 "kiosk_config_info", "kiosk_calendar_feed_age_seconds"):  # fmt: skip
        assert name in metrics, name
    assert metrics["kiosk_up"][0].value == 1 and metrics["kiosk_config_ok"][0].value == 1
    assert 15 <= metrics["kiosk_heartbeat_age_seconds"][0].value <= 60
    [info] = metrics["kiosk_config_info"]
    assert info.labels == {"commit": "", "origin": "files", "version": "0.1.0"}
    assert metrics["kiosk_calendar_feed_age_seconds"] == []  # no feeds in this config


def test_prometheus_format_says_down_without_a_heartbeat_and_when_config_breaks(
    tmp_path: Path, config_dir: Path, capsys
) -> None:
    code, metrics = prometheus(tmp_path, config_dir, capsys)
    assert code == 2 and metrics["kiosk_up"][0].value == 0
    assert (
        metrics["kiosk_heartbeat_age_seconds"][0].value
        != metrics["kiosk_heartbeat_age_seconds"][0].value
    )  # NaN
    _beat(tmp_path, timedelta(seconds=5))
    edit(config_dir / "kiosk.toml", "idle_seconds = 60", "idle_seconds = 1")
    code, metrics = prometheus(tmp_path, config_dir, capsys)
    assert (
        code == 1 and metrics["kiosk_up"][0].value == 1 and metrics["kiosk_config_ok"][0].value == 0
    )


def test_prometheus_label_values_are_escaped() -> None:
    from prometheus_client.parser import text_string_to_metric_families

    from kiosk.adapters.exposition import FeedHealth, exposition

    beat = {"time": "2026-12-01T10:00:00+00:00", "config_commit": 'a"b\\c\nd'}
    status = health.Status(True, 0, "OK", beat)
    text = exposition(status, 3.0, True, [FeedHealth('x"y', 12.0, True)])
    families = {f.name: f.samples for f in text_string_to_metric_families(text)}
    assert families["kiosk_config_info"][0].labels["commit"] == 'a"b\\c\nd'
    assert families["kiosk_calendar_feed_age_seconds"][0].labels == {"feed": 'x"y'}


def test_status_names_the_synced_commit_in_text_and_in_prometheus(
    tmp_path: Path, config_dir: Path, capsys
) -> None:
    from dataclasses import replace

    when = datetime.now(UTC).replace(microsecond=0).isoformat()
    beat = health.Heartbeat(when, "0.1.0", 1, 60, True, "files", 0, True, 80.0)
    commit = "9c1e" * 10
    health.write(tmp_path, replace(beat, config_commit=commit, config_applied=when))
    assert main(["status", "--data", str(tmp_path), "--config", str(config_dir)]) == 0
    assert f"config {commit[:12]} applied {when}" in capsys.readouterr().out
    _code, metrics = prometheus(tmp_path, config_dir, capsys)
    assert metrics["kiosk_config_info"][0].labels["commit"] == commit
