"""KioskApp: the Kivy shell around a Lobby. Window, fonts, .kv files, timers, signals,
and drawing what the lobby publishes; every decision is the lobby's (kiosk.lobby)."""

from __future__ import annotations

import gc
import importlib
import logging
import signal
from dataclasses import dataclass
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

from kiosk.adapters import health
from kiosk.adapters.input_watch import InputWatch
from kiosk.core import frame_pace
from kiosk.core.flow import Screen, TextSize
from kiosk.core.screen_care import SHIFT_SHARE
from kiosk.lobby import Lobby, Update
from kiosk.screens import SCREENS, current_view
from kiosk.shell import display, env, theme
from kiosk.shell.frame_cache import FrameCache, blit_function
from kiosk.shell.pace import LoopPace
from kiosk.shell.widgets import buttons, fit, qr_image, tip_card  # noqa: F401  (kv classes)
from kiosk.shell.widgets.alert_band import AlertBand
from kiosk.shell.widgets.chooser import LanguageChooser, LanguageOption
from kiosk.shell.widgets.screens import Screens
from kiosk.testing.bench_probe import BenchProbe
from kiosk.words import fonts

log = logging.getLogger(__name__)

SHELL = Path(__file__).parent
WIDGET_KV = ("widgets/widgets.kv", "widgets/chooser.kv", "widgets/alert_band.kv")
# `kiosk run` exits with this after "Exit kiosk" on the staff panel; the systemd unit
# does not restart on it (RestartPreventExitStatus).
EXIT_STOPPED_BY_STAFF = 4
TICK_SECONDS = 1.0
CONFIG_POLL_SECONDS = 2.0  # a saved config change shows within this (plus a tick)
SHIFT_CHECK_SECONDS = 10.0  # how often the burn-in shift looks whether it is time to move
# The check-in file is rewritten this often, so its times show this clock, not a check-in.
STORE_REFRESH_SECONDS = 300.0
FREEZE_AFTER_SECONDS = 3.0  # after the first frames, when start-up's objects are all made
COLLECTOR_HOLD_SECONDS = 2.0  # at most, from a check-in tap to its thanks


@dataclass(frozen=True)
class AppOptions:
    kiosk_mode: bool = False
    # A run on a real screen (not a replay, preview or test): the window fits the screen
    # and stop signals end the app.
    interactive: bool = False


class KioskRoot(FloatLayout):
    """The window's root: every touch first restarts the idle timer."""

    def on_touch_down(self, touch) -> bool:
        App.get_running_app().lobby.touched()
        return super().on_touch_down(touch)


def load_rules() -> None:
    """Every .kv file, once per process however many apps it starts."""
    paths = [SHELL / kv for kv in WIDGET_KV]
    paths += [SHELL / "screens" / f"{info.module}.kv" for info in SCREENS]
    for path in dict.fromkeys(paths):
        if str(path) not in Builder.files:
            Builder.load_file(str(path))


class KioskApp(App):
    # Layout unit (pixels per 1/1080 of the short screen side) and text unit (layout unit
    # times the resident's text size). The .kv files size everything in these.
    u = NumericProperty(1.0)
    t = NumericProperty(1.0)
    td = NumericProperty(1.0)  # the same, for display text (theme.DISPLAY_SCALE)
    target = NumericProperty(96.0)  # the least height of a tap target, in pixels
    root_window_height = NumericProperty(1080.0)
    band_up = BooleanProperty(False)  # an alert band takes the top: screens close up their gaps
    portrait = BooleanProperty(False)
    tip_share = NumericProperty(theme.TIP_SHARE["normal"][0])  # of home's body
    colors = DictProperty({})
    # What the lobby publishes, as properties the .kv rules bind to.
    checkin_label = StringProperty("")
    checkin_enabled = BooleanProperty(False)
    checkin_resting = BooleanProperty(False)  # just after a check-in
    checkin_open = BooleanProperty(True)  # a group is open: "Check in" is the main button
    after_label = StringProperty("")  # "How was group today?"; "" hides the button
    after_resting = BooleanProperty(False)
    resources_label = StringProperty("")
    has_resources = BooleanProperty(False)
    controls = ObjectProperty(None, allownone=True, rebind=True)  # ControlsView
    font_name = StringProperty("Body")  # the face for the current language
    language_button_text = StringProperty("")
    language_button_lines = StringProperty("")  # the same, on two lines for a narrow row
    language_button_font = StringProperty("Body")  # it has every script
    can_speak = BooleanProperty(False)
    text_level = NumericProperty(1)  # 1 normal, 2 large, 3 extra large
    night = BooleanProperty(False)

    def __init__(self, lobby: Lobby, options: AppOptions = AppOptions()) -> None:
        super().__init__()
        self.title = "Lobby kiosk"
        self.lobby = lobby
        self.options = options
        self.use_kivy_settings = False
        self.exit_code = 0
        self.icons = dict(theme.ICONS)
        self.probe = BenchProbe.from_env()
        self._events: list = []
        self._collector_hold = None  # a ClockEvent while a check-in holds the collector
        self._offset = (0, 0)  # the burn-in shift now
        self.widgets: dict[Screen, object] = {}
        self.pace = LoopPace()
        self.input_watch: InputWatch | None = None

    # --- Kivy lifecycle ---------------------------------------------------------------------

    def build(self) -> FrameCache:
        self._register_fonts()
        load_rules()
        self._apply_look()  # the rules below read the colours, fonts and sizes
        self._apply_language()
        self._on_resize(Window, Window.size)
        self.screens = Screens()
        for info in SCREENS:
            module = importlib.import_module(f"kiosk.shell.screens.{info.module}")
            widget = getattr(module, info.widget)(name=info.screen.value)
            self.widgets[info.screen] = widget
            self.screens.add_widget(widget)
        self.home = self.widgets[Screen.HOME]
        self.home.ids.tip.on_tap = self.lobby.tap_tip
        self.widgets[Screen.QUIET].bind(on_enter=lambda *_: self.lobby.night_fell())
        self.chooser = LanguageChooser()
        self.root_layout = root = KioskRoot()
        # The alert band takes its height from the top of the window; the screens get the
        # rest. Both are placed by hand (see _place): the shift moves the screens.
        self.screens.size_hint_y = None
        self.band = AlertBand()
        root.add_widget(self.screens)
        root.add_widget(self.band)
        root.bind(size=self._place, pos=self._place)
        self.band.bind(height=self._place)
        if self.options.interactive and not self.options.kiosk_mode:
            Window.size = display.fit(tuple(Window.size), display.usable_size())
        Window.bind(size=self._on_resize)
        self.lobby.subscribe(self._on_update)
        self.home.show(self.lobby.home)
        self._show_tip(animate=False)
        self._show_screen()
        self._show_band()
        self.frame_cache = FrameCache(root)
        ids = self.home.ids  # what changes on its own: the tip, the time, "in 14 min"
        self.frame_cache.watched = [ids.tip, ids.clock, ids.when]
        return self.frame_cache

    def on_start(self) -> None:
        if self.options.kiosk_mode:
            env.drop_sdl_touch()
            Window.bind(on_request_close=self._refuse_close)
        if self.probe:
            Window.bind(on_flip=self.probe.flipped)
        renderer = env.renderer_name()
        tip_card.TipCard.fade_steps = frame_pace.fade_steps(renderer)
        blit = blit_function() if frame_pace.software(renderer) else None
        if blit is not None:
            self.frame_cache.keep(blit)
        log.info("Renderer: %s%s", renderer or "unknown", ", frames kept" if blit else "")
        if self.options.interactive and not env.offscreen():  # offscreen: nothing to hear
            self.input_watch = InputWatch(on_input=self.pace.wake)
            self.input_watch.start()
        self.pace.start(woken_by_input=self._woken_by_input)
        lobby = self.lobby
        self._events = [
            Clock.schedule_interval(lambda _dt: lobby.tick(), TICK_SECONDS),
            Clock.schedule_interval(lambda _dt: lobby.poll_config(), CONFIG_POLL_SECONDS),
            Clock.schedule_interval(lambda _dt: lobby.refresh_store(), STORE_REFRESH_SECONDS),
            Clock.schedule_interval(lambda _dt: lobby.heartbeat(), health.INTERVAL_SECONDS),
            Clock.schedule_interval(self._shift, SHIFT_CHECK_SECONDS),
            Clock.schedule_once(self._freeze_startup_objects, FREEZE_AFTER_SECONDS),
        ]
        lobby.refresh_store()
        lobby.heartbeat()
        self._shift(0)
        if self.options.interactive:
            self._stop_on_signals()
        log.info("Kiosk started on config %s", lobby.watcher.folder)

    def on_stop(self) -> None:
        self.pace.stop()
        self.frame_cache.release()  # and lets go of the window's drawing
        if self.input_watch is not None:
            self.input_watch.stop()
            self.input_watch = None
        self._release_collector()
        for event in self._events:
            event.cancel()
        self._events.clear()
        self.lobby.close()
        if self.probe:
            Window.unbind(on_flip=self.probe.flipped)
            self.probe.close()
        Window.unbind(size=self._on_resize, on_request_close=self._refuse_close)
        # Frozen objects are never freed: let a process that starts another app (the test
        # suite) collect this one.
        gc.unfreeze()

    def _woken_by_input(self) -> bool:
        """A touch wakes the loop by itself: the input devices are heard, or no input can
        reach the window at all."""
        watch = self.input_watch
        return env.offscreen() or (watch is not None and watch.hearing)

    def open_settings(self, *_args) -> bool:
        return False  # no Kivy settings panel (F1) on a lobby screen

    def _hold_collector(self) -> None:
        """No full garbage collection from a check-in tap until its thanks is drawn: one
        can take 50 to 250 ms on a slow machine and would hold the thanks back. Objects
        are still freed as they go; only the sweep for cycles waits a few frames."""
        if self._collector_hold is None and gc.isenabled():
            gc.disable()
            self._collector_hold = Clock.schedule_once(
                self._release_collector, COLLECTOR_HOLD_SECONDS
            )

    def _release_collector(self, *_args) -> None:
        if self._collector_hold is not None:
            self._collector_hold.cancel()
            self._collector_hold = None
            gc.enable()

    @staticmethod
    def _freeze_startup_objects(_dt: float) -> None:
        """Everything built at start-up (modules, config, widgets) lives as long as the
        app: keep the garbage collector from walking it again on every full collection.
        That walk took up to 70 ms, long enough to delay a check-in's thanks."""
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

    # --- drawing what the lobby publishes ---------------------------------------------------

    def _on_update(self, changes: frozenset[Update]) -> None:
        lobby = self.lobby
        self.pace.drawing()  # frames follow: on time, not a slow step later
        if Update.LOOK in changes:
            self._apply_look()
        if Update.TEXT_SIZE in changes:
            self._on_resize(Window, Window.size)
        if Update.LANGUAGE in changes:
            self._apply_language()
        if Update.BUTTONS in changes or Update.LANGUAGE in changes:
            self._apply_buttons()
        if Update.MARKER in changes:
            self.home.marker = lobby.marker
        if Update.HOME in changes:
            self.home.show(lobby.home)
        if changes & {Update.LANGUAGE, Update.LOOK}:
            self._show_tip(animate=False)
        elif Update.TIP in changes:
            if self.probe:
                self.probe.fade_started(tip_card.FADE_SECONDS)
            self._show_tip(animate=True)
        if Update.SAVING in changes:
            self._hold_collector()
            if self.probe:
                self.probe.checkin_tapped()
        if Update.SCREEN in changes:
            self._show_screen()
            if self._collector_hold is not None:  # thanks (or the error) is up: drawn next
                Clock.schedule_once(self._release_collector, 0)
        if Update.CHOOSER in changes:
            self._show_chooser()
        if Update.NIGHT in changes:
            self.night = lobby.night
            self._paint_edges()
        if changes & {Update.ALERT, Update.SCREEN, Update.LANGUAGE, Update.NIGHT}:
            self._show_band()
        if Update.EXIT in changes:
            self.exit_code = EXIT_STOPPED_BY_STAFF
            self.stop()

    def _show_screen(self) -> None:
        """Fill the screen the lobby moved to, then show it."""
        screen = self.lobby.screen
        widget = self.widgets[screen]
        if screen != Screen.HOME:  # home is filled by HOME updates
            widget.show(current_view(self.lobby))
        if self.screens.current != screen.value:
            self.widgets[Screen(self.screens.current)].leave()
            self.screens.current = screen.value
        if self.probe and screen == Screen.THANKS:
            self.probe.thanks_shown(lambda: widget.opacity > 0 and bool(widget.parent))

    def _show_band(self) -> None:
        band = self.lobby.band
        self.band.night = self.lobby.screen == Screen.QUIET
        if band != self.band.view:
            self.band.view = band

    def _place(self, *_args) -> None:
        """The band across the top, the screens under it. The burn-in shift moves the
        screens, and the band's words within it (the band itself stays on the window)."""
        root, band = self.root_layout, self.band
        dx, dy = self._offset
        band.width = self.screens.width = root.width
        # Under a band, room for the shift upwards and the least gap between two targets.
        gap = SHIFT_SHARE * min(root.size) + dp(theme.MIN_GAP_DP) if band.height else 0
        self.screens.height = max(0, root.height - band.height - gap)
        self.band_up = band.height > 0
        self.screens.pos = (root.x + dx, root.y + dy)
        band.pos = (root.x, root.top - band.height)
        band.shift = (dx, dy)

    def _show_tip(self, animate: bool) -> None:
        self.home.show_tip(self.lobby.tip, self.lobby.tip_hint, animate)

    def _show_chooser(self) -> None:
        view = self.lobby.chooser
        shown = self.chooser.parent is not None
        if view is not None:
            options = [LanguageOption(*option) for option in view.options]
            self.chooser.show(options, view.current, view.heading, view.close)
            if not shown:
                self.root_layout.add_widget(self.chooser)
        elif shown:
            self.root_layout.remove_widget(self.chooser)

    def _apply_look(self) -> None:
        palette = theme.PALETTES[self.lobby.config.kiosk.display.theme]
        self.colors = {
            name: list(theme.hex_rgba(getattr(palette, name)))
            for name in theme.Palette.__dataclass_fields__
        }
        self._paint_edges()

    def _apply_language(self) -> None:
        lobby = self.lobby
        self._register_fonts()  # a config change may have brought the full Chinese font back
        self.font_name = lobby.face
        self.language_button_text = lobby.plan.button_text
        self.language_button_lines = lobby.plan.button_lines
        self.language_button_font = lobby.plan.button_face.name
        self.controls = lobby.controls
        self.can_speak = lobby.can_speak
        self._apply_buttons()

    def _apply_buttons(self) -> None:
        view = self.lobby.buttons
        self.checkin_label, self.checkin_resting = view.checkin, view.resting
        self.checkin_enabled, self.checkin_open = view.checkin_enabled, view.checkin_open
        self.resources_label, self.has_resources = view.resources, view.has_resources
        self.after_label, self.after_resting = view.after, view.after_resting

    def _paint_edges(self) -> None:
        """The window's clear colour is the background of every screen (and fills the edge
        the burn-in shift uncovers): a clear costs far less than a painted layer."""
        if self.colors:
            Window.clearcolor = self.colors["night_background" if self.night else "background"]

    def _register_fonts(self) -> None:
        for face in fonts.available_faces():
            bold = str(face.bold) if face.bold else None
            LabelBase.register(face.name, fn_regular=str(face.regular), fn_bold=bold)
        if theme.ICON_FONT.exists():
            LabelBase.register("Icons", fn_regular=str(theme.ICON_FONT))
        else:  # icons go, words stay
            log.warning("Icon font missing (%s): showing words only", theme.ICON_FONT)
            LabelBase.register("Icons", fn_regular=str(fonts.latin_face().regular))
            self.icons = dict.fromkeys(theme.ICONS, "")

    def _on_resize(self, _window, size) -> None:
        width, height = size
        text_size = TextSize(self.lobby.text_size)
        self.portrait = height > width
        self.root_window_height = height
        self.u = min(width, height) / 1080
        self.t = self.u * theme.TEXT_SCALE[text_size]
        self.td = self.u * theme.DISPLAY_SCALE[text_size]
        self.text_level = list(TextSize).index(text_size) + 1
        shares = theme.TIP_SHARE_SMALL if min(size) < theme.SMALL_SCREEN_PX else theme.TIP_SHARE
        self.tip_share = shares[text_size][1 if self.portrait else 0]
        # Never under 48 dp (about 9 mm), even on a small 800x480 screen.
        self.target = max(self.u * theme.MIN_TARGET, dp(theme.MIN_TARGET_DP))

    def _shift(self, _dt: float) -> None:
        """Move the whole layout a few pixels now and then, against burn-in."""
        self._offset = self.lobby.shift(*Window.size)
        self._place()
