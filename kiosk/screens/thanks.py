"""Thanks: shown only once the check-in is safely stored; home after a few seconds."""

from __future__ import annotations

from kivy.properties import ObjectProperty
from kivy.uix.screenmanager import Screen

from kiosk.views import ThanksView


class ThanksScreen(Screen):
    view = ObjectProperty(None, allownone=True)

    def show(self, view: ThanksView) -> None:
        self.view = view
