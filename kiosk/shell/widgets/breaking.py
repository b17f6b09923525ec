"""Labels whose lines break where the Unicode rules allow (kiosk.words.linebreak), so
Kivy's own wrapping, which cuts a run with no ASCII space anywhere, never cuts a word.

The seam: Kivy's Label draws with a core label (`self._label`, the text provider's
LabelBase), and every change of text, font, size or wrap width ends in one call,
`Label.texture_update`, which renders `self._label.text`. Kivy copies `text` into
`self._label.text` as it changes; just before the render (LadderLabel.before_render,
once the font is on its rung), BreakingLabel puts there the text with a newline at each
line break, measured with that same core label (its font, size and boldness, by
`get_extents`). Each line then fits, so Kivy's wrapping finds nothing left to do.
`text` itself stays as given: tests and the app read it.

`wrapped(core, text)` is the same step for any core label, such as one made only to
measure (kiosk/shell/widgets/fit.py): set `core.text = wrapped(core, text)`, then render.
"""

from __future__ import annotations

from collections import OrderedDict

from kivy.core.text import LabelBase
from kivy.properties import BooleanProperty

from kiosk.shell.widgets.ladder import LadderLabel
from kiosk.words.linebreak import lay_out, tie

# (text, width, font...) -> the text as drawn. The kiosk shows a few hundred texts, each
# at a few sizes and widths; 2,000 short strings are a few hundred kilobytes at most.
CACHE_SIZE = 2000
_cache: OrderedDict[tuple, str] = OrderedDict()

# Options that change how wide a string is drawn (font_name_r: the file the name and
# boldness resolve to).
_FONT_OPTIONS = (
    "font_name_r",
    "font_size",
    "bold",
    "italic",
    "font_hinting",
    "font_kerning",
    "font_features",
    "font_direction",
    "font_script_name",
    "text_language",
    "font_context",
    "font_family",
)


def wrap_width(core: LabelBase) -> float | None:
    """The width the core label wraps at (its text_size width less its side padding), or
    None when it does not wrap: no width, shortened to one line, or justified."""
    size = core.text_size
    width = size[0] if size else None
    options = core.options
    if width is None or options.get("shorten") or options.get("halign") == "justify":
        return None
    padding = options.get("padding") or (0, 0, 0, 0)
    return float(width) - padding[0] - padding[2]


def wrapped(core: LabelBase, text: str, keep_together: bool = True) -> str:
    """`text` with a newline at each line break, for `core`'s font and wrap width (with
    `tie`'s no-break spaces when `keep_together`). As it is when the label does not wrap."""
    width = wrap_width(core)
    if width is None or not text:
        return text
    core.resolve_font_name()  # the font file for the current name and boldness
    options = core.options
    key = (text, width, keep_together, *(options.get(name) for name in _FONT_OPTIONS))
    found = _cache.get(key)
    if found is not None:
        _cache.move_to_end(key)
        return found
    extents = core.get_cached_extents()
    lines = lay_out(tie(text) if keep_together else text, width, lambda s: extents(s)[0])
    found = "\n".join(lines.lines)
    _cache[key] = found
    if len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return found


def clear_cache() -> None:
    _cache.clear()


class BreakingLabel(LadderLabel):
    """A Label that breaks lines at UAX #14 break opportunities when it wraps (it has a
    `text_size` width), and keeps numbers with their words and a short last word with the
    one before (`keep_together`). Plain text only: a markup label is drawn as Kivy does."""

    keep_together = BooleanProperty(True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.fbind("keep_together", self._trigger_texture)

    def before_render(self) -> None:
        if not self.markup:  # a markup label's text is re-set from `text` by Kivy itself
            self._label.text = wrapped(self._label, self.text, self.keep_together)
