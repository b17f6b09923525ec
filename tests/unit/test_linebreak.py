"""Line breaking by the Unicode rules, and words kept together, with a fake measure."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest

from kiosk.words.linebreak import NBSP, bad_breaks, break_lines, lay_out, opportunities, tie


def chars(text: str) -> float:
    """Every character one unit wide, a space too."""
    return len(text)


def cells(text: str) -> float:
    """As a terminal counts: Chinese characters and full-width punctuation take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


CLOSING = "。，、）」！？"
OPENING = "（「"


def words_of(lines: list[str]) -> list[str]:
    return " ".join(lines).split()


# --- spaced languages ------------------------------------------------------------------------


def test_english_fills_each_line_and_breaks_only_at_spaces() -> None:
    text = "Come as you are. Coffee and snacks are free, every week."
    lines = break_lines(text, 16, chars)
    assert lines == ["Come as you are.", "Coffee and", "snacks are free,", "every week."]
    assert words_of(lines) == text.split()


def test_spaces_at_a_line_end_take_no_room_and_are_dropped() -> None:
    assert break_lines("Hello world", 5, chars) == ["Hello", "world"]  # "Hello " is 6
    assert break_lines("Hello   world  ", 11, chars) == ["Hello", "world"]


def test_spanish_keeps_accented_words_whole() -> None:
    text = "Trae naloxona y no consumas a solas: tu vida importa."
    lines = break_lines(text, 20, chars)
    assert lines == ["Trae naloxona y no", "consumas a solas: tu", "vida importa."]
    assert all(chars(line) <= 20 for line in lines)


def test_a_long_filipino_word_moves_whole_to_the_next_line() -> None:
    # Kivy's own wrapping gave "Napakabut" / "i": the word fits a line, so it must not be cut.
    text = "Ang ginagawa mo ay Napakabuti para sa lahat"
    lines = break_lines(text, 12, chars)
    assert "Napakabuti" in lines
    assert lines == ["Ang ginagawa", "mo ay", "Napakabuti", "para sa", "lahat"]
    assert lay_out(text, 12, chars).cut == ()


def test_a_hyphen_is_a_place_to_break() -> None:
    assert break_lines("Huwag mag-isa ngayon", 10, chars) == ["Huwag mag-", "isa ngayon"]


# --- Chinese ---------------------------------------------------------------------------------


def test_chinese_never_starts_a_line_with_closing_punctuation() -> None:
    # Six characters fit: cutting by width alone would leave "。" alone on the second line.
    assert break_lines("芬太尼很危險。", 12, cells) == ["芬太尼很危", "險。"]


@pytest.mark.parametrize("width", range(6, 31))  # the widest unit, "酮），", is 6
def test_chinese_punctuation_rules_hold_at_every_width(width: int) -> None:
    text = "芬太尼很危險。請不要獨自使用（帶上納洛酮），告訴朋友「你在哪裡」、幾點回來。"
    layout = lay_out(text, width, cells)
    lines = list(layout.lines)
    assert layout.cut == ()
    assert "".join(lines) == text  # nothing lost, nothing added
    assert all(cells(line) <= width for line in lines)
    assert not any(line[0] in CLOSING for line in lines)
    assert not any(line[-1] in OPENING for line in lines)


def test_chinese_may_break_between_ideographs() -> None:
    # UAX #14 allows a break between most ideographs (a word such as 芬太尼 may be split);
    # what matters is punctuation, above. This pins the behaviour that is relied on.
    assert opportunities("芬太尼") == {1, 2}


# --- newlines and overlong words -------------------------------------------------------------


def test_a_newline_always_breaks_and_empty_lines_are_kept() -> None:
    assert break_lines("Tuesday\n6:00 PM", 40, chars) == ["Tuesday", "6:00 PM"]
    assert break_lines("a\n\nb", 40, chars) == ["a", "", "b"]
    assert break_lines("one two three\r\nfour", 9, chars) == ["one two", "three", "four"]


def test_a_word_longer_than_the_line_is_cut_as_a_last_resort_and_reported() -> None:
    text = "Supercalifragilistic is long"
    layout = lay_out(text, 8, chars)
    assert layout.lines == ("Supercal", "ifragili", "stic is", "long")
    assert layout.cut == ("Supercalifragilistic",)
    assert bad_breaks(text, layout.lines) == [
        ("Supercal", "ifragilistic"),
        ("Supercalifragili", "stic"),
    ]


def test_a_cut_never_splits_a_character_from_its_accent() -> None:
    decomposed = "e\u0301" * 4  # "é" as a letter and a combining accent
    lines = break_lines(decomposed, 3, chars)  # each "é" measures 2 here
    assert lines == ["e\u0301"] * 4


def test_a_run_too_wide_is_split_at_its_no_break_space_before_inside_a_word() -> None:
    layout = lay_out(f"Meet on the 2nd{NBSP}floor", 6, chars)
    assert layout.lines == ("Meet", "on the", "2nd", "floor")
    assert layout.cut == ()


def test_no_width_or_a_fitting_text_is_left_as_it_is() -> None:
    assert break_lines("Check in", 0, chars) == ["Check in"]
    assert break_lines("Check in ", 8, chars) == ["Check in"]


# --- judging someone else's lines ------------------------------------------------------------


def test_bad_breaks_finds_a_word_cut_by_a_naive_wrap() -> None:
    text = "Napakabuti ng ginagawa mo"
    assert bad_breaks(text, ["Napakabut", "i ng ginagawa", "mo"]) == [("Napakabut", "i")]
    assert bad_breaks(text, ["Napakabuti ng", "ginagawa mo"]) == []


def test_bad_breaks_finds_punctuation_pushed_to_a_line_start() -> None:
    assert bad_breaks("芬太尼很危險。", ["芬太尼很危險", "。"]) == [("芬太尼很危險", "。")]
    assert bad_breaks("芬太尼很危險。", ["芬太尼很危", "險。"]) == []
    assert bad_breaks("Come as you are !", ["Come as you are", "!"]) == [("are", "!")]


def test_bad_breaks_treats_a_no_break_space_as_a_space_and_gives_no_verdict_on_strangers():
    assert bad_breaks(f"6:00{NBSP}p.m.", ["6:00", "p.m."]) == []
    assert bad_breaks("Come as you are", ["Come as y...", "are"]) == []


# --- words kept together ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tied"),
    [
        ("Meet on the 2nd floor", "Meet on the 2nd\xa0floor"),
        ("Doors open at 5:30 PM for everyone", "Doors open at 5:30\xa0PM for everyone"),
        ("Nos vemos a las 6 de la tarde", "Nos vemos a las 6\xa0de la\xa0tarde"),
        ("Call (415) 555-0123 any time", "Call (415)\xa0555-0123 any\xa0time"),
        ("Or +1 415 555 0123.", "Or +1\xa0415\xa0555\xa00123."),
        ("Come as you are.", "Come as you\xa0are."),
        ("Sa ika-2 palapag ng gusali", "Sa ika-2\xa0palapag ng\xa0gusali"),
        ("Group at 6, room 4", "Group at 6, room\xa04"),
    ],
)
def test_tie_keeps_numbers_phones_and_a_short_last_word_together(text: str, tied: str) -> None:
    assert tie(text) == tied
    assert tie(tied) == tied  # the same again: nothing more to tie
    assert tie(text).replace(NBSP, " ") == text.replace(NBSP, " ")  # only spaces change


def test_tie_leaves_long_last_words_single_words_and_chinese_alone() -> None:
    assert tie("Naloxone reverses opioid overdoses") == "Naloxone reverses opioid overdoses"
    assert tie("Welcome") == "Welcome"
    assert tie("下午 6:00 開始 請來") == "下午 6:00 開始 請來"
    assert tie("請打 (415) 555-0123") == "請打 (415)\xa0555-0123"  # a phone number, still
    assert tie("one two\nthree four") == "one\xa0two\nthree\xa0four"  # each paragraph


def test_tied_words_move_to_the_next_line_together() -> None:
    text = "Meet on the 2nd floor"
    assert break_lines(text, 16, chars) == ["Meet on the 2nd", "floor"]  # "2nd / floor"
    assert break_lines(tie(text), 16, chars) == ["Meet on the", "2nd\xa0floor"]


def test_tie_is_quick_on_the_longest_texts() -> None:
    import time

    text = "Carry naloxone, test your supply at 5:30 PM, and call (415) 555-0123 now. " * 8
    start = time.perf_counter()
    for _ in range(100):
        tie(text)
    assert time.perf_counter() - start < 0.5  # under 5 ms each (about 0.1 ms in practice)


def test_the_words_layer_does_not_import_kivy() -> None:
    code = "import sys, kiosk.words.linebreak; sys.exit('kivy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def sample_texts() -> list[str]:
    """Every fourth text of the sample config and the interface words, in all languages
    (about 150; the full rules take about 1 s for them)."""
    import tomllib
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]

    def strings(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict | list):
            for value in node.values() if isinstance(node, dict) else node:
                yield from strings(value)

    found = set()
    for name in ("tips.toml", "resources.toml", "schedule.toml"):
        found |= set(strings(tomllib.loads((root / "config" / name).read_text("utf-8"))))
    for po in (root / "kiosk" / "words" / "locale").glob("*.po"):
        with po.open("rb") as handle:
            for message in read_po(handle):
                forms = message.string if isinstance(message.string, tuple) else (message.string,)
                found |= {text for text in forms if text}
    texts = sorted(text for text in found if len(text) > 12)
    assert len(texts) > 400
    return texts[::4]


PUNCTUATED = [
    "Come as you are ! Then ? Or ; this / that",
    "( word ) and [ more ] « mot » “quoted” text ‘single’ 'plain' \"double\"",
    "a — b — c ¿Qué? ¡Sí! 5 % $ 5 #4 -3 +1 e\u0301 x 芬 太 。 、 「 你 」",
    "Kung gagamit ka, huwag mag-isa. 6:00\u00a0p.m. 1-800-662-4357 (415) 555-0123.",
    "芬太尼很危險。請不要獨自使用（帶上納洛酮），告訴朋友「你在哪裡」、幾點回來。",
    "“Hola”, dijo. (Véase: p.m., 5:30.) ‘Sí’ — «no»… ¿y tú?",
]


@pytest.mark.parametrize("text", PUNCTUATED + sample_texts(), ids=lambda text: text[:24])
def test_the_quick_cut_finds_exactly_what_the_full_rules_find(text: str) -> None:
    """`units` cuts at sure breaks first and asks the rules only inside pieces that may
    hold one: the result must be uniseg's, for the whole text at once."""
    from uniseg.linebreak import line_break_units

    from kiosk.words.linebreak import units

    assert units(text) == tuple(line_break_units(text))


def test_graphemes_are_found_quickly_and_rightly() -> None:
    from uniseg.graphemecluster import grapheme_clusters

    from kiosk.words.linebreak import _graphemes

    for text in ("Napakabuti, señor!", "芬太尼。（）「」ｱｲ", "e\u0301👍🏽ガ\u3099x"):
        assert list(_graphemes(text)) == list(grapheme_clusters(text))
