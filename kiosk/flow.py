"""The kiosk's state machine: which screen shows, in which language and text size,
which tip is up, and when timers fire.

Plain Python: the Kivy shell feeds it taps and the time, and redraws whatever it
reports as changed. All timers use a monotonic time in seconds (`t`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.tips import TipDeck


class Screen(StrEnum):
    HOME = "home"


class TextSize(StrEnum):
    NORMAL = "normal"
    LARGE = "large"
    XLARGE = "xlarge"


class Change(StrEnum):
    SCREEN = "screen"
    TIP = "tip"
    LANGUAGE = "language"
    TEXT_SIZE = "text_size"
    CONFIG = "config"


@dataclass(frozen=True)
class FlowSettings:
    tip_seconds: float
    idle_seconds: float
    default_language: str
    languages: tuple[str, ...] = ()


Listener = Callable[[frozenset[Change]], None]


class Flow:
    def __init__(self, settings: FlowSettings, deck: TipDeck[Any], t: float) -> None:
        self.settings = settings
        self.deck = deck
        self.screen = Screen.HOME
        self.language = settings.default_language
        self.text_size = TextSize.NORMAL
        self.last_touch = t
        self.tip_since = t
        self.deck.next()
        self._listeners: list[Listener] = []

    @property
    def tip(self) -> Any:
        return self.deck.current

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _emit(self, *changes: Change) -> None:
        if changes:
            for listener in list(self._listeners):
                listener(frozenset(changes))

    # --- inputs -----------------------------------------------------------------------------

    def touched(self, t: float) -> None:
        """Any touch anywhere: the idle timer starts again."""
        self.last_touch = t

    def tap_tip(self, t: float) -> None:
        self.touched(t)
        self._next_tip(t)

    def tick(self, t: float) -> None:
        """Let time-based changes happen: tip rotation and the idle return."""
        changes: list[Change] = []
        if self.tip is not None and t - self.tip_since >= self.settings.tip_seconds:
            self.deck.next()
            self.tip_since = t
            changes.append(Change.TIP)
        if t - self.last_touch >= self.settings.idle_seconds:
            changes += self._reset()
        self._emit(*changes)

    def go(self, screen: Screen, t: float) -> None:
        self.touched(t)
        if screen != self.screen:
            self.screen = screen
            self._emit(Change.SCREEN)

    def reconfigure(self, settings: FlowSettings, tips: list[Any], t: float) -> None:
        """A new config: new timings and tips; what is on screen stays if it still exists."""
        self.settings = settings
        self.deck.replace_tips(tips)
        if self.deck.current is None:
            self.deck.next()
            self.tip_since = t
        changes = [Change.CONFIG, Change.TIP]
        if settings.languages and self.language not in settings.languages:
            self.language = settings.default_language
            changes.append(Change.LANGUAGE)
        self._emit(*changes)

    # --- internals --------------------------------------------------------------------------

    def _next_tip(self, t: float) -> None:
        if self.tip is None:
            return
        self.deck.next()
        self.tip_since = t
        self._emit(Change.TIP)

    def _reset(self) -> list[Change]:
        changes = []
        if self.screen != Screen.HOME:
            self.screen = Screen.HOME
            changes.append(Change.SCREEN)
        if self.language != self.settings.default_language:
            self.language = self.settings.default_language
            changes.append(Change.LANGUAGE)
        if self.text_size != TextSize.NORMAL:
            self.text_size = TextSize.NORMAL
            changes.append(Change.TEXT_SIZE)
        return changes
