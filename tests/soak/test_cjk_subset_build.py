"""A real smaller copy of the Chinese font, made as a kiosk makes it at its first start
(about a minute of fontTools: this is the slow tier)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.words import cjk_subset, fonts

FULL = fonts.full_cjk_face()


@pytest.mark.skipif(FULL is None, reason="no Chinese font installed")
def test_the_copy_holds_what_was_asked_is_a_fifth_of_the_size_and_draws_alike(
    tmp_path: Path, monkeypatch
) -> None:
    folder = tmp_path / "fonts"
    assert cjk_subset.start_build(folder, "請按龘").wait(timeout=600) == 0  # as a kiosk does
    copy = cjk_subset.ready(folder, FULL)
    assert copy is not None
    assert not fonts.missing("請按龘，的一是ABC123", copy)
    assert fonts.missing("堃", copy) == {"堃"} and not fonts.missing("堃", FULL)
    for small, full in zip(copy.files, FULL.files, strict=True):
        assert small.stat().st_size < full.stat().st_size / 4

    from kivy.core.text import Label as CoreLabel

    def width(path: Path) -> int:
        return CoreLabel(font_name=str(path), font_size=40).get_extents("請按龘 Tap")[0]

    assert width(copy.regular) == width(FULL.regular) > 0  # the same glyphs, drawn alike

    try:
        asked = []
        monkeypatch.setattr(cjk_subset, "start_build", lambda f, text: asked.append(text))
        assert cjk_subset.settle(folder, ["請按龘"], build=True) == copy  # as a real run
        assert asked == []  # it holds everything: nothing to make
        assert cjk_subset.keep_covering(["新的提示：堃"]) is True  # a new tip it lacks
        assert fonts.cjk_face() == FULL  # the full font at once: nothing dropped
        assert asked and "堃" in asked[0]  # and a new copy for the next start
    finally:
        fonts.use_cjk(None)
        cjk_subset._in_use = None
