"""Colours: every text/background pair in every theme meets WCAG 2.2 AA."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.shell import theme


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert theme.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert theme.contrast_ratio("#123456", "#123456") == pytest.approx(1.0)
    # The well-known edge: #767676 on white passes 4.5:1, #777777 does not.
    assert theme.contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert theme.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("name", sorted(theme.PALETTES))
def test_every_pair_in_every_theme_meets_aa(name: str) -> None:
    assert theme.contrast_failures(theme.PALETTES[name]) == []


def test_high_contrast_reaches_7_to_1_for_every_text_pair() -> None:
    for fg, bg, _needed in theme.COLOR_PAIRS:
        hc = theme.contrast_ratio(
            getattr(theme.HIGH_CONTRAST, fg), getattr(theme.HIGH_CONTRAST, bg)
        )
        assert hc >= 7 or (fg.startswith("badge_text") and bg.startswith("mood_")), (fg, bg, hc)


def test_a_faint_colour_is_caught() -> None:
    faint = replace(theme.DEFAULT, muted="#4A5A70", tip_muted="#B0A890")
    failures = theme.contrast_failures(faint)
    assert any(f.startswith("muted on surface") for f in failures)
    assert any(f.startswith("tip_muted on tip_surface") for f in failures)


def test_every_pair_names_real_palette_colours() -> None:
    fields = set(theme.Palette.__dataclass_fields__)
    for fg, bg, needed in theme.COLOR_PAIRS:
        assert {fg, bg} <= fields and needed >= theme.NON_TEXT
