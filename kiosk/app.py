"""KioskApp: wires the core (config, schedule, flow) to Kivy widgets and timers."""

from __future__ import annotations

import gc
import logging
import math
import os
import signal
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import LabelBase
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.floatlayout import FloatLayout

from kiosk import (
    __version__,
    checkins,
    display,
    fonts,
    health,
    languages,
    shell_env,
    staff,
    theme,
)
from kiosk.bench_probe import BenchProbe
from kiosk.clock import KioskClock
from kiosk.config import freshness
from kiosk.config.watch import ConfigWatcher
from kiosk.flow import Change, Flow, FlowSettings, Screen, TextSize
from kiosk.i18n import gettext_for
from kiosk.saver import Saver
from kiosk.screen_care import burn_in_shift, in_quiet_hours
from kiosk.screens.checkin import CheckinScreen
from kiosk.screens.chooser import LanguageChooser, LanguageOption
from kiosk.screens.closed import ClosedScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.mood import MoodScreen
from kiosk.screens.quiet import QuietScreen
from kiosk.screens.resources import ResourceScreen, ResourcesScreen
from kiosk.screens.staff import StaffPinScreen, StaffScreen
from kiosk.screens.thanks import ThanksScreen
from kiosk.speech import Speaker
from kiosk.storage import CheckinStore, DataFolderInUse
from kiosk.tips import TipDeck
from kiosk.views import (
    checkin_view,
    closed_view,
    controls_view,
    home_view,
    mood_view,
    quiet_view,
    resource_view,
    resources_view,
    spoken_text,
    staff_notice,
    staff_pin_view,
    staff_view,
    thanks_view,
    tip_view,
)
from kiosk.widgets import buttons, fit, qr_image, tip_card  # noqa: F401  (registers kv classes)
from kiosk.widgets.qr_image import clear_textures
from kiosk.widgets.screens import Screens

log = logging.getLogger(__name__)

KV_FILES = (
    "widgets/widgets.kv",
    "screens/home.kv",
    "screens/checkin.kv",
    "screens/resources.kv",
    "screens/chooser.kv",
    "screens/staff.kv",
    "screens/quiet.kv",
)
HEARTBEAT_SECONDS = health.INTERVAL_SECONDS
# `kiosk run` exits with this after "Exit kiosk" on the staff panel; the systemd unit
# does not restart on it (RestartPreventExitStatus).
EXIT_STOPPED_BY_STAFF = 4
SHIFT_CHECK_SECONDS = 10.0  # how often the burn-in shift looks whether it is time to move
TICK_SECONDS = 1.0
FREEZE_AFTER_SECONDS = 3.0  # after the first frames, when start-up's objects are all made
CONFIG_POLL_SECONDS = 2.0  # a saved config change shows within this (plus a tick)
# The check-in file is rewritten this often, so its times show this clock, not a check-in.
STORE_REFRESH_SECONDS = 300.0


@dataclass(frozen=True)
class AppOptions:
    data_dir: Path = Path("data")
    kiosk_mode: bool = False
    language: str | None = None
    text_size: str = "normal"  # previews can show the larger sizes
    # A run on a real screen (not a replay, preview or test): the window fits the screen
    # and stop signals end the app.
    interactive: bool = False


def flow_settings(watcher: ConfigWatcher, plan: languages.LanguagePlan) -> FlowSettings:
    k = watcher.config.kiosk
    return FlowSettings(
        k.timing.tip_seconds,
        k.timing.idle_seconds,
        plan.default,
        tuple(plan.offered),
        mood_question=k.checkin.mood_question,
        cooldown_seconds=k.checkin.cooldown_seconds,
    )


class KioskRoot(FloatLayout):
    """The window's root: every touch first restarts the idle timer."""

    def on_touch_down(self, touch) -> bool:
        App.get_running_app().touched()
        return super().on_touch_down(touch)


class KioskApp(App):
    # Layout unit (pixels per 1/1080 of the short screen side) and text unit (layout unit
    # times the resident's text size). The .kv files size everything in these.
    u = NumericProperty(1.0)
    t = NumericProperty(1.0)
    target = NumericProperty(96.0)  # the least height of a tap target, in pixels
    portrait = BooleanProperty(False)
    colors = DictProperty({})
    checkin_enabled = BooleanProperty(False)
    checkin_label = StringProperty("")
    resources_label = StringProperty("")
    has_resources = BooleanProperty(False)
    cooldown = NumericProperty(0)  # whole seconds the check-in button still rests
    # The face for the current language, and the language button's (it has every script).
    font_name = StringProperty("Body")
    language_button_text = StringProperty("")
    language_button_font = StringProperty("Body")
    controls = ObjectProperty(None, allownone=True, rebind=True)  # ControlsView
    can_speak = BooleanProperty(False)  # read-aloud is on and has a voice for this language
    text_level = NumericProperty(1)  # 1 normal, 2 large, 3 extra large
    night = BooleanProperty(False)  # night mode is showing

    def on_night(self, *_args) -> None:
        self._paint_edges()

    def on_colors(self, *_args) -> None:
        self._paint_edges()

    def _paint_edges(self) -> None:
        """The window's clear colour is the background of every screen (and fills the edge
        the burn-in shift uncovers): a clear costs far less than a painted layer."""
        if self.colors:
            Window.clearcolor = self.colors["night_background" if self.night else "background"]

    def __init__(self, watcher: ConfigWatcher, clock: KioskClock, options: AppOptions) -> None:
        super().__init__()
        self.title = "Lobby kiosk"
        self.watcher = watcher
        self.clock = clock
        self.options = options
        self.use_kivy_settings = False
        self._events: list = []
        self._shown_minute = None
        self.schedule = watcher.config.build_schedule()
        self.open_occurrences: list = []
        self.icons = dict(theme.ICONS)
        self.speaker: Speaker | None = None
        self.plan = self._plan_languages()
        self.started = time.monotonic()
        self.exit_code = 0
        self.probe = BenchProbe.from_env()
        self._night_preview = False
        self.config_loaded_at = clock.now()
        self._memory_at, self._memory_mb = clock.now(), health.memory_mb()  # see health.py
        self.saver = self._open_store(options.data_dir)
        self._apply_theme()

    def _open_store(self, folder: Path) -> Saver | None:
        """The check-in store, or None (check-in off, staff marker on) if it cannot open.
        A folder held by another kiosk is not such a case: that is for the caller."""
        try:
            store = CheckinStore(folder, today=self.clock.now().date())
        except DataFolderInUse:
            raise
        except Exception:
            log.exception("The check-in data in %s cannot be opened; check-in is off", folder)
            return None
        return Saver(store, lambda fn: Clock.schedule_once(lambda _dt: fn(), 0))

    # --- Kivy lifecycle ---------------------------------------------------------------------

    def build(self) -> KioskRoot:
        for face in fonts.available_faces():
            bold = str(face.bold) if face.bold else None
            LabelBase.register(face.name, fn_regular=str(face.regular), fn_bold=bold)
        if theme.ICON_FONT.exists():
            LabelBase.register("Icons", fn_regular=str(theme.ICON_FONT))
        else:  # icons go, words stay
            log.warning("Icon font missing (%s): showing words only", theme.ICON_FONT)
            LabelBase.register("Icons", fn_regular=str(fonts.latin_face().regular))
            self.icons = dict.fromkeys(theme.ICONS, "")
        for kv in KV_FILES:
            path = str(Path(__file__).parent / kv)
            if path not in Builder.files:  # rules load once per process, however many apps
                Builder.load_file(path)
        config = self.watcher.config
        self.flow = Flow(
            flow_settings(self.watcher, self.plan), TipDeck(config.tips.tip), self.clock.seconds()
        )
        if self.options.language and self.options.language in self.plan.offered:
            self.flow.language = self.options.language
        self.flow.text_size = TextSize(self.options.text_size)
        self.flow.pin_gate = staff.load_gate(
            self.options.data_dir, self.clock.seconds(), time.time()
        )
        self.flow.subscribe(self._on_flow_change)
        self._apply_language()

        self.screens = Screens()
        self.home = HomeScreen(name=Screen.HOME.value)
        self.checkin = CheckinScreen(name=Screen.CHECKIN.value)
        self.closed = ClosedScreen(name=Screen.CLOSED.value)
        self.mood = MoodScreen(name=Screen.MOOD.value)
        self.thanks = ThanksScreen(name=Screen.THANKS.value)
        self.resources = ResourcesScreen(name=Screen.RESOURCES.value)
        self.resource = ResourceScreen(name=Screen.RESOURCE.value)
        self.staff_pin = StaffPinScreen(name=Screen.STAFF_PIN.value)
        self.staff = StaffScreen(name=Screen.STAFF.value)
        self.quiet = QuietScreen(name=Screen.QUIET.value)
        for screen in (
            self.home,
            self.checkin,
            self.closed,
            self.mood,
            self.thanks,
            self.resources,
            self.resource,
            self.staff_pin,
            self.staff,
            self.quiet,
        ):
            self.screens.add_widget(screen)
        self.home.ids.tip.on_tap = self.tap_tip
        self.quiet.bind(on_enter=self._night_falls)
        self.chooser = LanguageChooser()
        self.root_layout = root = KioskRoot()
        root.add_widget(self.screens)

        if self.options.interactive and not self.options.kiosk_mode:
            Window.size = display.fit(tuple(Window.size), display.usable_size())
        Window.bind(size=self._on_resize)
        self._on_resize(Window, Window.size)
        self._refresh(animate=False)
        return root

    def on_start(self) -> None:
        if self.options.kiosk_mode:
            shell_env.drop_sdl_touch()
        if self.probe:
            Window.bind(on_flip=self.probe.flipped)
        self._events = [
            Clock.schedule_interval(self._tick, TICK_SECONDS),
            Clock.schedule_interval(self._poll_config, CONFIG_POLL_SECONDS),
            Clock.schedule_interval(self._refresh_store, STORE_REFRESH_SECONDS),
            Clock.schedule_interval(self._heartbeat, HEARTBEAT_SECONDS),
            Clock.schedule_interval(self._shift, SHIFT_CHECK_SECONDS),
        ]
        self._refresh_store(0)
        self._heartbeat(0)
        self._shift(0)
        Clock.schedule_once(self._freeze_startup_objects, FREEZE_AFTER_SECONDS)
        if self.options.kiosk_mode:
            Window.bind(on_request_close=self._refuse_close)
        if self.options.interactive:
            self._stop_on_signals()
        log.info("Kiosk started on config %s", self.watcher.folder)

    def on_stop(self) -> None:
        for event in self._events:
            event.cancel()
        self._events.clear()
        if self.saver:
            self.saver.close()
        if self.speaker:
            self.speaker.stop()
        if self.probe:
            Window.unbind(on_flip=self.probe.flipped)
            self.probe.close()
        Window.unbind(size=self._on_resize, on_request_close=self._refuse_close)

    def _night_falls(self, *_args) -> None:
        """The window turns black behind the quiet screen only when it fully shows: the
        screen before it fades out on its own background, not on black."""
        self.night = self.flow.screen == Screen.QUIET

    @staticmethod
    def _freeze_startup_objects(_dt: float) -> None:
        """Everything built at start-up (modules, config, widgets) lives as long as the
        app: keep the garbage collector from walking it again on every full collection.
        That walk took up to 70 ms, long enough to delay a check-in's thanks. (Not undone
        on stop: in a process that starts many apps, the test suite, the frozen leftovers
        of earlier apps keep each later collection short too.)"""
        gc.collect()
        gc.freeze()

    @staticmethod
    def _refuse_close(*_args, **_kwargs) -> bool:
        return True  # kiosk mode: only the staff panel exits

    def _stop_on_signals(self) -> None:
        """A service manager's stop (SIGTERM) or Ctrl-C ends the app cleanly, even in kiosk
        mode, where SDL would otherwise turn them into a close request that is refused."""

        def handle(signum: int, _frame) -> None:
            log.info("Stopping on signal %s", signal.Signals(signum).name)
            Clock.schedule_once(lambda _dt: self.stop(), 0)

        # SIGHUP too: xinit sends it when the X session ends.
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, handle)

    def open_settings(self, *_args) -> bool:
        return False  # no Kivy settings panel (F1) on a lobby screen

    # --- inputs -----------------------------------------------------------------------------

    def touched(self) -> None:
        self.flow.touched(self.clock.seconds())

    def tap_tip(self) -> None:
        self.flow.tap_tip(self.clock.seconds())

    def tap_checkin(self) -> None:
        settings = self.watcher.config.kiosk.checkin
        self.open_occurrences = checkins.open_now(self.schedule, self.clock.now(), settings)
        self.flow.tap_checkin(self.clock.seconds(), [o.id for o in self.open_occurrences])

    def confirm(self, occurrence_id: str) -> None:
        if self.probe:
            self.probe.checkin_tapped()
        settings = self.watcher.config.kiosk.checkin
        still_open = any(
            o.id == occurrence_id
            for o in checkins.open_now(self.schedule, self.clock.now(), settings)
        )
        self.flow.confirm(occurrence_id, self.clock.seconds(), still_open)

    def answer_mood(self, mood) -> None:
        self.flow.answer_mood(mood, self.clock.seconds())

    def go_home(self) -> None:
        self.flow.go_home(self.clock.seconds())

    def go_back(self) -> None:
        self.flow.go_back(self.clock.seconds())

    def open_resources(self) -> None:
        self.flow.open_resources(self.clock.seconds())

    def open_resource(self, resource_id: str) -> None:
        self.flow.open_resource(resource_id, self.clock.seconds())

    def wake(self) -> None:
        self.flow.wake(self.clock.seconds())

    def open_staff_pin(self) -> None:
        enabled = bool(self.watcher.config.kiosk.staff.pin_hash)
        self.flow.open_staff_pin(self.clock.seconds(), enabled)

    def pin_digit(self, digit: str) -> None:
        self.flow.pin_digit(digit, self.clock.seconds())

    def pin_clear(self) -> None:
        self.flow.pin_clear(self.clock.seconds())

    def submit_pin(self) -> None:
        stored = self.watcher.config.kiosk.staff.pin_hash
        t = self.clock.seconds()
        self.flow.submit_pin(t, lambda pin: staff.verify_pin(pin, stored))
        try:  # a restart must not clear a lockout
            staff.save_gate(self.options.data_dir, self.flow.pin_gate, t, time.time())
        except OSError:
            log.exception("Cannot keep the staff PIN lockout in %s", self.options.data_dir)

    def staff_reload(self) -> None:
        """Read the config files again now, even if they look unchanged."""
        self.flow.touched(self.clock.seconds())
        self.watcher.reload()
        self._apply_config()
        self._show_screen()

    def staff_exit(self) -> None:
        """Stop, and say so in the exit code, so the service manager leaves it stopped."""
        log.info("Stopped from the staff panel")
        self.exit_code = EXIT_STOPPED_BY_STAFF
        self.stop()

    def open_languages(self) -> None:
        self.flow.open_languages(self.clock.seconds())

    def choose_language(self, lang: str) -> None:
        self.flow.choose_language(lang, self.clock.seconds())

    def cycle_text_size(self) -> None:
        self.flow.cycle_text_size(self.clock.seconds())

    def read_aloud(self) -> None:
        """Say the tip on screen and the next group, in the chosen language."""
        if not (self.speaker and self.can_speak):
            return
        now, tip = self.clock.now(), self.flow.tip
        text = spoken_text(
            self.watcher.config, tip, self.schedule.next_meeting(now), now, self.flow.language
        )
        self.speaker.say(text, self.flow.language)

    def show_for_preview(self, name: str, resource_id: str | None = None) -> None:
        """Any screen with what it would show at this time. If nothing is open for
        check-in, `checkin` shows the next meeting, so its layout can still be seen."""
        now = self.clock.now()
        self._night_preview = name == Screen.QUIET.value  # night mode at any hour
        self.flow.resource = resource_id
        self.open_occurrences = checkins.open_now(
            self.schedule, now, self.watcher.config.kiosk.checkin
        ) or [o for o in [self.schedule.next_meeting(now)] if o]
        self.flow.show_for_preview(
            Screen(name), [o.id for o in self.open_occurrences], self.clock.seconds()
        )

    # --- time and config --------------------------------------------------------------------

    def _tick(self, _dt: float) -> None:
        try:
            self._advance()
        except Exception:  # keep the last good screen up; the log says what went wrong
            log.exception("Fault while updating the screen")

    def _advance(self) -> None:
        self.flow.tick(self.clock.seconds(), quiet=self._quiet_now())
        self._update_cooldown()
        now = self.clock.now()
        if (now.date(), now.hour, now.minute) != self._shown_minute:
            self._refresh_schedule()
            if self.flow.screen == Screen.QUIET:  # the night clock shows the minute
                following = self.schedule.next_meeting(now)
                self.quiet.show(quiet_view(self.watcher.config, following, now, self.flow.language))

    def _poll_config(self, _dt: float) -> None:
        try:
            self._reload()
        except Exception:
            log.exception("Fault while applying a config change; the screen keeps the last one")

    def _quiet_now(self) -> bool:
        hours = self.watcher.config.kiosk.display.quiet_hours
        if self._night_preview:
            return True
        return bool(hours) and in_quiet_hours(self.clock.now(), hours.start, hours.end)

    def _heartbeat(self, _dt: float) -> None:
        """Tell `kiosk status` this kiosk is alive (the present state only)."""
        status = self.watcher.status
        now = self.clock.now()
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
            store_ok=bool(self.saver and self.saver.store_ok),
            memory_mb=self._memory_mb,
        )
        try:
            health.write(self.options.data_dir, beat)
        except OSError:
            log.exception("Cannot write the heartbeat in %s", self.options.data_dir)

    def _shift(self, _dt: float) -> None:
        """Move the whole layout a few pixels now and then, against burn-in."""
        width, height = Window.size
        dx, dy = burn_in_shift(self.clock.now().timestamp(), width, height)
        self.screens.pos = (self.root_layout.x + dx, self.root_layout.y + dy)

    def _reload(self) -> None:
        if not self.watcher.poll():
            return
        self._apply_config()

    def _apply_config(self) -> None:
        self.config_loaded_at = self.clock.now()
        clear_textures()
        config = self.watcher.config
        self.clock.tz = config.tz
        self.schedule = config.build_schedule()
        self.plan = self._plan_languages()
        self._apply_theme()
        settings = flow_settings(self.watcher, self.plan)
        self.flow.reconfigure(settings, config.tips.tip, self.clock.seconds())
        self._apply_language()
        self._refresh(animate=False)

    def _apply_theme(self) -> None:
        palette = theme.PALETTES[self.watcher.config.kiosk.display.theme]
        self.colors = {
            name: list(theme.hex_rgba(getattr(palette, name)))
            for name in theme.Palette.__dataclass_fields__
        }

    def _plan_languages(self) -> languages.LanguagePlan:
        """The languages this machine's fonts can show; the log says why any is left out."""
        config = self.watcher.config
        plan = languages.plan(config.languages)
        for lang, why in plan.refused.items():
            log.warning("Language %s is not offered: %s", lang, why)
        access = config.kiosk.accessibility
        if access.read_aloud:
            self.speaker = Speaker(access.voices)
            if not self.speaker.program:
                log.warning("read_aloud is on, but espeak-ng is not installed: no speaker button")
        elif self.speaker:
            self.speaker.stop()
            self.speaker = None
        return plan

    def _apply_language(self) -> None:
        """Fonts, access controls and the chooser for the current language."""
        lang = self.flow.language
        self.font_name = self.plan.face(lang).name
        self.language_button_text = self.plan.button_text
        self.language_button_font = self.plan.button_face.name
        self.controls = controls_view(lang)
        self.can_speak = bool(self.speaker and self.speaker.can_speak(lang))
        if self.speaker:
            self.speaker.stop()  # not another language's voice over the new words

    # --- drawing ----------------------------------------------------------------------------

    def _on_resize(self, _window, size) -> None:
        width, height = size
        self.portrait = height > width
        self.u = min(width, height) / 1080
        self.t = self.u * theme.TEXT_SCALE[TextSize(self.flow.text_size)]
        self.text_level = list(TextSize).index(TextSize(self.flow.text_size)) + 1
        # Never under 48 dp (about 9 mm), even on a small 800x480 screen.
        self.target = max(self.u * theme.MIN_TARGET, dp(theme.MIN_TARGET_DP))

    def _on_flow_change(self, changes: frozenset[Change]) -> None:
        if Change.TEXT_SIZE in changes:
            self._on_resize(Window, Window.size)
        if Change.LANGUAGE in changes:
            self._apply_language()
        if changes & {Change.LANGUAGE, Change.CONFIG}:
            self._refresh(animate=False)
            if self.flow.screen != Screen.HOME and Change.SCREEN not in changes:
                self._show_screen()
        elif Change.TIP in changes:
            if self.probe:
                self.probe.fade_started(tip_card.FADE_SECONDS)
            self._show_tip(animate=True)
        if Change.SAVE in changes and self.flow.pending and self.saver:
            pending = self.flow.pending
            self.saver.save(pending.occurrence, pending.mood, self._saved)
        if Change.COOLDOWN in changes:
            self._update_cooldown()
        if Change.SCREEN in changes:
            self._show_screen()
            if self.speaker:
                self.speaker.stop()
        if Change.CHOOSER in changes or Change.LANGUAGE in changes:
            self._show_chooser()
        if Change.PIN in changes and self.flow.screen == Screen.STAFF_PIN:
            self._show_pin()

    def _show_chooser(self) -> None:
        shown = self.chooser.parent is not None
        if self.flow.chooser_open:
            options = [
                LanguageOption(lang, languages.autonym(lang), self.plan.face(lang).name)
                for lang in self.plan.offered
            ]
            texts = self.controls or controls_view(self.flow.language)
            self.chooser.show(options, self.flow.language, texts.choose_language, texts.close)
            if not shown:
                self.root_layout.add_widget(self.chooser)
        elif shown:
            self.root_layout.remove_widget(self.chooser)

    def _saved(self, ok: bool) -> None:
        self.flow.saved(self.clock.seconds(), ok)

    def _refresh_store(self, _dt: float) -> None:
        if self.saver:
            self.saver.refresh(self.clock.now().date())

    def _update_cooldown(self) -> None:
        self.cooldown = math.ceil(self.flow.cooldown_left(self.clock.seconds()))
        self._label_checkin()

    def _label_checkin(self) -> None:
        _ = gettext_for(self.flow.language)
        self.checkin_enabled = self.watcher.config.kiosk.checkin.enabled and bool(self.saver)
        if self.cooldown > 0:
            self.checkin_label = _("Check in again in {n} s").format(n=self.cooldown)
        else:
            self.checkin_label = _("Check in")
        self.resources_label = _("Resources")
        self.has_resources = bool(self.watcher.config.resources.resource)

    def _show_screen(self) -> None:
        """Fill the screen the flow moved to, then show it."""
        config, lang, now = self.watcher.config, self.flow.language, self.clock.now()
        screen = self.flow.screen
        if screen == Screen.CHECKIN:
            chosen = [o for o in self.open_occurrences if o.id in self.flow.choices]
            self.checkin.show(checkin_view(config, chosen, lang, self.flow.save_failed))
        elif screen == Screen.CLOSED:
            settings = config.kiosk.checkin
            following = checkins.next_opening(self.schedule, now, settings)
            opens = checkins.window(following, settings)[0] if following else None
            self.closed.show(closed_view(config, following, opens, now, lang))
        elif screen == Screen.MOOD:
            self.mood.show(mood_view(lang))
        elif screen == Screen.THANKS:
            self.thanks.show(thanks_view(lang))
        elif screen == Screen.RESOURCES:
            self.resources.show(resources_view(config, lang), self.icons)
        elif screen == Screen.RESOURCE:
            chosen = {r.id: r for r in config.resources.resource}.get(self.flow.resource or "")
            if chosen is None:  # gone in a config reload
                self.flow.go_back(self.clock.seconds())
                return
            self.resource.show(resource_view(config, chosen, lang), self.icons[chosen.category])
        elif screen == Screen.STAFF_PIN:
            self._show_pin()
        elif screen == Screen.STAFF:
            self.staff.show(self._staff_view())
        elif screen == Screen.QUIET:
            following = self.schedule.next_meeting(now)
            self.quiet.show(quiet_view(config, following, now, lang))
        if screen != Screen.QUIET:
            self.night = False  # (night falls once the quiet screen has faded in)
        self.screens.current = screen.value
        if self.probe and screen == Screen.THANKS:
            self.probe.thanks_shown(lambda: self.thanks.opacity > 0 and bool(self.thanks.parent))

    def _show_pin(self) -> None:
        gate, t = self.flow.pin_gate, self.clock.seconds()
        view = staff_pin_view(
            len(self.flow.pin),
            self.flow.pin_wrong,
            gate.tries_left,
            gate.seconds_left(t),
            gate.next_pause,
        )
        self.staff_pin.show(view)

    def _staff_view(self):
        from kiosk.storage import BACKUP_DIR, DB_NAME, load_tallies

        config, now, status = self.watcher.config, self.clock.now(), self.watcher.status
        folder = self.options.data_dir
        try:
            tallies = load_tallies(folder)
        except Exception:  # the panel must open even if the data cannot be read
            log.exception("The staff panel cannot read the check-in data")
            tallies = []
        today = now.date()
        week = {(today - timedelta(days=n)).isoformat() for n in range(7)}
        db = folder / DB_NAME
        backups = sorted((folder / BACKUP_DIR).glob("checkins-*.json"))
        data_lines = [
            f"Check-in data: {folder}",
            f"Database {db.stat().st_size / 1024:.1f} KB" if db.exists() else "No database yet",
            f"Newest backup: {backups[-1].stem.removeprefix('checkins-')}"
            if backups
            else "No backup yet (one is made each day)",
        ]
        if self.saver is None:
            data_lines.append("CHECK-IN IS OFF: the data folder cannot be used. See the log.")
        issues = [str(i).splitlines()[0] for i in (*status.errors, *status.warnings)]
        due = freshness.due(config.resources.resource, now.date())
        tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        day_after = tomorrow.date()
        return staff_view(
            config,
            status.origin,
            self._notice(),
            issues,
            len(due),
            self.config_loaded_at,
            sum(t.checkins for t in tallies if t.day == today.isoformat()),
            sum(t.checkins for t in tallies if t.day in week),
            data_lines,
            __version__,
            time.monotonic() - self.started,
            health.memory_mb(),
            [o for o in self.schedule.upcoming(tomorrow, days=1) if o.start.date() == day_after],
        )

    def _refresh(self, animate: bool) -> None:
        self._refresh_schedule()
        self._show_tip(animate)
        self._label_checkin()

    def _refresh_schedule(self) -> None:
        now = self.clock.now()
        self._shown_minute = (now.date(), now.hour, now.minute)
        upcoming = self.schedule.upcoming(now, days=7)
        following = self.schedule.next_meeting(now)
        view = home_view(self.watcher.config, upcoming, now, self.flow.language, following)
        self.home.show(view)
        self._update_marker()

    def _show_tip(self, animate: bool) -> None:
        _ = gettext_for(self.flow.language)
        view = tip_view(self.watcher.config, self.flow.tip, self.flow.language)
        self.home.show_tip(view, _("Tap for the next tip"), animate)

    def _notice(self) -> str:
        status = self.watcher.status
        return staff_notice(
            status.ok, status.origin, self.saver is not None, bool(self.schedule.calendar_errors)
        )

    def _update_marker(self) -> None:
        """A small neutral mark on home that tells staff to open the panel; no words."""
        self.home.marker = bool(self._notice())
