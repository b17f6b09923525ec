"""What every screen widget has: the view it shows (see kiosk.screens)."""

from __future__ import annotations

from typing import Any

from kivy.properties import ObjectProperty
from kivy.uix.screenmanager import Screen


class ViewScreen(Screen):
    """A screen that lays out one view; its .kv rule reads `root.view`."""

    view = ObjectProperty(None, allownone=True)

    def show(self, view: Any) -> None:
        self.view = view

    def leave(self) -> None:
        """The screen goes: stop what it animates (see HomeScreen)."""
