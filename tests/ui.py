"""Starting the real app headless on a simulated clock, for UI tests."""

from __future__ import annotations

from pathlib import Path

from kiosk.shell import env as shell_env


def start_app(
    config_dir: Path,
    data_dir: Path,
    at: str,
    size=(1920, 1080),
    lang: str | None = None,
    frame_seconds: float = 1 / 60,
    text_size: str = "normal",
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
    watcher = ConfigWatcher(config_dir, data_dir / LAST_GOOD_CONFIG)
    sim = use_simulated_time()
    clock = KioskClock(watcher.config.tz, parse_at(at, watcher.config.tz), sim)
    options = LobbyOptions(data_dir=data_dir, language=lang, text_size=text_size)
    driver = Driver(kiosk_app(watcher, clock, options), sim, frame_seconds)
    driver.start()
    return driver


def touch_at(driver, x: float, y: float) -> None:
    """A real tap at a window position, wherever it lands."""
    from kiosk.testing.touch import SyntheticTouch

    touch = SyntheticTouch(x, y)
    touch.down()
    driver.wait(0.05)
    touch.up()
    driver.settle()
