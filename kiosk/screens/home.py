"""Home: program name and clock, the happening-now or next card, the week, the tip card."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.views import HomeView, RowView, TipView
from kiosk.widgets import Target
from kiosk.widgets.tip_card import FitLabel


class NameLabel(Target, FitLabel):
    """The program name in the header: shrinks (or wraps) rather than being cut off."""


class WeekRow(BoxLayout):
    day = StringProperty("")
    time = StringProperty("")
    title = StringProperty("")
    location = StringProperty("")
    note = StringProperty("")
    cancelled = BooleanProperty(False)
    live = BooleanProperty(False)

    @classmethod
    def of(cls, row: RowView) -> WeekRow:
        return cls(
            day=row.day,
            time=row.time,
            title=row.title,
            location=row.location,
            note=row.note,
            cancelled=row.cancelled,
            live=row.live,
        )


class WeekRows(BoxLayout):
    """The week's rows, top-aligned: all of them if they fit, else as many as fit above
    a "+ N more this week" line."""

    more_template = StringProperty("")

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("orientation", "vertical")
        super().__init__(**kwargs)
        self._all: list[WeekRow] = []
        self._more = Factory.MoreLabel()
        self._spacer = Widget()  # takes the leftover height, so rows sit at the top
        self._fit_soon = Clock.create_trigger(self._fit, -1)
        self.bind(size=self._fit_soon, more_template=self._fit_soon)
        self._more.bind(height=self._fit_soon)

    @property
    def hidden(self) -> int:
        return len(self._all) - sum(1 for w in self.children if isinstance(w, WeekRow))

    def set_rows(self, rows: list[WeekRow]) -> None:
        for row in self._all:
            row.unbind(height=self._fit_soon)
        self._all = rows
        for row in rows:
            row.bind(height=self._fit_soon)
        self._fit()

    def _fit(self, *_args) -> None:
        if self.width <= 1:
            return  # not laid out yet: measuring would wrap every word
        for row in self._all:
            row.width = self.width  # wrap at the width it will have, to measure its height
        shown = self._all
        if sum(row.height for row in self._all) > self.height:
            budget, used, shown = self.height - self._more.height, 0.0, []
            for row in self._all:
                if shown and used + row.height > budget:
                    break
                used += row.height
                shown.append(row)
        hidden = len(self._all) - len(shown)
        # The line keeps its text (and so its height) while hidden, so the fit is stable.
        self._more.text = self.more_template.format(n=max(hidden, 1))
        wanted = [*shown, *([self._more] if hidden else []), self._spacer]
        if [*reversed(self.children)] != wanted:
            self.clear_widgets()
            for widget in wanted:
                self.add_widget(widget)


class HomeScreen(Screen):
    view = ObjectProperty(None, allownone=True)
    marker = StringProperty("")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: tuple[RowView, ...] | None = None

    def show(self, view: HomeView) -> None:
        self.view = view
        self.ids.rows.more_template = view.more
        if view.rows != self._rows:
            self._rows = view.rows
            self.ids.rows.set_rows([WeekRow.of(row) for row in view.rows])

    def show_tip(self, view: TipView | None, tap_hint: str, animate: bool) -> None:
        self.ids.tip.show(view, tap_hint, animate)

    def on_leave(self, *_args) -> None:
        self.ids.tip.stop_animations()
