"""The smaller Chinese font: which characters it must hold, when a copy is taken as made
from the installed font, and that a kiosk without one keeps the full font and drops
nothing. Making a real copy takes about a minute: tests/soak/test_cjk_subset_build.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kiosk.config.loader import load
from kiosk.words import cjk_subset, fonts

FULL = fonts.full_cjk_face()
needs_cjk = pytest.mark.skipif(FULL is None, reason="no Chinese font installed")


@pytest.fixture(autouse=True)
def full_font_after():
    yield
    fonts.use_cjk(None)
    cjk_subset._in_use = None


def test_the_common_characters_are_big5_level_1_its_symbols_and_ascii() -> None:
    chars = cjk_subset.common_characters()
    assert 5_900 < len(chars) < 6_500
    assert set("的一是中文請按這裡") <= chars  # everyday words
    assert set("，。、「」（）？！") <= chars  # full-width punctuation
    assert {chr(c) for c in range(0x20, 0x7F)} <= chars
    assert "" not in chars
    assert not set("龘堃喆") & chars  # rarer characters come only from the texts


def test_the_copy_must_hold_every_config_text_and_the_chinese_interface(config_dir) -> None:
    config = load(config_dir).config
    texts = "".join(cjk_subset.texts_of(config))
    tip = next(t for t in config.tips.tip if "zh-Hant" in t.text.mapping)
    assert tip.text.mapping["zh-Hant"] in texts
    assert "簽到" in texts or "報到" in texts  # the interface's own words


def test_the_copy_must_hold_addresses_and_the_events_of_imported_calendars(config_dir) -> None:
    (config_dir / "groups.ics").write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:a@test\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261203T180000Z\r\n"
        "DTEND:20261203T190000Z\r\nSUMMARY:今晚嘅聚會\r\nLOCATION:堃樓二樓\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    with (config_dir / "schedule.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[calendar]]\nfile = "groups.ics"\n')
    config = load(config_dir).config
    assert config.calendars
    texts = "".join(cjk_subset.texts_of(config))
    assert "今晚嘅聚會" in texts and "堃樓二樓" in texts  # Cantonese, outside Big5 level 1
    addresses = [r.address for r in config.resources.resource if getattr(r, "address", None)]
    assert all(a in texts for a in addresses)


def fake_copy(folder: Path, record: dict | None = None) -> None:
    """A 'copy' that is the full font itself, recorded as made from it."""
    folder.mkdir(parents=True)
    for source in FULL.files:
        shutil.copy(source, cjk_subset._copy_path(folder, source))
    record = record or {
        "format": cjk_subset.FORMAT,
        "sources": [fonts.signature(p) for p in FULL.files],
    }
    (folder / cjk_subset.RECORD).write_text(json.dumps(record), encoding="utf-8")


@needs_cjk
def test_with_no_copy_the_full_font_serves_and_only_a_real_run_asks_for_one(
    tmp_path: Path, monkeypatch
) -> None:
    asked = []
    monkeypatch.setattr(cjk_subset, "start_build", lambda folder, text: asked.append(folder))
    assert cjk_subset.settle(tmp_path / "fonts", ["中文"], build=False) is None
    assert fonts.cjk_face() == FULL
    assert asked == []  # a test, a preview or a replay never makes one
    assert cjk_subset.settle(tmp_path / "fonts", ["中文"], build=True) is None
    assert asked == [tmp_path / "fonts"]


@needs_cjk
def test_a_copy_that_holds_every_text_is_used_under_a_name_of_its_own(tmp_path: Path) -> None:
    folder = tmp_path / "fonts"
    fake_copy(folder)
    copy = cjk_subset.settle(folder, ["中文", "請按這裡"], build=False)
    assert copy is not None and copy.name == cjk_subset.NAME != FULL.name
    assert fonts.cjk_face() == copy
    assert fonts.available_faces()[-1] == copy
    from kiosk.words.offer import language_face

    assert language_face("zh-Hant") == copy  # the cached choice was made again


@needs_cjk
def test_a_copy_made_from_another_font_or_half_made_is_not_taken(tmp_path: Path) -> None:
    stale = {"format": cjk_subset.FORMAT, "sources": ["/gone/Font.otf|1|2"]}
    fake_copy(tmp_path / "stale", stale)
    assert cjk_subset.ready(tmp_path / "stale", FULL) is None
    fake_copy(tmp_path / "half")
    cjk_subset._copy_path(tmp_path / "half", FULL.regular).unlink()
    assert cjk_subset.ready(tmp_path / "half", FULL) is None
    fake_copy(tmp_path / "unrecorded")
    (tmp_path / "unrecorded" / cjk_subset.RECORD).write_text("{broken", encoding="utf-8")
    assert cjk_subset.ready(tmp_path / "unrecorded", FULL) is None


def test_a_config_change_with_no_copy_in_use_changes_nothing() -> None:
    assert cjk_subset.keep_covering(["龘"]) is False


def test_while_a_copy_is_being_made_a_restart_starts_no_second(tmp_path: Path) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    held = cjk_subset._building(folder)  # as the building process holds it
    assert held is not None
    try:
        assert cjk_subset.start_build(folder, "中文") is None
        assert cjk_subset.main([str(folder)]) == 0  # a second builder leaves at once
        assert not (folder / cjk_subset.RECORD).exists()
    finally:
        held.close()


@needs_cjk
def test_a_character_no_font_draws_does_not_turn_the_copy_away(tmp_path: Path) -> None:
    fake_copy(tmp_path / "fonts")
    assert fonts.missing("💊", FULL)  # an emoji in a tip: `kiosk check` names it
    assert cjk_subset.settle(tmp_path / "fonts", ["中文 💊"], build=False) is not None


@needs_cjk
def test_a_damaged_copy_is_passed_over_for_the_full_font(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "fonts"
    fake_copy(folder)
    regular = cjk_subset._copy_path(folder, FULL.regular)
    regular.write_bytes(regular.read_bytes()[:4096])  # cut short, as by a full disk
    fonts.remember_maps_in(None)  # read the file itself, not a remembered map
    asked = []
    monkeypatch.setattr(cjk_subset, "start_build", lambda folder, text: asked.append(folder))
    assert cjk_subset.settle(folder, ["中文"], build=True) is None
    assert fonts.cjk_face() == FULL
    assert asked == [folder]  # and a good copy is made


@needs_cjk
def test_a_build_that_failed_for_these_fonts_is_not_tried_at_every_start(
    tmp_path: Path, monkeypatch
) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    sources = [fonts.signature(p) for p in FULL.files]
    (folder / cjk_subset.FAILED).write_text(json.dumps({"sources": sources, "error": "x"}))
    asked = []
    monkeypatch.setattr(cjk_subset, "start_build", lambda folder, text: asked.append(folder))
    assert cjk_subset.settle(folder, ["中文"], build=True) is None
    assert asked == []
    (folder / cjk_subset.FAILED).write_text(json.dumps({"sources": ["/old|1|2"], "error": "x"}))
    assert cjk_subset.settle(folder, ["中文"], build=True) is None
    assert asked == [folder]  # a font updated since: worth another try


def test_the_common_characters_hold_the_spaces_words_are_tied_with() -> None:
    from kiosk.words.linebreak import NBSP

    assert {NBSP, "\u202f", "…", "–"} <= cjk_subset.common_characters()
