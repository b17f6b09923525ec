"""The rotating tip card: category badge, tip text, optional QR code, soft cross-fade."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout

from kiosk.config.links import display_link
from kiosk.core.frame_pace import EVERY_FRAME, fade_shown
from kiosk.core.views import TipView
from kiosk.shell import theme
from kiosk.shell.widgets import Target

FADE_SECONDS = theme.TIP_FADE_SECONDS


class TipControl(BoxLayout):
    """Words and a chevron in an outline, inside the tip card."""

    words = StringProperty("")
    icon = StringProperty("")
    icon_first = BooleanProperty(True)
    natural_height = NumericProperty(0)


class TipBackButton(Target, ButtonBehavior, TipControl):
    """Back to the tip shown before (in the card's lower corner)."""


class TipNextCue(TipControl):
    """ "Next tip" with a chevron: shows that the card turns when tapped. The card itself
    takes the tap, wherever it lands."""


class TipFace(BoxLayout):
    """One side of the card; two faces cross-fade."""

    badge = StringProperty("")
    category = StringProperty("")
    text = StringProperty("")
    link = StringProperty("")
    link_label = StringProperty("")
    tap_hint = StringProperty("")
    previous = StringProperty("")  # the back button's words; "" hides it
    stacked = BooleanProperty(False)  # Back over Next, when side by side is too wide
    qr_beside = BooleanProperty(False)  # the QR code at the words' side, not under them
    qr_gap = NumericProperty(0)  # between the QR code and what is beside it

    def on_kv_post(self, _base_widget) -> None:
        ids = self.ids
        self._qrcol = ids.qrcol.__self__  # out of the tree while it moves
        arrange = Clock.create_trigger(self._arrange, -1)
        self.bind(size=arrange, text=arrange, link=arrange, previous=arrange)
        for widget in (ids.controls, ids.previous, ids.next, ids.qrcol):
            widget.bind(size=arrange)

    def _arrange(self, *_args) -> None:
        ids = self.ids
        self.qr_beside = bool(self.link) and self._words_larger_beside()
        place = ids.middle if self.qr_beside else ids.bottom
        if self._qrcol.parent is not place:
            self._qrcol.parent.remove_widget(self._qrcol)
            place.add_widget(self._qrcol)  # last: at the right
        wanted = ids.previous.width + ids.next.width + ids.controls.spacing * 2
        self.stacked = bool(self.previous) and wanted > ids.controls.width

    def _words_larger_beside(self) -> bool:
        """Whether the tip's words come out larger with the QR code at their side (the
        full-width controls under both) than under them (the controls at its side)."""
        ids = self.ids
        pad_x = self.padding[0] + self.padding[2]
        pad_y = self.padding[1] + self.padding[3]
        width = self.width - pad_x
        height = self.height - pad_y - ids.badge.height - 2 * self.spacing
        gap = self.qr_gap
        qr_width, qr_height = self._qrcol.width, self._qrcol.height
        side_by_side = max(ids.previous.natural_height, ids.next.natural_height)
        controls_width = ids.previous.width + ids.next.width + ids.controls.spacing * 2
        under = side_by_side
        if self.previous and controls_width > width - qr_width - gap:
            under = ids.previous.natural_height + ids.next.natural_height + 2 * ids.controls.spacing
        words = ids.words
        beside = words.largest_in(width - qr_width - gap, height - side_by_side)
        below = words.largest_in(width, height - max(qr_height, under))
        return beside > below

    def show(self, view: TipView | None, tap_hint: str) -> None:
        self.badge = view.badge if view else ""
        self.category = view.category if view else ""
        self.text = view.text if view else ""
        self.link = view.link or "" if view else ""
        self.link_label = display_link(self.link) if self.link else ""
        self.tap_hint = tap_hint
        self.previous = view.previous if view else ""


class TipCard(Target, FloatLayout):
    """Tap anywhere on the card for the next tip.

    The hidden face leaves the widget tree between fades: a widget at opacity 0 is still
    drawn, and on a software renderer every pixel drawn costs CPU."""

    empty = BooleanProperty(True)
    tip_id = StringProperty("")
    # Frames a cross-fade takes; 0: every frame (kiosk.core.frame_pace.fade_steps).
    fade_steps = 0

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.on_tap = None
        self._fade = None  # the ClockEvent stepping a cross-fade
        self._faded = 0.0  # seconds into it
        self._taken = 0  # steps taken
        self._queued: tuple[TipView, str] | None = None  # the tip after this fade

    def on_kv_post(self, _base_widget) -> None:
        # `ids` holds weak references, and the hidden face is out of the tree: hold both.
        self._faces = (self.ids.front.__self__, self.ids.back.__self__)
        self.remove_widget(self.ids.back)

    def show(self, view: TipView | None, tap_hint: str, animate: bool) -> None:
        front = self.ids.front
        self.empty = view is None
        new_id = view.id if view else ""
        if not animate or not self.tip_id:
            self.stop_animations()
            front.show(view, tap_hint)
        elif new_id != self.tip_id or view.text != front.text:
            if front.parent is None:
                # Another tip before this fade's first step: the face nobody has seen yet
                # takes it, and the fade starts again.
                front.show(view, tap_hint)
                self._start_fade()
            elif self._fade is not None:
                # Mid-fade: this fade ends first (0.2 s at most), then the next starts. No
                # face in view changes its words, and none turns back.
                self._queued = (view, tap_hint)
            else:
                self._fade_to(view, tap_hint)
        else:
            front.show(view, tap_hint)
        self.tip_id = new_id

    def _fade_to(self, view: TipView, tap_hint: str) -> None:
        """Cross-fade from the face shown to the other, which takes `view`. Each step
        changes both faces in one frame: the new face joins the tree at the first (before
        it, a frame would show nothing new) and the old one leaves in the frame of the
        last."""
        front, back = self.ids.front, self.ids.back
        back.show(view, tap_hint)
        self.ids.front, self.ids.back = back, front
        self._start_fade()

    def _start_fade(self) -> None:
        if self._fade is not None:
            self._fade.cancel()
        self._faded, self._taken = 0.0, 0
        steps = self.fade_steps
        self._fade = Clock.schedule_interval(
            self._step, FADE_SECONDS / steps if steps else EVERY_FRAME
        )

    def _step(self, dt: float) -> bool:
        self._faded += dt
        self._taken += 1
        shown = fade_shown(self._faded / FADE_SECONDS, self._taken, self.fade_steps)
        new, old = self.ids.front, self.ids.back
        new.opacity, old.opacity = shown, 1 - shown
        if new.parent is None and shown > 0:
            self.add_widget(new)
        if shown < 1:
            return True
        self._fade = None
        self._drop_hidden()
        if self._queued is not None:
            view, tap_hint = self._queued
            self._queued = None
            self._fade_to(view, tap_hint)
        return False

    @property
    def fading(self) -> bool:
        """A cross-fade is under way: the new face has yet to join, or the old to leave."""
        return self.ids.front.parent is None or self.ids.back.parent is self

    def stop_animations(self) -> None:
        """Show the front face alone, at once (with the latest tip)."""
        self._cancel()
        if self._queued is not None:
            self.ids.front.show(*self._queued)
            self._queued = None
        self.ids.front.opacity = 1
        self._drop_hidden()

    def _cancel(self) -> None:
        if self._fade is not None:
            self._fade.cancel()
            self._fade = None
        front = self.ids.front
        if front.parent is None:  # cut short before its first step
            front.opacity = 0
            self.add_widget(front)

    def _drop_hidden(self, *_args) -> None:
        back = self.ids.back
        if back.parent is self:
            self.remove_widget(back)

    def on_touch_down(self, touch) -> bool:
        back = self.ids.front.ids.previous
        if back.words and back.collide_point(*touch.pos):
            return back.on_touch_down(touch)  # the tip before, not the next one
        if not self.empty and self.collide_point(*touch.pos):
            if self.on_tap:
                self.on_tap()
            return True
        return super().on_touch_down(touch)
