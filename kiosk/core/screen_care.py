"""Care of the panel over months: quiet hours (night mode) and a slow burn-in shift.
No Kivy import."""

from __future__ import annotations

import math
from datetime import datetime, time

# The whole layout moves to the next of these spots every SHIFT_SECONDS, tracing a
# small loop, so no edge of a static element sits on the same pixels for long.
SHIFT_SECONDS = 180
SHIFT_SPOTS = 8
SHIFT_SHARE = 0.012  # of the screen's short side: 13 px at 1080, under the 1.5% limit


def in_quiet_hours(now: datetime, start: time, end: time) -> bool:
    """Whether local `now` falls in [start, end); the span may cross midnight."""
    moment = now.time().replace(tzinfo=None)
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end


def burn_in_shift(seconds: float, width: float, height: float) -> tuple[int, int]:
    """The layout's offset in whole pixels at wall-clock `seconds`: a point on a small
    ellipse, one step further every SHIFT_SECONDS."""
    step = int(seconds // SHIFT_SECONDS) % SHIFT_SPOTS
    angle = 2 * math.pi * step / SHIFT_SPOTS
    radius = SHIFT_SHARE * min(width, height)
    return round(radius * math.cos(angle)), round(radius * math.sin(angle))
