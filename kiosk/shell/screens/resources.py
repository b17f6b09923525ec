"""Resources: every resource as a big tile, in category order."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.core.views import ResourcesView
from kiosk.shell.screens.base import ViewScreen
from kiosk.shell.widgets import Target


class ResourceTileButton(Target, ButtonBehavior, BoxLayout):
    tile = ObjectProperty(None, allownone=True)
    icon = StringProperty("")


class ResourcesScreen(ViewScreen):
    def show(self, view: ResourcesView) -> None:
        if view == self.view:
            return
        self.view = view
        icons = App.get_running_app().icons
        grid = self.ids.tiles
        grid.clear_widgets()
        for tile in view.tiles:
            target = f"resource.{tile.id}"
            grid.add_widget(ResourceTileButton(tile=tile, icon=icons[tile.category], target=target))
