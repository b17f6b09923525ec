"""Four languages: which are offered, in which font, and that every character has a glyph."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.cli import main
from kiosk.config.loader import load
from kiosk.core.views import Texts
from kiosk.words import fonts
from kiosk.words import offer as languages
from kiosk.words.i18n import catalog_strings, time_range_text, time_text
from tests.conftest import edit

LA = ZoneInfo("America/Los_Angeles")
FOUR = ["en", "es", "zh-Hant", "tl"]
SIX_PM = datetime(2026, 12, 1, 18, 0, tzinfo=LA)


def test_the_four_languages_are_offered_each_in_a_font_that_draws_it() -> None:
    plan = languages.plan(FOUR)
    assert plan.offered == FOUR and not plan.refused
    latin, cjk = fonts.latin_face(), fonts.cjk_face()
    assert cjk is not None, "the CJK font must be installed for `make test`"
    assert {lang: plan.face(lang) for lang in FOUR} == {
        "en": latin, "es": latin, "zh-Hant": cjk, "tl": latin,
    }  # fmt: skip
    assert plan.button_text == "English · Español · 中文 · Filipino"
    assert plan.button_face == cjk  # the only face with both scripts


@pytest.mark.parametrize("lang", FOUR)
def test_every_interface_character_has_a_glyph_in_its_font(lang: str) -> None:
    """The catalog, every weekday, month and time of day, and the language's own name."""
    face = languages.plan(FOUR).face(lang)
    text = "".join(languages.interface_texts(lang))
    assert not fonts.missing(text, face)
    # The check is real: the catalog is in there, and Latin cannot draw Chinese.
    assert set("".join(catalog_strings(lang))) <= set(text)
    if lang == "zh-Hant":
        assert fonts.missing(text, fonts.latin_face())


@pytest.mark.parametrize("lang", FOUR)
def test_every_staff_text_character_has_a_glyph_in_its_font(lang: str) -> None:
    config = load(Path(__file__).parents[2] / "config").config
    assert config is not None and config.languages == FOUR
    plan = languages.plan(config.languages)
    shown = [text.get(lang, config.default_language) for *_where, text in config.texts()]
    assert len(shown) > 80
    assert not fonts.missing("".join(shown), plan.face(lang))
    assert not languages.glyph_gaps(config.texts(), plan, config.default_language)


def test_a_language_no_font_covers_is_not_offered_and_the_reason_is_given() -> None:
    plan = languages.plan(FOUR, faces=[fonts.latin_face()])
    assert plan.offered == ["en", "es", "tl"]
    assert "zh-Hant" not in plan.button_text
    why = plan.refused["zh-Hant"]
    assert "no installed font" in why and "U+" in why


def test_with_no_font_for_any_language_the_first_is_kept() -> None:
    plan = languages.plan(["zh-Hant"], faces=[fonts.latin_face()])
    assert plan.offered == ["zh-Hant"] and plan.refused


def test_missing_finds_exactly_the_characters_a_font_lacks() -> None:
    latin = fonts.latin_face()
    assert fonts.missing("Hola, ¿qué tal? Ñandú", latin) == set()
    assert fonts.missing("Take care 💊 下午", latin) == {"💊", "下", "午"}
    assert fonts.drop_missing("Take care 💊", latin) == "Take care "
    assert fonts.missing("line one\nline two\t", latin) == set()  # layout, not glyphs


def test_coverage_holds_a_font_map_as_ranges_and_answers_like_a_set() -> None:
    points = {32, 33, 34, 65, 0x4E00, 0x4E01, 0x4E03}
    coverage = fonts.Coverage([*points, 33, 65])  # a repeat changes nothing
    assert coverage.ranges == 4 and len(coverage) == len(points)
    assert all(p in coverage for p in points)
    assert not any(p in coverage for p in (0, 31, 35, 64, 66, 0x4E02, 0x4E04, 0x10FFFF))
    assert 65 not in fonts.Coverage([])


def test_the_cjk_map_is_read_whole_and_agrees_with_the_font() -> None:
    from fontTools.ttLib import TTFont

    face = fonts.cjk_face()
    if face is None:
        pytest.skip("no CJK font installed")
    full = TTFont(str(face.regular), lazy=True).getBestCmap()
    coverage = fonts.charmap(face.regular)
    assert len(coverage) == len(full) > 40000
    assert all(point in coverage for point in list(full)[::97])


def test_font_maps_are_remembered_across_starts_and_reread_when_a_font_changes(
    tmp_path: Path, monkeypatch
) -> None:
    font = tmp_path / "Body.ttf"
    font.write_bytes(fonts.latin_face().regular.read_bytes())
    remembered = tmp_path / "cache" / "font-maps.json"
    fonts.remember_maps_in(remembered)
    try:
        first = fonts.charmap(font)
        assert remembered.is_file() and ord("Ñ") in first
        (key,) = json.loads(remembered.read_text())["maps"]
        fonts.remember_maps_in(remembered)  # a new start: nothing in memory
        reads = []
        monkeypatch.setattr(fonts, "_read_map", lambda path: reads.append(path) or first)
        again = fonts.charmap(font)
        assert reads == [] and again.as_ranges() == first.as_ranges()
        os.utime(font, ns=(1, 1))  # the file was replaced
        fonts.remember_maps_in(remembered)
        fonts.charmap(font)
        assert reads == [font]
        stored = json.loads(remembered.read_text())["maps"]
        assert len(stored) == 1  # the replaced file's old map is dropped
        remembered.write_text("{not json")  # damaged: read the font again, no error
        fonts.remember_maps_in(remembered)
        fonts.charmap(font)
        assert reads == [font, font]
        for wrong in ("ab", None, [[1, 2, 3]], {"a": 1}):  # another version's shape
            remembered.write_text(json.dumps({"format": 1, "maps": {key: wrong}}))
            fonts.remember_maps_in(remembered)
            fonts.charmap(font)
        assert reads == [font] * 6
        assert not list(remembered.parent.glob("*.tmp"))
    finally:
        fonts.remember_maps_in(None)


def test_times_follow_each_locale_pattern_and_use_spaces_every_font_has() -> None:
    end = datetime(2026, 12, 1, 19, 30, tzinfo=LA)
    assert time_text(SIX_PM, "zh-Hant") == "下午6:00"  # the day period comes first
    assert time_text(SIX_PM, "es") == "6:00\xa0p.m."
    assert time_text(SIX_PM, "tl") == "6:00\xa0PM"
    assert time_range_text(SIX_PM, end, "zh-Hant") == "下午6:00 – 晚上7:30"
    for lang in FOUR:
        assert "\u202f" not in time_text(SIX_PM, lang) + time_range_text(SIX_PM, end, lang)


def test_staff_text_a_font_cannot_draw_is_warned_about_and_left_out(config_dir: Path) -> None:
    edit(config_dir / "tips.toml", 'text.es = "La potencia', 'text.es = "💊 La potencia')
    config = load(config_dir).config
    assert config is not None
    _plan, warnings = languages.review(config)
    [warning] = warnings
    assert warning.file == "tips.toml" and '"start-low-go-slow"' in warning.entry
    assert "U+1F48A" in warning.message and "es" in warning.message
    tip = config.tips.tip[0]
    assert Texts(config, "es")(tip.text).startswith(" La potencia")
    assert Texts(config, "en")(tip.text).startswith("Street drugs")


def test_kiosk_check_lists_missing_translations_per_file_and_entry(
    config_dir: Path, capsys
) -> None:
    edit(config_dir / "tips.toml", 'text.tl = "Iba-iba', '# text.tl = "Iba-iba')
    edit(config_dir / "schedule.toml", 'title.zh-Hant = "減害小組"\n', "")
    assert main(["check", "--config", str(config_dir), "--data", str(config_dir)]) == 0
    out = capsys.readouterr().out
    listing = out.split("Missing translations (these show in en):")[1]
    assert '  tips.toml\n    [[tip]] #1 "start-low-go-slow" text: tl\n' in listing
    assert '  schedule.toml\n    [[group]] #1 "harm-reduction" title: zh-Hant\n' in listing
    assert "Missing translations: zh-Hant 1, tl 1" in out
    assert "zh-Hant in the font NotoSansCJKtc" in out


def test_kiosk_check_says_why_a_language_is_not_offered(
    config_dir: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(fonts, "available_faces", lambda: (fonts.latin_face(),))
    languages.language_face.cache_clear()
    try:
        assert main(["check", "--config", str(config_dir), "--data", str(config_dir)]) == 0
        out = capsys.readouterr().out
        assert "Languages:    en, es, tl (default en)" in out
        assert "NOT OFFERED: zh-Hant, because no installed font has every character" in out
        assert "kiosk.toml, field `languages`: zh-Hant is not offered" in out  # a warning too
        preview = ["preview", "--config", str(config_dir), "--out", str(config_dir / "p")]
        assert main([*preview, "--lang", "zh-Hant"]) == 1
        assert "--lang zh-Hant: this kiosk cannot show it" in capsys.readouterr().err
    finally:
        languages.language_face.cache_clear()
