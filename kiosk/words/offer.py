"""Which of the configured languages the kiosk can offer, and in which font.

A language is offered only if one installed font covers every character the kiosk
shows in it: its interface strings, its dates and times, and its own name. Otherwise
it is left off the language button and `kiosk check` and the log say why; a resident
never sees a row of boxes. Staff text is checked too, character by character.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from kiosk.config import issues as iss
from kiosk.config.issues import Issue
from kiosk.core.text import LocalText
from kiosk.words import fonts
from kiosk.words.fonts import Face
from kiosk.words.i18n import (
    babel_locale,
    catalog_strings,
    full_date_text,
    short_date_text,
    time_range_text,
    time_text,
    weekday_text,
)
from kiosk.words.languages import LANGUAGES

SEPARATOR = " · "


def autonym(lang: str) -> str:
    """The language's name in its own script, as the language button shows it."""
    if lang in LANGUAGES:
        return LANGUAGES[lang].autonym
    name = babel_locale(lang).get_display_name(babel_locale(lang)) or lang
    return name[:1].upper() + name[1:]


@cache
def interface_texts(lang: str) -> tuple[str, ...]:
    """Everything the interface itself can show in `lang`: the catalog, every weekday,
    month and time of day in the locale's own formats, and the language's name."""
    zone = ZoneInfo("America/Los_Angeles")
    texts = [*catalog_strings(lang), autonym(lang), "0123456789"]
    first = datetime(2026, 1, 4, 0, 0, tzinfo=zone)  # a Sunday
    # Steps of 19 days meet every month, and (19 and 7 share no factor) every weekday.
    for day in range(0, 365 + 19, 19):
        moment = first + timedelta(days=day)
        texts += [full_date_text(moment, lang), short_date_text(moment, lang)]
        texts.append(weekday_text(moment, lang))
    for hour in range(24):  # every day period ("上午", "p.m.", "晚上") turns on the hour
        moment = first + timedelta(hours=hour)
        texts += [
            time_text(moment, lang),
            time_range_text(moment, moment + timedelta(minutes=90), lang),
        ]
    return tuple(texts)


@cache
def language_face(lang: str) -> Face | None:
    """The most legible installed face that draws all of `lang`'s interface."""
    return fonts.face_for(interface_texts(lang))


@dataclass(frozen=True)
class LanguagePlan:
    faces: dict[str, Face]  # offered languages, in the configured order, and their fonts
    refused: dict[str, str]  # language -> why it is not offered

    @property
    def offered(self) -> list[str]:
        return list(self.faces)

    @property
    def default(self) -> str:
        return self.offered[0]

    def face(self, lang: str) -> Face:
        return self.faces.get(lang) or self.faces[self.default]

    @property
    def button_text(self) -> str:
        """'English · Español · 中文 · Filipino'."""
        return SEPARATOR.join(autonym(lang) for lang in self.offered)

    @property
    def button_lines(self) -> str:
        """The same names on two lines, for a narrow row: 'English · Español' over
        '中文 · Filipino'."""
        names = [autonym(lang) for lang in self.offered]
        half = (len(names) + 1) // 2
        return "\n".join(SEPARATOR.join(part) for part in (names[:half], names[half:]) if part)

    @property
    def button_face(self) -> Face:
        """One font that draws every language's name (the CJK font has Latin too)."""
        return fonts.face_for([self.button_text], self.faces.values()) or self.face(self.default)


def plan(languages: Iterable[str], faces: Iterable[Face] | None = None) -> LanguagePlan:
    """Offer each language the most legible font covers; refuse the rest, with the reason.
    If none can be covered the first is kept, so the kiosk still shows something."""
    candidates = tuple(fonts.available_faces() if faces is None else faces)
    chosen: dict[str, Face] = {}
    refused: dict[str, str] = {}
    wanted = list(languages)
    for lang in wanted:
        texts = interface_texts(lang)
        face = language_face(lang) if faces is None else fonts.face_for(texts, candidates)
        if face is not None:
            chosen[lang] = face
            continue
        gaps = set().union(*(fonts.missing("".join(texts), f) for f in candidates))
        shown = fonts.describe(sorted(gaps)[:5]) + (" and more" if len(gaps) > 5 else "")
        refused[lang] = (
            f"no installed font has every character {lang} needs (missing {shown})"
            if candidates
            else "no font is installed"
        )
    if not chosen:
        chosen[wanted[0]] = candidates[0]
    return LanguagePlan(chosen, refused)


def review(config) -> tuple[LanguagePlan, list[Issue]]:
    """The plan for a loaded config, and warnings for what it leaves out."""
    found = plan(config.languages)
    warnings = [
        iss.warning("kiosk.toml", f"{lang} is not offered: {why}", _FONT_HINT, "", "languages")
        for lang, why in found.refused.items()
    ]
    warnings += [
        iss.warning(
            gap.file,
            f"the {gap.lang} text has characters no font here can draw, so they are left"
            f" out: {fonts.describe(gap.chars)}",
            "Remove them, or write the words instead of a symbol.",
            gap.entry,
            gap.field,
        )
        for gap in glyph_gaps(config.texts(), found, config.default_language)
    ]
    return found, warnings


_FONT_HINT = (
    "The fonts come with the kiosk's packages: reinstall them (`rm -r .venv`, then"
    " `make run`), or install a system font for it (Chinese: Debian's fonts-noto-cjk)."
)


@dataclass(frozen=True)
class GlyphGap:
    """Staff text that the font of its language cannot draw."""

    file: str
    entry: str
    field: str
    lang: str
    chars: frozenset[str]


def glyph_gaps(
    texts: Iterable[tuple[str, str, str, LocalText]], plan: LanguagePlan, default: str
) -> list[GlyphGap]:
    """For (file, entry, field, text): the characters each offered language would show
    but cannot draw."""
    found: list[GlyphGap] = []
    for file, entry, field, text in texts:
        for lang in plan.offered:
            gaps = fonts.missing(text.get(lang, default), plan.face(lang))
            if gaps:
                found.append(GlyphGap(file, entry, field, lang, frozenset(gaps)))
    return found
