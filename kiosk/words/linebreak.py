"""Where text may break into lines, by the Unicode rules, and lines filled to a width.

Kivy wraps only at ASCII spaces, and cuts a longer run anywhere (all of a Chinese
paragraph): words split across lines, "。" alone at a line start. Here the break
opportunities come from the Unicode line breaking algorithm (UAX #14, as the `uniseg`
package implements it), and lines are filled greedily at those, with a `measure` the
caller gives (the shell's BreakingLabel measures with its own font). `tie` keeps words
that belong together on one line. Pure Python: the shell draws what this decides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from uniseg.graphemecluster import grapheme_clusters
from uniseg.linebreak import line_break, line_break_units

NBSP = "\u00a0"
SPACES = " \t"  # at the end of a line they take no room: they are not counted, and dropped

Measure = Callable[[str], float]


@dataclass(frozen=True)
class Lines:
    """Text laid out in lines: `lines`, top to bottom, and `cut`: each run with no break
    opportunity that was wider than the line, and so split between two characters (a
    word cut in two, which a reviewer should see)."""

    lines: tuple[str, ...]
    cut: tuple[str, ...] = ()


def lay_out(text: str, width: float, measure: Measure) -> Lines:
    """Lines of at most `width` (as `measure` counts), filled greedily at the break
    opportunities UAX #14 allows; a newline always breaks. Spaces at a line's end are
    not counted and not kept. A run too wide for any line is split at a no-break space
    if it has one, else between graphemes (and named in `cut`)."""
    lines: list[str] = []
    cut: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        body = paragraph.rstrip(SPACES)
        if width <= 0 or not body or measure(body) <= width:
            lines.append(body)  # fits (the usual case): no need to look for breaks
        else:
            _fill(paragraph, width, measure, lines, cut)
    return Lines(tuple(lines), tuple(cut))


def break_lines(text: str, width: float, measure: Measure) -> list[str]:
    """`text` in lines no wider than `width` (see `lay_out`)."""
    return list(lay_out(text, width, measure).lines)


def _fill(paragraph: str, width: float, measure: Measure, lines: list[str], cut: list[str]):
    line = ""
    for unit in units(paragraph):
        if line:
            candidate = line + unit
            if measure(candidate.rstrip(SPACES)) <= width:
                line = candidate
                continue
            lines.append(line.rstrip(SPACES))
        line = unit
        body = unit.rstrip(SPACES)
        if body and measure(body) > width:
            pieces = _split_wide(body, width, measure, cut)
            lines.extend(pieces[:-1])
            line = pieces[-1] + unit[len(body) :]
    lines.append(line.rstrip(SPACES))


def _split_wide(run: str, width: float, measure: Measure, cut: list[str]) -> list[str]:
    """A run wider than a line: at its no-break spaces first (two words kept together by
    `tie` are still words), else between graphemes, never inside one."""
    pieces: list[str] = []
    for group in _greedy(run.split(NBSP), NBSP, width, measure):
        if measure(group) <= width:
            pieces.append(group)
            continue
        parts = _greedy(_graphemes(group), "", width, measure)
        if len(parts) > 1:
            cut.append(group)
        pieces.extend(parts)
    return pieces


# Characters that are each a grapheme of their own, whatever is around them.
_SIMPLE = re.compile(
    "[\u0020-\u007e\u00a0-\u02ff"  # Latin, to the combining accents
    "\u3000-\u3029\u3030-\u3098\u309b-\u30ff"  # CJK punctuation and kana, less their marks
    "\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff9d]*"  # ideographs, full-width forms
)


def _graphemes(text: str):
    """`text`'s grapheme clusters (what a reader sees as one character)."""
    if _SIMPLE.fullmatch(text):
        return text  # one code point each: no need for the full rules (slow)
    return grapheme_clusters(text)


def _greedy(parts, joiner: str, width: float, measure: Measure) -> list[str]:
    out: list[str] = []
    current = None
    for part in parts:
        if current is not None and measure(current + joiner + part) <= width:
            current += joiner + part
            continue
        if current is not None:
            out.append(current)
        current = part
    if current is not None:
        out.append(current)
    return out


# --- break opportunities ---------------------------------------------------------------------


@lru_cache(maxsize=2048)
def units(text: str) -> tuple[str, ...]:
    """`text` cut at every UAX #14 break opportunity: each piece ends where a line may end
    (its trailing spaces included), exactly as `uniseg` finds them in the whole text.

    uniseg runs the rules in pure Python, about 0.15 ms a character: a few tips would
    cost a kiosk's start-up tens of milliseconds. So the text is first cut where the
    rules surely allow a break (`_sure_breaks`), and each piece is asked on its own, and
    only if it may hold a break inside (most are one word). The rules never look across
    such a break, so the answer is the same (tests/unit/test_linebreak.py compares the two
    on the sample config's texts and the interface words, in every language)."""
    if not text:
        return ()
    found: list[str] = []
    for piece in _sure_breaks(text):
        if _one_unit(piece.rstrip(" ")):
            found.append(piece)
        else:
            found.extend(line_break_units(piece))
    return tuple(found)


# A break after spaces (LB18) is sure when nothing before the spaces holds on across them
# (LB14-LB17 need an opening bracket, a quote, closing punctuation or a B2 dash there, and
# a mark takes its base's class) and what follows them may start a line (not LB13's
# closing punctuation, a quote, a non-starter, a glue or joiner character, a hyphen).
_HOLDS_ACROSS_SPACES = frozenset({"OP", "QU", "CL", "CP", "B2", "ZW", "WJ", "GL", "CM", "ZWJ"})
_STARTS_AFTER_SPACES = frozenset(
    {"AL", "HL", "NU", "ID", "H2", "H3", "JL", "JV", "JT", "OP", "PR", "PO", "AI", "BB", "EB"}
)


def _sure_breaks(text: str) -> list[str]:
    """`text` cut where a break is sure: after spaces (as above), and between two Chinese
    ideographs (class ID either side: no rule before LB31 holds them together)."""
    pieces = []
    begin = 0
    for i in range(1, len(text)):
        before, char = text[i - 1], text[i]
        if before == " " and char != " ":
            j = i - 1
            while j > begin and text[j - 1] == " ":
                j -= 1
            sure = (
                j > begin
                and line_break(text[j - 1]) not in _HOLDS_ACROSS_SPACES
                and line_break(char) in _STARTS_AFTER_SPACES
            )
        else:
            sure = _is_han(before) and _is_han(char)
        if sure:
            pieces.append(text[begin:i])
            begin = i
    pieces.append(text[begin:])
    return pieces


# A word with no break inside: opening brackets and quotes, then letters and digits (with
# the full stops and colons of "p.m." and "5:30", and accents), then closing punctuation.
# Every pair in such a run is held together (LB9, LB13, LB14, LB19, LB23, LB25, LB28, LB29).
_LEADING = frozenset({"OP", "QU"})
_WORD = frozenset({"AL", "HL", "NU", "IS", "CM"})
_TRAILING_CLASSES = frozenset({"CL", "CP", "EX", "IS", "SY", "QU"})


def _one_unit(word: str) -> bool:
    if len(word) <= 1:
        return True
    classes = [line_break(c) for c in word]
    i, n = 0, len(word)
    # A quote that opens (Pi) holds what follows it; one that closes (Pf) what comes before.
    while i < n and classes[i] in _LEADING and unicodedata.category(word[i]) != "Pf":
        i += 1
    first = i
    while i < n and classes[i] in _WORD:
        i += 1
    if i == first or classes[first] == "CM":
        return False
    while i < n and classes[i] in _TRAILING_CLASSES and unicodedata.category(word[i]) != "Pi":
        i += 1
    return i == n


@lru_cache(maxsize=2048)
def opportunities(text: str) -> frozenset[int]:
    """The offsets in `text` at which a line may begin (after a newline, or where UAX #14
    allows a break), the start and the end excluded."""
    found = set()
    offset = 0
    for unit in units(text):
        offset += len(unit)
        found.add(offset)
    found.discard(len(text))
    return frozenset(found)


def bad_breaks(text: str, lines: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    """Where `lines` (text as some layout drew it: Kivy's own, or ours) break `text` at a
    place UAX #14 does not allow: for each, the end of the line before and the start of
    the line after: the text either side of the break up to a space, e.g. ("Napakabut",
    "i") or ("芬太尼很危險", "。").

    No-break spaces count as spaces here: keeping two words together is a preference, and
    breaking there is not a cut word. Lines that are not the text's own (shortened with
    "...", markup) give no verdict: []."""
    plain = text.replace(NBSP, " ")
    found = []
    position = 0
    end_before = None
    for line in lines:
        content = line.replace(NBSP, " ").strip()
        if not content:
            continue
        start = plain.find(content, position)
        if start < 0:
            return []
        if end_before is not None and not _may_break(plain, end_before, start):
            found.append((_word_before(plain, end_before), _word_after(plain, start)))
        end_before = position = start + len(content)
    return found


def _may_break(text: str, end: int, start: int) -> bool:
    return "\n" in text[end:start] or start in opportunities(text)


def _word_before(text: str, end: int) -> str:
    begin = end
    while begin > 0 and not text[begin - 1].isspace() and end - begin < 24:
        begin -= 1
    return text[begin:end]


def _word_after(text: str, start: int) -> str:
    stop = start
    while stop < len(text) and not text[stop].isspace() and stop - start < 24:
        stop += 1
    return text[start:stop]


def _is_han(char: str) -> bool:
    return len(char) == 1 and ("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf")


# --- words that belong together --------------------------------------------------------------

# Chinese, Japanese and Korean text: its spaces are not word spaces (ties are left out).
_CJK = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]"
)
# A North American phone number: 1-800-662-4357, (415) 555-0123, +1 415 555 0123.
_PHONE = re.compile(r"(?<![\w+])(?:\+?1[ .-])?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]\d{4}(?!\w)")
# A number a word may belong to: 2nd, 5:30, 6:00, 10%, ika-2 (not a phone number or a date).
_NUMBER = re.compile(r"[#$(]?(?:ika-)?\d{1,4}(?:[:.,]\d{1,3})*(?:st|nd|rd|th|[º°ª%])?")
_TRAILING = ".,;:!?)]}»”’\"'"
SHORT = 7  # letters: a word this short is not left alone on a line, nor cut from its number


def _short_word(token: str) -> bool:
    word = token.rstrip(_TRAILING)
    return _lone(token) and word[0].isalpha() and not any(c.isdigit() for c in word)


def _lone(token: str) -> bool:
    """One short word (words already tied together are not alone)."""
    word = token.rstrip(_TRAILING)
    return 0 < len(word) <= SHORT and word[0].isalnum() and NBSP not in word


def tie(text: str) -> str:
    """`text` with no-break spaces where words belong together: inside a phone number
    ("(415) 555-0123"), between a number and the short word after it ("2nd floor",
    "5:30 PM"), and, in each paragraph, before a short last word, so no word is left
    alone on the last line. Chinese text keeps its spaces (only phone numbers are tied).
    Only single ASCII spaces change; the same text always gives the same result."""
    text = _PHONE.sub(lambda m: m.group().replace(" ", NBSP), text)
    if _CJK.search(text):
        return text
    return "\n".join(_tie_paragraph(p) for p in text.split("\n"))


def _tie_paragraph(paragraph: str) -> str:
    words = paragraph.split(" ")  # "" where spaces run together: left as they are
    if len(words) < 2:
        return paragraph
    joins = [" "] * (len(words) - 1)
    for i in range(len(joins)):
        before, after = words[i], words[i + 1]
        if _NUMBER.fullmatch(before) and _short_word(after):
            joins[i] = NBSP
    if words[-2] and _lone(words[-1]):
        joins[-1] = NBSP
    return "".join(word + join for word, join in zip(words, [*joins, ""], strict=True))
