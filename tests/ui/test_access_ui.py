"""Every resident can use it: languages, text size, contrast and touch targets, checked on
the real rendered screens, with each check shown to catch a deliberately bad case."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from kivy.core.window import Window
from kivy.uix.label import Label
from PIL import Image

from kiosk.core.flow import Screen
from kiosk.shell.widgets.qr_image import QrImage
from kiosk.testing import ui_audit
from kiosk.words import fonts
from kiosk.words import offer as languages
from tests.conftest import edit
from tests.drive import Tappable, run_replay, scratch_layer
from tests.espeak import fake_espeak, wait_for

FOUR = ["en", "es", "zh-Hant", "tl"]
DURING_GROUP = "2026-12-01T18:10"  # check-in open, a group happening now


def audit_everything(driver, folder: Path) -> list[str]:
    shots = driver.preview_all(folder)
    assert len(shots) >= 20  # every screen, the chooser and each resource
    return [f"{path.name}: {problem}" for path, found in shots.items() for problem in found]


@pytest.mark.parametrize("text_size", ["normal", "large", "xlarge"])
@pytest.mark.parametrize("lang", FOUR)
def test_every_screen_in_every_language_and_text_size_passes_the_audit(
    kiosk, tmp_path: Path, lang: str, text_size: str
) -> None:
    """No clipped or overflowing text, no tofu, targets of 48 dp kept 8 dp apart, and
    every text at least 4.5:1 against the pixels behind it."""
    driver = kiosk(at=DURING_GROUP, lang=lang, text_size=text_size)
    assert driver.app.lobby.flow.language == lang
    assert audit_everything(driver, tmp_path) == []


@pytest.mark.parametrize("size", [(1080, 1920), (800, 480), (1280, 800)])
@pytest.mark.parametrize("lang", ["zh-Hant", "tl"])
def test_other_screen_shapes_pass_the_audit_at_the_largest_text(
    kiosk, tmp_path: Path, lang: str, size
) -> None:
    driver = kiosk(at=DURING_GROUP, lang=lang, text_size="xlarge", size=size)
    assert audit_everything(driver, tmp_path) == []


def test_high_contrast_theme_is_drawn_and_passes_the_audit(
    kiosk, config_dir: Path, tmp_path: Path
) -> None:
    edit(config_dir / "kiosk.toml", 'theme = "standard"', 'theme = "high-contrast"')
    driver = kiosk(at=DURING_GROUP)
    shot = Image.open(driver.screenshot(tmp_path / "home.png")).convert("RGB")
    assert shot.getpixel((5, shot.height - 5)) == (0, 0, 0)  # black, not the navy
    # The tip card: black inside (a white card glares), with an outline that shows it.
    tip = driver.app.home.ids.tip
    left, top = (round(v) for v in tip.to_window(tip.x, tip.top))
    middle_y = shot.height - round(tip.to_window(*tip.center)[1])
    assert shot.getpixel((left + 8, shot.height - top + 60)) == (0, 0, 0)
    edge = [shot.getpixel((x, middle_y)) for x in range(left - 2, left + 4)]
    assert max(sum(px) for px in edge) > 3 * 150, edge
    assert audit_everything(driver, tmp_path) == []


# --- the checks catch what they are for ------------------------------------------------------


@pytest.fixture
def scratch(kiosk):
    with scratch_layer(kiosk()) as pair:
        yield pair


def test_audit_catches_tofu(scratch) -> None:
    driver, layer = scratch
    layer.add_widget(Label(text="下午 6:00", font_name="Body", pos=(10, 10), size=(400, 100)))
    driver.wait(0.1)
    [problem] = ui_audit.glyph_problems(Window)
    assert "AtkinsonHyperlegible" in problem and "U+4E0B" in problem


def test_audit_catches_clipped_and_overflowing_text(scratch) -> None:
    driver, layer = scratch
    long = "Come as you are. Coffee and snacks. " * 4
    cut = Label(text=long, size_hint=(None, None), size=(300, 40), pos=(10, 300))
    cut.text_size = cut.size  # wraps, and the lines beyond 40 px are silently dropped
    wide = Label(text=long, size_hint=(None, None), size=(200, 200), pos=(10, 500))
    offscreen = Label(text="Next", size_hint=(None, None), size=(200, 50), pos=(-150, 900))
    for widget in (cut, wide, offscreen):
        layer.add_widget(widget)
    driver.wait(0.1)
    problems = ui_audit.text_problems(layer)
    assert any("is cut off" in p for p in problems)
    assert any("bigger than its box" in p for p in problems)
    assert any("'Next' runs off the screen" in p for p in problems)


def test_audit_catches_small_and_crowded_targets(scratch) -> None:
    driver, layer = scratch
    for name, x in (("small", 10), ("left", 300), ("right", 404)):
        size = (30, 30) if name == "small" else (100, 100)
        layer.add_widget(Tappable(target=name, size_hint=(None, None), size=size, pos=(x, 700)))
    driver.wait(0.1)
    problems = ui_audit.target_problems(layer)
    assert any(p.startswith("'small' is 30x30") for p in problems)
    assert "'right' and 'left' are 4 px apart, closer than 8" in problems


def test_audit_catches_a_qr_code_too_big_for_its_box_or_over_a_control(scratch) -> None:
    driver, layer = scratch
    code = QrImage(link="https://988lifeline.org", max_side=300)
    code.size_hint, code.size, code.pos = (None, None), (300, 150), (1000, 300)
    layer.add_widget(code)
    layer.add_widget(
        Tappable(target="home", size_hint=(None, None), size=(200, 100), pos=(1000, 420))
    )
    driver.wait(0.1)
    problems = ui_audit.qr_problems(layer)
    assert "the QR code for 'https://988lifeline.org' is drawn larger than its box" in problems
    assert "the QR code for 'https://988lifeline.org' covers 'home'" in problems


def test_a_qr_code_is_drawn_in_the_middle_of_its_box_after_any_layout(scratch) -> None:
    """Its box moves, then widens (as a layout does it): the code follows both."""
    from kivy.graphics import Rectangle

    driver, layer = scratch
    code = QrImage(link="https://988lifeline.org", max_side=200)
    code.size_hint, code.size, code.pos = (None, None), (0, 0), (1700, 800)
    layer.add_widget(code)
    code.height = code.symbol_side
    code.pos = (1000, 300)
    code.width = 240
    driver.wait(0.1)
    [drawn] = [i for i in code.canvas.children if isinstance(i, Rectangle)]
    side = code.symbol_side
    assert drawn.pos == (round(1000 + (240 - side) / 2), 300) and drawn.size == (side, side)


def test_audit_catches_faint_text(scratch, tmp_path: Path) -> None:
    driver, layer = scratch
    faint = Label(text="Check-in opens at 5:30 PM", color=(0.2, 0.25, 0.32, 1))
    faint.size_hint, faint.size, faint.pos = (None, None), (400, 60), (700, 1005)  # header
    layer.add_widget(faint)
    driver.wait(0.1)
    with Image.open(driver.screenshot(tmp_path / "faint.png")) as image:
        problems = ui_audit.contrast_problems(layer, image)
    assert problems and problems[0].startswith("'Check-in opens at 5:30 PM': 1.")


# --- language, text size, read-aloud ---------------------------------------------------------


def test_language_chooser_shows_each_language_in_its_own_script_and_font(kiosk) -> None:
    driver = kiosk()
    button = driver.find("language")
    assert button.words == "English · Español · 中文 · Filipino"
    driver.tap("language")
    assert {f"language.{code}" for code in FOUR} <= set(driver.targets())
    assert "checkin" not in driver.targets()  # behind the chooser: not reachable
    plan = driver.app.lobby.plan
    for code in FOUR:
        option = driver.find(f"language.{code}")
        assert option.name == languages.autonym(code)
        assert option.font == plan.face(code).name
        assert option.current == (code == "en")
    driver.tap("language.zh-Hant")
    assert driver.app.lobby.flow.language == "zh-Hant" and driver.find("language.en") is None
    assert driver.find("checkin").text == "簽到"
    assert driver.app.font_name == fonts.cjk_face().name
    driver.tap("language")
    driver.tap("back")
    assert driver.app.lobby.flow.language == "zh-Hant" and driver.find("language.en") is None


def test_text_size_button_cycles_and_the_layout_grows(kiosk) -> None:
    driver = kiosk()
    base = driver.app.t
    heights = [driver.find("checkin").texture_size[1]]
    for expected in (1.2, 1.45, 1.0):
        driver.tap("textsize")
        assert driver.app.t == pytest.approx(base * expected)
        heights.append(driver.find("checkin").texture_size[1])
    assert heights[0] < heights[1] < heights[2] and heights[3] == heights[0]
    driver.tap("textsize")
    driver.advance(61)
    assert driver.app.t == pytest.approx(base)


def test_replay_language_then_idle_returns_to_the_default(tmp_path: Path) -> None:
    script = (
        "shot en\n"
        "tap language\n"
        "tap language.es\n"
        "shot es\n"
        "expect home\n"
        "advance 61   # past idle_seconds\n"
        "expect home\n"
        "shot back\n"
    )
    result = run_replay(tmp_path, script)
    assert result.returncode == 0, result.stderr
    shots = {n: Image.open(tmp_path / "shots" / f"{n}.png") for n in ("en", "es", "back")}
    header = (0, 0, 900, 100)  # the program name; the clock moves on
    assert shots["es"].crop(header).tobytes() != shots["en"].crop(header).tobytes()
    assert shots["back"].crop(header).tobytes() == shots["en"].crop(header).tobytes()


@pytest.fixture
def with_fake_espeak(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    fake_espeak(folder)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return folder


def test_read_aloud_says_the_tip_and_the_next_group(
    kiosk, config_dir: Path, with_fake_espeak: Path
) -> None:
    edit(config_dir / "kiosk.toml", "read_aloud = false", "read_aloud = true")
    driver = kiosk(at="2026-12-01T17:45")
    driver.tap("speak")
    said = wait_for(with_fake_espeak / "said")
    tip = driver.app.home.ids.tip.ids.front.text
    assert said.startswith(tip)
    assert "Next: Harm Reduction Group, in 15 min" in said.replace("\xa0", " ")
    assert "-v en-us" in wait_for(with_fake_espeak / "args")
    driver.tap("language")
    driver.tap("language.tl")
    assert driver.find("speak") is None  # no Filipino voice: no button, not a broken one


def test_read_aloud_is_off_by_default(kiosk, with_fake_espeak: Path) -> None:
    assert kiosk().find("speak") is None


def test_read_aloud_is_absent_when_espeak_is_missing(kiosk, config_dir: Path, monkeypatch) -> None:
    edit(config_dir / "kiosk.toml", "read_aloud = false", "read_aloud = true")
    monkeypatch.setenv("PATH", "/nonexistent")
    assert kiosk().find("speak") is None


def test_a_language_no_font_covers_is_left_off_the_chooser(kiosk, monkeypatch, caplog) -> None:
    latin_only = (fonts.latin_face(),)
    monkeypatch.setattr(fonts, "available_faces", lambda: latin_only)
    languages.language_face.cache_clear()
    try:
        driver = kiosk()
        assert driver.find("language").words == "English · Español · Filipino"
        driver.tap("language")
        assert driver.find("language.zh-Hant") is None and driver.find("language.tl")
        assert any("zh-Hant is not offered" in r.getMessage() for r in caplog.records)
    finally:
        languages.language_face.cache_clear()


@pytest.mark.parametrize("lang", ["en", "tl", "zh-Hant"])
def test_no_resident_text_is_smaller_at_a_larger_text_size(kiosk, lang: str) -> None:
    """Every resident screen, at normal, large and extra large in turn: each text the
    screen shows at two steps is drawn at least as large at the larger one."""
    from kiosk.core.flow import TextSize
    from kiosk.screens import SCREENS

    driver = kiosk(at=DURING_GROUP, lang=lang)
    lobby = driver.app.lobby
    names = [info.screen.value for info in SCREENS if info.audience == "resident"]
    sizes: dict[str, dict[str, dict[str, float]]] = {name: {} for name in names}
    for step in TextSize:
        driver._preview("home")
        while lobby.text_size != step:
            lobby.cycle_text_size()
            driver.settle()
        for name in names:
            driver._preview(name)
            sizes[name][step.value] = ui_audit.text_sizes(Window)
    assert all(len(by_step) == 3 for by_step in sizes.values())
    assert sum(len(s["normal"]) for s in sizes.values()) > 40  # the screens were read
    problems = [
        f"{name}: {p}" for name, s in sizes.items() for p in ui_audit.smaller_at_larger_step(s)
    ]
    assert problems == []


def test_back_and_home_are_in_one_low_place_on_every_screen(kiosk) -> None:
    """Back bottom left and Home bottom right, at the same spot on each screen that has
    them, within the lower fifth of the screen (reachable from a wheelchair)."""
    driver = kiosk(at=DURING_GROUP, text_size="xlarge")
    places: dict[str, set[tuple[int, int]]] = {"back": set(), "home": set()}
    both = ("back", "home")
    screens = {
        **dict.fromkeys(["checkin", "closed", "resources", "resource", "week"], both),
        **dict.fromkeys(["staff-pin", "staff"], both),
        "mood": ("back",),  # Skip leaves it; Home would leave a check-in half done
        "thanks": ("home",),
    }
    for name, shown in screens.items():
        driver._preview(name, "lifeline-988" if name == "resource" else None)
        for target in both:
            widget = driver.find(target)
            assert (widget is not None) == (target in shown), (name, target)
            if widget is None:
                continue
            x, y = widget.to_window(*widget.center)
            shift_x, shift_y = driver.app.screens.pos  # the burn-in shift moves every screen
            places[target].add((round(x - shift_x), round(y - shift_y)))
    assert len(places["back"]) == 1 and len(places["home"]) == 1, places
    [(back_x, back_y)], [(home_x, home_y)] = places["back"], places["home"]
    assert back_x < Window.width / 4 and home_x > Window.width * 3 / 4
    assert back_y == home_y < Window.height / 5


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_mood_faces_stand_in_line_and_skip_is_not_a_sixth_answer(kiosk, size) -> None:
    from kiosk.shell.widgets.buttons import FaceDrawing

    driver = kiosk(at=DURING_GROUP, lang="tl", text_size="xlarge", size=size)
    driver._preview("mood")
    grid = driver.app.widgets[Screen.MOOD].ids.faces
    cards = list(reversed(grid.children))  # in reading order
    faces = [next(w for w in ui_audit.walk(card) if isinstance(w, FaceDrawing)) for card in cards]
    assert len(faces) == 5
    rows: dict[int, list[float]] = {}
    for index, face in enumerate(faces):
        rows.setdefault(index // grid.cols, []).append(face.to_window(*face.center)[1])
    assert all(max(ys) - min(ys) < 2 for ys in rows.values()), rows  # one line per row
    skip = driver.find("mood.skip")
    lowest = min(face.to_window(face.x, face.y)[1] for face in faces)
    assert skip is not None and skip.to_window(*skip.pos)[1] + skip.height < lowest
    assert skip.parent is not grid and skip not in cards


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("lang", ["en", "tl"])
def test_every_tip_is_at_least_a_quarter_larger_at_the_largest_text(kiosk, lang, size) -> None:
    """Each sample tip, drawn as residents see it after the first turn (with "Previous
    tip" showing): its words at extra large are at least 1.25x their size at normal."""
    from kiosk.shell.widgets.fit import FitLabel

    driver = kiosk(at=DURING_GROUP, lang=lang, size=size)
    app, lobby = driver.app, driver.app.lobby
    deck, tips = lobby.flow.deck, lobby.config.tips.tip

    def tip_font_sizes() -> dict[str, float]:
        found = {}
        for tip in tips:
            deck.current, deck._shown = tip, [tip]
            app._show_tip(animate=False)
            driver.settle()
            driver.frame()  # the fit runs on the frame after the text changes
            face = app.home.ids.tip.ids.front
            assert face.ids.previous.words  # the control row as residents see it
            label = next(w for w in ui_audit.walk(face) if isinstance(w, FitLabel))
            found[tip.id] = label.font_size
        return found

    normal = tip_font_sizes()
    lobby.cycle_text_size()
    lobby.cycle_text_size()
    driver.settle()
    assert lobby.text_size.value == "xlarge"
    largest = tip_font_sizes()
    ratios = {tip_id: round(largest[tip_id] / normal[tip_id], 3) for tip_id in normal}
    assert len(ratios) >= 30
    assert {tip_id: r for tip_id, r in ratios.items() if r < 1.25} == {}


@pytest.mark.parametrize(
    ("lang", "size"), [("es", (1920, 1080)), ("tl", (1920, 1080)), ("en", (1080, 1920))]
)
def test_tips_with_a_qr_code_pass_the_audit_at_the_largest_text(kiosk, lang, size) -> None:
    """Where the words once ran over the badge: each linked tip, with its code beside or
    under the words, nothing overlapping, clipped or faint."""
    driver = kiosk(at=DURING_GROUP, lang=lang, text_size="xlarge", size=size)
    app, deck = driver.app, driver.app.lobby.flow.deck
    linked = [tip for tip in app.lobby.config.tips.tip if tip.link]
    assert len(linked) >= 2
    problems = []
    for tip in linked:
        deck.current, deck._shown = tip, [tip]
        app._show_tip(animate=False)
        driver.settle()
        driver.wait(0.1)
        assert app.home.ids.tip.ids.front.link  # its code is on the card
        problems += [f"{tip.id}: {p}" for p in driver.audit(image=driver.capture())]
    assert problems == []


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("lang", ["es", "tl"])
def test_home_and_closed_pass_the_audit_while_check_in_is_closed(kiosk, tmp_path, lang, size):
    """At noon the check-in button says when it opens, in longer words than "Check in"."""
    driver = kiosk(at="2026-12-01T12:00", lang=lang, text_size="xlarge", size=size)
    assert not driver.app.checkin_open
    problems = []
    for name in ("home", "closed"):
        driver._preview(name)
        problems += [f"{name}: {p}" for p in driver.audit(image=driver.capture())]
    assert problems == []


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 800), (800, 480)])
@pytest.mark.parametrize("lang", ["es", "tl", "zh-Hant"])
def test_home_passes_the_audit_while_the_after_group_question_is_open(
    kiosk, config_dir: Path, lang: str, size
) -> None:
    """Right after group "How was group today?" takes the check-in button's place; with
    the largest text on a small screen the card gives up lines to make room."""
    kiosk_toml = config_dir / "kiosk.toml"
    kiosk_toml.write_text(kiosk_toml.read_text() + "\n[after_group]\nenabled = true\n")
    driver = kiosk(at="2026-12-01T19:25", lang=lang, text_size="xlarge", size=size)
    assert driver.find("aftergroup") is not None and driver.find("checkin") is None
    driver._preview("home")
    assert driver.audit(image=driver.capture()) == []
