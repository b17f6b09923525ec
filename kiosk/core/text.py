"""Localized text from the staff config, with fallback to the default language."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# BCP 47-ish: "en", "es", "zh-Hant", "tl", "pt-BR".
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

# Key used for a plain string: it is shown in every language.
NEUTRAL = ""


@dataclass(frozen=True)
class LocalText:
    """A config string that may differ per language.

    A plain TOML string is language-neutral; a table maps language codes to strings.
    """

    values: tuple[tuple[str, str], ...]

    @classmethod
    def plain(cls, text: str) -> LocalText:
        return cls(((NEUTRAL, text),))

    @classmethod
    def of(cls, by_lang: Mapping[str, str]) -> LocalText:
        return cls(tuple(by_lang.items()))

    @property
    def mapping(self) -> dict[str, str]:
        return dict(self.values)

    @property
    def neutral(self) -> bool:
        return NEUTRAL in self.mapping

    def get(self, lang: str, default_lang: str) -> str:
        """The text in `lang`, else in `default_lang`, else the first one written."""
        m = self.mapping
        for key in (lang, NEUTRAL, default_lang):
            if m.get(key):
                return m[key]
        return next((v for v in m.values() if v), "")

    def missing(self, languages: Iterable[str]) -> list[str]:
        """Configured languages this text has no translation for (none if plain)."""
        if self.neutral:
            return []
        m = self.mapping
        return [lang for lang in languages if not m.get(lang)]

    def is_blank(self) -> bool:
        return not any(v.strip() for _, v in self.values)

    def __str__(self) -> str:
        return next((v for _, v in self.values if v), "")


def safe_excerpt(text: str, limit: int = 80) -> str:
    """`text` fit to print in a message or a log: control and invisible characters
    (bidi overrides among them) written as U+XXXX, runs of space made one, and cut to
    about `limit` characters. Raw bytes from a broken file never reach a terminal."""
    out = []
    for char in text[: limit * 2]:
        if char in "\t\r\n":
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") or char == "\ufffd":
            out.append(f"U+{ord(char):04X}")
        else:
            out.append(char)
    shown = re.sub(r" {2,}", " ", "".join(out)).strip()
    return shown if len(shown) <= limit and len(text) <= limit * 2 else shown[:limit] + "…"
