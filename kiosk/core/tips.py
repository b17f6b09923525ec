"""The tip rotation deck, and how long a tip stays up.

Each round shows every tip once, with categories interleaved (drug, set, setting,
drug, ...), in a fresh random order. A round never starts with the tip that just
ended the last one. A resident can step back through the tips already shown.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

CATEGORY_ORDER = ("drug", "set", "setting")
HISTORY = 50  # tips a resident can step back through

# A slow reader, so that nobody is hurried (WCAG 2.2.2): words a second in scripts with
# spaces, characters a second in Chinese.
WORDS_PER_SECOND = 1.5
CJK_PER_SECOND = 3.0
TOUCH_HOLD_SECONDS = 60.0  # after any touch, the tip on screen stays at least this long
LINKED_SECONDS = 30.0  # a tip with a QR code: time to take out a phone and scan it
# Larger text is read more slowly: by text-size step.
READING_SLOWER = {"normal": 1.0, "large": 1.25, "xlarge": 1.5}


@lru_cache(maxsize=256)  # asked at every tick for the tip on screen
def reading_seconds(text: str) -> float:
    """How long a slow reader takes to read `text` once."""
    cjk = sum(1 for c in text if unicodedata.east_asian_width(c) in ("W", "F") and c.isalpha())
    words = len(text.split()) if cjk == 0 else 0
    return words / WORDS_PER_SECOND + cjk / CJK_PER_SECOND


@dataclass(frozen=True)
class TipPace:
    """When the tip on screen may give way to the next one."""

    tip_seconds: float  # the config's pace when nobody is there
    idle_seconds: float  # a touch this recent means somebody is in front of the screen

    def may_change(
        self, text: str, linked: bool, text_size: str, shown_for: float, since_touch: float
    ) -> bool:
        """`shown_for`: seconds the tip has been up; `since_touch`: since the last touch."""
        reading = reading_seconds(text) * READING_SLOWER.get(text_size, 1.0)
        dwell = max(self.tip_seconds, reading, LINKED_SECONDS if linked else 0.0)
        if shown_for < dwell:
            return False
        if linked and since_touch < self.idle_seconds:
            return False  # a QR code stays while the resident is here
        return since_touch >= max(TOUCH_HOLD_SECONDS, 2 * reading)


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
        self._shown: list[T] = []  # the tips before `current`, oldest first
        self.current: T | None = None

    def next(self) -> T | None:
        if not self.tips:
            self.current = None
            return None
        if not self._round:
            self._round = self._new_round()
        if self.current is not None:
            self._shown = [*self._shown[-(HISTORY - 1) :], self.current]
        self.current = self._round.pop(0)
        return self.current

    @property
    def can_go_back(self) -> bool:
        return bool(self._shown)

    def previous(self) -> T | None:
        """Back to the tip shown before; the one on screen comes next again."""
        if not self._shown:
            return self.current
        if self.current is not None:
            self._round.insert(0, self.current)
        self.current = self._shown.pop()
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
        by_id = {t.id: t for t in self.tips}
        self._shown = [by_id[t.id] for t in self._shown if t.id in by_id]
        self._round = [
            t for t in self._new_round() if self.current is None or t.id != self.current.id
        ]
