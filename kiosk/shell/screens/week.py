"""The week: every group of the next 7 days, at any text size (home shows what fits)."""

from __future__ import annotations

from kiosk.core.views import WeekView
from kiosk.shell.screens.base import ViewScreen
from kiosk.shell.screens.home import WeekRow


class WeekScreen(ViewScreen):
    def show(self, view: WeekView) -> None:
        if view == self.view:
            return
        self.view = view
        rows = self.ids.rows
        rows.clear_widgets()
        for row in view.rows:
            rows.add_widget(WeekRow.of(row))
        self.ids.scroll.scroll_y = 1
