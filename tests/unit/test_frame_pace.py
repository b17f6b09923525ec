"""The event loop's pace: full rate while the screen moves or is touched, slow when still."""

from __future__ import annotations

from kiosk.core.frame_pace import (
    CALM_SLACK_SECONDS,
    IDLE_FPS,
    REST_FPS,
    SOFTWARE_FADE_STEPS,
    FramePace,
    fade_shown,
    fade_steps,
    quiet_fps,
    software,
)


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


def test_a_moment_left_of_the_linger_is_no_reason_to_wait() -> None:
    """The clock fires a timer up to a third of a frame early: one set for what is left
    would find a little still left, and be set again and again (the loop spun for 6 ms)."""
    pace = FramePace(busy_fps=60, linger=3)
    pace.stirred(100.0)
    assert pace.calm_in(102.9) is not None
    assert pace.calm_in(103.0 - CALM_SLACK_SECONDS / 2) is None
    assert pace.calm_in(103.0 - 1 / 180) is None  # the clock's tolerance at 60 fps
    assert pace.fps(103.0 - 1 / 180) == IDLE_FPS  # and the rate drops then, too


def test_an_earlier_stir_never_shortens_a_later_one() -> None:
    pace = FramePace(busy_fps=60, linger=3)
    pace.stirred(50.0)
    pace.stirred(48.0)  # reported late
    assert pace.fps(52.5) == 60


def test_the_idle_rate_is_never_above_the_full_rate() -> None:
    pace = FramePace(busy_fps=15, idle_fps=20)
    assert pace.fps(0.0) == 15


def test_a_still_lobby_rests_only_when_a_touch_can_wake_the_loop() -> None:
    pace = FramePace(busy_fps=60)
    assert pace.fps(0.0, woken_by_input=True) == REST_FPS
    assert pace.fps(0.0, woken_by_input=False) == IDLE_FPS
    pace.stirred(0.0)
    assert pace.fps(1.0, woken_by_input=True) == 60  # moving: full rate all the same
    assert quiet_fps(woken_by_input=True) < quiet_fps(woken_by_input=False)


def test_fades_step_every_frame_on_a_gpu_and_fewer_times_on_a_software_renderer() -> None:
    assert software("llvmpipe (LLVM 15.0.6, 256 bits)")
    assert software("softpipe") and software("Google SwiftShader")
    assert not software("V3D 4.2") and not software("Mesa Intel(R) UHD Graphics 620 (KBL GT2)")
    assert not software("")  # unknown: a GPU is the common case
    assert fade_steps("llvmpipe (LLVM 15.0.6, 256 bits)") == SOFTWARE_FADE_STEPS
    assert fade_steps("V3D 4.2") == 0


def test_a_fade_in_steps_shows_the_step_taken_however_early_or_late_its_timer() -> None:
    for taken in (1, 2, 3):
        for progress in (0.1, 0.9, 1.7):  # the timer's time does not matter
            assert fade_shown(progress, taken, 3) == taken / 3
    assert fade_shown(0.0, 0, 3) == 0
    assert fade_shown(2.0, 5, 3) == 1  # never past the end


def test_a_fade_every_frame_eases_in_and_out() -> None:
    assert fade_shown(0.0, 1, 0) == 0
    assert abs(fade_shown(0.5, 9, 0) - 0.5) < 1e-12
    assert fade_shown(1.0, 2, 0) == 1 and fade_shown(1.3, 2, 0) == 1
    shown = [fade_shown(p / 20, p, 0) for p in range(21)]
    assert shown == sorted(shown)  # never back
    assert shown[1] < 1 / 20 and shown[10] - shown[9] > 1 / 20  # slow at the ends
