"""The kept frame: on a software renderer the window's frame is kept in a buffer of its
own, and a frame that changes only the tip card redraws only the card. What the window
shows must be, pixel for pixel, what drawing everything would show."""

from __future__ import annotations

import ctypes

from kivy.core.window import Window
from kivy.graphics import Color, Rectangle
from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels
from PIL import Image, ImageChops

from kiosk.core.frame_pace import SOFTWARE_FADE_STEPS

# A window resized under the offscreen driver keeps the surface it was made with (SDL does
# not resize it): only the part of the window on that surface can be read back.
EGL_WIDTH, EGL_HEIGHT, EGL_DRAW = 0x3057, 0x3056, 0x3059
SIZE = (800, 600)  # within the surface a test session's window starts with


def surface_size() -> tuple[int, int]:
    egl = ctypes.CDLL("libEGL.so.1")
    egl.eglGetCurrentDisplay.restype = egl.eglGetCurrentSurface.restype = ctypes.c_void_p
    display = ctypes.c_void_p(egl.eglGetCurrentDisplay())
    surface = ctypes.c_void_p(egl.eglGetCurrentSurface(EGL_DRAW))
    width, height = ctypes.c_int(), ctypes.c_int()
    egl.eglQuerySurface(display, surface, EGL_WIDTH, ctypes.byref(width))
    egl.eglQuerySurface(display, surface, EGL_HEIGHT, ctypes.byref(height))
    return width.value, height.value


def window_image() -> Image.Image:
    """What the window's own buffer holds now (the kept frame, copied out)."""
    width, height = (int(v) for v in Window.size)
    pixels = glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE)
    image = Image.frombytes("RGBA", (width, height), pixels)
    return image.transpose(Image.Transpose.FLIP_TOP_BOTTOM).convert("RGB")


def assert_window_shows_everything(driver, when: str) -> None:
    shown, full = window_image(), driver.capture()  # capture: everything drawn afresh
    width, height = (min(a, b) for a, b in zip(Window.size, surface_size(), strict=True))
    seen = (0, shown.height - height, width, shown.height)  # the surface's part, from below
    difference = ImageChops.difference(shown.crop(seen), full.crop(seen))
    assert difference.getbbox() is None, f"stale pixels {when}"


def fade_frames(driver, change=None) -> int:
    """Frames drawn while the next tip fades in, each checked; `change(step)` runs after
    each frame drawn."""
    driver.app.lobby.tap_tip()
    drawn = 0
    for _ in range(30):
        flips = driver.flips
        driver.frame()
        if driver.flips != flips:
            drawn += 1
            assert_window_shows_everything(driver, f"in frame {drawn} of a fade")
            if change is not None:
                change(drawn)
    driver.settle()
    return drawn


def test_a_tip_fade_redraws_only_the_card_and_shows_what_a_full_frame_would(kiosk) -> None:
    driver = kiosk(draw_window=True, size=SIZE)
    assert surface_size() == SIZE, "the whole window can be read back"
    cache = driver.app.frame_cache
    assert cache.keeping, "llvmpipe draws this test: the frame is kept"
    driver.settle()
    assert_window_shows_everything(driver, "at rest")
    before = cache.tracker.partial_frames
    assert fade_frames(driver) >= SOFTWARE_FADE_STEPS
    assert cache.tracker.partial_frames - before >= SOFTWARE_FADE_STEPS  # each: the card


def test_a_change_beside_the_card_during_a_fade_is_drawn_at_once(kiosk) -> None:
    driver = kiosk(draw_window=True, size=SIZE)
    cache = driver.app.frame_cache
    driver.settle()
    button = driver.find("checkin")
    home = driver.app.home

    def change(step: int) -> None:
        if step == 1:
            button.text = "A word that is not there"  # a sibling of the card's way down
        elif step == 2:
            with home.canvas.before:  # an ancestor of the card: a new shape of its own
                Color(0.8, 0.1, 0.1, 1)
                Rectangle(pos=(0, 0), size=(120, 120))

    fulls = cache.tracker.full_frames
    fade_frames(driver, change)
    assert cache.tracker.full_frames - fulls >= 2


def test_a_resized_window_starts_over_with_a_full_frame(kiosk) -> None:
    driver = kiosk(draw_window=True, size=(700, 500))
    driver.settle()
    Window.size = SIZE
    driver.wait(0.2)
    driver.settle()
    assert_window_shows_everything(driver, "after turning the screen")
    assert fade_frames(driver) >= SOFTWARE_FADE_STEPS


def test_the_clocks_minute_redraws_only_the_clock_and_shows_what_a_full_frame_would(
    kiosk,
) -> None:
    driver = kiosk(draw_window=True, size=SIZE)
    cache = driver.app.frame_cache
    driver.settle()
    clock = driver.app.home.ids.clock
    shown = clock.text
    assert_window_shows_everything(driver, "at rest")
    driver.frame()  # (the capture lent the drawing: one full frame to take it back)
    fulls, partials = cache.tracker.full_frames, cache.tracker.partial_frames
    for _ in range(70):  # seconds, into the next minute (tips turn meanwhile)
        driver.frame(1.0)
    assert clock.text != shown
    assert cache.tracker.full_frames == fulls  # the minute and the tips: only their part
    assert cache.tracker.partial_frames > partials
    # Stale pixels would stay until a full frame: none came, so they would show now.
    assert_window_shows_everything(driver, f"at {clock.text}")
