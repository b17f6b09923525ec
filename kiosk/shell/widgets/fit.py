"""Labels that pick the largest font (a rung of the app's ladder) at which their text fits.

Each candidate size is measured with the text engine's layout alone, without drawing a
texture, and the label is then drawn once, at the size found."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import NumericProperty

from kiosk.shell.theme import FONT_RUNGS, font_rung
from kiosk.shell.widgets.breaking import BreakingLabel, wrapped


def rungs_between(largest: float, smallest: float) -> list[float]:
    """The ladder's rungs from `largest`'s down to `smallest`'s (theme.font_rung), largest
    first: a fitted label shares its faces with every other label on the ladder."""
    top, bottom = font_rung(largest), font_rung(smallest)
    return [r for r in reversed(FONT_RUNGS) if bottom <= r <= top] or [top]


class _Fitting(BreakingLabel):
    max_font_size = NumericProperty(40)
    min_ratio = 0.5  # never smaller than this share of max_font_size

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._fit_soon = Clock.create_trigger(self._fit, -1)
        self.bind(
            width=self._fit_soon,
            text=self._fit_soon,
            max_font_size=self._fit_soon,
            font_name=self._fit_soon,
            bold=self._fit_soon,
        )

    def _wrap_width(self) -> float | None:
        return None

    def _fits(self, width: float, height: float) -> bool:
        raise NotImplementedError

    def _measure(self, size: float, wrap_width: float | None = None) -> tuple[float, float]:
        options = dict(self._label.options)
        wrap = self._wrap_width() if wrap_width is None else wrap_width
        options.update(font_size=size, text_size=(wrap, None))
        measure = type(self._label)(**options)
        measure.text = wrapped(measure, self.text, self.keep_together)
        return measure.render()

    def _largest(self, fits, wrap_width: float | None = None) -> float:
        sizes = rungs_between(self.max_font_size, self.max_font_size * self.min_ratio)
        chosen = sizes[-1]
        low, high = 0, len(sizes) - 1
        while low <= high:  # a smaller font never takes more room: search the rungs
            middle = (low + high) // 2
            if fits(*self._measure(sizes[middle], wrap_width)):
                chosen, high = sizes[middle], middle - 1
            else:
                low = middle + 1
        return chosen

    def _fit(self, *_args) -> None:
        if self.width <= 1:
            return  # not laid out yet
        chosen = self._largest(self._fits)
        self.text_size = (self._wrap_width(), None)
        self.font_size = chosen


class FitLabel(_Fitting):
    """A wrapping label, as tall as its text, whose font shrinks (to half at most) until
    the text fits in `fit_height`."""

    fit_height = NumericProperty(0)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bind(fit_height=self._fit_soon)

    def _wrap_width(self) -> float | None:
        return self.width

    def _fits(self, _width: float, height: float) -> bool:
        return self.fit_height <= 0 or height <= self.fit_height

    def largest_in(self, width: float, height: float) -> float:
        """The font size this text would get in a box of `width` x `height`."""
        return self._largest(lambda _w, h: h <= height, max(width, 1.0))


class OneLineLabel(_Fitting):
    """A single line whose font shrinks (to 60% at most) to stay within `fit_width`."""

    fit_width = NumericProperty(0)
    min_ratio = 0.6

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bind(fit_width=self._fit_soon)

    def _fits(self, width: float, _height: float) -> bool:
        return self.fit_width <= 0 or width <= self.fit_width
