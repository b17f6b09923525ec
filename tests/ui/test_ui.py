"""The real Kivy app, headless: taps are real touch events, time is simulated."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from kiosk.core.flow import Screen
from kiosk.core.tips import reading_seconds
from kiosk.shell.screens.home import WeekRow
from tests.conftest import SAMPLE_CONFIG, bump_mtime, edit
from tests.drive import kiosk_cli, run_replay


def visible_tip_text(driver) -> str:
    card = driver.app.home.ids.tip
    return card.ids.front.text


def header_name(driver) -> str:
    return driver.find("name").text


@pytest.mark.smoke
def test_home_shows_next_group_and_the_week(kiosk) -> None:
    driver = kiosk(at="2026-12-01T17:45")
    view = driver.app.home.view
    assert driver.screen == "home"
    assert view.card.heading == "Next" and view.card.when == "in 15 min"
    assert view.card.title == "Harm Reduction Group"
    assert [r.title for r in view.rows][:3] == [
        "Harm Reduction Group",
        "Coffee & Conversation",
        "Naloxone training",
    ]
    assert header_name(driver) == "Harm Reduction Group"


def test_tap_on_tip_card_shows_the_next_tip(kiosk) -> None:
    driver = kiosk()
    first = driver.app.lobby.flow.tip
    assert visible_tip_text(driver) == first.text.get("en", "en")
    driver.tap("tip")
    second = driver.app.lobby.flow.tip
    assert second.id != first.id
    driver.wait(1.0)  # the cross-fade
    assert visible_tip_text(driver) == second.text.get("en", "en")
    assert driver.app.home.ids.tip.ids.front.opacity == 1


def test_only_the_shown_tip_face_is_drawn_between_fades(kiosk) -> None:
    """A face at opacity 0 would still cost a software renderer every pixel it covers."""
    from tests.drive import touch_at

    driver = kiosk()
    card = driver.app.home.ids.tip
    faces = lambda: {id(face.__self__) for face in card.children}  # noqa: E731
    shown = lambda: {id(card.ids.front.__self__)}  # noqa: E731
    assert faces() == shown()
    old = card.ids.front.__self__
    driver.app.lobby.tap_tip()  # (a driver tap would also wait the fade out)
    driver.wait(0.1)  # mid-fade
    assert faces() == {id(old), id(card.ids.front.__self__)} and 0 < old.opacity < 1
    driver.wait(0.5)
    assert faces() == shown() and card.ids.back.__self__ is old
    assert card.ids.front.opacity == 1
    driver.app.lobby.tap_tip()
    driver.wait(0.1)
    touch_at(driver, *driver.find("checkin").to_window(*driver.find("checkin").center))
    assert driver.screen == "checkin"  # leaving mid-fade settles the card at once
    assert faces() == shown() and card.ids.front.opacity == 1


@pytest.mark.parametrize("steps", [0, 3])  # every frame (a GPU), three steps (software)
def test_each_frame_of_a_tip_fade_shows_a_step_of_it(kiosk, steps) -> None:
    """Every frame drawn during a cross-fade costs a software renderer a whole window: the
    new face joins when it first shows, and the old one leaves in the frame of the last
    step, not in a frame of its own."""
    driver = kiosk()
    card = driver.app.home.ids.tip
    card.fade_steps = steps
    old = card.ids.front.__self__
    driver.app.lobby.tap_tip()
    new = card.ids.front.__self__
    seen = []
    for _ in range(20):
        driver.frame()
        state = (frozenset(id(face) for face in card.children), old.opacity, new.opacity)
        if not seen or state != seen[-1]:
            seen.append(state)
    both = frozenset({id(old), id(new)})
    middle = [new_opacity for faces, _, new_opacity in seen if faces == both]
    assert middle, "it did cross-fade"
    for faces, old_opacity, new_opacity in seen:
        if faces == both:
            assert 0 < old_opacity < 1 and 0 < new_opacity < 1
            assert abs(old_opacity + new_opacity - 1) < 1e-9
    if steps:
        assert middle == [1 / 3, 2 / 3]  # and the third step ends it
    assert seen[-1] == (frozenset({id(new)}), 0, 1)


@pytest.mark.parametrize("steps", [0, 3])
def test_a_tip_during_a_fade_never_flashes_or_turns_a_face_back(kiosk, steps) -> None:
    """Taps on the card come faster than a fade: no face in view changes its words, the
    face coming in never dims and the face going out never brightens."""
    driver = kiosk()
    card = driver.app.home.ids.tip
    card.fade_steps = steps

    def state():
        front, back = card.ids.front.__self__, card.ids.back.__self__
        shown = {id(face): face.text for face in card.children}
        return shown, (id(front), front.opacity), (id(back), back.opacity, back.parent is card)

    seen = [state()]
    for gap in (1, 0, 2, 3):  # another tip after that many frames (0: before any step)
        driver.app.lobby.tap_tip()
        for _ in range(gap):
            driver.frame()
            seen.append(state())
    for _ in range(20):
        driver.frame()
        seen.append(state())
    for (shown, front, back), (shown_next, front_next, back_next) in itertools.pairwise(seen):
        for face, words in shown.items():
            assert shown_next.get(face, words) == words, "a tip's words changed in view"
        if front_next[0] == front[0]:
            assert front_next[1] >= front[1], "the face coming in dimmed"
        if back_next[0] == back[0] and back[2] and back_next[2]:
            assert back_next[1] <= back[1], "the face going out brightened"
    assert len(seen[-1][0]) == 1 and card.ids.front.opacity == 1


def test_a_real_run_has_the_clock_a_timer_or_a_touch_can_wake(tmp_path) -> None:
    """Resting needs Kivy's interrupting clock; replays and previews keep the default."""
    probe = (
        "import sys; from pathlib import Path; from kiosk.shell import env; "
        "env.prepare(Path(sys.argv[1]), size=(80, 60), headless=True, "
        "real_time=sys.argv[2] == 'real'); "
        "from kivy.clock import Clock, ClockBaseInterruptBehavior; "
        "print(isinstance(Clock, ClockBaseInterruptBehavior))"
    )
    for run, expected in (("real", "True"), ("replay", "False")):
        out = subprocess.run(
            [sys.executable, "-c", probe, str(tmp_path / run), run],
            capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
        assert out.stdout.strip().splitlines()[-1] == expected, out.stderr[-2000:]


def test_tip_rotates_on_its_own_at_a_slow_readers_pace_and_waits_after_a_touch(kiosk) -> None:
    driver = kiosk()
    first = driver.app.lobby.flow.tip
    pace = max(12, reading_seconds(first.text.get("en", "en")))  # tip_seconds = 12
    driver.advance(pace - 1)
    assert driver.app.lobby.flow.tip == first
    driver.advance(1.5)
    second = driver.app.lobby.flow.tip
    assert second != first
    driver.tap("tip.previous")  # back, and a touch: it now stays a minute
    assert driver.app.lobby.flow.tip == first
    driver.advance(55)
    assert driver.app.lobby.flow.tip == first and driver.find("tip.previous") is None
    driver.advance(6)
    assert driver.app.lobby.flow.tip != first


def test_idle_returns_to_the_default_language(kiosk) -> None:
    driver = kiosk(lang="es")
    assert header_name(driver) == "Grupo de Reducción de Daños"
    driver.advance(30)
    assert driver.app.lobby.flow.language == "es"
    driver.advance(31)
    assert driver.app.lobby.flow.language == "en"
    assert header_name(driver) == "Harm Reduction Group"


def test_a_touch_restarts_the_idle_timer(kiosk) -> None:
    driver = kiosk(lang="es")
    driver.advance(50)
    driver.tap("tip")
    driver.advance(50)
    assert driver.app.lobby.flow.language == "es"


def test_config_changes_reach_the_screen_within_5_seconds_and_a_broken_one_is_calm(
    kiosk, config_dir: Path
) -> None:
    driver = kiosk()
    toml = config_dir / "kiosk.toml"
    edit(toml, 'en = "Harm Reduction Group"', 'en = "Fifth Street Harm Reduction"')
    bump_mtime(toml)
    driver.advance(2.5)
    driver.advance(2.5)
    assert (header_name(driver), driver.app.home.marker) == ("Fifth Street Harm Reduction", False)

    edit(toml, 'name.en = "Fifth Street Harm Reduction"', 'name.en = "Broken" oops')
    bump_mtime(toml, 2)
    driver.advance(5)
    assert driver.screen == "home"
    assert header_name(driver) == "Fifth Street Harm Reduction"  # the last good config
    assert driver.app.home.view.card.title == "Harm Reduction Group"  # the group, still drawn
    assert driver.app.home.marker is True  # a neutral mark: the words are for staff
    assert "last good" in driver.app.lobby.notice()


def test_cancelled_occurrence_is_labelled_in_words(kiosk) -> None:
    driver = kiosk(at="2026-11-23T10:00")
    rows = driver.app.home.view.rows
    assert [r.note for r in rows if r.cancelled] == [
        "Cancelled — Thanksgiving week: no group. See you December 1.",
        "Cancelled — Thanksgiving Day. Happy holiday!",
    ]


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800), (1080, 1920)])
def test_home_renders_at_each_size_without_overflow(kiosk, tmp_path: Path, size) -> None:
    driver = kiosk(size=size, at="2026-11-23T10:00")
    shot = driver.screenshot(tmp_path / "home.png")
    image = Image.open(shot)
    assert image.size == size
    assert len(image.getcolors(1 << 20)) > 50  # text was drawn, not a blank frame
    home = driver.app.home
    # Every week row that is shown lies inside the window.
    rows = [w for w in home.ids.rows.children if isinstance(w, WeekRow)]
    assert rows
    for row in rows:
        _x, y = row.to_window(row.x, row.y)
        assert y >= 0 and y + row.height <= size[1]
    # The tip text fits its card.
    face = home.ids.tip.ids.front
    label = face.ids.textarea.children[-1]
    assert label.texture_size[1] <= face.ids.textarea.height + 1


def test_replay_taps_the_tip_and_takes_screenshots(tmp_path: Path) -> None:
    script = (
        "expect home\nshot before\ntap tip   # next tip\nwait 1\nshot after\n"
        "advance 61\nexpect home\n"
    )
    result = run_replay(tmp_path, script)
    assert result.returncode == 0, result.stderr
    before = Image.open(tmp_path / "shots" / "before.png")
    after = Image.open(tmp_path / "shots" / "after.png")
    assert before.size == (1920, 1080)
    assert before.tobytes() != after.tobytes(), "the tap did not change the tip"
    assert "Traceback" not in result.stderr and " ERROR " not in result.stderr


def test_replay_unknown_target_exits_3(tmp_path: Path) -> None:
    result = run_replay(tmp_path, "tap nowhere\n")
    assert result.returncode == 3
    assert "nowhere" in result.stderr and "tip" in result.stderr


def test_replay_expecting_another_screen_exits_3(tmp_path: Path) -> None:
    result = run_replay(tmp_path, "expect resources\n")
    assert result.returncode == 3


def test_replay_script_error_exits_1(tmp_path: Path) -> None:
    result = run_replay(tmp_path, "tap\n")
    assert result.returncode == 1
    assert "line 1" in result.stderr and "Traceback" not in result.stderr


def test_tip_without_link_shows_no_qr_code(kiosk, tmp_path: Path) -> None:
    import zxingcpp

    driver = kiosk()
    for _ in range(5):
        if not driver.app.lobby.flow.tip.link:
            break
        driver.tap("tip")
    driver.wait(1.0)
    shot = Image.open(driver.screenshot(tmp_path / "plain.png"))
    assert zxingcpp.read_barcodes(shot) == []


def test_preview_of_a_broken_config_exits_1_and_keeps_the_saved_copy(
    config_dir: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    edit(config_dir / "kiosk.toml", "tip_seconds = 12", "tip_seconds = twelve")
    result = kiosk_cli(
        "preview", "--config", str(config_dir), "--data", str(data), "--out", str(tmp_path / "out")
    )
    assert result.returncode == 1
    assert "line" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() and not (data / "config-last-good").exists()


def test_week_list_shows_what_fits_and_counts_the_rest(kiosk, config_dir: Path) -> None:
    edit(config_dir / "schedule.toml", 'days = ["thu"]', 'days = ["mon", "wed", "thu", "fri"]')
    driver = kiosk(size=(1280, 800), at="2026-11-30T09:00")
    rows_box = driver.app.home.ids.rows
    total = len(driver.app.home.view.rows)
    shown = [w for w in rows_box.children if isinstance(w, WeekRow)]
    hidden = total - len(shown)
    assert 0 < len(shown) < total
    labels = [
        w.text for w in rows_box.children if not isinstance(w, WeekRow) and hasattr(w, "text")
    ]
    assert labels == [f"+ {hidden} more this week", "Next 7 days"]
    used = sum(w.height for w in rows_box.children if w.__class__.__name__ != "Widget")
    assert used <= rows_box.height


def test_week_list_without_overflow_has_no_more_line(kiosk) -> None:
    driver = kiosk(size=(1920, 1080), at="2026-12-01T17:45")
    rows_box = driver.app.home.ids.rows
    shown = [w for w in rows_box.children if isinstance(w, WeekRow)]
    assert len(shown) == len(driver.app.home.view.rows)
    labels = [getattr(w, "text", "") for w in rows_box.children if not isinstance(w, WeekRow)]
    assert [text for text in labels if text] == ["Next 7 days"]


def test_kiosk_mode_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    """A service manager must be able to stop the kiosk, though it refuses Escape and close."""
    import os
    import signal

    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "run",
            "--kiosk",
            "--config",
            str(SAMPLE_CONFIG),
            "--data",
            str(tmp_path / "data"),
        ],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            assert "Traceback" not in line and " ERROR " not in line, line
            if "Kiosk started" in line:
                break
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()


def test_screens_cross_fade_on_the_window_without_framebuffers(kiosk) -> None:
    from kivy.graphics import Fbo

    driver = kiosk()
    screens = driver.app.screens
    driver.app.lobby.tap_checkin()  # (a driver tap would also wait the fade out)
    driver.wait(0.1)
    home, checkin = driver.app.home, driver.app.widgets[Screen.CHECKIN]
    assert set(screens.children) == {home, checkin}
    assert 0 < checkin.opacity < 1 and home.opacity == pytest.approx(1 - checkin.opacity)
    assert not [i for i in screens.canvas.children if isinstance(i, Fbo)]
    driver.app.lobby.go_home()  # a change in the middle of a change
    driver.wait(0.5)
    assert screens.children == [home] and home.opacity == 1 and checkin.opacity == 1


def test_a_screen_comes_back_where_the_burn_in_shift_has_moved_the_screens(kiosk) -> None:
    driver = kiosk()
    screens, checkin = driver.app.screens, driver.app.widgets[Screen.CHECKIN]
    driver.tap("checkin")
    driver.tap("back")
    screens.pos = (screens.x + 9, screens.y - 7)  # a shift while check-in was not shown
    driver.app.lobby.tap_checkin()
    driver.wait(0.1)  # mid-fade: already in place, not sliding in from the old spot
    assert tuple(checkin.pos) == tuple(screens.pos)
    screens.pos = (screens.x - 4, screens.y + 2)  # a shift during the fade
    driver.wait(0.5)
    assert tuple(checkin.pos) == tuple(screens.pos) and checkin.opacity == 1


def test_night_falls_behind_the_quiet_screen_once_it_has_faded_in(kiosk) -> None:
    from kivy.core.window import Window

    driver = kiosk(at="2026-12-02T01:30")
    colors = driver.app.colors
    driver.tap("checkin")  # a touch at night shows the day screens
    driver.tap("back")
    assert list(Window.clearcolor) == list(colors["background"])
    driver.app.lobby.flow.tick(driver.app.lobby.clock.seconds() + 61, quiet=True)
    driver.wait(0.1)  # home fading out on its own background, not on black
    assert driver.app.screens.current == "quiet"
    assert list(Window.clearcolor) == list(colors["background"])
    driver.wait(0.5)
    assert list(Window.clearcolor) == list(colors["night_background"])


def test_with_every_tip_taken_out_no_empty_card_is_left(kiosk, config_dir: Path, tmp_path) -> None:
    driver = kiosk()
    (config_dir / "tips.toml").write_text("# no tips this week\n", encoding="utf-8")
    bump_mtime(config_dir / "tips.toml")
    driver.advance(2.5)
    driver.advance(2.5)
    card = driver.app.home.ids.tip
    assert card.empty
    shot = driver.screenshot(tmp_path / "no-tips.png")
    x, y = card.to_window(*card.center)
    with Image.open(shot) as image:
        pixel = image.getpixel((int(x), image.height - int(y)))
    background = tuple(round(c * 255) for c in driver.app.colors["background"][:3])
    assert all(abs(a - b) <= 2 for a, b in zip(pixel, background, strict=True)), pixel


@pytest.mark.parametrize(("lang", "size"), [("en", (1920, 1080)), ("tl", (1280, 800))])
def test_the_week_is_a_tap_away_at_the_largest_text(kiosk, lang: str, size) -> None:
    driver = kiosk(lang=lang, text_size="xlarge", size=size, at="2026-12-01T17:45")
    expected = [row.title for row in driver.app.home.view.rows]
    assert driver.app.home.ids.rows.hidden == len(expected) > 0  # no row fits on home
    driver.tap("week")
    driver.expect("week")
    shown = [w.title for w in reversed(driver.app.widgets[Screen.WEEK].ids.rows.children)]
    assert shown == expected
    driver.tap("back")
    driver.expect("home")
