"""The rotating tip card: category badge, tip text, optional QR code, soft cross-fade."""

from __future__ import annotations

from kivy.animation import Animation
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout

from kiosk.config.links import display_link
from kiosk.views import TipView
from kiosk.widgets import Target

FADE_SECONDS = 0.8


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
