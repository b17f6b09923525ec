"""Night mode: a dim clock and the next group; a touch anywhere wakes the kiosk."""

from __future__ import annotations

from kivy.app import App

from kiosk.shell.screens.base import ViewScreen


class QuietScreen(ViewScreen):
    def on_touch_down(self, touch) -> bool:
        App.get_running_app().lobby.wake()
        return True
