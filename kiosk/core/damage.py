"""Which part of the window a frame must redraw, when the window is kept in a buffer of
its own (kiosk.shell.frame_cache).

On a software renderer a full 1080p frame costs about 50 ms of CPU, and a tip's
cross-fade is most of what an idle lobby draws. When nothing but the watched widget (the
tip card) changed since the last frame, only its rectangle needs drawing again. Anything
else, or any doubt, redraws the whole window: a wrong guess would leave old pixels on the
screen, a cautious one only costs time.

Plain Python. A drawing tree is anything whose groups have `children` and `needs_redraw`
(Kivy's instruction groups): a change anywhere marks every group above it, and drawing a
group clears its mark. Marks on single instructions are not to be trusted (Kivy never
clears some of them), so the groups on the way to the watched one are compared by a
fingerprint of what they hold, taken after the last frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

# x, y, width, height in window pixels, from the lower left (OpenGL's way round)
Rect = tuple[int, int, int, int]
Node = Any  # a drawing group or a single instruction
Fingerprint = Callable[[Node], Hashable]

MAX_DEPTH = 64  # deeper than any widget tree here; a cycle or a runaway tree stops here
PAD_PX = 4  # around the watched widget: its outline's width and antialiasing


def is_group(node: Node) -> bool:
    return getattr(node, "children", None) is not None


def pixel_rect(
    corners: Sequence[tuple[float, float]], bounds: tuple[int, int], pad: int = PAD_PX
) -> Rect | None:
    """The whole-pixel rectangle around `corners`, widened by `pad` and cut to the window
    (`bounds`: its width and height). None if nothing of it is on the window."""
    xs = [x for x, _ in corners]
    ys = [y for _, y in corners]
    if not xs or not all(math.isfinite(v) for v in xs + ys):
        return None
    left = max(0, math.floor(min(xs)) - pad)
    bottom = max(0, math.floor(min(ys)) - pad)
    right = min(bounds[0], math.ceil(max(xs)) + pad)
    top = min(bounds[1], math.ceil(max(ys)) + pad)
    if right <= left or top <= bottom:
        return None
    return left, bottom, right - left, top - bottom


def path_to(root: Node, target: Node, max_depth: int = MAX_DEPTH) -> list[Node] | None:
    """The groups from `root` down to `target` (both included), or None."""
    stack: list[tuple[Node, int]] = [(root, 0)]
    parents: dict[int, Node] = {}
    while stack:
        node, depth = stack.pop()
        if node is target:
            path = [node]
            while id(path[-1]) in parents:
                path.append(parents[id(path[-1])])
            return path[::-1]
        if depth >= max_depth or not is_group(node):
            continue
        for child in node.children:
            if is_group(child) and id(child) not in parents and child is not root:
                parents[id(child)] = node
                stack.append((child, depth + 1))
    return None


@dataclass
class DamageTracker:
    """Remembers, after each frame, the way down to the watched group and what the groups
    on it held; before the next frame, says whether only the watched rectangle changed."""

    fingerprint: Fingerprint
    _path: list[Node] = field(default_factory=list)
    _prints: list[Hashable] = field(default_factory=list)
    _rect: Rect | None = None
    _backdrop: Hashable = None
    partial_frames: int = 0
    full_frames: int = 0

    def region(
        self, root: Node, watched: Node | None, rect: Rect | None, backdrop: Hashable = None
    ) -> Rect | None:
        """The rectangle this frame must redraw, or None for the whole window. `rect` is
        where the watched group is now; `backdrop`, what the whole frame stands on (the
        window's size and clear colour: not in the tree)."""
        area = None if backdrop != self._backdrop else self._only_watched(root, watched, rect)
        if area is None:
            self.full_frames += 1
        else:
            self.partial_frames += 1
        return area

    def drawn(
        self,
        root: Node,
        watched: Node | None,
        rect: Rect | None,
        full: bool,
        backdrop: Hashable = None,
    ) -> None:
        """After a frame: remember the way down and the fingerprints along it. The way is
        looked for again only after a full frame (a partial one changed no group on it)."""
        self._backdrop = backdrop
        if watched is None or rect is None:
            self.forget()
            return
        if full or not self._path or self._path[0] is not root:
            self._path = path_to(root, watched) or []
        self._prints = [self.fingerprint(group) for group in self._path[:-1]]
        self._rect = rect

    def forget(self) -> None:
        self._path, self._prints, self._rect, self._backdrop = [], [], None, None

    def _only_watched(self, root: Node, watched: Node | None, rect: Rect | None) -> Rect | None:
        path = self._path
        if (
            watched is None
            or rect is None
            or rect != self._rect
            or len(path) < 2
            or path[0] is not root
            or path[-1] is not watched
            or not watched.needs_redraw
        ):
            return None
        for group, below, printed in zip(path[:-1], path[1:], self._prints, strict=True):
            if self.fingerprint(group) != printed:
                return None  # the group itself changed (an instruction, added or gone)
            for child in group.children:
                if child is not below and is_group(child) and child.needs_redraw:
                    return None  # something beside the way down changed
        return rect
