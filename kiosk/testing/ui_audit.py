"""Checks a rendered screen the way a careful reviewer would: text that is cut off or
spills out of its box, characters the label's own font cannot draw (tofu), tap targets
that are too small or too close, and text colours too faint on what is behind them.

Used by the tests and by `kiosk preview`, so staff see a problem with a long
translation before residents do. Each check returns plain sentences; none means good.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kivy.core.text import LabelBase
from kivy.core.window import Window
from kivy.metrics import dp
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget
from PIL import Image

from kiosk.shell import theme
from kiosk.words import fonts

TOLERANCE = 1.5  # pixels: rounding in layout is not overflow

Rect = tuple[float, float, float, float]  # x, y, right, top in window coordinates


def walk(widget) -> Iterator[Widget]:
    for child in widget.children:
        yield child
        yield from walk(child)


def visible(widget: Widget) -> bool:
    """Attached to the window, has area, and neither it nor a parent is faded out."""
    if widget.width <= 0 or widget.height <= 0:
        return False
    node = widget
    while node is not None and node is not Window:
        if getattr(node, "opacity", 1) <= 0:
            return False
        node = node.parent
    return node is Window


def shown(widget: Widget) -> bool:
    """Visible, takes touches, and its centre is on the screen (so a tap can reach it)."""
    if widget.disabled or not visible(widget):
        return False
    x, y = widget.to_window(*widget.center)
    return 0 <= x <= Window.width and 0 <= y <= Window.height


def scope(root) -> Widget:
    """What a resident can see and reach: an open modal layer (such as the language
    chooser, which dims and blocks all behind it), else the whole of `root`."""
    layers = [w for w in walk(root) if getattr(w, "modal", False) and visible(w)]
    return layers[-1] if layers else root


def _rect(widget: Widget) -> Rect:
    x, y = widget.to_window(widget.x, widget.y)
    return (x, y, x + widget.width, y + widget.height)


def _ink_rect(label: Label) -> Rect:
    """Where the label's texture is drawn: centred on the widget, at its own size."""
    tw, th = label.texture_size
    cx, cy = label.to_window(*label.center)
    return (cx - tw / 2, cy - th / 2, cx + tw / 2, cy + th / 2)


def _inside(inner: Rect, outer: Rect) -> bool:
    return (
        inner[0] >= outer[0] - TOLERANCE
        and inner[1] >= outer[1] - TOLERANCE
        and inner[2] <= outer[2] + TOLERANCE
        and inner[3] <= outer[3] + TOLERANCE
    )


def _scrolled_out(widget: Widget) -> bool:
    """Not wholly inside the view of a scrolling list that holds it: a resident scrolls
    to it, and there it is checked like the rest."""
    node = widget.parent
    while node is not None and node is not Window:
        if isinstance(node, ScrollView):
            return not _inside(_rect(widget), _rect(node))
        node = node.parent
    return False


def _texts(root: Widget) -> Iterator[Label]:
    for widget in walk(scope(root)):
        if (
            isinstance(widget, Label)
            and widget.text.strip()
            and visible(widget)
            and not _scrolled_out(widget)
        ):
            yield widget


def _name(label: Label) -> str:
    text = " ".join(label.text.split())
    return repr(text if len(text) <= 40 else text[:39] + "…")


# --- text that does not fit ------------------------------------------------------------------


def _needed_height(label: Label) -> float:
    """How tall the label's text is at its wrap width with no height limit. A label with a
    fixed text height silently drops the lines that do not fit, so we measure afresh."""
    options = dict(label._label.options)
    options["text_size"] = (label.text_size[0], None)
    measure = type(label._label)(**options)
    measure.text = label.text
    return measure.render()[1]


def text_problems(root: Widget) -> list[str]:
    """Text cut off by its own box, spilling out of a parent, off the screen, or drawn
    over other text."""
    found = []
    screen = (0.0, 0.0, float(Window.width), float(Window.height))
    labels = list(_texts(root))
    for label in labels:
        ink = _ink_rect(label)
        tw, th = label.texture_size
        if tw > label.width + TOLERANCE or th > label.height + TOLERANCE:
            found.append(f"{_name(label)} is bigger than its box ({tw:.0f}x{th:.0f} in"
                         f" {label.width:.0f}x{label.height:.0f})")  # fmt: skip
            continue
        bound = label.text_size[1] if label.text_size else None
        needed = _needed_height(label) if bound is not None else 0
        if bound is not None and needed > bound + TOLERANCE:
            found.append(f"{_name(label)} is cut off: it needs {needed:.0f} px of height,"
                         f" its box has {bound:.0f}")  # fmt: skip
            continue
        if not _inside(ink, screen):
            found.append(f"{_name(label)} runs off the screen")
            continue
        node = label.parent
        while node is not None and node is not Window and not isinstance(node, ScrollView):
            if node.width > 0 and node.height > 0 and not _inside(ink, _rect(node)):
                found.append(f"{_name(label)} spills out of its {type(node).__name__}")
                break
            node = node.parent
    inks = [(label, _ink_rect(label)) for label in labels]
    for i, (a, ra) in enumerate(inks):
        for b, rb in inks[i + 1 :]:
            w = min(ra[2], rb[2]) - max(ra[0], rb[0])
            h = min(ra[3], rb[3]) - max(ra[1], rb[1])
            if w > 2 * TOLERANCE and h > 2 * TOLERANCE:
                found.append(f"{_name(a)} and {_name(b)} are drawn over each other")
    return found


# --- characters the font cannot draw ---------------------------------------------------------


def font_file(label: Label) -> Path:
    """The file a label really renders with: its registered face, regular or bold."""
    registered = LabelBase._fonts.get(label.font_name)
    if registered is None:
        return Path(label.font_name)
    regular, _italic, bold, _bold_italic = registered
    return Path(bold if label.bold and bold else regular)


def glyph_problems(root: Widget) -> list[str]:
    """Characters on screen that the label's own font has no glyph for (tofu boxes)."""
    found = []
    for label in _texts(root):
        path = font_file(label)
        cmap = fonts.charmap(path)
        gaps = {c for c in label.text if ord(c) not in cmap and c.isprintable() and c != "\n"}
        if gaps:
            found.append(f"{_name(label)} in {path.name} has no glyph for {fonts.describe(gaps)}")
    return found


# --- tap targets -----------------------------------------------------------------------------


def target_problems(root: Widget, min_size: float | None = None, min_gap: float | None = None):
    """Controls smaller than 48 dp, or closer than 8 dp to another control."""
    min_size = dp(theme.MIN_TARGET_DP) if min_size is None else min_size
    min_gap = dp(theme.MIN_GAP_DP) if min_gap is None else min_gap
    targets = [w for w in walk(scope(root)) if getattr(w, "target", "") and shown(w)]
    found = []
    for widget in targets:
        if widget.width < min_size - 0.5 or widget.height < min_size - 0.5:
            found.append(f"{widget.target!r} is {widget.width:.0f}x{widget.height:.0f} px,"
                         f" smaller than {min_size:.0f}")  # fmt: skip
    rects = [(w, _rect(w)) for w in targets]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1 :]:
            if _inside(ra, rb) or _inside(rb, ra):
                continue  # one control inside another (a card and its button)
            gap = max(rb[0] - ra[2], ra[0] - rb[2], rb[1] - ra[3], ra[1] - rb[3])
            if gap < min_gap - 0.5:
                found.append(f"{a.target!r} and {b.target!r} are {max(gap, 0):.0f} px apart,"
                             f" closer than {min_gap:.0f}")  # fmt: skip
    return found


# --- QR codes --------------------------------------------------------------------------------


def qr_problems(root: Widget) -> list[str]:
    """QR codes drawn larger than their box, or under a control a finger might aim for."""
    from kiosk.shell.widgets.qr_image import QrImage

    found = []
    widgets = list(walk(scope(root)))
    targets = [w for w in widgets if getattr(w, "target", "") and shown(w)]
    for code in widgets:
        if not isinstance(code, QrImage) or not code.symbol_side or not visible(code):
            continue
        side = code.symbol_side
        cx, cy = code.to_window(*code.center)
        drawn = (cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)
        if side > min(code.size) + TOLERANCE:
            found.append(f"the QR code for {code.link!r} is drawn larger than its box")
        holders = set()
        node = code.parent
        while node is not None and node is not Window:
            holders.add(node)
            node = node.parent
        for target in targets:
            if target in holders:
                continue  # a control that holds the code (the tip card)
            r = _rect(target)
            w = min(drawn[2], r[2]) - max(drawn[0], r[0])
            h = min(drawn[3], r[3]) - max(drawn[1], r[1])
            if w > TOLERANCE and h > TOLERANCE:
                found.append(f"the QR code for {code.link!r} covers {target.target!r}")
    return found


# --- contrast --------------------------------------------------------------------------------


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02X}" for c in rgb[:3])


def contrast_problems(root: Widget, image: Image.Image, minimum: float = theme.BODY_TEXT):
    """Text whose colour is too faint against the colour most of its box is painted in,
    read from the rendered pixels (so a kv rule that pairs the wrong colours is caught)."""
    found = []
    height = image.height
    for label in _texts(root):
        if label.color[3] < 0.99:
            continue  # a fading label is mid-animation, not a resting state
        x, y, right, top = _rect(label)
        box = (int(max(0, x)), int(max(0, height - top)), int(min(image.width, right)),
               int(min(height, height - y)))  # fmt: skip
        if box[2] - box[0] < 2 or box[3] - box[1] < 2:
            continue
        crop = image.crop(box).convert("RGB")
        # The background is the most common colour: every third pixel finds it as well.
        crop = crop.resize((max(1, crop.width // 3), max(1, crop.height // 3)), Image.NEAREST)
        # Pillow sizes its table by `maxcolors`: the pixel count bounds it, and is 200x faster.
        colours = crop.getcolors(maxcolors=crop.width * crop.height) or []
        if not colours:
            continue
        background = max(colours)[1]
        ratio = theme.contrast_ratio(_hex(label.color), _hex([c / 255 for c in background]))
        if ratio < minimum:
            found.append(f"{_name(label)}: {ratio:.2f}:1 on its background, needs {minimum}:1")
    return found
