"""Kivy settings that must be in place before the first Kivy import."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from kiosk.adapters import data_folder

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


LOG_DIR = data_folder.LOGS
LOG_BYTES = 1_000_000  # per file; with 5 old files, the logs never pass 6 MB
LOG_KEEP = 5


def log_to_folder(folder: Path) -> None:
    """Also log to folder/kiosk.log, rotated by size. Nothing logged says when anyone
    checked in (see saver.py), so these files hold no tap times."""
    from logging.handlers import RotatingFileHandler

    folder.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        folder / "kiosk.log", maxBytes=LOG_BYTES, backupCount=LOG_KEEP, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_KivyNoise())
    logging.getLogger().addHandler(handler)


def renderer_defaults() -> None:
    """Mesa's software renderer (llvmpipe, on a machine with no GPU driver) draws in the
    calling thread, not in helper threads. Measured at 1080p on two cores (make bench):
    the helper threads doubled idle CPU (10.3% -> 5.7%) and held about 1 MB more for each
    frame of a tip fade, until the process had grown by 150 MB. A frame takes longer
    (about 28 ms), so a 0.2 s fade shows in five or six steps. GPU drivers ignore this;
    a value already in the environment is kept."""
    os.environ.setdefault("LP_NUM_THREADS", "0")


def prepare(
    data_dir: Path,
    *,
    size: tuple[int, int],
    headless: bool = False,
    fullscreen: bool = False,
    keep_logs: bool = False,
    real_time: bool = False,
) -> None:
    """Environment and Kivy config for one run. Call before importing anything from kivy.
    `keep_logs`: a real run also logs to the data folder's logs/. `real_time`: the loop
    runs on the real clock (a kiosk, not a replay or preview): Kivy's interrupting clock,
    whose sleep a due timer or another thread (the input watch) cuts short, so a still
    lobby can rest (kiosk.core.frame_pace)."""
    setup_logging()
    if keep_logs:
        log_to_folder(data_dir / LOG_DIR)
    kivy_home = data_dir / data_folder.KIVY
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KIVY_HOME", str(kivy_home))
    os.environ["KIVY_NO_ARGS"] = "1"
    os.environ["KIVY_LOG_MODE"] = "PYTHON"
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    if headless:
        os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
    renderer_defaults()

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
    if real_time:
        Config.set("kivy", "kivy_clock", "interrupt")
    # No multisampling: the interface is text and axis-aligned shapes, and 2x MSAA more
    # than doubled the cost of every frame on a software renderer (97 -> 41 ms at 1080p).
    Config.set("graphics", "multisamples", "0")
    # A plain mouse is one finger: no multitouch emulation dots on right-click.
    Config.set("input", "mouse", "mouse,disable_multitouch")
    if fullscreen:
        _one_touch_path(Config)


def _one_touch_path(config) -> None:
    """Each touch must arrive exactly once. Kivy reads touchscreens itself (probesysfs:
    hidinput/mtdev) *and* takes SDL2's finger events, and SDL2 also turns touches into
    mouse clicks: one tap can fire two or three times. Keep one path.

    Default: SDL2's finger events only. KIOSK_TOUCH=evdev: Kivy's own hidinput reader
    only (for touchscreens SDL2 reads badly); the SDL2 finger provider is then dropped
    once the window exists (see drop_sdl_touch)."""
    os.environ.setdefault("SDL_TOUCH_MOUSE_EVENTS", "0")
    if os.environ.get("KIOSK_TOUCH") == "evdev":
        config.set("input", "%(name)s", "probesysfs,provider=hidinput")
    elif config.has_option("input", "%(name)s"):
        config.remove_option("input", "%(name)s")


def renderer_name() -> str:
    """The GL renderer's name (GL_RENDERER), once the window exists; "" if it cannot say."""
    from kivy.graphics.opengl import GL_RENDERER, glGetString

    try:
        return glGetString(GL_RENDERER).decode("utf-8", "replace")
    except Exception:  # no context, or a driver that answers nothing
        return ""


def offscreen() -> bool:
    """Whether there is no real screen (SDL's offscreen or dummy driver): no touch or key
    can reach the window."""
    return os.environ.get("SDL_VIDEODRIVER") in ("offscreen", "dummy")


def drop_sdl_touch() -> None:
    """With KIOSK_TOUCH=evdev, stop taking SDL2's finger events (hidinput has them)."""
    if os.environ.get("KIOSK_TOUCH") != "evdev":
        return
    from kivy.base import EventLoop

    for provider in list(EventLoop.input_providers):
        if type(provider).__name__ == "SDL2MotionEventProvider":
            EventLoop.remove_input_provider(provider)
            logging.getLogger(__name__).info("Touch: SDL2 finger events off (KIOSK_TOUCH=evdev)")
