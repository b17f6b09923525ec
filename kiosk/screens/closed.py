"""Closed: nothing is open for check-in; a kind word and when the next group is."""

from __future__ import annotations

from kivy.properties import ObjectProperty
from kivy.uix.screenmanager import Screen

from kiosk.views import ClosedView


class ClosedScreen(Screen):
    view = ObjectProperty(None, allownone=True)

    def show(self, view: ClosedView) -> None:
        self.view = view
