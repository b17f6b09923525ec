"""The kiosk's state machine: which screen shows, in which language and text size,
which tip is up, the check-in steps, and when timers fire.

Plain Python: the Kivy shell feeds it taps and the time, and redraws whatever it
reports as changed. All timers use a monotonic time in seconds (`t`). A check-in is
asked of the shell as a pending save; the flow moves on only when the shell reports
the save done, so "thanks" never shows for a check-in that is not on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.core.after_group import Face
from kiosk.core.checkins import FirstTime, Mood
from kiosk.core.pin import PinGate, valid_pin
from kiosk.core.tips import TipDeck, TipPace


class Screen(StrEnum):
    HOME = "home"
    CHECKIN = "checkin"
    CLOSED = "closed"
    MOOD = "mood"
    THANKS = "thanks"
    RESOURCES = "resources"
    RESOURCE = "resource"
    STAFF_PIN = "staff-pin"
    STAFF = "staff"
    QUIET = "quiet"  # night mode: a dim clock and the next group; a touch wakes it
    WEEK = "week"  # the next 7 days, whole, at any text size
    FIRST_TIME = "first-time"  # "Is this your first time at this group?"
    AFTER_CHOOSE = "after-choose"  # several groups just ended: which one
    AFTER_BEFORE = "after-before"  # "When you arrived today, how were you doing?"
    AFTER_NOW = "after-now"  # "And how are you doing now?"
    ALERT = "alert"  # one alert in force, whole (the band on every resident screen opens it)


# Screens for staff: no alert band, and a tap on one cannot open an alert.
STAFF_SCREENS = frozenset({Screen.STAFF_PIN, Screen.STAFF})


class TextSize(StrEnum):
    NORMAL = "normal"
    LARGE = "large"
    XLARGE = "xlarge"

    def following(self) -> TextSize:
        """The next size the text-size button gives: normal, large, extra large, normal."""
        sizes = list(TextSize)
        return sizes[(sizes.index(self) + 1) % len(sizes)]


class Change(StrEnum):
    SCREEN = "screen"
    TIP = "tip"
    LANGUAGE = "language"
    TEXT_SIZE = "text_size"
    CONFIG = "config"
    SAVE = "save"  # a check-in waits to be written: see Flow.pending
    COOLDOWN = "cooldown"  # the check-in button starts or stops resting
    CHOOSER = "chooser"  # the language chooser opens or closes
    PIN = "pin"  # the staff PIN pad's digits or message changed
    EXIT_ASKED = "exit_asked"  # the staff panel asks, or stops asking, "Stop the kiosk?"


@dataclass(frozen=True)
class FlowSettings:
    tip_seconds: float
    idle_seconds: float
    default_language: str
    languages: tuple[str, ...] = ()
    mood_question: bool = True
    first_time_question: bool = False
    cooldown_seconds: float = 5
    thanks_seconds: float = 3
    save_timeout_seconds: float = 20  # a write that takes longer is reported as failed


@dataclass(frozen=True)
class PendingSave:
    """A count waiting to be written: a check-in (with its answers), or, when `after` is
    set, one answer to the after-group question (arrived, now)."""

    occurrence: str
    mood: Mood
    then_home: bool = False  # left at a check-in's question: count it, no thanks screen
    first: FirstTime = None
    after: tuple[Face, Face] | None = None


Listener = Callable[[frozenset[Change]], None]
# A tip's text in a language, and whether it has a link (its QR code): for its pace.
TipFacts = Callable[[Any, str], tuple[str, bool]]


def _no_facts(_tip: Any, _language: str) -> tuple[str, bool]:
    return "", False


class Flow:
    def __init__(
        self,
        settings: FlowSettings,
        deck: TipDeck[Any],
        t: float,
        tip_facts: TipFacts = _no_facts,
    ) -> None:
        self.settings = settings
        self.deck = deck
        self.tip_facts = tip_facts
        self.screen = Screen.HOME
        self.language = settings.default_language
        self.text_size = TextSize.NORMAL
        self.chooser_open = False  # the language chooser, over home
        self.pin = ""  # digits typed on the staff PIN pad
        self.pin_gate = PinGate()
        self.pin_wrong = False  # the last PIN tried was wrong
        self.exit_asked = False  # the staff panel asks "Stop the kiosk?"
        self.quiet = False  # inside the configured quiet hours
        self.last_touch = t  # for the idle return
        self.touched_at = float("-inf")  # the last real touch: tips wait for a reader
        self.tip_since = t
        self.deck.next()
        self.choices: tuple[str, ...] = ()  # occurrences open for check-in, on `checkin`
        self.chosen: str | None = None  # the occurrence being checked in to
        self.first: FirstTime = None  # its first-time answer, until the check-in is saved
        self.after_choices: tuple[str, ...] = ()  # open for the after-group question
        self.after_chosen: str | None = None  # the occurrence being answered for
        self.arrived: Face | None = None  # the first of its two answers
        self.after_cooldown_until = float("-inf")
        self.thanked_after = False  # the thanks screen thanks for an after-group answer
        self.pending: PendingSave | None = None
        self.pending_since = t
        self.resource: str | None = None  # the resource on the `resource` screen
        self.alert_index = 0  # which alert in force the `alert` screen shows
        self.alert_return = Screen.HOME  # where Back goes from the `alert` screen
        self.save_failed = False
        self.cooldown_until = float("-inf")
        self.thanks_since = t
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

    # --- inputs: anywhere -------------------------------------------------------------------

    def touched(self, t: float) -> None:
        """Any touch anywhere: the idle timer starts again."""
        self.last_touch = self.touched_at = t

    def tap_tip(self, t: float) -> None:
        self.touched(t)
        self._next_tip(t)

    def tap_previous_tip(self, t: float) -> None:
        self.touched(t)
        if self.deck.can_go_back:
            self.deck.previous()
            self.tip_since = t
            self._emit(Change.TIP)

    def _tip_may_change(self, t: float) -> bool:
        text, linked = self.tip_facts(self.tip, self.language)
        pace = TipPace(self.settings.tip_seconds, self.settings.idle_seconds)
        return pace.may_change(
            text, linked, self.text_size.value, t - self.tip_since, t - self.touched_at
        )

    def tick(self, t: float, quiet: bool = False) -> None:
        """Let time-based changes happen: tips, the thanks screen, cooldown, idle return,
        and night mode (`quiet`: the shell says whether it is quiet hours now)."""
        self.quiet = quiet
        changes: list[Change] = []
        if self.tip is not None and self._tip_may_change(t):
            self.deck.next()
            self.tip_since = t
            changes.append(Change.TIP)
        if self.screen == Screen.THANKS and t - self.thanks_since >= self.settings.thanks_seconds:
            changes += self._go(Screen.HOME)
        if self._cooling_ended(t):
            changes.append(Change.COOLDOWN)
        if self.pending and t - self.pending_since >= self.settings.save_timeout_seconds:
            self._emit(*changes)
            self.saved(t, ok=False)  # a stuck disk must not freeze the kiosk
            return
        if t - self.last_touch >= self.settings.idle_seconds and self.pending is None:
            if self.screen in (Screen.FIRST_TIME, Screen.MOOD) and self.chosen:
                # They said "I'm here" and walked away from an optional question.
                first = self.first or ("skipped" if self.settings.first_time_question else None)
                mood = "skipped" if self.settings.mood_question else None
                self._request_save(self.chosen, mood, t, then_home=True, first=first)
            elif not (quiet and self.screen == Screen.QUIET):
                changes += self._reset()
                if quiet:
                    changes += self._go(Screen.QUIET)
        if not quiet and self.screen == Screen.QUIET:
            changes += self._go(Screen.HOME)
        self._emit(*changes)

    def go_home(self, t: float) -> None:
        """The `home` button, and `back` where it leads home."""
        self.touched(t)
        if self.pending is None:
            self.chosen = None
            self._emit(*self._go(Screen.HOME))

    def go_back(self, t: float) -> None:
        """`back`: closes the language chooser; from one resource goes to the list; from
        the mood question back to "I'm here" (nothing counted); from anywhere else home;
        on the staff panel's "Stop the kiosk?", keeps it running."""
        if self.exit_asked:
            self.touched(t)
            self.exit_asked = False
            self._emit(Change.EXIT_ASKED)
        elif self.chooser_open:
            self.touched(t)
            self.chooser_open = False
            self._emit(Change.CHOOSER)
        elif self.screen == Screen.RESOURCE:
            self.touched(t)
            self._emit(*self._go(Screen.RESOURCES))
        elif self.screen == Screen.ALERT:
            self.touched(t)  # back to what the resident was doing when they tapped the band
            self._emit(*self._go(self.alert_return))
        elif self.screen in (Screen.FIRST_TIME, Screen.MOOD) and self.pending is None:
            self.touched(t)  # not yet counted: back a question, then to "I'm here"
            if self.screen == Screen.MOOD and self.settings.first_time_question:
                self.first = None  # to be answered again
                self._emit(*self._go(Screen.FIRST_TIME))
            else:
                self.chosen = None
                self._emit(*self._go(Screen.CHECKIN))
        elif self.screen in (Screen.AFTER_NOW, Screen.AFTER_BEFORE) and self.pending is None:
            self.touched(t)  # nothing is counted before the second answer
            if self.screen == Screen.AFTER_NOW:
                self.arrived = None
                self._emit(*self._go(Screen.AFTER_BEFORE))
            elif len(self.after_choices) > 1:
                self._emit(*self._go(Screen.AFTER_CHOOSE))
            else:
                self.after_chosen = None
                self.go_home(t)
        else:
            self.go_home(t)

    def open_week(self, t: float) -> None:
        self.touched(t)
        if self.screen == Screen.HOME and self.pending is None:
            self._emit(*self._go(Screen.WEEK))

    def open_resources(self, t: float) -> None:
        self.touched(t)
        if self.pending is None:
            self._emit(*self._go(Screen.RESOURCES))

    def open_resource(self, resource: str, t: float) -> None:
        self.touched(t)
        if self.screen == Screen.RESOURCES:
            self.resource = resource
            self._emit(*self._go(Screen.RESOURCE))

    def open_alert(self, t: float, in_force: int) -> None:
        """The alert band, on any resident screen: the first of the `in_force` alerts."""
        self.touched(t)
        if not in_force or self.screen in STAFF_SCREENS or self.pending is not None:
            return
        if self.screen != Screen.ALERT:
            self.alert_return = Screen.HOME if self.screen == Screen.QUIET else self.screen
        self.alert_index = 0
        self._emit(*self._go(Screen.ALERT), Change.SCREEN)

    def next_alert(self, t: float, in_force: int) -> None:
        """`alert.next`: the next of several alerts in force, round again after the last."""
        self.touched(t)
        if self.screen == Screen.ALERT and in_force > 1:
            self.alert_index = (self.alert_index + 1) % in_force
            self._emit(Change.SCREEN)

    def alerts_changed(self, t: float, in_force: int) -> None:
        """Alerts began or ended: the `alert` screen closes when none is left."""
        if self.alert_index >= in_force:
            self.alert_index = 0
        if self.screen == Screen.ALERT:
            self._emit(*(self._go(self.alert_return) if not in_force else [Change.SCREEN]))

    # --- inputs: night mode and the staff panel ---------------------------------------------

    def wake(self, t: float) -> None:
        """A touch anywhere on the night screen: home, for idle_seconds."""
        self.touched(t)
        if self.screen == Screen.QUIET:
            self._emit(*self._go(Screen.HOME))

    def open_staff_pin(self, t: float, enabled: bool) -> None:
        """The long press on the program name. `enabled`: a staff PIN is set."""
        self.touched(t)
        if enabled and self.screen == Screen.HOME and self.pending is None:
            self.pin, self.pin_wrong = "", False
            self._emit(*self._go(Screen.STAFF_PIN))

    def pin_digit(self, digit: str, t: float) -> None:
        self.touched(t)
        if self.screen == Screen.STAFF_PIN and len(self.pin) < 8 and digit.isdigit():
            self.pin += digit
            self.pin_wrong = False
            self._emit(Change.PIN)

    def pin_clear(self, t: float) -> None:
        self.touched(t)
        if self.screen == Screen.STAFF_PIN:
            self.pin = ""
            self._emit(Change.PIN)

    def submit_pin(self, t: float, check: Callable[[str], bool]) -> None:
        """`pin.ok`: `check` tells whether the digits are the staff PIN. While locked out
        after repeated wrong PINs, nothing is checked at all."""
        self.touched(t)
        if self.screen != Screen.STAFF_PIN:
            return
        pin, self.pin = self.pin, ""
        if self.pin_gate.locked(t):
            self._emit(Change.PIN)
            return
        if self.pin_gate.attempt(valid_pin(pin) and check(pin), t):
            self.pin_wrong = False
            self._emit(*self._go(Screen.STAFF))
        else:
            self.pin_wrong = True
            self._emit(Change.PIN)

    # --- inputs: language and text size -----------------------------------------------------

    def open_languages(self, t: float) -> None:
        """The `language` button on home opens the chooser."""
        self.touched(t)
        if self.screen == Screen.HOME and not self.chooser_open:
            self.chooser_open = True
            self._emit(Change.CHOOSER)

    def choose_language(self, lang: str, t: float) -> None:
        """One tap on a language in the chooser: that language, and the chooser closes."""
        self.touched(t)
        changes = []
        if lang in self.settings.languages and lang != self.language:
            self.language = lang
            changes.append(Change.LANGUAGE)
        if self.chooser_open:
            self.chooser_open = False
            changes.append(Change.CHOOSER)
        self._emit(*changes)

    def cycle_text_size(self, t: float) -> None:
        """The `textsize` button: normal, large, extra large, and round again."""
        self.touched(t)
        self.text_size = self.text_size.following()
        self._emit(Change.TEXT_SIZE)

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

    # --- inputs: check-in -------------------------------------------------------------------

    def cooldown_left(self, t: float) -> float:
        """Seconds until the check-in button takes taps again (0 if it does now)."""
        return max(0.0, self.cooldown_until - t)

    def tap_checkin(self, t: float, open_occurrences: list[str]) -> None:
        """The home screen's check-in button; the shell says what is open right now."""
        self.touched(t)
        if self.cooldown_left(t) > 0 or self.pending is not None:
            return
        self.choices = tuple(open_occurrences)
        self.chosen = None
        self.save_failed = False
        self._go(Screen.CHECKIN if self.choices else Screen.CLOSED)
        self._emit(Change.SCREEN)  # even on the same screen: what is open may have changed

    def confirm(self, occurrence: str, t: float, still_open: bool = True) -> None:
        """'I'm here' for one of the open occurrences. The shell says whether it is still
        open (the screen may have stayed up past the window, or the config changed)."""
        self.touched(t)
        if self.screen != Screen.CHECKIN or occurrence not in self.choices or self.pending:
            return
        if not still_open:
            self.choices = ()
            self._emit(*self._go(Screen.CLOSED))
            return
        self.chosen, self.first = occurrence, None
        if self.settings.first_time_question:
            self._emit(*self._go(Screen.FIRST_TIME))
        else:
            self._after_first(t)

    def answer_first(self, answer: FirstTime, t: float) -> None:
        """Yes, No or Skip to "Is this your first time at this group?"."""
        self.touched(t)
        if self.screen != Screen.FIRST_TIME or not self.chosen or self.pending:
            return
        self.first = answer
        self._after_first(t)

    def _after_first(self, t: float) -> None:
        if self.settings.mood_question:
            self._emit(*self._go(Screen.MOOD))
        else:
            self._request_save(self.chosen or "", None, t, first=self.first)

    def answer_mood(self, mood: Mood, t: float) -> None:
        """One of the five faces, or Skip."""
        self.touched(t)
        if self.screen != Screen.MOOD or not self.chosen or self.pending:
            return
        self._request_save(self.chosen, mood, t, first=self.first)

    # --- inputs: the after-group question ---------------------------------------------------

    def after_cooldown_left(self, t: float) -> float:
        """Seconds until the after-group button takes taps again (0 if it does now)."""
        return max(0.0, self.after_cooldown_until - t)

    def tap_aftergroup(self, t: float, open_occurrences: list[str]) -> None:
        """Home's "How was group today?" button; the shell says what is open for it now."""
        self.touched(t)
        if self.after_cooldown_left(t) > 0 or self.pending is not None or not open_occurrences:
            return
        self.after_choices = tuple(open_occurrences)
        self.save_failed = False
        if len(self.after_choices) == 1:
            self._start_after(self.after_choices[0])
        else:
            self.after_chosen = self.arrived = None
            self._emit(*self._go(Screen.AFTER_CHOOSE))

    def choose_after(self, occurrence: str, t: float) -> None:
        """One group, when several just ended."""
        self.touched(t)
        if self.screen == Screen.AFTER_CHOOSE and occurrence in self.after_choices:
            self._start_after(occurrence)

    def answer_after(self, face: Face, t: float) -> None:
        """A face (or Skip) for "when you arrived", then for "now"; the second is saved."""
        self.touched(t)
        if self.pending or not self.after_chosen:
            return
        self.save_failed = False
        if self.screen == Screen.AFTER_BEFORE:
            self.arrived = face
            self._emit(*self._go(Screen.AFTER_NOW))
        elif self.screen == Screen.AFTER_NOW and self.arrived is not None:
            self.pending = PendingSave(self.after_chosen, None, after=(self.arrived, face))
            self.pending_since = t
            self._emit(Change.SAVE)

    def _start_after(self, occurrence: str) -> None:
        self.after_chosen, self.arrived = occurrence, None
        self._emit(*self._go(Screen.AFTER_BEFORE))

    def saved(self, t: float, ok: bool, pending: PendingSave | None = None) -> None:
        """The shell reports the pending count written (ok) or failed. With `pending`, a
        reply for a save given up on (it took too long) is ignored: it must not decide
        the save the resident made since."""
        if pending is not None and pending is not self.pending:
            return
        pending, self.pending = self.pending, None
        if pending is None:
            return
        changes = [Change.SAVE]
        checkin = pending.after is None
        if not ok:
            self.save_failed = True
            if checkin:  # "I'm here" again; after group, the last answer can be given again
                self.chosen, self.first = None, None
                changes += self._go(Screen.CHECKIN if self.choices else Screen.HOME)
            else:
                changes.append(Change.SCREEN)  # the same screen, now saying so
            self._emit(*changes)
            return
        if checkin:
            self.chosen, self.first = None, None
            self.cooldown_until = t + self.settings.cooldown_seconds
        else:
            self.after_chosen = self.arrived = None
            self.after_cooldown_until = t + self.settings.cooldown_seconds
        changes.append(Change.COOLDOWN)
        if pending.then_home:
            changes += self._reset()
        else:
            self.thanks_since, self.thanked_after = t, not checkin
            changes += self._go(Screen.THANKS)
        self._emit(*changes)

    def show_for_preview(self, screen: Screen, choices: list[str], t: float) -> None:
        """Put a screen up as a resident would reach it (for `kiosk preview`)."""
        self.touched(t)
        self.thanks_since = t
        self.choices = tuple(choices)
        self.chosen = choices[0] if choices else None
        self._go(screen)
        self._emit(Change.SCREEN)

    # --- internals --------------------------------------------------------------------------

    def _request_save(
        self,
        occurrence: str,
        mood: Mood,
        t: float,
        then_home: bool = False,
        first: FirstTime = None,
    ) -> None:
        self.pending = PendingSave(occurrence, mood, then_home, first)
        self.pending_since = t
        self._emit(Change.SAVE)

    def _cooling_ended(self, t: float) -> bool:
        ended = False
        if self.cooldown_until != float("-inf") and t >= self.cooldown_until:
            self.cooldown_until, ended = float("-inf"), True
        if self.after_cooldown_until != float("-inf") and t >= self.after_cooldown_until:
            self.after_cooldown_until, ended = float("-inf"), True
        return ended

    def _next_tip(self, t: float) -> None:
        if self.tip is None:
            return
        self.deck.next()
        self.tip_since = t
        self._emit(Change.TIP)

    def ask_exit(self, t: float) -> None:
        """`staff.exit`: the staff panel asks before it stops the kiosk."""
        self.touched(t)
        if self.screen == Screen.STAFF and not self.exit_asked:
            self.exit_asked = True
            self._emit(Change.EXIT_ASKED)

    def confirm_exit(self, t: float) -> bool:
        """`staff.exit.confirm`: whether the kiosk should stop now."""
        self.touched(t)
        return self.screen == Screen.STAFF and self.exit_asked

    def _go(self, screen: Screen) -> list[Change]:
        if screen == self.screen:
            return []
        self.screen = screen
        self.exit_asked = False
        if self.chooser_open:
            self.chooser_open = False
            return [Change.SCREEN, Change.CHOOSER]
        return [Change.SCREEN]

    def _reset(self) -> list[Change]:
        changes = self._go(Screen.HOME)
        self.chosen, self.first = None, None
        self.after_chosen = self.arrived = None
        self.pin = ""
        if self.chooser_open:
            self.chooser_open = False
            changes.append(Change.CHOOSER)
        if self.language != self.settings.default_language:
            self.language = self.settings.default_language
            changes.append(Change.LANGUAGE)
        if self.text_size != TextSize.NORMAL:
            self.text_size = TextSize.NORMAL
            changes.append(Change.TEXT_SIZE)
        return changes
