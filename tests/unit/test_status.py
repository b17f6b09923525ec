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
