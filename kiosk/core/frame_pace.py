"""How often the event loop wakes: at full rate while anything moves on screen or a
finger is on it, and for a moment after; slower when the lobby is still. No Kivy import.

Measured at 1080p (make bench): the loop alone, waking 60 times a second with nothing to
draw, cost about 2.3% of a core; at 20 it costs under a third of that. A touch on a
still screen is then seen at most 1/20 s later, and everything after it at full rate.

Each wake-up has a price of its own (on a virtual machine about 0.1 ms of CPU, several
times the loop's own work), so when a touch can wake the loop at once (the kiosk hears
the input devices, or no input can reach its window at all) a still lobby rests: the loop
wakes once a second, and sooner for any timer that is due."""

from __future__ import annotations

import math
from dataclasses import dataclass

IDLE_FPS = 20.0
REST_FPS = 1.0  # still, with a touch able to wake the loop at once
LINGER_SECONDS = 3.0  # at full rate after the last frame drawn or touch
# Left of a linger that is not worth a timer of its own: the clock fires timers up to a
# third of a frame early, so one set for less would find time still left, and spin.
CALM_SLACK_SECONDS = 0.05


# Renderers that draw on the CPU (Mesa's llvmpipe and softpipe, and the like).
SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "software rasterizer", "swiftshader", "swrast")
SOFTWARE_FADE_STEPS = 2  # a cross-fade drawn on the CPU: a half-way blend, then the new tip
EVERY_FRAME = 1 / 60  # a cross-fade's timer on a GPU: each frame of a 60 Hz screen


def software(renderer: str) -> bool:
    """Whether the GL renderer's name (GL_RENDERER) is one that draws on the CPU."""
    name = renderer.lower()
    return any(word in name for word in SOFTWARE_RENDERERS)


def fade_steps(renderer: str) -> int:
    """How many frames a cross-fade takes (0: one every frame the loop can draw). A GPU
    draws a frame for next to nothing. A software renderer draws on the CPU: even with only
    the card redrawn and the kept frame copied out (kiosk.shell.frame_cache), a frame costs
    about 30 ms at 1080p, most of what an idle lobby spends. So the same 0.2 s fade takes
    two even steps there: the two tips half and half, then the new one."""
    return SOFTWARE_FADE_STEPS if software(renderer) else 0


def fade_shown(progress: float, taken: int, steps: int) -> float:
    """How far into the new face a cross-fade shows, 0 to 1. Every frame (`steps` 0):
    eased along a sine, at `progress` (0 to 1) of the fade's time. In `steps` even steps:
    the `taken`-th, however early or late its timer fired (a slow first frame, or a frame
    that ran long, never skips a step)."""
    if steps:
        return min(max(taken, 0), steps) / steps
    progress = min(max(progress, 0.0), 1.0)
    return (1 - math.cos(math.pi * progress)) / 2


def quiet_fps(*, woken_by_input: bool, idle_fps: float = IDLE_FPS) -> float:
    """The rate of a still lobby: the loop must look for touches itself unless a touch
    wakes it."""
    return REST_FPS if woken_by_input else idle_fps


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

    def busy(self, now: float) -> bool:
        return self.busy_until - now > CALM_SLACK_SECONDS

    def fps(self, now: float, *, woken_by_input: bool = False) -> float:
        if self.busy(now):
            return self.busy_fps
        return min(self.busy_fps, quiet_fps(woken_by_input=woken_by_input, idle_fps=self.idle_fps))

    def calm_in(self, now: float) -> float | None:
        """Seconds until the rate may drop, or None when it may drop now."""
        return self.busy_until - now if self.busy(now) else None
