"""Check-in: the open occurrence(s), each with one big "I'm here"."""

from __future__ import annotations

from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.core.views import CheckinView
from kiosk.shell.screens.base import ViewScreen


class ChoiceCard(BoxLayout):
    """One open occurrence: its title, time and place, and its button ("I'm here" at
    check-in; the after-group question's choice of group has one too)."""

    choice = ObjectProperty(None, allownone=True)
    confirm_text = StringProperty("")
    asks = StringProperty("checkin")  # or "after"


class CheckinScreen(ViewScreen):
    def show(self, view: CheckinView) -> None:
        self.view = view
        box = self.ids.choices
        box.clear_widgets()
        single = len(view.choices) == 1
        for choice in view.choices:
            card = ChoiceCard(choice=choice, confirm_text=view.confirm)
            card.ids.confirm.target = (
                "checkin.confirm" if single else f"checkin.{choice.occurrence_id}"
            )
            box.add_widget(card)
