"""The rotating tip card: category badge, tip text, optional QR code, soft cross-fade."""

from __future__ import annotations

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label

from kiosk.config.links import display_link
from kiosk.views import TipView
from kiosk.widgets import Target

FADE_SECONDS = 0.8


class FitLabel(Label):
    """A wrapping label, as tall as its text, that shrinks its font (to half at most)
    until the text fits in `fit_height`."""

    max_font_size = NumericProperty(40)
    fit_height = NumericProperty(0)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # Also check once after each restart: if the font was already at its largest,
        # the texture does not change, and only this check sees a smaller fit_height.
        self._check_soon = Clock.create_trigger(self._check, -1)
        self.bind(
            texture_size=self._fit,
            width=self._restart,
            text=self._restart,
            max_font_size=self._restart,
            fit_height=self._restart,
        )

    def _restart(self, *_args) -> None:
        self.text_size = (self.width, None)
        self.font_size = font_step(self.max_font_size)
        self._check_soon()

    def _check(self, *_args) -> None:
        self.texture_update()
        self._fit()

    def _fit(self, *_args) -> None:
        too_tall = self.texture_size[1] > self.fit_height > 0
        smallest = font_step(self.max_font_size * 0.5)
        if too_tall and self.font_size > smallest:
            # Wrapped text's height grows about with the square of the font size, so one
            # or two steps reach the fit (each step costs a texture render).
            scale = (self.fit_height / self.texture_size[1]) ** 0.5 * 0.97
            smaller = font_step(self.font_size * min(scale, 0.95))
            self.font_size = max(smallest, min(smaller, self.font_size - FONT_STEP))


# Font sizes come in whole steps: the text engine keeps an open font per size it has
# seen, so sizes from free arithmetic (47.83, 45.12, ...) would pile up in memory.
FONT_STEP = 2


def font_step(size: float) -> int:
    return max(FONT_STEP, int(size // FONT_STEP) * FONT_STEP)


class OneLineLabel(Label):
    """A single line that shrinks its font (to 60% at most) to stay within `fit_width`."""

    max_font_size = NumericProperty(20)
    fit_width = NumericProperty(0)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._check_soon = Clock.create_trigger(self._check, -1)
        self.bind(
            texture_size=self._fit,
            text=self._restart,
            max_font_size=self._restart,
            fit_width=self._restart,
        )

    def _restart(self, *_args) -> None:
        self.font_size = font_step(self.max_font_size)
        self._check_soon()

    def _check(self, *_args) -> None:
        self.texture_update()
        self._fit()

    def _fit(self, *_args) -> None:
        wide = self.texture_size[0] > self.fit_width > 0
        smallest = font_step(self.max_font_size * 0.6)
        if wide and self.font_size > smallest:
            smaller = font_step(self.font_size * self.fit_width / self.texture_size[0])
            self.font_size = max(smallest, min(smaller, self.font_size - FONT_STEP))


class TipFace(BoxLayout):
    """One side of the card; two faces cross-fade."""

    badge = StringProperty("")
    category = StringProperty("")
    text = StringProperty("")
    link = StringProperty("")
    link_label = StringProperty("")
    tap_hint = StringProperty("")

    def show(self, view: TipView | None, tap_hint: str) -> None:
        self.badge = view.badge if view else ""
        self.category = view.category if view else ""
        self.text = view.text if view else ""
        self.link = view.link or "" if view else ""
        self.link_label = display_link(self.link) if self.link else ""
        self.tap_hint = tap_hint


class TipCard(Target, FloatLayout):
    """Tap anywhere on the card for the next tip."""

    empty = BooleanProperty(True)
    tip_id = StringProperty("")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.on_tap = None

    def show(self, view: TipView | None, tap_hint: str, animate: bool) -> None:
        front, back = self.ids.front, self.ids.back
        self.empty = view is None
        new_id = view.id if view else ""
        if not animate or not self.tip_id:
            Animation.cancel_all(front)
            Animation.cancel_all(back)
            front.show(view, tap_hint)
            front.opacity, back.opacity = 1, 0
        elif new_id != self.tip_id or view.text != front.text:
            Animation.cancel_all(front)
            Animation.cancel_all(back)
            back.show(view, tap_hint)
            Animation(opacity=0, d=FADE_SECONDS, t="in_out_sine").start(front)
            Animation(opacity=1, d=FADE_SECONDS, t="in_out_sine").start(back)
            self.ids.front, self.ids.back = back, front
        else:
            front.show(view, tap_hint)
        self.tip_id = new_id

    def stop_animations(self) -> None:
        front, back = self.ids.front, self.ids.back
        Animation.cancel_all(front)
        Animation.cancel_all(back)
        front.opacity, back.opacity = 1, 0

    def on_touch_down(self, touch) -> bool:
        if not self.empty and self.collide_point(*touch.pos):
            if self.on_tap:
                self.on_tap()
            return True
        return super().on_touch_down(touch)
