"""The tip rotation deck."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from kiosk.config.loader import load
from kiosk.core.tips import TipDeck, interleave
from tests.conftest import SAMPLE_CONFIG


@dataclass(frozen=True)
class T:
    id: str
    category: str


def make(drug: int, set_: int, setting: int) -> list[T]:
    return (
        [T(f"d{i}", "drug") for i in range(drug)]
        + [T(f"s{i}", "set") for i in range(set_)]
        + [T(f"g{i}", "setting") for i in range(setting)]
    )


def test_round_interleaves_categories_in_order() -> None:
    dealt = interleave(make(3, 3, 3), random.Random(1))
    assert [t.category for t in dealt] == ["drug", "set", "setting"] * 3


def test_uneven_categories_interleave_until_one_runs_out() -> None:
    dealt = interleave(make(4, 2, 1), random.Random(2))
    assert [t.category for t in dealt] == ["drug", "set", "setting", "drug", "set", "drug", "drug"]


def test_no_tip_repeats_until_all_have_shown_and_rounds_are_reshuffled() -> None:
    tips = make(4, 4, 4)
    deck = TipDeck(tips, random.Random(7))
    rounds = [[deck.next().id for _ in tips] for _ in range(6)]
    for shown in rounds:
        assert sorted(shown) == sorted(t.id for t in tips)
    assert len({tuple(r) for r in rounds}) > 1, "every round was in the same order"


def test_a_round_never_starts_with_the_tip_that_ended_the_last() -> None:
    tips = make(2, 1, 1)
    deck = TipDeck(tips, random.Random(0))
    previous = None
    for _ in range(400):
        tip = deck.next()
        assert tip.id != previous
        previous = tip.id


def test_single_tip_repeats_and_empty_deck_gives_none() -> None:
    deck = TipDeck([T("only", "set")], random.Random(0))
    assert [deck.next().id for _ in range(3)] == ["only"] * 3
    assert TipDeck([], random.Random(0)).next() is None


def test_replacing_tips_keeps_the_current_one_and_drops_removed_ones() -> None:
    tips = make(2, 2, 2)
    deck = TipDeck(tips, random.Random(3))
    current = deck.next()
    removed = next(t for t in tips if t != current)
    kept = [t for t in tips if t != removed]
    deck.replace_tips(kept)
    assert deck.current == current
    seen = [deck.next().id for _ in range(len(kept) * 3)]
    assert removed.id not in seen
    assert set(seen) == {t.id for t in kept}


def test_sample_tips_rotate_evenly_over_many_rounds() -> None:
    config = load(SAMPLE_CONFIG).config
    assert config is not None
    tips = config.tips.tip
    deck = TipDeck(tips, random.Random(11))
    counts = Counter(deck.next().id for _ in range(len(tips) * 20))
    assert set(counts.values()) == {20}
