"""The kiosk without a window: everything the lobby screen decides, in plain Python.

`Lobby` owns the config (through its watcher), the schedule, the language plan, the
screen flow, the clock and the check-in store. It takes every tap and every tick, and
publishes what is to be shown: the current screen and its view, the home screen's view
and tip, the access controls, the language chooser, the check-in button. The Kivy shell
(`kiosk.shell.app`) draws what it publishes and forwards taps; tests drive it directly,
with fakes for the store and the speaker and a simulated clock, and no window.

Listeners get a set of `Update`s after each input, saying what changed.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from kiosk import __version__
from kiosk.adapters import health, pin_store
from kiosk.config import freshness
from kiosk.config.loader import Config
from kiosk.config.watch import ConfigWatcher
from kiosk.core import after_group, alert_views, alerts, checkins, pin, slips
from kiosk.core.checkins import FirstTime, Mood
from kiosk.core.clock import KioskClock
from kiosk.core.flow import (
    STAFF_SCREENS,
    Change,
    Flow,
    FlowSettings,
    PendingSave,
    Screen,
    TextSize,
)
from kiosk.core.schedule import Occurrence
from kiosk.core.screen_care import burn_in_shift, in_quiet_hours
from kiosk.core.tips import TipDeck
from kiosk.core.views import (
    ControlsView,
    HomeView,
    Texts,
    TipView,
    controls_view,
    home_view,
    spoken_text,
    staff_notice,
    tip_view,
)
from kiosk.words import cjk_subset, offer
from kiosk.words.i18n import gettext_for
from kiosk.words.timefmt import opens_text

log = logging.getLogger(__name__)


class Store(Protocol):
    """Where check-ins go (kiosk.adapters.saver.Saver; a fake in tests). `save` calls `done` on
    the caller's thread once the check-in is on disk (True) or could not be (False)."""

    store_ok: bool
    failed_writes: int

    def save(self, pending: PendingSave, done: Callable[[bool], None]) -> None: ...

    def refresh(self, today: Any) -> None: ...

    def wait_idle(self, timeout: float = 10.0) -> bool: ...

    def close(self) -> None: ...


class Speaker(Protocol):
    """Read-aloud (kiosk.adapters.speech.Speaker; a fake in tests)."""

    program: str | None

    def can_speak(self, lang: str) -> bool: ...

    def say(self, text: str, lang: str) -> None: ...

    def stop(self) -> None: ...


class Update(StrEnum):
    """What changed, for the shell to redraw."""

    SCREEN = "screen"  # another screen shows, or the current one's view changed
    HOME = "home"  # the home screen's view (schedule, clock)
    TIP = "tip"  # another tip (cross-fade)
    LANGUAGE = "language"  # fonts, access controls, every word
    TEXT_SIZE = "text_size"
    LOOK = "look"  # theme or fonts (a new config)
    CHOOSER = "chooser"  # the language chooser opens, closes or changes
    BUTTONS = "buttons"  # the check-in and resources buttons
    MARKER = "marker"  # the neutral mark for staff
    SAVING = "saving"  # a check-in is being written (the bench probe times it)
    NIGHT = "night"  # night mode begins or ends
    ALERT = "alert"  # an alert began or ended: the band across the top of the screen
    EXIT = "exit"  # staff asked the kiosk to stop


@dataclass(frozen=True)
class ButtonsView:
    checkin: str  # "Check in"; "Check in again in 4 s" while it rests; or when it opens
    checkin_enabled: bool
    resting: bool
    resources: str
    has_resources: bool
    checkin_open: bool = True  # a group is open for check-in: the main button is filled
    after: str = ""  # "How was group today?": shown while a group's after-group question is open
    after_resting: bool = False


@dataclass(frozen=True)
class ChooserView:
    options: tuple[tuple[str, str, str], ...]  # (code, name in its own script, face name)
    current: str
    heading: str
    close: str


@dataclass(frozen=True)
class LobbyOptions:
    data_dir: Path = Path("data")
    language: str | None = None
    text_size: str = "normal"  # previews show the larger sizes


Listener = Callable[[frozenset[Update]], None]
SpeakerFactory = Callable[[dict[str, str]], Speaker]


def _real_speaker(voices: dict[str, str]) -> Speaker:
    from kiosk.adapters.speech import Speaker as EspeakSpeaker

    return EspeakSpeaker(voices)


class FeedFetcher(Protocol):
    """The calendar feeds' background fetcher (kiosk.adapters.feeds.FeedWorker)."""

    def needs_staff(self, now: float) -> bool: ...
    def fetch_now(self) -> None: ...
    def stop(self) -> None: ...


class SlipPort(Protocol):
    """The receipt printer (kiosk.adapters.printer.SlipPrinter; a fake in tests)."""

    def print(self, settings: Any, slip: Any, done: Callable[[bool], None]) -> None: ...
    def describe(self, settings: Any) -> str: ...
    def report_failures(self) -> None: ...
    def prepare(self) -> None: ...


class Lobby:
    feeds: FeedFetcher | None = None  # set by the composition root of a running kiosk
    printer: SlipPort | None = None  # the same; used only while [printer] is enabled

    def __init__(
        self,
        watcher: ConfigWatcher,
        clock: KioskClock,
        store: Store | None,
        options: LobbyOptions = LobbyOptions(),
        speaker_factory: SpeakerFactory = _real_speaker,
    ) -> None:
        self.watcher = watcher
        self.clock = clock
        self.store = store
        self.options = options
        self._speaker_factory = speaker_factory
        self.speaker: Speaker | None = None
        self.started = time.monotonic()
        self.loaded_at = clock.now()
        self.exit_requested = False
        self.preview_night = False  # previews show night mode at any hour
        self._memory_at, self._memory_mb = clock.now(), health.memory_mb()  # see health.py
        self._listeners: list[Listener] = []
        self._shown_minute: tuple | None = None
        self.schedule = watcher.config.build_schedule()
        self.plan = self._plan_languages()
        self.flow = Flow(
            self._flow_settings(), TipDeck(self.config.tips.tip), clock.seconds(), self._tip_facts
        )
        if options.language and options.language in self.plan.offered:
            self.flow.language = options.language
        self.flow.text_size = TextSize(options.text_size)
        self.flow.pin_gate = pin_store.load_gate(options.data_dir, clock.seconds(), time.time())
        self.open_occurrences: list[Occurrence] = []
        self.after_occurrences: list[Occurrence] = []  # open for the after-group question
        self._after_open: list[Occurrence] = []  # the same, worked out once a minute
        self.night = False
        self.printing = slips.PrintButton(self.config.kiosk.checkin.cooldown_seconds)
        self._print_fault = ""  # a fault in sending a slip, logged with the store's upkeep
        self._alerts = alerts.localize(self.config.alerts.alert, self.config.tz)
        self.live_alerts = alerts.in_force(self._alerts, self.now)
        self.flow.subscribe(self._on_flow)
        self.home: HomeView = self._home_view()
        self._opening = self._checkin_opening()
        self._after_open = self.after_now()
        self.buttons = self._buttons()
        self.marker = bool(self.notice())

    # --- what is published ------------------------------------------------------------------

    @property
    def config(self) -> Config:
        return self.watcher.config

    @property
    def screen(self) -> Screen:
        return self.flow.screen

    @property
    def language(self) -> str:
        return self.flow.language

    @property
    def text_size(self) -> TextSize:
        return self.flow.text_size

    @property
    def now(self) -> datetime:
        return self.clock.now()

    @property
    def tip(self) -> TipView | None:
        return tip_view(self.config, self.flow.tip, self.language, self.flow.deck.can_go_back)

    @property
    def tip_hint(self) -> str:
        return gettext_for(self.language)("Next tip")

    @property
    def controls(self) -> ControlsView:
        return controls_view(self.language)

    @property
    def can_speak(self) -> bool:
        return bool(self.speaker and self.speaker.can_speak(self.language))

    @property
    def face(self) -> str:
        """The registered face for the current language."""
        return self.plan.face(self.language).name

    @property
    def chooser(self) -> ChooserView | None:
        if not self.flow.chooser_open:
            return None
        controls = self.controls
        options = tuple(
            (lang, offer.autonym(lang), self.plan.face(lang).name) for lang in self.plan.offered
        )
        return ChooserView(options, self.language, controls.choose_language, controls.close)

    @property
    def chosen(self) -> list[Occurrence]:
        """The open occurrences on the check-in screen."""
        return [o for o in self.open_occurrences if o.id in self.flow.choices]

    @property
    def band(self) -> alert_views.BandView | None:
        """The alert band to show now: none on the staff screens or on the alert itself;
        on the night screen only an urgent one."""
        if not self.live_alerts or self.screen in STAFF_SCREENS or self.screen == Screen.ALERT:
            return None
        night = self.screen == Screen.QUIET
        return alert_views.band_view(self.config, self.live_alerts, self.language, night)

    @property
    def alert(self) -> alert_views.AlertView | None:
        """The alert the `alert` screen shows."""
        return alert_views.alert_view(
            self.config, self.live_alerts, self.flow.alert_index, self.now, self.language
        )

    @property
    def resource(self) -> Any:
        return {r.id: r for r in self.config.resources.resource}.get(self.flow.resource or "")

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def notice(self) -> str:
        """What staff should know first ("" when all is well); residents see a mark."""
        status = self.watcher.status
        calendars = bool(self.schedule.calendar_errors)
        feeds = self.feeds is not None and self.feeds.needs_staff(time.time())
        return staff_notice(status.ok, status.origin, self.store is not None, calendars, feeds)

    def open_now(self) -> list[Occurrence]:
        """The occurrences a resident can check in to now."""
        return checkins.open_now(self.schedule, self.now, self.config.kiosk.checkin)

    def after_now(self) -> list[Occurrence]:
        """The occurrences whose after-group question is open now (none if it is off or
        check-ins cannot be stored)."""
        if self.store is None:
            return []
        return after_group.open_now(self.schedule, self.now, self.config.kiosk.after_group)

    @property
    def after_chosen(self) -> list[Occurrence]:
        """The occurrences on the after-choose screen."""
        return [o for o in self.after_occurrences if o.id in self.flow.after_choices]

    def shift(self, width: float, height: float) -> tuple[int, int]:
        """How far to move the whole layout now, against burn-in."""
        return burn_in_shift(self.now.timestamp(), width, height)

    # --- inputs -------------------------------------------------------------------------------

    def touched(self) -> None:
        self.flow.touched(self.clock.seconds())

    def tap_tip(self) -> None:
        self.flow.tap_tip(self.clock.seconds())

    def tap_previous_tip(self) -> None:
        self.flow.tap_previous_tip(self.clock.seconds())

    def tap_checkin(self) -> None:
        self.open_occurrences = self.open_now()
        self.flow.tap_checkin(self.clock.seconds(), [o.id for o in self.open_occurrences])

    def confirm(self, occurrence_id: str) -> None:
        still_open = any(o.id == occurrence_id for o in self.open_now())
        self.flow.confirm(occurrence_id, self.clock.seconds(), still_open)

    def answer_mood(self, mood: Mood) -> None:
        self.flow.answer_mood(mood, self.clock.seconds())

    def answer_first(self, answer: FirstTime) -> None:
        self.flow.answer_first(answer, self.clock.seconds())

    def answer_face(self, question: str, face: Any) -> None:
        """A face or Skip on one of the face screens: `question` is "mood" or "after"."""
        if question == "after":
            self.flow.answer_after(face, self.clock.seconds())
        else:
            self.answer_mood(face)

    def tap_aftergroup(self) -> None:
        self.after_occurrences = self.after_now()
        if not self.after_occurrences and self._after_open:  # it closed since the minute
            self._after_open = []
            self.buttons = self._buttons()
            self._emit({Update.BUTTONS})
        self.flow.tap_aftergroup(self.clock.seconds(), [o.id for o in self.after_occurrences])

    def choose_after(self, occurrence_id: str) -> None:
        self.flow.choose_after(occurrence_id, self.clock.seconds())

    def go_home(self) -> None:
        self.flow.go_home(self.clock.seconds())

    def go_back(self) -> None:
        self.flow.go_back(self.clock.seconds())

    def open_week(self) -> None:
        self.flow.open_week(self.clock.seconds())

    def open_resources(self) -> None:
        self.flow.open_resources(self.clock.seconds())

    def open_resource(self, resource_id: str) -> None:
        self.flow.open_resource(resource_id, self.clock.seconds())

    def wake(self) -> None:
        self.flow.wake(self.clock.seconds())

    @property
    def can_print(self) -> bool:
        return self.printer is not None and self.config.kiosk.printer.enabled

    def prepare_printer(self) -> None:
        """With a printer enabled, ready its library now (at start or at a config change),
        not at a resident's first tap."""
        if self.can_print:
            assert self.printer is not None
            self.printer.prepare()

    def print_slip(self) -> None:
        """`resource.print`: one slip of the resource on screen, in the resident's language.
        The print runs elsewhere; the button says how it went, then rests."""
        t = self.clock.seconds()
        self.flow.touched(t)
        resource = self.resource
        if not (self.can_print and self.screen == Screen.RESOURCE and resource is not None):
            return
        if not self.printing.tap(t):
            return
        assert self.printer is not None
        self._emit({Update.SCREEN})
        shown = resource.id

        def printed(ok: bool) -> None:
            # Said on the screen it was printed from; elsewhere the button is just ready.
            here = self.screen == Screen.RESOURCE and self.flow.resource == shown
            self.printing.done(ok, self.clock.seconds(), shown=here)
            if here:
                self._emit({Update.SCREEN})

        try:
            slip = slips.slip_for(self.config, resource, self.language)
            self.printer.print(self.config.kiosk.printer, slip, printed)
        except Exception as exc:  # the button must never stay on "Printing…"
            self._print_fault = f"{type(exc).__name__}: {exc}"[:300]  # logged later
            printed(False)

    def open_alert(self) -> None:
        self.flow.open_alert(self.clock.seconds(), len(self.live_alerts))

    def next_alert(self) -> None:
        self.flow.next_alert(self.clock.seconds(), len(self.live_alerts))

    def open_staff_pin(self) -> None:
        enabled = bool(self.config.kiosk.staff.pin_hash)
        self.flow.open_staff_pin(self.clock.seconds(), enabled)

    def pin_digit(self, digit: str) -> None:
        self.flow.pin_digit(digit, self.clock.seconds())

    def pin_clear(self) -> None:
        self.flow.pin_clear(self.clock.seconds())

    def submit_pin(self) -> None:
        stored = self.config.kiosk.staff.pin_hash
        t = self.clock.seconds()
        self.flow.submit_pin(t, lambda typed: pin.verify_pin(typed, stored))
        try:  # a restart must not clear a lockout
            pin_store.save_gate(self.options.data_dir, self.flow.pin_gate, t, time.time())
        except OSError:
            log.exception("Cannot keep the staff PIN lockout in %s", self.options.data_dir)

    def staff_reload(self) -> None:
        """Read the config files again now, even if they look unchanged."""
        self.flow.touched(self.clock.seconds())
        if self.feeds is not None:
            self.feeds.fetch_now()  # the copies they bring load at the next poll
        self.watcher.reload()
        self._apply_config()
        self._emit({Update.SCREEN})

    def staff_exit(self) -> None:
        """Ask first: stopping leaves the lobby without its screen until a restart."""
        self.flow.ask_exit(self.clock.seconds())

    def staff_exit_confirm(self) -> None:
        """Stop, and say so, so the service manager leaves the kiosk stopped."""
        if not self.flow.confirm_exit(self.clock.seconds()):
            return
        log.info("Stopped from the staff panel")
        self.exit_requested = True
        self._emit({Update.EXIT})

    def open_languages(self) -> None:
        self.flow.open_languages(self.clock.seconds())

    def choose_language(self, lang: str) -> None:
        self.flow.choose_language(lang, self.clock.seconds())

    def cycle_text_size(self) -> None:
        self.flow.cycle_text_size(self.clock.seconds())

    def read_aloud(self) -> None:
        """Say, in the chosen language, the alert on the alert screen; elsewhere any urgent
        alert, then the tip on screen and the next group."""
        if not (self.speaker and self.can_speak):
            return
        now, lang = self.now, self.language
        alert = self.alert
        if self.screen == Screen.ALERT and alert is not None:
            self.speaker.say(alert_views.spoken(alert), lang)
            return
        t = Texts(self.config, lang)
        urgent = [t(a.text) for a in self.live_alerts if a.level == "urgent"]
        text = spoken_text(self.config, self.flow.tip, self.schedule.next_meeting(now), now, lang)
        self.speaker.say("\n".join([*urgent, text]), lang)

    def show_for_preview(self, name: str, resource_id: str | None = None) -> None:
        """Any screen with what it would show at this time. If nothing is open for
        check-in, `checkin` shows the next meeting, so its layout can still be seen."""
        self.preview_night = name == Screen.QUIET.value  # night mode at any hour
        self.flow.resource = resource_id
        following = self.schedule.next_meeting(self.now)
        self.open_occurrences = self.open_now() or ([following] if following else [])
        # The after-group screens show the groups that just ended, or else the next one
        # (set before the screen is drawn).
        self.after_occurrences = self.after_now() or self.open_occurrences
        self.flow.after_choices = tuple(o.id for o in self.after_occurrences)
        self.flow.after_chosen = self.flow.after_choices[0] if self.flow.after_choices else None
        self.flow.arrived = 3 if name == Screen.AFTER_NOW.value else None
        self.flow.show_for_preview(
            Screen(name), [o.id for o in self.open_occurrences], self.clock.seconds()
        )

    # --- timers (the shell calls these on its clock) ------------------------------------------

    def tick(self) -> None:
        """Every second: tips, timeouts, idle return, night mode, the minute on home."""
        try:
            self.flow.tick(self.clock.seconds(), quiet=self._quiet_now())
            self._check_alerts()
            if self.printing.tick(self.clock.seconds()) and self.screen == Screen.RESOURCE:
                self._emit({Update.SCREEN})
            buttons = self._buttons()  # the rest after a check-in counts down by the second
            changes = {Update.BUTTONS} if buttons != self.buttons else set()
            self.buttons = buttons
            now = self.now
            if (now.date(), now.hour, now.minute) != self._shown_minute:
                changes |= self._refresh_home()
                if self.flow.screen == Screen.QUIET:  # the night clock shows the minute
                    changes.add(Update.SCREEN)
            self._emit(changes)
        except Exception:  # keep the last good screen up; the log says what went wrong
            log.exception("Fault while updating the screen")

    def poll_config(self) -> None:
        try:
            if self.watcher.poll():
                self._apply_config()
        except Exception:
            log.exception("Fault while applying a config change; the screen keeps the last one")

    def refresh_store(self) -> None:
        """Every few minutes: the store's upkeep, and what failed since, said only now."""
        if self.store:
            self.store.refresh(self.now.date())
        if self.printer is not None:
            self.printer.report_failures()
        if self._print_fault:  # (not when it happened: that would mark a resident's tap)
            log.error("A slip could not be sent to the printer recently: %s", self._print_fault)
            self._print_fault = ""

    def heartbeat(self) -> None:
        """Tell `kiosk status` this kiosk is alive (the present state only: nothing that
        changes when a resident uses the screen)."""
        status = self.watcher.status
        now = self.now
        if health.memory_due(self._memory_at, now):
            self._memory_at, self._memory_mb = now, health.memory_mb()
        beat = health.Heartbeat(
            time=health.now_text(),  # real time, even on a simulated clock: is it alive?
            version=__version__,
            pid=os.getpid(),
            uptime_seconds=int(time.monotonic() - self.started),
            config_ok=status.ok,
            config_origin=status.origin,
            config_errors=len(status.errors),
            store_ok=bool(self.store and self.store.store_ok),
            memory_mb=self._memory_mb,
            config_commit=self.watcher.version.get("commit", ""),
            config_applied=self.watcher.version.get("applied", ""),
        )
        try:
            health.write(self.options.data_dir, beat)
        except OSError:
            log.exception("Cannot write the heartbeat in %s", self.options.data_dir)

    def night_fell(self) -> None:
        """The shell reports the quiet screen fully shown: the window may go black."""
        night = self.flow.screen == Screen.QUIET
        if night != self.night:
            self.night = night
            self._emit({Update.NIGHT})

    def close(self) -> None:
        if self.feeds is not None:
            self.feeds.stop()
        if self.store:
            self.store.close()
        if self.speaker:
            self.speaker.stop()

    # --- internals ------------------------------------------------------------------------------

    def _emit(self, changes: set[Update]) -> None:
        if changes:
            frozen = frozenset(changes)
            for listener in list(self._listeners):
                listener(frozen)

    def _flow_settings(self) -> FlowSettings:
        k = self.config.kiosk
        return FlowSettings(
            k.timing.tip_seconds,
            k.timing.idle_seconds,
            self.plan.default,
            tuple(self.plan.offered),
            mood_question=k.checkin.mood_question,
            first_time_question=k.checkin.first_time_question,
            cooldown_seconds=k.checkin.cooldown_seconds,
        )

    def _plan_languages(self) -> offer.LanguagePlan:
        """The languages this machine's fonts can show; the log says why any is left out."""
        plan = offer.plan(self.config.languages)
        for lang, why in plan.refused.items():
            log.warning("Language %s is not offered: %s", lang, why)
        access = self.config.kiosk.accessibility
        if self.speaker:
            self.speaker.stop()
            self.speaker = None
        if access.read_aloud:
            self.speaker = self._speaker_factory(access.voices)
            if not self.speaker.program:
                log.warning("read_aloud is on, but espeak-ng is not installed: no speaker button")
        return plan

    def _tip_facts(self, tip: Any, language: str) -> tuple[str, bool]:
        return tip.text.get(language, self.config.default_language), tip.link is not None

    def _quiet_now(self) -> bool:
        if self.preview_night:
            return True
        hours = self.config.kiosk.display.quiet_hours
        return bool(hours) and in_quiet_hours(self.now, hours.start, hours.end)

    def _check_alerts(self) -> None:
        """Alerts begin and end on the second (every alert ends by itself, no restart)."""
        live = alerts.in_force(self._alerts, self.now)
        if live == self.live_alerts:
            return
        self.live_alerts = live
        self._emit({Update.ALERT})
        self.flow.alerts_changed(self.clock.seconds(), len(live))

    def _apply_config(self) -> None:
        self.loaded_at = self.now
        self.clock.tz = self.config.tz
        self._alerts = alerts.localize(self.config.alerts.alert, self.config.tz)
        self._check_alerts()
        self.schedule = self.config.build_schedule()
        if cjk_subset.copy_in_use():  # no character dropped for the smaller font's sake
            cjk_subset.keep_covering(cjk_subset.texts_of(self.config))
        self.plan = self._plan_languages()
        self.flow.reconfigure(self._flow_settings(), self.config.tips.tip, self.clock.seconds())
        self.printing.rest_seconds = self.config.kiosk.checkin.cooldown_seconds
        self.prepare_printer()
        self._emit({Update.LOOK, Update.LANGUAGE, *self._refresh_home()})

    def _home_view(self) -> HomeView:
        now = self.now
        self._shown_minute = (now.date(), now.hour, now.minute)
        upcoming = self.schedule.upcoming(now, days=7)
        following = self.schedule.next_meeting(now)
        return home_view(self.config, upcoming, now, self.language, following)

    def _refresh_home(self) -> set[Update]:
        """The home view, the buttons and the staff mark, redone: what of them changed."""
        changes = set()
        self._opening = self._checkin_opening()
        self._after_open = self.after_now()
        home, buttons, marker = self._home_view(), self._buttons(), bool(self.notice())
        if home != self.home:
            self.home = home
            changes.add(Update.HOME)
        if buttons != self.buttons:
            self.buttons = buttons
            changes.add(Update.BUTTONS)
        if marker != self.marker:
            self.marker = marker
            changes.add(Update.MARKER)
        return changes

    def _buttons(self) -> ButtonsView:
        """Home's two buttons. While no group is open, "Check in" says when it opens
        instead, and gives Resources the lead: no main button that leads to a no."""
        _ = gettext_for(self.language)
        rest = math.ceil(self.flow.cooldown_left(self.clock.seconds()))
        is_open, opens = self._opening
        label = _("Check in")
        if rest > 0:
            label = _("Check in again in {n} s").format(n=rest)
        elif not is_open and opens:
            label = opens
        after_rest = math.ceil(self.flow.after_cooldown_left(self.clock.seconds()))
        after = ""
        if after_rest > 0:
            after = _("Thank you. Again in {n} s").format(n=after_rest)
        elif self._after_open:
            after = _("How was group today?")
        # Right after a group, "How was group today?" takes the place of a check-in that
        # would only say when check-in opens next.
        checkin_shown = is_open or rest > 0 or not after
        return ButtonsView(
            checkin=label,
            checkin_enabled=self.config.kiosk.checkin.enabled
            and self.store is not None
            and checkin_shown,
            resting=rest > 0,
            resources=_("Resources"),
            has_resources=bool(self.config.resources.resource),
            checkin_open=is_open or rest > 0,
            after=after,
            after_resting=after_rest > 0,
        )

    def _checkin_opening(self) -> tuple[bool, str]:
        """Whether a group is open for check-in, and if not, when check-in opens in words.
        Worked out once a minute (on home's refresh), not on each second's tick."""
        settings = self.config.kiosk.checkin
        if self.open_now():
            return True, ""
        following = checkins.next_opening(self.schedule, self.now, settings)
        if following is None:
            return False, ""
        opens = checkins.window(following, settings)[0].astimezone(self.clock.tz)
        return False, opens_text(opens, self.now, self.language, short=True)

    def _on_flow(self, changes: frozenset[Change]) -> None:
        """Turn the flow's changes into updates for the shell, and do what they ask."""
        updates: set[Update] = set()
        if Change.TEXT_SIZE in changes:
            updates.add(Update.TEXT_SIZE)
        if Change.LANGUAGE in changes:
            if self.speaker:
                self.speaker.stop()  # not another language's voice over the new words
            updates |= {Update.LANGUAGE, Update.BUTTONS, Update.ALERT, *self._refresh_home()}
            updates.add(Update.HOME)
        if Change.CONFIG in changes or Change.EXIT_ASKED in changes:
            updates.add(Update.SCREEN)
        if Change.TIP in changes:
            updates.add(Update.TIP)
        if Change.SAVE in changes and self.flow.pending and self.store:
            pending = self.flow.pending
            updates.add(Update.SAVING)
            self.store.save(pending, lambda ok, pending=pending: self._saved(pending, ok))
        if Change.COOLDOWN in changes:
            updates.add(Update.BUTTONS)
            self.buttons = self._buttons()
        if Change.SCREEN in changes:
            updates.add(Update.SCREEN)
            self.printing.reset()  # a slip's "printed" belongs to the screen it was printed on
            if self.speaker:
                self.speaker.stop()
            if self.flow.screen == Screen.RESOURCE and self.resource is None:
                self.flow.go_back(self.clock.seconds())  # gone in a config reload
                return
            if self.flow.screen != Screen.QUIET and self.night:
                self.night = False  # (night falls once the quiet screen has faded in)
                updates.add(Update.NIGHT)
        if Change.CHOOSER in changes or Change.LANGUAGE in changes:
            updates.add(Update.CHOOSER)
        if Change.PIN in changes and self.flow.screen == Screen.STAFF_PIN:
            updates.add(Update.SCREEN)
        self._emit(updates)

    def _saved(self, pending: PendingSave, ok: bool) -> None:
        self.flow.saved(self.clock.seconds(), ok, pending)

    # --- what the staff panel shows --------------------------------------------------------

    def staff_facts(self) -> dict[str, Any]:
        """The staff panel's inputs, gathered (see kiosk.screens)."""
        from kiosk.adapters.storage import load_tallies

        folder, now = self.options.data_dir, self.now
        try:
            tallies = load_tallies(folder)
        except Exception:  # the panel must open even if the data cannot be read
            log.exception("The staff panel cannot read the check-in data")
            tallies = []
        today = now.date()
        week = {(today - timedelta(days=n)).isoformat() for n in range(7)}
        tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        status = self.watcher.status
        return {
            "origin": status.origin,
            "notice": self.notice(),
            "issues": [str(i).splitlines()[0] for i in (*status.errors, *status.warnings)],
            "resources_due": len(freshness.due(self.config.resources.resource, today)),
            "loaded_at": self.loaded_at,
            "today": sum(t.checkins for t in tallies if t.day == today.isoformat()),
            "week": sum(t.checkins for t in tallies if t.day in week),
            "uptime": time.monotonic() - self.started,
            "memory_mb": health.memory_mb(),
            "tomorrow": [
                o
                for o in self.schedule.upcoming(tomorrow, days=1)
                if o.start.date() == tomorrow.date()
            ],
        }
