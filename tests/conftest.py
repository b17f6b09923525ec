"""Test set-up. Kivy reads its environment at import, so it is set here, first."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ["KIVY_NO_ARGS"] = "1"
os.environ["KIVY_LOG_MODE"] = "PYTHON"
os.environ["KIVY_NO_FILELOG"] = "1"
os.environ["KIVY_HOME"] = tempfile.mkdtemp(prefix="kivy-home-")
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

from kiosk.shell.env import renderer_defaults  # (no Kivy import)

renderer_defaults()  # the renderer as a real run has it (the soak's memory depends on it)


ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CONFIG = ROOT / "config"


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """A private copy of the sample config, free to edit."""
    folder = tmp_path / "config"
    shutil.copytree(SAMPLE_CONFIG, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a config file (the test fails if it is not there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def bump_mtime(path: Path, seconds: int = 1) -> None:
    """Make a rewrite visible to change detection even within one clock tick."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + seconds * 1_000_000_000))


@pytest.fixture
def kiosk(config_dir: Path, tmp_path: Path):
    """Start the real app, headless, on a copy of the sample config: kiosk(at=..., size=...,
    lang=...) returns a driver. Every app started is stopped after the test."""
    from tests.drive import start_app

    drivers = []

    def start(**kwargs):
        kwargs.setdefault("at", "2026-12-01T17:45")
        driver = start_app(config_dir, tmp_path / "data", **kwargs)
        drivers.append(driver)
        return driver

    yield start
    for driver in drivers:
        driver.stop()


def schedule_from(toml: str, tz=None):
    """A Schedule from schedule.toml text, in Los Angeles time unless told otherwise."""
    import tomllib
    from zoneinfo import ZoneInfo

    from kiosk.config.models import ScheduleFile
    from kiosk.core.schedule import Schedule

    model = ScheduleFile.model_validate(tomllib.loads(toml))
    zone = tz or ZoneInfo("America/Los_Angeles")
    return Schedule(zone, model.group, model.event, model.cancellation)
