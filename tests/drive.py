"""Driving the real app in UI tests: started headless on a simulated clock, a tap at a
window position, and a replay script in a real `kiosk run` process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kivy.core.window import Window
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.widget import Widget

from kiosk.shell import env as shell_env
from kiosk.shell.widgets import Target
from tests.conftest import SAMPLE_CONFIG


def start_app(
    config_dir: Path,
    data_dir: Path,
    at: str,
    size=(1920, 1080),
    lang: str | None = None,
    frame_seconds: float = 1 / 20,  # coarse steps still run every animation through
    text_size: str = "normal",
    draw_window: bool = False,  # capture() draws what a test looks at; nothing else is drawn
):
    shell_env.setup_logging()
    from kivy.core.window import Window

    from kiosk.adapters.data_folder import LAST_GOOD_CONFIG
    from kiosk.config.watch import ConfigWatcher
    from kiosk.core.clock import KioskClock, parse_at
    from kiosk.lobby import LobbyOptions
    from kiosk.shell.compose import kiosk_app
    from kiosk.testing.driver import Driver, use_simulated_time

    Window.size = size
    watcher = ConfigWatcher(config_dir, data_dir / LAST_GOOD_CONFIG, data=data_dir)
    sim = use_simulated_time()
    clock = KioskClock(watcher.config.tz, parse_at(at, watcher.config.tz), sim)
    options = LobbyOptions(data_dir=data_dir, language=lang, text_size=text_size)
    driver = Driver(kiosk_app(watcher, clock, options), sim, frame_seconds, draw_window)
    driver.start()
    return driver


class Tappable(Target, ButtonBehavior, Widget):
    """A bare control, sized exactly as the test says."""


@contextmanager
def scratch_layer(driver) -> Iterator[tuple]:
    """A layer over the running app, for deliberately bad widgets: (driver, layer)."""
    layer = FloatLayout()
    Window.add_widget(layer)
    try:
        yield driver, layer
    finally:
        Window.remove_widget(layer)


def touch_at(driver, x: float, y: float) -> None:
    """A real tap at a window position, wherever it lands."""
    from kiosk.testing.touch import SyntheticTouch

    touch = SyntheticTouch(x, y)
    touch.down()
    driver.wait(0.05)
    touch.up()
    driver.settle()


def kiosk_cli(*args: str, timeout: float = 120, check: bool = False):
    """`kiosk <args>` in a process of its own, as staff and service managers run it."""
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def run_replay(tmp_path: Path, script: str, *extra: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "script.txt"
    path.write_text(script)
    return kiosk_cli(
        "run",
        "--config",
        str(SAMPLE_CONFIG),
        "--data",
        str(tmp_path / "data"),
        "--at",
        "2026-12-01T17:45",
        "--replay",
        str(path),
        "--screenshot-dir",
        str(tmp_path / "shots"),
        *extra,
    )


def text_sizes_at_each_step(driver, screen: str, resource_id: str | None = None) -> dict:
    """The font size of each text on `screen` at normal, large and extra large text, as
    ui_audit.smaller_at_larger_step reads them."""
    from kiosk.testing import ui_audit

    lobby = driver.app.lobby
    sizes = {}
    for step in ui_audit.STEPS:
        while lobby.text_size != step:
            lobby.cycle_text_size()
            driver.settle()
        driver._preview(screen, resource_id)
        sizes[step] = ui_audit.text_sizes(Window)
    return sizes
