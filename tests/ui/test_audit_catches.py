"""The newer audit checks, each shown to catch a deliberately bad widget and to pass a
good one: words cut across lines, text drawn over something, controls cut off, and text
that shrinks at a larger text size. And the label that breaks lines by the Unicode
rules, which the first check passes."""

from __future__ import annotations

import pytest
from kivy.graphics import Color, Rectangle, RoundedRectangle
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.shell.widgets import Target
from kiosk.shell.widgets.breaking import BreakingLabel, wrapped
from kiosk.shell.widgets.ladder import LadderLabel
from kiosk.shell.widgets.qr_image import QrImage
from kiosk.testing import ui_audit
from kiosk.words.linebreak import NBSP
from tests.drive import Tappable, scratch_layer

CLOSING = "。，、）」"


class TapLabel(Target, ButtonBehavior, Label):
    """A control that is its words, as the kiosk's big buttons are."""


@pytest.fixture
def scratch(kiosk):
    with scratch_layer(kiosk()) as pair:
        yield pair


def placed(widget: Widget, x: float, y: float, w: float, h: float) -> Widget:
    widget.size_hint, widget.pos, widget.size = (None, None), (x, y), (w, h)
    return widget


def wrapping(cls, text: str, width: float, font_name: str = "", **kwargs) -> Label:
    label = cls(text=text, font_size=28.0, size_hint=(None, None), width=width, **kwargs)
    if font_name:  # after the rule every Label has (the language's face) has set its own
        label.font_name = font_name
    label.text_size = (width, None)
    label.bind(texture_size=lambda *_: setattr(label, "height", label.texture_size[1]))
    return label


def text_width(label: Label, text: str) -> float:
    return label._label.get_extents(text)[0]


def rewrap(label: Label, width: float) -> None:
    label.width = width
    label.text_size = (width, None)


# --- words cut across lines ------------------------------------------------------------------


def test_audit_catches_a_word_cut_across_lines(scratch) -> None:
    driver, layer = scratch
    text = "Ang ginagawa mo ay Napakabuti para sa lahat"
    narrow = wrapping(Label, text, 120, pos=(10, 600))  # narrower than "Napakabuti"
    layer.add_widget(narrow)
    driver.wait(0.1)
    assert text_width(narrow, "Napakabuti") > 120
    [problem] = ui_audit.broken_word_problems(layer)
    assert problem.startswith("'Ang ginagawa mo ay Napakabuti para sa l…' cuts a word across")
    assert problem.endswith("lines: 'Napakab' / 'uti'")  # as Kivy cut it, at 120 px


def test_audit_catches_closing_punctuation_at_a_line_start(scratch) -> None:
    driver, layer = scratch
    text = "芬太尼很危險。"
    kivy_wrapped = wrapping(Label, text, 100, font_name="BodyCJK", pos=(10, 600))
    layer.add_widget(kivy_wrapped)
    driver.wait(0.1)
    # Just wider than six characters: Kivy cuts by width alone, and "。" starts line two.
    rewrap(kivy_wrapped, text_width(kivy_wrapped, text[:-1]) + 1)
    driver.wait(0.1)
    assert ui_audit.glyph_problems(layer) == []  # measured in the Chinese font, not boxes
    assert ui_audit.rendered_lines(kivy_wrapped) == ["芬太尼很危險", "。"]
    [problem] = ui_audit.broken_word_problems(layer)
    assert "breaks a line where no break is allowed: '芬太尼很危險' / '。'" in problem


def test_the_word_check_passes_lines_broken_by_the_rules(scratch) -> None:
    driver, layer = scratch
    latin = wrapping(Label, "Ang ginagawa mo ay Napakabuti para sa lahat", 260, pos=(10, 600))
    chinese = wrapping(BreakingLabel, "芬太尼很危險。", 100, font_name="BodyCJK", pos=(10, 300))
    for label in (latin, chinese):
        layer.add_widget(label)
    driver.wait(0.1)
    rewrap(chinese, text_width(chinese, "芬太尼很危險") + 1)
    driver.wait(0.1)
    assert len(ui_audit.rendered_lines(latin)) > 1
    assert ui_audit.rendered_lines(chinese) == ["芬太尼很危", "險。"]
    assert ui_audit.broken_word_problems(layer) == []


# --- text drawn over something ---------------------------------------------------------------


def card_with_badge(layer: FloatLayout, tip_y: float, halign: str = "left", x: float = 0):
    """A tip card: a surface, a category badge (a pill), and the tip's words `tip_y` above
    the card's foot."""
    card = placed(FloatLayout(), x + 100, 500, 900, 400)
    with card.canvas.before:
        Color(0.1, 0.15, 0.3, 1)
        Rectangle(pos=card.pos, size=card.size)
    badge = placed(Label(text="Set", bold=True), x + 140, 820, 160, 56)
    with badge.canvas.before:
        Color(0.2, 0.4, 0.8, 1)
        RoundedRectangle(pos=badge.pos, size=badge.size, radius=[28])
    tip = Label(text="Carry naloxone", font_size=36.0, halign=halign)
    placed(tip, x + 140, 500 + tip_y, 800, 60)
    tip.text_size = tip.size
    for widget in (badge, tip):
        card.add_widget(widget)
    layer.add_widget(card)
    return tip


def test_audit_catches_text_drawn_over_a_badge(scratch) -> None:
    driver, layer = scratch
    card_with_badge(layer, tip_y=330)  # on the badge's line: its first letters on the pill
    driver.wait(0.1)
    problems = ui_audit.overlap_problems(layer)
    assert "'Carry naloxone' is drawn over the background of 'Set'" in problems


def test_audit_catches_text_drawn_over_a_qr_code(scratch) -> None:
    driver, layer = scratch
    code = placed(QrImage(link="https://988lifeline.org", max_side=200), 1200, 300, 200, 200)
    words = placed(Label(text="Scan with your phone camera"), 1100, 350, 400, 60)
    for widget in (code, words):
        layer.add_widget(widget)
    driver.wait(0.1)
    problems = ui_audit.overlap_problems(layer)
    assert problems == [
        "'Scan with your phone camera' is drawn over the QR code for 'https://988lifeline.org'"
    ]


def test_the_overlap_check_passes_text_clear_of_the_badge_and_on_its_own_card(scratch) -> None:
    driver, layer = scratch
    card_with_badge(layer, tip_y=200)  # under the badge, on the card's surface
    right = card_with_badge(layer, tip_y=330, halign="right", x=950)  # its box spans the
    driver.wait(0.1)  # badge, but its letters are at the far right
    box = ui_audit.text_box(right)
    assert box[0] > 950 + 300 + 100  # well clear of the badge, though the texture is not
    assert ui_audit.overlap_problems(layer) == []


@pytest.mark.parametrize(("halign", "valign"), [("left", "top"), ("center", "middle"),
                                                ("right", "bottom")])  # fmt: skip
def test_the_text_box_is_where_the_letters_are_drawn(scratch, halign: str, valign: str) -> None:
    driver, layer = scratch
    panel = placed(FloatLayout(), 300, 300, 900, 300)
    with panel.canvas.before:
        Color(0, 0, 0, 1)  # black under the white words, whatever the app shows behind
        Rectangle(pos=panel.pos, size=panel.size)
    label = placed(Label(text="Tuesday 6:00 PM", font_size=40.0, color=(1, 1, 1, 1)),
                   300, 300, 900, 300)  # fmt: skip
    label.halign, label.valign, label.text_size = halign, valign, label.size
    panel.add_widget(label)
    layer.add_widget(panel)
    driver.wait(0.1)
    image = driver.capture()
    area = image.crop((300, image.height - 600, 1200, image.height - 300)).convert("L")
    left, top, right, bottom = area.point(lambda v: 255 if v > 128 else 0).getbbox()
    ink = (300 + left, 600 - bottom, 300 + right, 600 - top)  # window coordinates
    box = ui_audit.text_box(label)
    assert box[0] - 2 <= ink[0] <= box[0] + 8 and box[2] - 8 <= ink[2] <= box[2] + 2
    assert box[1] - 2 <= ink[1] and ink[3] <= box[3] + 2
    assert box[3] - box[1] < 80  # one line's height, not the label's 300


# --- controls cut off ------------------------------------------------------------------------


def test_audit_catches_controls_off_the_screen_or_out_of_their_screen(scratch) -> None:
    driver, layer = scratch
    layer.add_widget(placed(Tappable(target="edge"), -50, 500, 200, 100))
    screen = placed(Screen(name="scratch"), 600, 200, 400, 400)
    screen.add_widget(placed(Tappable(target="wide"), 300, 50, 200, 100))  # in screen units
    screen.add_widget(placed(Tappable(target="fine"), 50, 50, 200, 100))
    layer.add_widget(screen)
    driver.wait(0.1)
    problems = ui_audit.clipped_control_problems(layer)
    assert "'edge' is partly off the screen" in problems
    assert "'wide' sticks out of its screen" in problems
    assert not any("'fine'" in p for p in problems)


def test_audit_catches_a_control_whose_words_are_cut(scratch) -> None:
    driver, layer = scratch
    words = "Check in for the group tonight, on the second floor"
    cut = placed(TapLabel(target="cut", text=words, font_size=28.0), 100, 300, 300, 50)
    cut.text_size = cut.size  # wraps, and the lines after the first are dropped
    short = placed(TapLabel(target="short", text=words, shorten=True), 100, 500, 300, 50)
    short.text_size = short.size
    fits = placed(TapLabel(target="fits", text="Check in"), 100, 700, 300, 80)
    fits.text_size = fits.size
    for widget in (cut, short, fits):
        layer.add_widget(widget)
    driver.wait(0.1)
    problems = ui_audit.clipped_control_problems(layer)
    assert any(p.startswith("'cut' has its words cut: 'Check in for") for p in problems)
    assert any(p.startswith("'short' has its words cut") for p in problems)
    assert not any("'fits'" in p for p in problems)


# --- text that shrinks at a larger text size -------------------------------------------------


def test_smaller_at_larger_step_catches_text_that_shrinks() -> None:
    sizes = {
        "xlarge": {"checkin: Check in": 46.0, "Next": 24.0},  # given out of order
        "normal": {"checkin: Check in": 32.0, "Next": 28.0},
        "large": {"checkin: Check in": 38.0, "Next": 30.0, "Today": 20.0},
    }
    assert ui_audit.smaller_at_larger_step(sizes) == [
        "'Next' is 24 px at xlarge, smaller than 30 px at large"
    ]
    good = {"normal": {"Next": 28.0}, "large": {"Next": 28.0}, "xlarge": {"Next": 40.0}}
    assert ui_audit.smaller_at_larger_step(good) == []


def test_text_sizes_are_keyed_the_same_way_at_every_step(scratch) -> None:
    driver, layer = scratch
    button = placed(TapLabel(target="checkin", text="Check in"), 100, 300, 300, 80)
    twins = [placed(Label(text="Tuesday"), 100, y, 300, 60) for y in (500, 600)]
    for widget in (button, *twins):
        layer.add_widget(widget)
    driver.wait(0.1)
    normal = ui_audit.text_sizes(layer)
    assert set(normal) == {"checkin: Check in", "Tuesday", "Tuesday #2"}
    button.font_size = 10.0  # a control made smaller when the resident asked for larger
    twins[1].font_size = 60.0
    driver.wait(0.1)
    large = ui_audit.text_sizes(layer)
    assert ui_audit.smaller_at_larger_step({"normal": normal, "large": large}) == [
        f"'checkin: Check in' is 10 px at large, smaller than {normal['checkin: Check in']:.0f}"
        " px at normal"
    ]


# --- the label that breaks lines by the rules ------------------------------------------------


def test_breaking_label_keeps_its_text_and_draws_lines_kivy_does_not_rewrap(scratch) -> None:
    driver, layer = scratch
    text = "Kung gagamit ka, huwag mag-isa. Magdala ng naloxone at sabihin sa kaibigan mo."
    for i, halign in enumerate(("left", "center")):
        label = wrapping(BreakingLabel, text, 300, halign=halign, pos=(10, 200 + 400 * i))
        layer.add_widget(label)
        driver.wait(0.1)
        assert label.text == text  # the app and the tests read the text as given
        drawn = label._label.text.split("\n")
        assert len(drawn) > 2
        assert ui_audit.rendered_lines(label) == drawn  # each line fits: Kivy leaves them
        assert all(text_width(label, line) <= 300 for line in drawn)
        assert drawn[-1].endswith(f"kaibigan{NBSP}mo.")  # no word alone on the last line


def test_breaking_label_follows_its_width_font_and_keep_together(scratch) -> None:
    driver, layer = scratch
    label = wrapping(BreakingLabel, "Meet us on the 2nd floor", 240, pos=(10, 200))
    layer.add_widget(label)
    driver.wait(0.1)
    assert f"2nd{NBSP}floor" in label._label.text
    label.keep_together = False
    driver.wait(0.1)
    assert NBSP not in label._label.text
    label.text_size = (None, None)  # no wrap width: one line, as Kivy draws it
    driver.wait(0.1)
    assert label._label.text == "Meet us on the 2nd floor"
    label.text_size = (2000, None)
    label.font_size = 200.0
    driver.wait(0.1)
    assert "\n" in label._label.text  # measured with the new size


def test_wrapped_serves_a_core_label_made_only_to_measure(scratch) -> None:
    """As fit.py's labels measure a candidate font size: a core label of their options."""
    driver, layer = scratch
    label = wrapping(BreakingLabel, "芬太尼很危險。請不要獨自使用。", 200, font_name="BodyCJK")
    layer.add_widget(label)
    driver.wait(0.1)
    options = dict(label._label.options)
    options.update(font_size=40.0, text_size=(200, None))
    measure = type(label._label)(**options)
    measure.text = wrapped(measure, label.text)
    width, _height = measure.render()
    lines = ["".join(w.text for w in line.words) for line in measure._cached_lines]
    assert measure.options["font_name_r"].endswith(".otf")  # Noto CJK: no boxes measured
    assert lines == measure.text.split("\n") and len(lines) == 3  # 5 characters of 40 px
    assert not any(line[0] in CLOSING for line in lines)
    assert width <= 200


# --- sizes off the font ladder ---------------------------------------------------------------


def test_audit_catches_a_label_drawn_off_the_font_ladder(scratch) -> None:
    driver, layer = scratch
    plain = placed(Label(text="Tuesday", font_size=44.8), 100, 100, 400, 80)
    laddered = placed(LadderLabel(text="Wednesday", font_size=44.8), 100, 300, 400, 80)
    for label in (plain, laddered):
        layer.add_widget(label)
    driver.wait(0.1)
    assert ui_audit.ladder_problems(layer) == ["'Tuesday' is drawn at 44.8 px, off the font ladder"]
    assert ui_audit.drawn_font_size(laddered) == 44.0
    assert laddered.font_size == 44.8  # the layout's own number is left as it was
    laddered.font_size = plain.font_size = 48.0  # on no rung: 44 is the one below
    driver.wait(0.1)
    assert ui_audit.drawn_font_size(laddered) == 44.0
    assert laddered.texture_size[1] < plain.texture_size[1]  # really drawn at 44
