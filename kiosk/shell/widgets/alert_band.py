"""The alert band: across the top of every resident screen while an alert is in force
(see kiosk.core.alert_views). A tap anywhere on it opens the whole alert."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, ObjectProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.shell.widgets import Target

# The most of the window's height the band's words may take, at each text size: the
# screen below keeps the rest. The share grows with the text, so the words never come
# out smaller at a larger size.
TEXT_SHARE = {"urgent": (0.15, 0.18, 0.21), "notice": (0.09, 0.11, 0.13)}


class AlertBand(Target, ButtonBehavior, BoxLayout):
    view = ObjectProperty(None, allownone=True)  # a BandView, or None: no band
    night = BooleanProperty(False)  # on the night screen: yellow on black, no glare
    shift = ListProperty([0, 0])  # the burn-in shift: the words move, the band stays

    def text_share(self, level: int) -> float:
        kind = self.view.level if self.view else "notice"
        return TEXT_SHARE.get(kind, TEXT_SHARE["notice"])[max(0, min(level, 3) - 1)]
