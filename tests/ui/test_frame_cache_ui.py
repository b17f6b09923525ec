"""The kept frame: on a software renderer the window's frame is kept in a buffer of its
own, and a frame that changes only the tip card redraws only the card. What the window
shows must be, pixel for pixel, what drawing everything would show."""

from __future__ import annotations

import ctypes

import pytest
from kivy.core.window import Window
from kivy.graphics import Callback, Color, Rectangle
from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels
from kivy.uix.label import Label
from PIL import Image, ImageChops

from kiosk.core.frame_pace import SOFTWARE_FADE_STEPS
from kiosk.shell.widgets.fit import FitLabel

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
    driver.frame(0)  # the capture lent the drawing: a full frame takes it back


def assert_same_as_a_full_frame(driver, when: str) -> None:
    """The window now against the same frame drawn again in full through the same window
    (no capture: a capture would clear Kivy's marks and make the next frame full)."""
    shown = window_image()
    cache = driver.app.frame_cache
    cache.tracker.forget()
    cache.holder.ask_update()
    driver.frame(0)  # no time passes: the same frame, drawn in full
    width, height = (min(a, b) for a, b in zip(Window.size, surface_size(), strict=True))
    seen = (0, shown.height - height, width, shown.height)
    difference = ImageChops.difference(shown.crop(seen), window_image().crop(seen))
    assert difference.getbbox() is None, f"stale pixels {when}"


def fade_frames(driver, change=None) -> tuple[int, int]:
    """(frames drawn, of which partial) while the next tip fades in, each checked against
    a full frame; `change(step)` runs after each frame drawn."""
    tracker = driver.app.frame_cache.tracker
    driver.app.lobby.tap_tip()
    drawn = partial = 0
    for _ in range(30):
        flips, partials = driver.flips, tracker.partial_frames
        driver.frame()
        if driver.flips != flips:
            drawn += 1
            partial += tracker.partial_frames - partials
            assert_same_as_a_full_frame(driver, f"in frame {drawn} of a fade")
            if change is not None:
                change(drawn)
    driver.settle()
    return drawn, partial


def test_a_tip_fade_redraws_only_the_card_and_shows_what_a_full_frame_would(kiosk) -> None:
    driver = kiosk(draw_window=True, size=SIZE)
    assert surface_size() == SIZE, "the whole window can be read back"
    cache = driver.app.frame_cache
    assert cache.keeping, "llvmpipe draws this test: the frame is kept"
    driver.settle()
    assert_window_shows_everything(driver, "at rest")
    drawn, partial = fade_frames(driver)
    assert drawn == partial == SOFTWARE_FADE_STEPS  # each step: the card alone
    assert_window_shows_everything(driver, "after the fade")


def test_a_change_beside_the_card_during_a_fade_is_drawn_at_once(kiosk) -> None:
    driver = kiosk(draw_window=True, size=SIZE)
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

    drawn, partial = fade_frames(driver, change)
    assert partial < drawn  # the frames after the changes: in full
    assert_window_shows_everything(driver, "after the fade")


def test_a_resized_window_starts_over_with_a_full_frame(kiosk) -> None:
    driver = kiosk(draw_window=True, size=(700, 500))
    driver.settle()
    Window.size = SIZE
    driver.wait(0.2)
    driver.settle()
    assert_window_shows_everything(driver, "after turning the screen")
    _drawn, partial = fade_frames(driver)
    assert partial >= 1  # the card alone again (the first tip in a new size may move more)


def test_the_clocks_minute_redraws_only_the_clock_and_shows_what_a_full_frame_would(
    kiosk,
) -> None:
    driver = kiosk(draw_window=True, size=SIZE)
    cache = driver.app.frame_cache
    driver.settle()
    clock = driver.app.home.ids.clock
    shown = clock.text
    assert_window_shows_everything(driver, "at rest")
    fulls, partials = cache.tracker.full_frames, cache.tracker.partial_frames
    for _ in range(70):  # seconds, into the next minute (tips turn meanwhile)
        driver.frame(1.0)
    assert clock.text != shown
    assert cache.tracker.full_frames == fulls  # the minute and the tips: only their part
    assert cache.tracker.partial_frames > partials
    # Stale pixels would stay until a full frame: none came, so they would show now.
    assert_window_shows_everything(driver, f"at {clock.text}")


def test_after_a_capture_the_next_frame_is_drawn_in_full(kiosk) -> None:
    """A capture draws the content itself, which clears Kivy's marks of what changed
    (a change made just before it would go unseen): the cache forgets what it knew."""
    driver = kiosk(draw_window=True, size=SIZE)
    driver.settle()
    cache = driver.app.frame_cache
    with cache.lend():
        pass
    driver.frame(0)  # the drawing is back: a full frame
    fulls = cache.tracker.full_frames
    driver.app.lobby.tap_tip()  # a change in the card alone
    driver.frame(0.15)
    assert cache.tracker.full_frames == fulls  # without a capture: the card alone
    driver.settle()
    driver.capture()
    driver.app.lobby.tap_tip()
    driver.frame(0.15)
    assert cache.tracker.full_frames == fulls + 1  # after one: in full


def test_a_fault_while_drawing_lets_go_of_the_kept_frame(kiosk) -> None:
    """Kivy's framebuffer stays bound after a fault inside it, and every later frame
    would fail: the window draws directly from then on, and stays right."""
    driver = kiosk(draw_window=True, size=SIZE)
    cache = driver.app.frame_cache
    driver.settle()
    faults = []

    def fail_once(_instruction) -> bool:
        if not faults:
            faults.append(1)
            raise RuntimeError("a fault while drawing")
        return True

    before = driver.app.home.ids.tip.ids.front.text
    with driver.app.home.canvas:
        broken = Callback(fail_once)
    with pytest.raises(RuntimeError):
        driver.frame()
    assert not cache.keeping
    driver.app.home.canvas.remove(broken)
    driver.app.lobby.tap_tip()
    driver.settle()
    driver.frame()
    # Drawn straight to the window, shapes' smoothed edges come out a little different
    # from a framebuffer's: the tip's words, inside the card, must be the new tip's.
    face = driver.app.home.ids.tip.ids.front
    words = next(w for w in face.walk(restrict=True) if isinstance(w, FitLabel))
    assert words.text != before  # the next tip, in the widgets: and on the window?
    left, bottom = words.to_window(words.x, words.y)
    inside = (int(left), int(SIZE[1] - bottom - words.height))
    inside += (int(left + words.width), int(SIZE[1] - bottom))
    shown, full = window_image().crop(inside), driver.capture().crop(inside)
    assert ImageChops.difference(shown, full).getbbox() is None, "the window is stale"


def test_a_watched_label_that_spills_out_is_redrawn_where_its_text_is(kiosk) -> None:
    driver = kiosk(draw_window=True, size=SIZE)
    label = Label(text="words that do not fit", size_hint=(None, None), size=(20, 20))
    label.pos = (300, 300)
    driver.app.root_layout.add_widget(label)
    label.texture_update()
    cache = driver.app.frame_cache
    cache.watched = [label]
    [(_canvas, (left, _bottom, width, height))] = cache._watched_in_view()
    text_width, text_height = label.texture_size
    assert width >= text_width > 20 and height >= text_height
    assert left <= label.center_x - text_width / 2
