"""The staff PIN pad and the staff panel (config, counts, data, health, actions)."""

from __future__ import annotations

from kivy.properties import NumericProperty, ObjectProperty
from kivy.uix.screenmanager import Screen

from kiosk.views import StaffPinView, StaffView


class StaffPinScreen(Screen):
    view = ObjectProperty(None, allownone=True)
    typed = NumericProperty(0)

    def show(self, view: StaffPinView) -> None:
        self.view = view
        self.typed = view.typed


class StaffScreen(Screen):
    view = ObjectProperty(None, allownone=True)
    show_tomorrow = ObjectProperty(False)

    def show(self, view: StaffView) -> None:
        self.view = view
