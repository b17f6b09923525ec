"""Night mode: a dim clock and the next group; a touch anywhere wakes the kiosk."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import ObjectProperty
from kivy.uix.screenmanager import Screen

from kiosk.views import QuietView


class QuietScreen(Screen):
    view = ObjectProperty(None, allownone=True)

    def show(self, view: QuietView) -> None:
        self.view = view

    def on_touch_down(self, touch) -> bool:
        App.get_running_app().wake()
        return True
