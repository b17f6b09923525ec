"""Kivy's event loop on the lobby's pace (kiosk.core.frame_pace): the loop's frame cap is
lowered while nothing is drawn or touched, and raised again at the first frame or touch.

Off when the loop does not run on real time (tests and replays set Kivy's cap to 0)."""

from __future__ import annotations

import time

from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.core.frame_pace import FramePace

_EVENTS = ("on_flip", "on_touch_down", "on_touch_move", "on_touch_up", "on_key_down")


class LoopPace:
    def __init__(self) -> None:
        self.pace: FramePace | None = None
        self._settle = Clock.create_trigger(self._calm_down, 0)

    def start(self) -> None:
        if Clock._max_fps <= 0:  # simulated time, or no cap at all: leave the loop be
            return
        self.pace = FramePace(busy_fps=Clock._max_fps)
        Window.bind(**dict.fromkeys(_EVENTS, self.stir))
        self.stir()  # start-up is drawing: idle from the first quiet moment on

    def stop(self) -> None:
        if self.pace is None:
            return
        Window.unbind(**dict.fromkeys(_EVENTS, self.stir))
        self._settle.cancel()
        Clock._max_fps = self.pace.busy_fps
        self.pace = None

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
        Clock._max_fps = pace.fps(now)
