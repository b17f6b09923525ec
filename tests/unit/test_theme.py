"""Colours: every text/background pair in every theme meets WCAG 2.2 AA."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

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


# --- the font ladder -------------------------------------------------------------------------


def test_font_rungs_are_whole_pixels_each_about_a_tenth_above_the_last() -> None:
    rungs = theme.FONT_RUNGS
    assert all(r == int(r) for r in rungs)
    assert list(rungs) == sorted(set(rungs))
    steps = [b / a for a, b in pairwise(rungs[14:])]  # from 30 px up
    assert all(1.05 < s < 1.15 for s in steps)
    assert rungs[-1] > 800  # a 4K screen's largest clock still lands on a rung


@pytest.mark.parametrize(
    "size", [8.5, 15.2, 29.9, 31.5, 32.0, 42.0, 44.80000000000001, 93.18, 260.0]
)
def test_a_size_takes_the_rung_at_or_below_it_and_shrinks_by_under_a_tenth(size: float) -> None:
    rung = theme.font_rung(size)
    assert rung in theme.FONT_RUNGS
    assert rung <= size  # never larger than the layout planned: what fitted still fits
    assert rung / size > (0.9 if size >= 30 else 0.87)  # whole pixels are coarser below 30
    assert [r for r in theme.FONT_RUNGS if rung < r <= size] == []


def test_the_ladder_keeps_the_order_of_sizes_and_repeats_a_rung_as_it_is() -> None:
    sizes = [x / 4 for x in range(32, 1200)]
    rungs = [theme.font_rung(s) for s in sizes]
    assert rungs == sorted(rungs)  # larger asked, never smaller drawn
    assert all(theme.font_rung(r) == r for r in theme.FONT_RUNGS)
    assert len(set(rungs)) == 39  # 8 to 300 px in 39 faces, not 1,168


def test_sizes_off_the_ends_of_the_ladder_stay_whole_and_positive() -> None:
    assert theme.font_rung(3.9) == 3.0
    assert theme.font_rung(0.2) == 1.0
    assert theme.font_rung(8.0) == 8.0
    assert theme.font_rung(5000) == theme.FONT_RUNGS[-1]
