"""Interface strings and locale-aware times."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from kiosk.words import i18n
from kiosk.words.timefmt import day_label, relative_start

LA = ZoneInfo("America/Los_Angeles")
KIOSK = Path(i18n.__file__).parent


def source_strings() -> set[str]:
    found = set()
    keywords = {"_": None, "n_": (1, 2)}
    for _file, _line, msg, _comments, _ctx in extract_from_dir(
        str(KIOSK), method_map=[("**.py", "python")], keywords=keywords
    ):
        found.add(msg if isinstance(msg, str) else msg[0])
    return found


@pytest.mark.parametrize("po", sorted((KIOSK / "locale").glob("*.po")), ids=lambda p: p.stem)
def test_every_interface_string_is_translated(po: Path) -> None:
    with po.open("rb") as fh:
        catalog = read_po(fh)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string}
    missing = source_strings() - translated
    assert not missing, f"{po.name} lacks: {sorted(missing)}"
    for message in catalog:
        if message.id and isinstance(message.id, str):
            # Placeholders must survive translation, or .format() fails on screen.
            assert sorted(_fields(message.id)) == sorted(_fields(message.string)), message.id


def _fields(text: str) -> list[str]:
    import string

    return [f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f]


NOW = datetime(2026, 12, 1, 10, 0, tzinfo=LA)  # a Tuesday morning


def plain(text: str) -> str:
    """A no-break space keeps "6:00 PM" on one line; compare with plain spaces."""
    return text.replace("\xa0", " ")


@pytest.mark.parametrize(
    ("start", "lang", "expected"),
    [
        (datetime(2026, 12, 1, 10, 45, tzinfo=LA), "en", "in 45 min"),
        (datetime(2026, 12, 1, 10, 0, 30, tzinfo=LA), "en", "in 1 min"),
        (datetime(2026, 12, 1, 14, 0, tzinfo=LA), "en", "Today 2:00 PM"),
        (datetime(2026, 12, 1, 18, 0, tzinfo=LA), "en", "Tonight 6:00 PM"),
        (datetime(2026, 12, 2, 9, 0, tzinfo=LA), "en", "Tomorrow 9:00 AM"),
        (datetime(2026, 12, 5, 14, 0, tzinfo=LA), "en", "Saturday 2:00 PM"),
        (datetime(2026, 12, 9, 13, 0, tzinfo=LA), "en", "Wed, Dec 9 1:00 PM"),
        (datetime(2026, 12, 1, 18, 0, tzinfo=LA), "es", "Esta noche, 6:00 p.m."),
        (datetime(2026, 12, 2, 9, 0, tzinfo=LA), "es", "Mañana, 9:00 a.m."),
    ],
)
def test_relative_start(start: datetime, lang: str, expected: str) -> None:
    assert plain(relative_start(start, NOW, lang)) == expected


def test_day_labels() -> None:
    assert day_label(datetime(2026, 12, 1, 18, tzinfo=LA), NOW, "en") == "Today"
    assert day_label(datetime(2026, 12, 2, 18, tzinfo=LA), NOW, "es") == "Mañana"
    assert day_label(datetime(2026, 12, 3, 18, tzinfo=LA), NOW, "en") == "Thu, Dec 3"


def test_spanish_uses_the_us_12_hour_clock() -> None:
    assert i18n.time_text(datetime(2026, 12, 1, 18, tzinfo=LA), "es").startswith("6:00")


def test_unknown_language_falls_back_to_english_strings() -> None:
    assert i18n.gettext_for("xx")("Next 7 days") == "Next 7 days"
