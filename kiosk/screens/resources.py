"""Resources: every resource as a big tile, in category order; and one resource with
its QR code and, under it, the link in words a person can type or check."""

from __future__ import annotations

from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kiosk.views import ResourcesView, ResourceTile, ResourceView
from kiosk.widgets import Target


class ResourceTileButton(Target, ButtonBehavior, BoxLayout):
    tile = ObjectProperty(None, allownone=True)
    icon = StringProperty("")


class ResourcesScreen(Screen):
    view = ObjectProperty(None, allownone=True)

    def show(self, view: ResourcesView, icons: dict[str, str]) -> None:
        if view == self.view:
            return
        self.view = view
        grid = self.ids.tiles
        grid.clear_widgets()
        for tile in view.tiles:
            grid.add_widget(self._tile(tile, icons))

    @staticmethod
    def _tile(tile: ResourceTile, icons: dict[str, str]) -> ResourceTileButton:
        return ResourceTileButton(
            tile=tile, icon=icons[tile.category], target=f"resource.{tile.id}"
        )


class ResourceScreen(Screen):
    view = ObjectProperty(None, allownone=True)
    icon = StringProperty("")

    def show(self, view: ResourceView, icon: str) -> None:
        self.icon = icon
        self.view = view
