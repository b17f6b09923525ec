"""The event loop's pace: full rate while the screen moves or is touched, slow when still."""

from __future__ import annotations

from kiosk.core.frame_pace import FramePace


def test_a_still_lobby_runs_slow_and_a_touch_brings_full_rate_for_a_moment() -> None:
    pace = FramePace(busy_fps=60, idle_fps=20, linger=3)
    assert pace.fps(100.0) == 20
    assert pace.calm_in(100.0) is None
    pace.stirred(100.0)
    assert pace.fps(100.0) == 60
    assert pace.fps(102.9) == 60
    assert pace.calm_in(101.0) == 2.0
    assert pace.fps(103.0) == 20
    assert pace.calm_in(103.0) is None


def test_each_frame_drawn_keeps_full_rate_so_a_fade_runs_through() -> None:
    pace = FramePace(busy_fps=60, idle_fps=20, linger=0.5)
    for frame in range(40):  # a long animation, a frame every 30 ms
        now = 10.0 + frame * 0.03
        pace.stirred(now)
        assert pace.fps(now + 0.02) == 60
    assert pace.fps(10.0 + 39 * 0.03 + 0.5) == 20  # and slow again once it is over


def test_an_earlier_stir_never_shortens_a_later_one() -> None:
    pace = FramePace(busy_fps=60, linger=3)
    pace.stirred(50.0)
    pace.stirred(48.0)  # reported late
    assert pace.fps(52.5) == 60


def test_the_idle_rate_is_never_above_the_full_rate() -> None:
    pace = FramePace(busy_fps=15, idle_fps=20)
    assert pace.fps(0.0) == 15
