"""The tip rotation deck.

Each round shows every tip once, with categories interleaved (drug, set, setting,
drug, ...), in a fresh random order. A round never starts with the tip that just
ended the last one.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

CATEGORY_ORDER = ("drug", "set", "setting")


class TipLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def category(self) -> str: ...


T = TypeVar("T", bound=TipLike)


def interleave(tips: Sequence[T], rng: random.Random) -> list[T]:
    """One round: shuffled within each category, then dealt category by category."""
    order = list(CATEGORY_ORDER) + sorted({t.category for t in tips} - set(CATEGORY_ORDER))
    piles = {c: [t for t in tips if t.category == c] for c in order}
    for pile in piles.values():
        rng.shuffle(pile)
    dealt: list[T] = []
    while any(piles.values()):
        for c in order:
            if piles[c]:
                dealt.append(piles[c].pop())
    return dealt


class TipDeck(Generic[T]):
    """Deals tips round after round; `current` is the tip on screen."""

    def __init__(self, tips: Sequence[T], rng: random.Random | None = None) -> None:
        self.tips = list(tips)
        self.rng = rng or random.Random()
        self._round: list[T] = []
        self.current: T | None = None

    def next(self) -> T | None:
        if not self.tips:
            self.current = None
            return None
        if not self._round:
            self._round = self._new_round()
        self.current = self._round.pop(0)
        return self.current

    def _new_round(self) -> list[T]:
        dealt = interleave(self.tips, self.rng)
        if len(dealt) > 1 and self.current is not None and dealt[0].id == self.current.id:
            # Swap with the next tip of the same category, so the interleave holds.
            same = [i for i, t in enumerate(dealt) if t.category == dealt[0].category and i]
            j = same[0] if same else 1
            dealt[0], dealt[j] = dealt[j], dealt[0]
        return dealt

    def replace_tips(self, tips: Sequence[T]) -> None:
        """New tips from a config reload: start a fresh round, keeping the current tip
        (with its new text) if it still exists."""
        self.tips = list(tips)
        current_id = self.current.id if self.current else None
        self.current = next((t for t in self.tips if t.id == current_id), None)
        self._round = [
            t for t in self._new_round() if self.current is None or t.id != self.current.id
        ]
