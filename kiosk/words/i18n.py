"""Interface strings (gettext catalogs in kiosk/locale/*.po) and locale-aware dates and
times (babel).

Catalogs are read straight from the .po files, so there is no compile step to forget.
"""

from __future__ import annotations

import gettext
import io
import logging
from datetime import datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk.words.languages import LANGUAGES

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).parent / "locale"


@cache
def babel_locale(lang: str) -> Locale:
    """The regional variant residents read (see kiosk.words.languages)."""
    known = LANGUAGES.get(lang)
    return Locale.parse(known.locale, sep="_") if known else Locale.parse(lang, sep="-")


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog for `lang`, or English (the source strings) if there is none."""
    path = LOCALE_DIR / f"{lang}.po"
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=babel_locale(lang))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def catalog_strings(lang: str) -> tuple[str, ...]:
    """Every interface string as `lang` shows it: its translations, or for a language with
    no catalog the English source strings."""
    path = LOCALE_DIR / f"{lang}.po"
    sources = [path] if path.exists() else sorted(LOCALE_DIR.glob("*.po"))[:1]
    found: list[str] = []
    for source in sources:
        with source.open("rb") as fh:
            for message in read_po(fh):
                if not message.id:
                    continue  # the header
                if path.exists():
                    strings = (
                        message.string if isinstance(message.string, tuple) else (message.string,)
                    )
                else:
                    strings = message.id if isinstance(message.id, tuple) else (message.id,)
                found += [s for s in strings if s]
    return tuple(found)


def gettext_for(lang: str):
    return translations(lang).gettext


def ngettext_for(lang: str):
    return translations(lang).ngettext


# CLDR spaces that the kiosk's fonts lack, and the common spaces that look the same.
_SPACES = str.maketrans({"\u202f": "\u00a0", "\u2009": "\u00a0", "\u200a": "\u00a0"})


def _typeset(text: str) -> str:
    """CLDR writes '6:00\u202fPM' with a narrow no-break space that neither of our fonts
    has; a plain no-break space keeps the time on one line and draws in every font."""
    return text.translate(_SPACES)


def time_text(moment: datetime, lang: str) -> str:
    """'6:00 PM', '下午6:00', '6:00 p.m.'."""
    locale = babel_locale(lang)
    return _typeset(format_time(moment, "short", tzinfo=moment.tzinfo, locale=locale))


def time_range_text(start: datetime, end: datetime, lang: str) -> str:
    """'6:00 – 7:30 PM' in the locale's own interval pattern."""
    locale = babel_locale(lang)
    # The locale's own clock: 12-hour ("h") where that is usual, 24-hour ("H") elsewhere.
    skeleton = "Hm" if "H" in locale.time_formats["short"].pattern else "hm"
    try:
        text = format_interval(start, end, skeleton, tzinfo=start.tzinfo, locale=locale)
    except (NotImplementedError, KeyError, ValueError):
        # Some locales' patterns (day periods) are not supported by babel's interval code.
        return f"{time_text(start, lang)} – {time_text(end, lang)}"
    return _typeset(text)


def full_date_text(moment: datetime, lang: str) -> str:
    """'Tuesday, December 1, 2026'."""
    return _typeset(format_date(moment, "full", locale=babel_locale(lang)))


def weekday_text(moment: datetime, lang: str) -> str:
    """'Tuesday'."""
    return _typeset(format_date(moment, "EEEE", locale=babel_locale(lang)))


def short_date_text(moment: datetime, lang: str) -> str:
    """'Tue, Dec 1'."""
    locale = babel_locale(lang)
    return _typeset(format_skeleton("MMMEd", moment, tzinfo=moment.tzinfo, locale=locale))
