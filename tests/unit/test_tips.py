"""The tip rotation deck."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from kiosk.config.loader import load
from kiosk.core.tips import HISTORY, TipDeck, TipPace, interleave, reading_seconds
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


# --- how long a tip stays up ------------------------------------------------------------------

PACE = TipPace(tip_seconds=12, idle_seconds=60)
NEVER = float("inf")  # no touch yet


def test_reading_time_counts_words_or_chinese_characters() -> None:
    assert reading_seconds("one two three") == 2.0  # 1.5 words a second
    assert reading_seconds("用完針筒，請放進利器收集箱。") == 12 / 3  # punctuation is not read
    assert reading_seconds("") == 0


def test_a_short_tip_keeps_the_config_pace_when_nobody_is_there() -> None:
    assert not PACE.may_change("Short tip.", False, "normal", 11.9, NEVER)
    assert PACE.may_change("Short tip.", False, "normal", 12.0, NEVER)


def test_longer_tips_and_larger_text_stay_longer() -> None:
    words = " ".join(["word"] * 30)  # 20 s for a slow reader
    assert not PACE.may_change(words, False, "normal", 19.9, NEVER)
    assert PACE.may_change(words, False, "normal", 20.0, NEVER)
    assert not PACE.may_change(words, False, "xlarge", 29.9, NEVER)
    assert PACE.may_change(words, False, "xlarge", 30.0, NEVER)


def test_after_a_touch_a_tip_stays_a_minute_or_twice_its_reading_time() -> None:
    assert not PACE.may_change("Short tip.", False, "normal", 100, 59.9)
    assert PACE.may_change("Short tip.", False, "normal", 100, 60)
    words = " ".join(["word"] * 60)  # 40 s to read: 80 s after a touch
    assert not PACE.may_change(words, False, "normal", 100, 79.9)
    assert PACE.may_change(words, False, "normal", 100, 80)


def test_a_qr_code_stays_while_somebody_is_there_and_long_enough_to_scan() -> None:
    assert not PACE.may_change("Scan me.", True, "normal", 29.9, NEVER)
    assert PACE.may_change("Scan me.", True, "normal", 30, NEVER)
    slow = TipPace(tip_seconds=12, idle_seconds=120)
    assert not slow.may_change("Scan me.", True, "normal", 500, 119)
    assert slow.may_change("Scan me.", True, "normal", 500, 120)
    assert slow.may_change("No code.", False, "normal", 500, 61)


def test_the_deck_steps_back_and_forward_through_what_was_shown() -> None:
    deck = TipDeck(make(2, 2, 2), random.Random(3))
    shown = [deck.next() for _ in range(4)]
    assert not TipDeck(make(1, 1, 1)).can_go_back
    assert deck.previous() == shown[2] and deck.previous() == shown[1]
    assert deck.next() == shown[2] and deck.next() == shown[3]
    later = [deck.next() for _ in range(10)]  # rounds go on as before
    assert all(t is not None for t in later)


def test_stepping_back_is_bounded_and_survives_a_reload() -> None:
    tips = make(3, 3, 3)
    deck = TipDeck(tips, random.Random(4))
    for _ in range(200):
        deck.next()
    steps = 0
    while deck.can_go_back:
        deck.previous()
        steps += 1
    assert steps == HISTORY
    deck.replace_tips(tips[:3])  # a reload keeps only the tips that still exist
    assert all(t.id in {"d0", "d1", "d2"} for t in deck._shown)
