"""The staff panel: config, counts, data, health, and its actions."""

from __future__ import annotations

from kivy.properties import BooleanProperty
from kivy.uix.floatlayout import FloatLayout

from kiosk.shell.screens.base import ViewScreen


class StaffScreen(ViewScreen):
    show_tomorrow = BooleanProperty(False)


class ConfirmLayer(FloatLayout):
    """ "Stop the kiosk?" over the staff panel: while it is up, nothing behind it takes a
    touch; while it is down, it takes none."""

    up = BooleanProperty(False)

    @property
    def modal(self) -> bool:  # see kiosk.testing.ui_audit.scope
        return self.up

    def on_touch_down(self, touch) -> bool:
        if not self.up:
            return False
        super().on_touch_down(touch)
        return True

    def on_touch_up(self, touch) -> bool:
        return super().on_touch_up(touch) if self.up else False
