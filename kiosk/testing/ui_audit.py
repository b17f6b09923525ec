"""Checks a rendered screen the way a careful reviewer would: text that is cut off or
spills out of its box, characters the label's own font cannot draw (tofu), tap targets
that are too small or too close, and text colours too faint on what is behind them;
words cut across lines, text drawn over a badge or picture, controls cut off by the
screen's edge, and text that shrinks when a resident asks for larger text.

Used by the tests and by `kiosk preview`, so staff see a problem with a long
translation before residents do. Each check returns plain sentences; none means good.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from kivy.core.text import LabelBase
from kivy.core.window import Window
from kivy.graphics import Color, Line, Rectangle
from kivy.metrics import dp
from kivy.uix.label import Label
from kivy.uix.relativelayout import RelativeLayout
from kivy.uix.screenmanager import Screen
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget
from PIL import Image

from kiosk.shell import theme
from kiosk.words import fonts, linebreak

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
    fixed text height silently drops the lines that do not fit, so we measure afresh (the
    text as drawn: a BreakingLabel's has its own line breaks)."""
    options = dict(label._label.options)
    options["text_size"] = (label.text_size[0], None)
    measure = type(label._label)(**options)
    measure.text = label._label.text or label.text
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


def drawn_font_size(label: Label) -> float:
    """The size the text engine draws a label's text at (a rung, for the kiosk's labels)."""
    return float(label._label.options["font_size"])


def ladder_problems(root: Widget) -> list[str]:
    """Texts drawn off the app's font ladder (theme.font_rung): each such size opens a
    face of its own, which for Chinese is about 2 MB kept for good."""
    found = []
    for label in _texts(root):
        size = drawn_font_size(label)
        if theme.font_rung(size) != size:
            found.append(f"{_name(label)} is drawn at {size:g} px, off the font ladder")
    return found


# --- tap targets -----------------------------------------------------------------------------


def _reachable_rect(widget: Widget) -> Rect | None:
    """The part of a control that a finger can reach: all of it, or for a control in a
    scrolling list the part the list shows (None when it is scrolled out of sight)."""
    x, y, right, top = _rect(widget)
    node = widget.parent
    while node is not None and node is not Window:
        if isinstance(node, ScrollView):
            sx, sy, sr, st = _rect(node)
            x, y, right, top = max(x, sx), max(y, sy), min(right, sr), min(top, st)
        node = node.parent
    return (x, y, right, top) if right > x and top > y else None


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
    # A control in a scrolling list can be touched only where the list shows it.
    rects = [(w, r) for w in targets if (r := _reachable_rect(w)) is not None]
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


# --- words cut across lines ------------------------------------------------------------------


def rendered_lines(label: Label) -> list[str]:
    """The lines the text engine laid the label out in, top to bottom, as drawn."""
    return ["".join(word.text for word in line.words) for line in label._label._cached_lines]


def _around(before: str, after: str) -> str:
    before = before if len(before) <= 12 else "…" + before[-11:]
    after = after if len(after) <= 12 else after[:11] + "…"
    return f"{before!r} / {after!r}"


def broken_word_problems(root: Widget) -> list[str]:
    """Text whose lines break where the Unicode line-breaking rules (UAX #14) allow no
    break: inside a word ("Napakabut" / "i"), or before closing punctuation ("。" at a
    line start). Breaks between Chinese characters are allowed, so they are not flagged."""
    found = []
    for label in _texts(root):
        lines = rendered_lines(label)
        if len(lines) < 2 or label.markup:
            continue
        for before, after in linebreak.bad_breaks(label.text, lines):
            if before[-1:].isalnum() and after[:1].isalnum():
                found.append(f"{_name(label)} cuts a word across lines: {_around(before, after)}")
            else:
                found.append(f"{_name(label)} breaks a line where no break is allowed:"
                             f" {_around(before, after)}")  # fmt: skip
    return found


# --- text drawn over something else ----------------------------------------------------------


def text_box(label: Label) -> Rect:
    """Where the label's letters are: its texture is centred on the widget, and inside it
    each line is placed by `halign` and the block of lines by `valign` (as Kivy's text
    engine places them), so a short left-aligned line in a wide box claims only its part."""
    tw, th = label.texture_size
    cx, cy = label.to_window(*label.center)
    left, top = cx - tw / 2, cy + th / 2
    core = label._label
    lines = core._cached_lines
    if not lines:
        return (left, cy - th / 2, left + tw, top)
    pad_left, pad_top, pad_right, _pad_bottom = core.options["padding"]
    halign = core.options["halign"]
    x0, x1 = float(tw), 0.0
    for line in lines:
        spare = tw - line.w
        if halign == "center":
            x = min(int(spare), max(int(pad_left), int((spare + pad_left - pad_right) / 2)))
        elif halign == "right":
            x = max(0, int(spare - pad_right))
        else:
            x = pad_left
        width = tw - pad_left - pad_right if halign == "justify" else line.w
        x0, x1 = min(x0, x), max(x1, x + width)
    inner = core._internal_size[1]  # the lines and the padding
    valign = core.options["valign"]
    if valign == "bottom":
        y = th - inner + pad_top
    elif valign in ("middle", "center"):
        y = (th - inner + 2 * pad_top) / 2
    else:
        y = pad_top
    block = sum(line.h for line in lines)
    return (left + x0, top - y - block, left + x1, top - y)


def _to_window(widget: Widget, x: float, y: float) -> tuple[float, float]:
    # A RelativeLayout draws its own canvas in its own coordinates; other widgets in
    # their parent's, as their `pos` is.
    return widget.to_window(x, y, initial=not isinstance(widget, RelativeLayout))


def _painted(widget: Widget, canvases) -> list[tuple[Rect, bool]]:
    """The shapes a widget paints, in window coordinates: (box, is an outline). Clear
    shapes, and the one-pixel stand-ins for hidden ones, are left out."""
    shapes = []
    alpha = 1.0
    for canvas in canvases:
        for item in canvas.children:
            if isinstance(item, Color):
                alpha = item.a
            elif alpha <= 0.02:
                continue
            elif isinstance(item, Rectangle):  # with RoundedRectangle, Ellipse, images
                (x, y), (w, h) = item.pos, item.size
                if w > 1 and h > 1:
                    x0, y0 = _to_window(widget, x, y)
                    shapes.append(((x0, y0, x0 + w, y0 + h), False))
            elif isinstance(item, Line):
                points = item.points
                if points:  # a line between points: its stroke's box
                    half = item.width / 2
                    xs, ys = points[::2], points[1::2]
                    x0, y0 = _to_window(widget, min(xs) - half, min(ys) - half)
                    x1, y1 = _to_window(widget, max(xs) + half, max(ys) + half)
                    shapes.append(((x0, y0, x1, y1), True))
                else:  # a rectangle, rounded or not: every outline here is of its widget
                    shapes.append((_rect(widget), True))
    return shapes


def _boxes(widget: Widget) -> list[tuple[Rect, str]]:
    """What a widget draws that other text must keep clear of: pictures and filled shapes,
    the strokes of outlines, and its letters (a label), in that order."""
    if isinstance(widget, Label):
        canvases = (widget.canvas.before, widget.canvas.after)
    else:
        canvases = (widget.canvas.before, widget.canvas, widget.canvas.after)
    boxes = [
        (rect, "outline" if outline else "shape") for rect, outline in _painted(widget, canvases)
    ]
    boxes.sort(key=lambda box: box[1] == "outline")
    if isinstance(widget, Label) and widget.text.strip() and widget.texture:
        boxes.append((text_box(widget), "text"))
    return boxes


def _crosses(text: Rect, box: Rect, kind: str) -> bool:
    w = min(text[2], box[2]) - max(text[0], box[0])
    h = min(text[3], box[3]) - max(text[1], box[1])
    if w <= 2 * TOLERANCE or h <= 2 * TOLERANCE:
        return False
    if kind != "outline":
        return True
    margin = 2 * TOLERANCE  # text inside a frame is fine; text across its stroke is not
    inner = (box[0] + margin, box[1] + margin, box[2] - margin, box[3] - margin)
    return not _inside(text, inner) or min(box[2] - box[0], box[3] - box[1]) < 4 * margin


def _ancestors(widget: Widget) -> list[Widget]:
    found = []
    node = widget.parent
    while node is not None and node is not Window:
        found.append(node)
        node = node.parent
    return found


def _card(label: Label, ancestors: list[Widget], top: Widget) -> Widget:
    """The container a text belongs to: the nearest control, screen, or widget that paints
    a filled surface behind it (a card, a tile, a header), else the whole of `top`."""
    for node in ancestors:
        if node is top or getattr(node, "target", "") or isinstance(node, Screen):
            return node
        if any(not outline for _rect, outline in _painted(node, (node.canvas.before,))):
            return node
    return top


def _describe(widget: Widget, kind: str) -> str:
    from kiosk.shell.widgets.qr_image import QrImage

    if kind == "text":
        return _name(widget)
    if isinstance(widget, QrImage):
        return f"the QR code for {widget.link!r}"
    thing = "outline" if kind == "outline" else "background"
    target = getattr(widget, "target", "")
    if isinstance(widget, Label) and widget.text.strip():
        return f"the {thing} of {_name(widget)}"
    if target:
        return f"the {thing} of {target!r}"
    words = next((w for w in walk(widget) if isinstance(w, Label) and w.text.strip()), None)
    holding = f" holding {_name(words)}" if words is not None else ""
    return f"the {thing} of a {type(widget).__name__}{holding}"


def overlap_problems(root: Widget) -> list[str]:
    """Text drawn over another visible thing in its own card or container: another text,
    a badge's pill, a picture or QR code, a drawn shape, a control's outline. What holds
    the text (its card's surface, a button's own fill) is behind it by design, and is not
    compared; nor are things in other cards (text_problems finds text out of its box)."""
    top = scope(root)
    found = []
    seen: set[frozenset[int]] = set()
    boxes: dict[int, list[tuple[Rect, str]]] = {}
    for label in _texts(root):
        ancestors = _ancestors(label)
        card = _card(label, ancestors, top)
        holders = {id(node) for node in ancestors}
        mine = text_box(label)
        for other in walk(card):
            if other is label or id(other) in holders or not visible(other):
                continue
            if id(other) not in boxes:
                boxes[id(other)] = [] if _scrolled_out(other) else _boxes(other)
            pair = frozenset((id(label), id(other)))
            if pair in seen:
                continue
            for box, kind in boxes[id(other)]:
                if _crosses(mine, box, kind):
                    seen.add(pair)  # once a pair: the first of its shapes, outlines, letters
                    found.append(f"{_name(label)} is drawn over {_describe(other, kind)}")
                    break
    return found


# --- controls cut off ------------------------------------------------------------------------


def _screen_of(widget: Widget) -> Widget | None:
    for node in _ancestors(widget):
        if isinstance(node, Screen):
            return node
    return None


def _all_drawn(label: Label) -> bool:
    """Every character of the text is on one of the lines drawn (none dropped by a height
    limit or `max_lines`, none left out for "...")."""
    if label.markup or not label._label._cached_lines:
        return True
    drawn = sum(not c.isspace() for line in rendered_lines(label) for c in line)
    return drawn >= sum(not c.isspace() for c in (label._label.text or label.text))


def clipped_control_problems(root: Widget) -> list[str]:
    """Controls a resident cannot fully see: partly off the window, sticking out of their
    screen, or with their words cut (too big for the control, shortened, lines dropped)."""
    window = (0.0, 0.0, float(Window.width), float(Window.height))
    found = []
    for widget in walk(scope(root)):
        target = getattr(widget, "target", "")
        if not target or widget.disabled or not visible(widget) or _scrolled_out(widget):
            continue
        box = _rect(widget)
        screen = _screen_of(widget)
        if not _inside(box, window):
            found.append(f"{target!r} is partly off the screen")
        elif screen is not None and visible(screen) and not _inside(box, _rect(screen)):
            found.append(f"{target!r} sticks out of its screen")
        labels = [widget] if isinstance(widget, Label) else list(walk(widget))
        for label in labels:
            if not isinstance(label, Label) or not label.text.strip() or not visible(label):
                continue
            tw, th = label.texture_size
            if label.is_shortened or not _all_drawn(label):
                found.append(f"{target!r} has its words cut: {_name(label)}")
            elif tw > label.width + TOLERANCE or th > label.height + TOLERANCE:
                found.append(f"{target!r} has words too big for it: {_name(label)}")
            elif not _inside(_ink_rect(label), box):
                found.append(f"{target!r} has words spilling out of it: {_name(label)}")
    return found


# --- text that shrinks at a larger text size -------------------------------------------------

STEPS = ("normal", "large", "xlarge")


def text_sizes(root: Widget) -> dict[str, float]:
    """The font size (px) of each visible text, keyed the same way at every text size:
    the text, after the name of the control it is in ("checkin: Check in"); a repeat of
    the same key gets " #2", " #3" in the order the widgets are laid out."""
    sizes: dict[str, float] = {}
    for label in _texts(root):
        target = next(
            (w.target for w in (label, *_ancestors(label)) if getattr(w, "target", "")), ""
        )
        words = " ".join(label.text.split())
        key = f"{target}: {words}" if target else words
        base, count = key, 1
        while key in sizes:
            count += 1
            key = f"{base} #{count}"
        sizes[key] = drawn_font_size(label)
    return sizes


def smaller_at_larger_step(sizes_by_step: Mapping[str, Mapping[str, float]]) -> list[str]:
    """Texts drawn smaller at a larger text size than at the size before, from one
    screen's `text_sizes` at each step ({"normal": {...}, "large": {...}, ...}; steps
    named in STEPS go in that order, any others after them as given)."""
    order = sorted(
        sizes_by_step,
        key=lambda s: (STEPS.index(s) if s in STEPS else len(STEPS), list(sizes_by_step).index(s)),
    )
    found = []
    last: dict[str, tuple[str, float]] = {}
    for step in order:
        for key, size in sizes_by_step[step].items():
            if key in last and size < last[key][1] - 0.5:
                before, was = last[key]
                found.append(f"{key!r} is {size:.0f} px at {step}, smaller than {was:.0f} px at"
                             f" {before}")  # fmt: skip
            last[key] = (step, size)
    return found
