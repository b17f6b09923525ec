"""Five faces with words, and Skip under them, a button of its own so it does not read as
a sixth answer: "How are you doing today?" at check-in, and the two after-group questions
("When you arrived today...", "And now?")."""

from __future__ import annotations

from kivy.factory import Factory

from kiosk.core.views import MoodView
from kiosk.shell.screens.base import ViewScreen


class MoodScreen(ViewScreen):
    def show(self, view: MoodView) -> None:
        if view == self.view:
            return
        self.view = view
        grid = self.ids.faces
        grid.clear_widgets()
        for level, words in view.faces:
            grid.add_widget(
                Factory.MoodButton(
                    level=level, words=words, asks=view.asks, target=f"{view.asks}.{level}"
                )
            )
