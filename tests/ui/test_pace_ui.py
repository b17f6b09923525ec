"""The event loop's pace in the shell: Kivy's frame cap drops when the lobby is still and
comes back at the first frame drawn or touch, and a run on simulated time is left alone."""

from __future__ import annotations

import threading

import pytest
from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.core.frame_pace import IDLE_FPS, LINGER_SECONDS, REST_FPS
from kiosk.shell import pace as pace_module
from kiosk.shell.pace import LoopPace
from kiosk.testing.touch import SyntheticTouch


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def real_time_cap(kiosk, monkeypatch):
    """A loop capped at 60 fps, as `kiosk run` has it (tests run uncapped), and a clock
    the test moves."""
    kiosk()
    clock = FakeMonotonic()
    monkeypatch.setattr(pace_module.time, "monotonic", clock)
    saved = Clock._max_fps
    Clock._max_fps = 60.0
    yield clock
    Clock._max_fps = saved


def test_on_simulated_time_the_pace_leaves_the_loop_alone(kiosk) -> None:
    kiosk()
    assert Clock._max_fps == 0
    pace = LoopPace()
    pace.start()
    assert pace.pace is None
    Window.dispatch("on_flip")
    assert Clock._max_fps == 0
    pace.stop()


def test_still_means_slow_and_a_touch_or_a_frame_means_full_rate(real_time_cap) -> None:
    clock = real_time_cap
    pace = LoopPace()
    pace.start()
    try:
        assert Clock._max_fps == 60  # start-up is drawing
        clock.now += LINGER_SECONDS + 0.1
        pace._calm_down(0)
        assert Clock._max_fps == IDLE_FPS

        finger = SyntheticTouch(5, 5)  # a corner of the header: nothing to open
        finger.down()
        assert Clock._max_fps == 60
        finger.up()
        clock.now += LINGER_SECONDS / 2
        Window.dispatch("on_flip")  # the screen the tap opened is being drawn
        clock.now += LINGER_SECONDS / 2 + 0.1
        pace._calm_down(0)
        assert Clock._max_fps == 60  # the frame stirred it later: not yet
        assert pace._settle.is_triggered  # it looks again when that time has passed
        clock.now += LINGER_SECONDS
        pace._calm_down(0)
        assert Clock._max_fps == IDLE_FPS
    finally:
        pace.stop()
    assert Clock._max_fps == 60  # the cap as it was
    Window.dispatch("on_flip")
    assert Clock._max_fps == 60  # and no longer watched


def test_a_still_lobby_rests_when_a_touch_wakes_the_loop(real_time_cap, monkeypatch) -> None:
    """Resting needs Kivy's interrupting clock (a real run has it; tests run the default
    one) and a touch able to wake the loop: either missing, it idles at 20."""
    clock = real_time_cap
    heard = [True]
    pace = LoopPace()
    pace.start(woken_by_input=lambda: heard[0])
    try:
        clock.now += LINGER_SECONDS + 0.1
        pace._calm_down(0)
        assert Clock._max_fps == IDLE_FPS  # the default clock: a timer could not wake it
    finally:
        pace.stop()
    monkeypatch.setattr(pace_module, "ClockBaseInterruptBehavior", object)  # as if it were
    pace = LoopPace()
    pace.start(woken_by_input=lambda: heard[0])
    try:
        assert Clock.clock_resolution == 1 / 180  # timers keep full rate's tolerance
        clock.now += LINGER_SECONDS + 0.1
        pace._calm_down(0)
        assert Clock._max_fps == REST_FPS
        Window.dispatch("on_flip")  # a tip's fade: its timers wake the loop for each step
        assert Clock._max_fps == REST_FPS
        finger = SyntheticTouch(5, 5)
        finger.down()  # a touch: full rate, to follow the finger
        finger.up()
        assert Clock._max_fps == 60
        clock.now += LINGER_SECONDS + 0.1
        pace._calm_down(0)
        assert Clock._max_fps == REST_FPS
        heard[0] = False  # the touchscreen was unplugged
        pace.stir()
        clock.now += LINGER_SECONDS + 0.1
        pace._calm_down(0)
        assert Clock._max_fps == IDLE_FPS
    finally:
        pace.stop()
    assert Clock.clock_resolution == -1  # Kivy's own rule again


def test_input_heard_on_another_thread_brings_full_rate_on_the_next_frame(real_time_cap):
    clock = real_time_cap
    pace = LoopPace()
    pace.start()
    try:
        clock.now += LINGER_SECONDS + 0.1
        pace._calm_down(0)
        assert Clock._max_fps == IDLE_FPS
        watcher = threading.Thread(target=pace.wake)  # as the input watch calls it
        watcher.start()
        watcher.join()
        pace.wake()  # more input before the loop woke: one wake-up is enough
        assert sum(1 for e in Clock.get_events() if e.get_callback() == pace._woken) == 1
        Clock._max_fps = 0  # the next tick at once (the test's clock does not move)
        Clock.tick()
        assert Clock._max_fps == 60  # woken: full rate
    finally:
        pace.stop()
