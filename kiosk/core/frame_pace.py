"""How often the event loop wakes: at full rate while anything moves on screen or a
finger is on it, and for a moment after; slower when the lobby is still. No Kivy import.

Measured at 1080p (make bench): the loop alone, waking 60 times a second with nothing to
draw, cost about 2.3% of a core; at 20 it costs under a third of that. A touch on a
still screen is then seen at most 1/20 s later, and everything after it at full rate."""

from __future__ import annotations

from dataclasses import dataclass

IDLE_FPS = 20.0
LINGER_SECONDS = 3.0  # at full rate after the last frame drawn or touch


@dataclass
class FramePace:
    busy_fps: float
    idle_fps: float = IDLE_FPS
    linger: float = LINGER_SECONDS
    busy_until: float = float("-inf")

    def __post_init__(self) -> None:
        self.idle_fps = min(self.idle_fps, self.busy_fps)

    def stirred(self, now: float) -> None:
        """A frame was drawn (something moves: more frames follow) or a finger touched."""
        self.busy_until = max(self.busy_until, now + self.linger)

    def fps(self, now: float) -> float:
        return self.busy_fps if now < self.busy_until else self.idle_fps

    def calm_in(self, now: float) -> float | None:
        """Seconds until the rate may drop, or None when it is already idle."""
        return self.busy_until - now if now < self.busy_until else None
