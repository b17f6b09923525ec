"""Home: program name and clock, the happening-now or next card, the week, the tip card."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.views import HomeView, RowView, TipView
from kiosk.widgets import Target


class NameLabel(Target, Label):
    """The program name in the header."""


class WeekRow(BoxLayout):
    day = StringProperty("")
    time = StringProperty("")
    title = StringProperty("")
    location = StringProperty("")
    note = StringProperty("")
    cancelled = BooleanProperty(False)

    @classmethod
    def of(cls, row: RowView) -> WeekRow:
        return cls(
            day=row.day,
            time=row.time,
            title=row.title,
            location=row.location,
            note=row.note,
            cancelled=row.cancelled,
        )


class WeekRows(BoxLayout):
    """The week's rows, top-aligned: as many as fit, in order. `hidden` counts the rest."""

    hidden = NumericProperty(0)

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("orientation", "vertical")
        super().__init__(**kwargs)
        self._all: list[WeekRow] = []
        self._spacer = Widget()  # takes the leftover height, so rows sit at the top
        self._fit_soon = Clock.create_trigger(self._fit, -1)
        self.bind(size=self._fit_soon)

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
        used, shown = 0.0, []
        for row in self._all:
            row.width = self.width  # wrap at the width it will have, to measure its height
            if shown and used + row.height > self.height:
                break
            used += row.height
            shown.append(row)
        wanted = [*shown, self._spacer]
        if [*reversed(self.children)] != wanted:
            self.clear_widgets()
            for widget in wanted:
                self.add_widget(widget)
        self.hidden = len(self._all) - len(shown)


class HomeScreen(Screen):
    view = ObjectProperty(None, allownone=True)
    marker = StringProperty("")
    more_text = StringProperty("")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: tuple[RowView, ...] | None = None
        self._more_template = ""

    def on_kv_post(self, base_widget) -> None:
        self.ids.rows.bind(hidden=self._update_more)

    def show(self, view: HomeView) -> None:
        self.view = view
        self._more_template = view.more
        if view.rows != self._rows:
            self._rows = view.rows
            self.ids.rows.set_rows([WeekRow.of(row) for row in view.rows])
        self._update_more()

    def _update_more(self, *_args) -> None:
        hidden = self.ids.rows.hidden
        self.more_text = self._more_template.format(n=hidden) if hidden else ""

    def show_tip(self, view: TipView | None, tap_hint: str, animate: bool) -> None:
        self.ids.tip.show(view, tap_hint, animate)

    def on_leave(self, *_args) -> None:
        self.ids.tip.stop_animations()
