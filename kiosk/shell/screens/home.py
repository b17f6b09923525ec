"""Home: program name and clock, the happening-now or next card, the week, the tip card."""

from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.core.views import HomeView, RowView, TipView
from kiosk.shell.screens.base import ViewScreen
from kiosk.shell.widgets import Target
from kiosk.shell.widgets.fit import FitLabel


class NameLabel(Target, FitLabel):
    """The program name in the header: shrinks (or wraps) rather than being cut off.
    Held for 3 seconds, it opens the staff PIN pad."""

    HOLD_SECONDS = 2.95  # "3 s", with room for the clock's frame steps

    def on_touch_down(self, touch) -> bool:
        if not self.collide_point(*touch.pos):
            return super().on_touch_down(touch)
        touch.ud["staff_hold"] = Clock.schedule_once(
            lambda _dt: App.get_running_app().lobby.open_staff_pin(), self.HOLD_SECONDS
        )
        return True

    def on_touch_up(self, touch) -> bool:
        hold = touch.ud.pop("staff_hold", None)
        if hold is not None:
            hold.cancel()
            return True
        return super().on_touch_up(touch)


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
    """The week under its heading, top-aligned: all rows if they fit, else as many as fit
    above a "+ N more this week" button to the week screen; if not even one fits, the
    button alone ("See this week's groups"). The week is reachable at every text size."""

    heading = StringProperty("")
    more_template = StringProperty("")
    week_text = StringProperty("")
    # With larger text the week's button is in home's access row, always, and this shows
    # only the rows that fit (a button that moved with the room left would feed back).
    button_elsewhere = BooleanProperty(False)

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("orientation", "vertical")
        super().__init__(**kwargs)
        self._all: list[WeekRow] = []
        self._heading = Factory.WeekHeading()
        self._more = Factory.WeekButton()
        self._spacer = Widget()  # takes the leftover height, so rows sit at the top
        self._fit_soon = Clock.create_trigger(self._fit, -1)
        self.bind(
            size=self._fit_soon,
            more_template=self._fit_soon,
            heading=self._fit_soon,
            week_text=self._fit_soon,
            button_elsewhere=self._fit_soon,
        )
        self._more.bind(height=self._fit_soon)
        self._heading.bind(height=self._fit_soon)

    @property
    def least_height(self) -> float:
        """What the week needs on home at the least: its button, unless it is elsewhere."""
        return self._more.height + self.spacing if self._all and not self.button_elsewhere else 0.0

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
        # Wrap everything at the width it will have, to measure its height.
        for widget in (*self._all, self._heading, self._more):
            widget.width = self.width
        self._heading.text = self.heading
        self._heading.texture_update()
        # Each line costs its height and one gap (the heading's is the gap to the spacer).
        gap = self.spacing
        room = self.height - self._heading.height - gap
        shown = self._all
        if sum(row.height + gap for row in self._all) > room:
            budget, used, shown = room - self._more.height - gap, 0.0, []
            for row in self._all:
                if used + row.height + gap > budget:
                    break
                used += row.height + gap
                shown.append(row)
        hidden = len(self._all) - len(shown)
        # The button keeps its words (and so its height) while hidden, so the fit is stable.
        if self.button_elsewhere:
            wanted = [self._heading, *shown, self._spacer] if shown else [self._spacer]
        elif self._all and not shown:
            self._more.text = self.week_text  # a heading over nothing would only puzzle
            wanted = [self._more, self._spacer]
        else:
            self._more.text = self.more_template.format(n=max(hidden, 1))
            wanted = [self._heading, *shown, *([self._more] if hidden else []), self._spacer]
        if [*reversed(self.children)] != wanted:
            self.clear_widgets()
            for widget in wanted:
                self.add_widget(widget)


class HomeScreen(ViewScreen):
    marker = BooleanProperty(False)  # staff should look at the staff panel
    # How much the now/next card leaves out to fit its column: 0 nothing, 1 the
    # description, 2 also the times (the week screen keeps them), 3 also its heading, 4
    # also when it is (a small screen at the largest text, the after-group button shown).
    compact = NumericProperty(0)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: tuple[RowView, ...] | None = None
        self._fit_card_soon = Clock.create_trigger(self._fit_card, -1)
        for name in ("column", "card", "actions"):
            self.ids[name].bind(height=self._fit_card_soon)

    def _fit_card(self, *_args) -> None:
        ids = self.ids
        column = ids.column
        spare = (
            column.height
            - ids.card.height
            - ids.actions.height
            - ids.rows.least_height
            - 2 * column.spacing
        )
        # What each step leaves out frees its line and one gap. The card's height follows
        # a frame later, so the steps are counted here, at once, rather than one a frame.
        freed = [
            label.texture_size[1] + ids.card.spacing if label.text else 0.0
            for label in (ids.description, ids.times, ids.heading, ids.when)
        ]
        level = int(self.compact)
        while spare < 0 and level < len(freed):
            spare += freed[level]
            level += 1
        while spare >= 0 and level > 0 and spare >= freed[level - 1]:
            level -= 1
            spare -= freed[level]
        self.compact = level

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
