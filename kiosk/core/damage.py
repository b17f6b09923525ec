"""Which part of the window a frame must redraw, when the window is kept in a buffer of
its own (kiosk.shell.frame_cache).

On a software renderer a full 1080p frame costs about 50 ms of CPU, and an idle lobby
draws little but a tip's cross-fade and the clock's minute. When nothing but watched
groups (the tip card, the clock) changed since the last frame, only their rectangle needs
drawing again. Anything else, or any doubt, redraws the whole window: a wrong guess would
leave old pixels on the screen, a cautious one only costs time.

Plain Python. A drawing tree is anything whose groups have `children` and `needs_redraw`
(Kivy's instruction groups): a change anywhere marks every group above it, and drawing a
group clears its mark. Marks on single instructions are not to be trusted (Kivy never
clears some of them), so the groups on the way down to the watched ones are compared by a
fingerprint of what they hold, taken after the last frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
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


def union(rects: Iterable[Rect]) -> Rect | None:
    """The smallest rectangle around all of `rects`, or None for none."""
    rects = list(rects)
    if not rects:
        return None
    left = min(r[0] for r in rects)
    bottom = min(r[1] for r in rects)
    right = max(r[0] + r[2] for r in rects)
    top = max(r[1] + r[3] for r in rects)
    return left, bottom, right - left, top - bottom


def paths_to(root: Node, targets: Iterable[Node], max_depth: int = MAX_DEPTH) -> list[list[Node]]:
    """For each of `targets` found below `root`, the groups from `root` down to it (both
    included): one walk for all of them."""
    wanted = {id(target): target for target in targets}
    found: list[list[Node]] = []
    parents: dict[int, Node] = {}
    stack: list[tuple[Node, int]] = [(root, 0)]
    while stack and len(found) < len(wanted):
        node, depth = stack.pop()
        if wanted.get(id(node)) is node:
            path = [node]
            while id(path[-1]) in parents:
                path.append(parents[id(path[-1])])
            found.append(path[::-1])
        if depth >= max_depth or not is_group(node):
            continue
        for child in node.children:
            if is_group(child) and id(child) not in parents and child is not root:
                parents[id(child)] = node
                stack.append((child, depth + 1))
    return found


Watched = Sequence[tuple[Node, Rect]]  # watched groups in view, and where each is now


@dataclass
class DamageTracker:
    """Remembers, after each frame, the ways down to the watched groups and what the
    groups on them held; before the next frame, says whether only watched groups changed,
    and where."""

    fingerprint: Fingerprint
    _above: dict[int, Node] = field(default_factory=dict)  # groups on a way down
    _prints: dict[int, Hashable] = field(default_factory=dict)
    _seen: tuple = ()  # the watched groups at the last frame
    _rects: dict[int, Rect] = field(default_factory=dict)  # and where each was
    _backdrop: Hashable = None
    partial_frames: int = 0
    full_frames: int = 0

    def region(self, root: Node, watched: Watched, backdrop: Hashable = None) -> Rect | None:
        """The rectangle this frame must redraw, or None for the whole window. `backdrop`:
        what the whole frame stands on (the window's size and clear colour: not in the
        tree)."""
        area = None
        if backdrop == self._backdrop and _ids(watched) == self._seen:
            area = self._changed(root, watched)
        if area is None:
            self.full_frames += 1
        else:
            self.partial_frames += 1
        return area

    def drawn(self, root: Node, watched: Watched, full: bool, backdrop: Hashable = None) -> None:
        """After a frame: remember the ways down and the fingerprints along them. The ways
        are looked for again only after a full frame (a partial one changed no group on
        them)."""
        self._backdrop = backdrop
        seen = _ids(watched)
        self._rects = {id(group): rect for group, rect in watched}
        if full or seen != self._seen:
            self._above = {
                id(group): group
                for path in paths_to(root, [group for group, _ in watched])
                for group in path[:-1]
            }
            self._seen = seen
        self._prints = {key: self.fingerprint(group) for key, group in self._above.items()}

    def forget(self) -> None:
        self._above, self._prints, self._seen, self._backdrop = {}, {}, (), None
        self._rects = {}

    def _changed(self, root: Node, watched: Watched) -> Rect | None:
        rects = {id(group): (group, rect) for group, rect in watched}
        above = self._above
        if above.get(id(root)) is not root:
            return None
        areas: list[Rect] = []
        stack = [root]
        while stack:
            group = stack.pop()
            mine = rects.get(id(group))
            if mine is not None and mine[0] is group:
                areas.append(mine[1])  # changed inside: its rectangle, whatever changed
                continue
            if above.get(id(group)) is not group:
                return None
            if self.fingerprint(group) != self._prints.get(id(group)):
                return None  # the group itself changed (an instruction, added or gone)
            for child in group.children:
                if is_group(child) and child.needs_redraw:
                    key = id(child)
                    ours = above.get(key) is child or rects.get(key, (None,))[0] is child
                    if not ours:
                        return None  # something off the ways down changed
                    stack.append(child)
        for key, (_group, rect) in rects.items():
            before = self._rects.get(key)
            if before != rect:  # it moved or changed size (a clock's digits): where it was, too
                areas += [rect] if before is None else [rect, before]
        return union(areas)


def _ids(watched: Watched) -> tuple:
    return tuple(id(group) for group, _ in watched)
