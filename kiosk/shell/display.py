"""The size of the screen the window is on, from the SDL2 library Kivy brings along.

Kivy does not expose it, and a 1920x1080 development window must shrink to fit a
smaller laptop screen."""

from __future__ import annotations

import ctypes
import logging
from pathlib import Path

from kiosk.shell import env

log = logging.getLogger(__name__)


class _Rect(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int), ("w", ctypes.c_int), ("h", ctypes.c_int)]


def sdl() -> ctypes.CDLL | None:
    """The SDL2 library Kivy brings along (the very instance it loaded), or None."""
    import kivy

    libs = Path(kivy.__file__).resolve().parent.parent / "Kivy.libs"
    for path in sorted(libs.glob("libSDL2-2*.so*")):
        return ctypes.CDLL(str(path))  # already loaded by Kivy: the same instance
    try:
        return ctypes.CDLL("libSDL2-2.0.so.0")
    except OSError:
        return None


def usable_size() -> tuple[int, int] | None:
    """(width, height) of display 0 without panels and docks; None if SDL cannot say,
    or if there is no real screen (the offscreen driver reports a made-up one)."""
    if env.offscreen():
        return None
    lib = sdl()
    if lib is None:
        return None
    rect = _Rect()
    try:
        fn = lib.SDL_GetDisplayUsableBounds
        fn.argtypes = [ctypes.c_int, ctypes.POINTER(_Rect)]
        fn.restype = ctypes.c_int
        if fn(0, ctypes.byref(rect)) != 0 or rect.w <= 0 or rect.h <= 0:
            return None
    except (AttributeError, OSError):
        return None
    return rect.w, rect.h


def fit(
    size: tuple[int, int], screen: tuple[int, int] | None, margin: float = 0.92
) -> tuple[int, int]:
    """`size` scaled down, keeping its shape, to fit within `margin` of `screen`."""
    if screen is None:
        return size
    scale = min(1.0, screen[0] * margin / size[0], screen[1] * margin / size[1])
    return int(size[0] * scale), int(size[1] * scale)
