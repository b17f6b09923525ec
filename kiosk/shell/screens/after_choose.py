"""After group, when several groups just ended: which one the resident was at."""

from __future__ import annotations

from kiosk.core.views import AfterChooseView
from kiosk.shell.screens.base import ViewScreen
from kiosk.shell.screens.checkin import ChoiceCard


class AfterChooseScreen(ViewScreen):
    def show(self, view: AfterChooseView) -> None:
        self.view = view
        box = self.ids.choices
        box.clear_widgets()
        for choice in view.choices:
            card = ChoiceCard(choice=choice, confirm_text=view.pick, asks="after")
            card.ids.confirm.target = f"aftergroup.{choice.occurrence_id}"
            box.add_widget(card)
