"""The event loop's pace in the shell: Kivy's frame cap drops when the lobby is still and
comes back at the first frame drawn or touch, and a run on simulated time is left alone."""

from __future__ import annotations

import pytest
from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.core.frame_pace import IDLE_FPS, LINGER_SECONDS
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
