"""Synthetic touches for replays and tests: real MotionEvents through Kivy's input path."""

from __future__ import annotations

import itertools

from kivy.base import EventLoop
from kivy.input.motionevent import MotionEvent

_ids = itertools.count(1)


class SyntheticTouch(MotionEvent):
    """A finger at window position (x, y), dispatched like any input provider's touch."""

    def __init__(self, x: float, y: float) -> None:
        super().__init__("replay", next(_ids), (x, y), is_touch=True, type_id="touch")

    def depack(self, args: tuple[float, float]) -> None:
        window = EventLoop.window
        self.sx = args[0] / max(1, window.width)
        self.sy = args[1] / max(1, window.height)
        self.profile = ["pos"]
        super().depack(args)

    def down(self) -> None:
        EventLoop.post_dispatch_input("begin", self)

    def up(self) -> None:
        EventLoop.post_dispatch_input("end", self)
