"""One resource with its QR code and, under it, the link in words a person can type or
check."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty

from kiosk.core.views import ResourceView
from kiosk.shell.screens.base import ViewScreen


class ResourceScreen(ViewScreen):
    icon = StringProperty("")

    def show(self, view: ResourceView) -> None:
        self.icon = App.get_running_app().icons[view.category]
        self.view = view
