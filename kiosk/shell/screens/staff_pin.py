"""The staff PIN pad: digits shown as dots, never the digits."""

from __future__ import annotations

from kivy.properties import NumericProperty

from kiosk.core.views import StaffPinView
from kiosk.shell.screens.base import ViewScreen


class StaffPinScreen(ViewScreen):
    typed = NumericProperty(0)

    def show(self, view: StaffPinView) -> None:
        self.view = view
        self.typed = view.typed
