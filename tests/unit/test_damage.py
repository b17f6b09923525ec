"""Which part of the window a frame redraws: only the watched rectangles when nothing else
changed, the whole window on any change elsewhere or any doubt."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.damage import DamageTracker, paths_to, pixel_rect, union


class Group:
    """A drawing group as Kivy has it: a change below marks every group above it."""

    def __init__(self, *children, name: str = "") -> None:
        self.children = list(children)
        self.parent: Group | None = None
        self.needs_redraw = True
        self.name = name
        for child in children:
            child.parent = self

    def mark(self) -> None:
        node = self
        while node is not None:
            node.needs_redraw = True
            node = node.parent


class Leaf:
    def __init__(self, setting: object = 0) -> None:
        self.setting = setting
        self.parent: Group | None = None

    def change(self, setting: object) -> None:
        self.setting = setting
        if self.parent is not None:
            self.parent.mark()


def draw(node) -> None:
    if isinstance(node, Group):
        node.needs_redraw = False
        for child in node.children:
            draw(child)


def fingerprint(group: Group) -> tuple:
    return tuple((id(c), None if isinstance(c, Group) else c.setting) for c in group.children)


CARD_RECT = (100, 50, 400, 300)
CLOCK_RECT = (20, 500, 80, 30)


def lobby():
    """root > screens > home > (header, body > (card > face, clock))"""
    face = Group(Leaf("tip 1"), name="face")
    card = Group(Leaf("surface"), face, name="card")
    clock = Group(Leaf("5:45"), name="clock")
    body_colour = Leaf("cream")
    body = Group(body_colour, card, clock, name="body")
    header = Group(Leaf("title"), name="header")
    home = Group(Leaf("backdrop"), header, body, name="home")
    root = Group(Group(home, name="screens"), name="root")
    return root, card, face, clock, body, body_colour, header


def frame(tracker, root, card, rect=CARD_RECT, backdrop=("1920x1080", "dark"), also=()):
    watched = [(card, rect), *also]
    area = tracker.region(root, watched, backdrop)
    draw(root)
    tracker.drawn(root, watched, area is None, backdrop)
    return area


def test_a_change_inside_the_card_alone_redraws_only_the_card() -> None:
    root, card, face, *_ = lobby()
    tracker = DamageTracker(fingerprint)
    assert frame(tracker, root, card) is None  # the first frame: all of it
    face.children[0].change("tip 2")
    assert frame(tracker, root, card) == CARD_RECT
    card.children[0].change("surface, a step on")
    assert frame(tracker, root, card) == CARD_RECT
    assert (tracker.partial_frames, tracker.full_frames) == (2, 1)


def test_a_change_beside_the_card_redraws_everything() -> None:
    root, card, face, clock, *_ = lobby()
    tracker = DamageTracker(fingerprint)
    frame(tracker, root, card)
    face.children[0].change("tip 2")
    clock.children[0].change("5:46")
    assert frame(tracker, root, card) is None


def test_a_change_in_a_group_on_the_way_down_redraws_everything() -> None:
    """The body's own colour changed while the card faded: the body's mark cannot tell
    (it is marked for the card anyway); its fingerprint can."""
    root, card, face, _clock, _body, body_colour, _header = lobby()
    tracker = DamageTracker(fingerprint)
    frame(tracker, root, card)
    face.children[0].change("tip 2")
    body_colour.change("night blue")
    assert frame(tracker, root, card) is None


def test_an_instruction_added_on_the_way_down_redraws_everything() -> None:
    root, card, face, _clock, body, *_ = lobby()
    tracker = DamageTracker(fingerprint)
    frame(tracker, root, card)
    face.children[0].change("tip 2")
    body.children.insert(0, Leaf("a shadow"))
    assert frame(tracker, root, card) is None


def test_a_card_that_moved_redraws_both_places_and_a_new_backdrop_everything() -> None:
    root, card, face, *_ = lobby()
    tracker = DamageTracker(fingerprint)
    frame(tracker, root, card)
    face.children[0].change("tip 2")
    moved = (104, 50, 400, 300)  # the card alone moved: where it was and where it is
    assert frame(tracker, root, card, rect=moved) == union([CARD_RECT, moved])
    face.children[0].change("tip 3")
    assert frame(tracker, root, card, backdrop=("1920x1080", "night")) is None


def test_no_card_in_view_or_no_change_in_it_redraws_everything() -> None:
    root, card, face, _clock, _body, _colour, header = lobby()
    tracker = DamageTracker(fingerprint)
    frame(tracker, root, card)
    header.children[0].change("a new title")  # the card unchanged: nothing to keep to
    assert frame(tracker, root, card) is None
    face.children[0].change("tip 2")
    assert tracker.region(root, []) is None  # another screen: nothing watched in view


def test_several_watched_groups_redraw_the_rectangle_around_those_that_changed() -> None:
    root, card, face, clock, *_ = lobby()
    tracker = DamageTracker(fingerprint)
    both = [(clock, CLOCK_RECT)]
    frame(tracker, root, card, also=both)
    clock.children[0].change("5:46")  # the minute, alone
    assert frame(tracker, root, card, also=both) == CLOCK_RECT
    clock.children[0].change("5:47")
    face.children[0].change("tip 2")  # and a tip in the same frame
    assert frame(tracker, root, card, also=both) == union([CARD_RECT, CLOCK_RECT])
    assert frame(tracker, root, card, also=both) is None  # nothing changed: no way to keep


def test_a_partial_frame_keeps_the_way_down_for_the_next() -> None:
    root, card, face, *_ = lobby()
    tracker = DamageTracker(fingerprint)
    frame(tracker, root, card)
    for step in range(3):  # a fade's three steps
        face.children[0].change(f"step {step}")
        assert frame(tracker, root, card) == CARD_RECT


def test_forget_starts_over_with_a_full_frame() -> None:
    root, card, face, *_ = lobby()
    tracker = DamageTracker(fingerprint)
    frame(tracker, root, card)
    tracker.forget()  # the window was resized
    face.children[0].change("tip 2")
    assert frame(tracker, root, card) is None


def test_the_way_down_is_found_in_any_tree_and_a_loop_ends() -> None:
    root, card, *_ = lobby()
    [path] = paths_to(root, [card])
    names = [getattr(g, "name", "") for g in path]
    assert names == ["root", "screens", "home", "body", "card"]
    assert paths_to(root, [Group()]) == []
    looped = Group(name="a")
    looped.children.append(looped)  # a group inside itself: never in Kivy, still bounded
    assert paths_to(looped, [card]) == []
    deep = target = Group()
    for _ in range(200):
        deep = Group(deep)
    assert paths_to(deep, [target]) == []  # past the depth bound: a full frame, not a hang


def test_pixel_rect_takes_whole_pixels_around_and_stays_on_the_window() -> None:
    assert pixel_rect([(10.2, 20.7), (110.5, 220.1)], (1920, 1080), pad=0) == (10, 20, 101, 201)
    assert pixel_rect([(10, 20), (110, 220)], (1920, 1080), pad=4) == (6, 16, 108, 208)
    assert pixel_rect([(-50, -50), (30, 40)], (1920, 1080), pad=0) == (0, 0, 30, 40)
    assert pixel_rect([(1900, 1000), (2100, 1200)], (1920, 1080), pad=0) == (1900, 1000, 20, 80)
    assert pixel_rect([(3000, 10), (3100, 20)], (1920, 1080)) is None  # off the window
    assert pixel_rect([(float("nan"), 0), (10, 10)], (1920, 1080)) is None


coords = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(coords, coords, coords, coords)
def test_pixel_rect_always_covers_its_corners_within_the_window(x1, y1, x2, y2) -> None:
    bounds = (1920, 1080)
    rect = pixel_rect([(x1, y1), (x2, y2)], bounds, pad=0)
    if rect is None:
        return
    left, bottom, width, height = rect
    assert left >= 0 and bottom >= 0 and width > 0 and height > 0
    assert left + width <= bounds[0] and bottom + height <= bounds[1]
    assert left <= max(0, min(x1, x2)) and bottom <= max(0, min(y1, y2))
    assert left + width >= min(bounds[0], max(x1, x2))
    assert bottom + height >= min(bounds[1], max(y1, y2))
