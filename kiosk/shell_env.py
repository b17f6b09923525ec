"""Kivy settings that must be in place before the first Kivy import."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

# Harmless start-up noise, which would hide real problems in the log: Kivy logs a missing
# optional multitouch library as an error with a traceback, and the creation of its own
# settings file on first start as warnings.
_QUIET_KIVY_MESSAGES = (
    "Input: MTDev is not supported",
    "Config: Older configuration version detected",
    "Config: Upgrading configuration in progress",
)


class _KivyNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith(_QUIET_KIVY_MESSAGES):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            record.exc_info = record.exc_text = None
            return logging.getLogger().isEnabledFor(logging.DEBUG)
        return True


def setup_logging(level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if any(getattr(h, "_kiosk", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler._kiosk = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_KivyNoise())
    root.addHandler(handler)
    root.setLevel(level)


def prepare(
    data_dir: Path,
    *,
    size: tuple[int, int],
    headless: bool = False,
    fullscreen: bool = False,
) -> None:
    """Environment and Kivy config for one run. Call before importing anything from kivy."""
    setup_logging()
    kivy_home = data_dir / "kivy"
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KIVY_HOME", str(kivy_home))
    os.environ["KIVY_NO_ARGS"] = "1"
    os.environ["KIVY_LOG_MODE"] = "PYTHON"
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    if headless:
        os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

    from kivy.config import Config

    width, height = size
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "0" if fullscreen else "1")
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "borderless", "1" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")
    Config.set("kivy", "exit_on_escape", "0" if fullscreen else "1")
    Config.set("kivy", "log_level", "info")
    # A plain mouse is one finger: no multitouch emulation dots on right-click.
    Config.set("input", "mouse", "mouse,disable_multitouch")
