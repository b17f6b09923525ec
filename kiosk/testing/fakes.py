"""Stand-ins for the lobby's I/O, for tests without a window or a disk."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any


class MemoryStore:
    """Check-ins counted in memory. `save` reports at once (as if the disk were fast),
    or, with `deferred=True`, when `finish()` is called; `failing=True` fails them."""

    def __init__(self, *, failing: bool = False, deferred: bool = False) -> None:
        self.failing = failing
        self.deferred = deferred
        self.counts: Counter[tuple[str, Any]] = Counter()  # (occurrence, mood)
        self.firsts: Counter[tuple[str, Any]] = Counter()  # (occurrence, first-time answer)
        self.afters: Counter[tuple[str, Any]] = Counter()  # (occurrence, (arrived, now))
        self.refreshed: list[date] = []
        self.store_ok = True
        self.failed_writes = 0
        self.closed = False
        self._waiting: list[Callable[[], None]] = []

    def save(self, pending: Any, done: Callable[[bool], None]) -> None:
        def finish() -> None:
            if self.failing:
                self.failed_writes += 1
                done(False)
            elif pending.after is not None:
                self.afters[(pending.occurrence, pending.after)] += 1
                done(True)
            else:
                self.counts[(pending.occurrence, pending.mood)] += 1
                if pending.first is not None:
                    self.firsts[(pending.occurrence, pending.first)] += 1
                done(True)

        if self.deferred:
            self._waiting.append(finish)
        else:
            finish()

    def finish(self) -> None:
        waiting, self._waiting = self._waiting, []
        for job in waiting:
            job()

    def refresh(self, today: date) -> None:
        self.refreshed.append(today)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        return not self._waiting

    def close(self) -> None:
        self.closed = True


class RecordingSpeaker:
    """Read-aloud that writes down what it would say."""

    program = "espeak-ng"

    def __init__(self, voices: dict[str, str] | None = None, languages=("en", "es")) -> None:
        self.languages = set(languages)
        self.said: list[tuple[str, str]] = []
        self.stops = 0

    def can_speak(self, lang: str) -> bool:
        return lang in self.languages

    def say(self, text: str, lang: str) -> None:
        self.said.append((text, lang))

    def stop(self) -> None:
        self.stops += 1
