"""Large touch buttons, and the mood faces drawn as shapes (no emoji font needed)."""

from __future__ import annotations

from kivy.graphics import Color, Ellipse, Line, Rectangle
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.shell.widgets import Target
from kiosk.shell.widgets.breaking import BreakingLabel


class BigButton(Target, ButtonBehavior, BreakingLabel):
    """A large, plain button: words, a solid or outlined shape, a pressed state.

    `resting` shows that the button is taking a short break (it still takes the touch,
    and the app ignores it), rather than greying it out as if it were broken."""

    primary = BooleanProperty(True)
    resting = BooleanProperty(False)
    # Size the words here, not with font_size in a kv instance: the class rule re-sets
    # font_size whenever the text size changes, and would undo an instance's value.
    font_scale = NumericProperty(1.0)
    fixed_size = BooleanProperty(False)  # staff screens: does not grow with the text size
    danger = BooleanProperty(False)  # hard to undo: drawn in the danger colour
    filled = BooleanProperty(True)  # set by the kv rule from the two above


class AccessButton(Target, ButtonBehavior, BoxLayout):
    """An access control on home (language, text size, read aloud): an icon and words.
    Sized in layout units, not text units, so it stays put while the text grows."""

    icon = StringProperty("")
    words = StringProperty("")
    font = StringProperty("")  # default: the language's; the language button has its own
    level = NumericProperty(0)  # the text-size button shows which of 3 sizes is on (1-3)


class LevelBars(Widget):
    """Three bars of rising height; those up to `level` are filled, the rest outlined,
    so the current step reads by shape, not by colour."""

    level = NumericProperty(1)
    ink = ListProperty([1, 1, 1, 1])

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bind(pos=self._draw, size=self._draw, level=self._draw, ink=self._draw)

    def _draw(self, *_args) -> None:
        self.canvas.clear()
        if self.width <= 0 or self.height <= 0:
            return
        gap = self.width * 0.12
        bar = (self.width - 2 * gap) / 3
        stroke = max(1.0, bar * 0.12)
        with self.canvas:
            Color(*self.ink)
            for i in range(3):
                x = self.x + i * (bar + gap)
                h = self.height * (0.45 + 0.275 * i)
                if i < self.level:
                    Rectangle(pos=(x, self.y), size=(bar, h))
                else:
                    Line(rectangle=(x, self.y, bar, h), width=stroke)


class FaceDrawing(Widget):
    """A simple face: the mouth curves from a frown (1) to a wide smile (5)."""

    level = NumericProperty(3)
    ink = ListProperty([0, 0, 0, 1])
    fill = ListProperty([1, 1, 1, 1])

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bind(
            pos=self._draw, size=self._draw, level=self._draw, ink=self._draw, fill=self._draw
        )

    def _draw(self, *_args) -> None:
        self.canvas.clear()
        d = min(self.width, self.height)
        if d <= 0:
            return
        cx, cy = self.center
        r = d / 2
        stroke = max(1.5, d * 0.035)
        with self.canvas:
            Color(*self.fill)
            Ellipse(pos=(cx - r, cy - r), size=(d, d))
            Color(*self.ink)
            Line(circle=(cx, cy, r - stroke / 2), width=stroke)
            eye = d * 0.075
            for dx in (-0.18, 0.18):
                Ellipse(pos=(cx + dx * d - eye / 2, cy + 0.12 * d - eye / 2), size=(eye, eye))
            # Mouth: a parabola whose bend runs from -1 (frown) to +1 (smile).
            bend = (self.level - 3) / 2
            half = 0.22 * d
            depth = 0.12 * d * bend
            points = []
            for i in range(21):
                x = -half + 2 * half * i / 20
                y = -0.16 * d - depth * (1 - (x / half) ** 2) + depth * 0.5
                points += [cx + x, cy + y]
            Line(points=points, width=stroke, cap="round")


class MoodButton(Target, ButtonBehavior, BoxLayout):
    """One answer on a face screen ("How are you doing today?", and the after-group
    questions): a face and its words."""

    level = NumericProperty(3)
    words = StringProperty("")
    asks = StringProperty("mood")  # which question: "mood", or "after" (after group)
