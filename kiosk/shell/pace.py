"""Kivy's event loop on the lobby's pace (kiosk.core.frame_pace): the loop's frame cap is
lowered while nothing is drawn or touched, and raised again at the first touch (or frame,
when the loop cannot rest).

A still lobby rests (a wake-up a second) when a touch can wake the loop at once: Kivy's
interrupting clock is in use (`kiosk run` sets it) and `woken_by_input` says so (the
input devices are heard, see kiosk.adapters.input_watch). Otherwise it idles at 20.

Off when the loop does not run on real time (tests and replays set Kivy's cap to 0)."""

from __future__ import annotations

import time
from collections.abc import Callable

from kivy.clock import Clock, ClockBaseInterruptBehavior
from kivy.core.window import Window

from kiosk.core.frame_pace import FramePace

_EVENTS = ("on_touch_down", "on_touch_move", "on_touch_up", "on_key_down")


def _never() -> bool:
    return False


class LoopPace:
    def __init__(self) -> None:
        self.pace: FramePace | None = None
        self._woken_by_input: Callable[[], bool] = _never
        self._settle = Clock.create_trigger(self._calm_down, 0)
        self._wake_pending = False
        self._resolution = -1.0

    def start(self, woken_by_input: Callable[[], bool] = _never) -> None:
        """`woken_by_input`: whether a touch now wakes the loop by itself (asked at each
        quiet spell, since a touchscreen may be plugged in later)."""
        if Clock._max_fps <= 0:  # simulated time, or no cap at all: leave the loop be
            return
        self.pace = FramePace(busy_fps=Clock._max_fps)
        # Resting needs a clock whose sleep a timer or another thread can cut short.
        interrupting = isinstance(Clock, ClockBaseInterruptBehavior)
        self._woken_by_input = woken_by_input if interrupting else _never
        # Kivy takes its timing tolerance from the frame cap (a third of a frame): at rest
        # that would be a third of a second, spent looping, not sleeping, before each timer.
        # Keep the tolerance of full rate.
        self._resolution = Clock.clock_resolution
        Clock.clock_resolution = 1 / (3 * self.pace.busy_fps)
        Window.bind(on_flip=self.drawing, **dict.fromkeys(_EVENTS, self.stir))
        self.stir()  # start-up is drawing: idle from the first quiet moment on

    def stop(self) -> None:
        if self.pace is None:
            return
        Window.unbind(on_flip=self.drawing, **dict.fromkeys(_EVENTS, self.stir))
        self._settle.cancel()
        Clock._max_fps = self.pace.busy_fps
        Clock.clock_resolution = self._resolution  # as it was (Kivy's own rule: -1)
        self.pace = None

    def wake(self) -> None:
        """Input arrived (called from the input watcher's thread): the loop wakes now and
        runs at full rate, so the touch is taken at once."""
        # Even at full rate: the loop may be about to rest, and the touch reach SDL or Kivy
        # (through Xorg, or Kivy's own reader thread) only after it has gone to sleep.
        if self.pace is None or self._wake_pending:
            return
        self._wake_pending = True
        Clock.schedule_once(self._woken, 0)  # thread-safe; cuts the clock's sleep short

    def _woken(self, _dt: float) -> None:
        self._wake_pending = False
        self.stir()

    def stir(self, *_args) -> None:
        """Something is about to move or moved: full rate, for a moment after."""
        pace = self.pace
        if pace is None:  # off
            return
        pace.stirred(time.monotonic())
        if Clock._max_fps != pace.busy_fps:
            Clock._max_fps = pace.busy_fps
        if not self._settle.is_triggered:  # one wake-up per quiet spell, not one a frame
            self._settle.timeout = pace.linger
            self._settle()

    def drawing(self, *_args) -> None:
        """A frame was drawn, or the lobby changed what is shown: more frames may follow.
        A loop that can rest needs no higher rate for them: the clock wakes it for each
        timer (an animation's next step), and a touch wakes it too. Otherwise the rate
        goes up, so that they come on time."""
        if not self._can_rest():
            self.stir()

    def _can_rest(self) -> bool:
        return self.pace is not None and self._woken_by_input()

    def _calm_down(self, _dt: float) -> None:
        pace = self.pace
        if pace is None:
            return
        now = time.monotonic()
        left = pace.calm_in(now)
        if left is not None:  # stirred since: look again when that has passed
            self._settle.timeout = left
            self._settle()
            return
        Clock._max_fps = pace.fps(now, woken_by_input=self._woken_by_input())
