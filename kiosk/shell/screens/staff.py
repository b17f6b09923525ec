"""The staff panel: config, counts, data, health, and its actions."""

from __future__ import annotations

from kivy.properties import BooleanProperty

from kiosk.shell.screens.base import ViewScreen


class StaffScreen(ViewScreen):
    show_tomorrow = BooleanProperty(False)
