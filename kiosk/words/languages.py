"""The one table of the languages the kiosk has words for. No Kivy import.

Adding a language: its catalog in kiosk/words/locale/<code>.po, a row here, and its
code in `languages` in kiosk.toml (with its text in the config's files).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # as kiosk.toml writes it
    autonym: str  # its name in its own script, on the language button
    locale: str  # the babel locale for its dates and times (the region residents read)
    voice: str | None  # the espeak-ng voice that reads it aloud, if espeak-ng has one


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("en", "English", "en_US", "en-us"),
        # US Spanish writes "6:00 p.m.", not "18:00".
        Language("es", "Español", "es_US", "es-419"),
        # Cantonese: most of the city's Chinese speakers who read Traditional characters
        # speak it (staff can choose "cmn", Mandarin, in kiosk.toml).
        Language("zh-Hant", "中文", "zh_Hant_TW", "yue"),
        # espeak-ng has no Filipino voice: no read-aloud unless staff name one.
        Language("tl", "Filipino", "fil_PH", None),
    )
}
