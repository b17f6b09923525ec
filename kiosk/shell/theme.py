"""Colours, type sizes and fonts: one place for the look, no Kivy import.

Sizes are in "units": pixels at 1080 px on the screen's short side. The shell
multiplies them by the screen's scale and the resident's chosen text size.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path


def hex_rgba(value: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    """ "#RRGGBB" as Kivy's rgba; "" (a colour a palette leaves out) as clear."""
    if not value:
        return (0.0, 0.0, 0.0, 0.0)
    value = value.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, alpha)


@dataclass(frozen=True)
class Palette:
    background: str = "#0E1A2B"
    header: str = "#08121F"
    surface: str = "#17273F"
    text: str = "#F4F6FA"
    muted: str = "#C3CCDA"
    live: str = "#7EE0C3"
    cancelled: str = "#FFB4A8"
    tip_surface: str = "#FFF6E5"
    edge: str = ""  # the outline of cards and the tip card; "" draws none
    tip_text: str = "#1B2430"
    tip_muted: str = "#4A5565"
    badge_text: str = "#0E1A2B"
    badge_drug: str = "#F6C453"
    badge_set: str = "#9CC3FF"
    badge_setting: str = "#7EE0C3"
    marker: str = "#E9C46A"
    danger: str = "#FF9E8F"  # an action that is hard to undo (stopping the kiosk)
    pressed: str = "#3C5A80"
    # Mood faces: warm to cool, but every face also has its words.
    mood_1: str = "#F4A6A0"
    mood_2: str = "#F6C9A0"
    mood_3: str = "#F3E2A0"
    mood_4: str = "#C7E6A8"
    mood_5: str = "#9FDFC4"
    # Night mode: dim grey on black.
    night: str = "#8C8C8C"
    night_background: str = "#000000"
    # The urgent alert band: dark words on warning yellow (yellow on black at night).
    alert: str = "#FFD23F"
    alert_text: str = "#1A1400"


DEFAULT = Palette()

# For low vision: white and yellow on black, every card outlined (a card a shade off
# black is 1.2:1, invisible), and a black tip card: a white one glares in a dark room.
HIGH_CONTRAST = Palette(
    background="#000000",
    header="#000000",
    surface="#1A1A1A",
    text="#FFFFFF",
    muted="#E8E8E8",
    live="#FFE14D",
    cancelled="#FFB3A8",
    tip_surface="#000000",
    edge="#BDBDBD",
    tip_text="#FFFFFF",
    tip_muted="#E8E8E8",
    badge_text="#000000",
    badge_drug="#FFE14D",
    badge_set="#A8D1FF",
    badge_setting="#8FF0CC",
    marker="#FFE14D",
    danger="#FF9E8F",
    pressed="#404040",
    night="#B3B3B3",
    alert="#FFE14D",
    alert_text="#000000",
)

PALETTES = {"standard": DEFAULT, "high-contrast": HIGH_CONTRAST}

# WCAG 2.2 AA: 4.5:1 for body text, 3:1 for large text and for the edges of controls.
BODY_TEXT = 4.5
NON_TEXT = 3.0

# Every foreground/background pair the screens draw, and the ratio it needs. All text
# is held to the body-text ratio, even where it is large.
COLOR_PAIRS: tuple[tuple[str, str, float], ...] = (
    *(
        (fg, bg, BODY_TEXT)
        for fg in ("text", "muted", "live", "cancelled")
        for bg in ("background", "header", "surface")
    ),
    ("text", "pressed", BODY_TEXT),  # a button while a finger is on it
    ("marker", "background", BODY_TEXT),
    ("danger", "background", BODY_TEXT),  # its outlined button's words and edge
    ("badge_text", "danger", BODY_TEXT),  # its filled button's words
    ("tip_text", "tip_surface", BODY_TEXT),
    ("tip_muted", "tip_surface", BODY_TEXT),
    ("night", "night_background", BODY_TEXT),
    ("alert_text", "alert", BODY_TEXT),  # the urgent band
    ("alert", "night_background", BODY_TEXT),  # the urgent band at night
    ("alert", "background", NON_TEXT),  # the alert screen's sign, the notice line's edge
    ("alert", "surface", NON_TEXT),
    *(("badge_text", bg, BODY_TEXT) for bg in ("badge_drug", "badge_set", "badge_setting", "live")),
    *(("badge_text", f"mood_{n}", NON_TEXT) for n in range(1, 6)),  # the faces' lines
    ("live", "background", NON_TEXT),  # button outlines
    ("muted", "background", NON_TEXT),  # access-control outlines
    ("edge", "background", NON_TEXT),  # card outlines, where a palette draws them
    ("edge", "surface", NON_TEXT),
)


def relative_luminance(color: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _a = hex_rgba(color)
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio, from 1 (same colour) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def contrast_failures(palette: Palette) -> list[str]:
    """Each pair in COLOR_PAIRS that falls short in `palette`, said plainly."""
    found = []
    for fg, bg, needed in COLOR_PAIRS:
        if not (getattr(palette, fg) and getattr(palette, bg)):
            continue  # a colour this palette leaves out is never drawn
        ratio = contrast_ratio(getattr(palette, fg), getattr(palette, bg))
        if ratio < needed:
            found.append(f"{fg} on {bg}: {ratio:.2f}:1, needs {needed}:1")
    return found


# Multipliers for the resident's text size choice.
TEXT_SCALE = {"normal": 1.0, "large": 1.2, "xlarge": 1.45}
# Headings, names and clocks, already large, grow by less (as type scales on phones do),
# so the words residents read, the tip among them, get the room.
DISPLAY_SCALE = {"normal": 1.0, "large": 1.12, "xlarge": 1.25}
# The tip card's share of home's body, by text size (landscape, portrait): the schedule
# column gives way as the text grows, so the tip's words grow instead of shrinking to fit.
TIP_SHARE = {"normal": (0.44, 0.4), "large": (0.5, 0.5), "xlarge": (0.62, 0.6)}
# On a small screen (under 900 px on its short side) the schedule column needs its room.
TIP_SHARE_SMALL = {"normal": (0.44, 0.4), "large": (0.46, 0.45), "xlarge": (0.48, 0.5)}
SMALL_SCREEN_PX = 900

# Type sizes in units.
SIZE_NAME = 52
SIZE_CLOCK = 52
SIZE_DATE = 30
SIZE_CARD_HEADING = 30
SIZE_CARD_WHEN = 44  # below the group's name: what, then when
SIZE_CARD_TITLE = 50
SIZE_BODY = 32
SIZE_SMALL = 26
SIZE_TIP = 42
SIZE_MARKER = 20
SIZE_BUTTON = 44
SIZE_HEADING = 64

# Every label draws at a rung of one app-wide ladder of whole-pixel sizes, each about 10%
# above the last. The text engine opens a face for each size (and boldness) it is asked
# for and keeps it: a Chinese face holds about 2 MB, and free arithmetic (text size times
# screen scale times a role's share) had a Chinese visit open over 90 of them. A size
# takes the rung at or below it, so nothing draws larger than its layout planned (and
# nothing that fitted spills); it draws at most 9% smaller.
FONT_RUNG_RATIO = 1.1
FONT_RUNGS: tuple[float, ...] = tuple(
    sorted({float(round(8 * FONT_RUNG_RATIO**n)) for n in range(50)})
)  # 8 px to about 870 px


def font_rung(size: float) -> float:
    """The ladder's highest rung at or below `size` (a float: the engine keys its faces by
    the size's spelling, and 32 and 32.0 would be two faces)."""
    if size < FONT_RUNGS[0]:
        return float(max(1, int(size)))
    return FONT_RUNGS[bisect_right(FONT_RUNGS, size) - 1]


# The tip card's cross-fade. Soft, yet few frames: a software renderer spends about 28 ms
# of CPU on each full-window frame at 1080p, and a tip changes every 12 s (make bench).
TIP_FADE_SECONDS = 0.2

# A tap target is never smaller than this many units (about 23 mm on a 21.5" screen),
# nor than 48 dp; tap targets keep 8 dp apart.
MIN_TARGET = 96
MIN_TARGET_DP = 48
MIN_GAP_DP = 8


# Category icons: Font Awesome Free (solid), kept in assets/fonts with its licence.
ICON_FONT = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "fa-solid-900.ttf"
ICONS = {
    "hotline": "\uf095",  # phone
    "naloxone": "\uf479",  # first-aid kit
    "syringe-services": "\uf48e",  # syringe
    "treatment": "\uf4be",  # hand holding a heart
    "mental-health": "\uf5dc",  # brain
    "medical": "\uf0f1",  # stethoscope
    "food-housing": "\uf015",  # house
    "other": "\uf05a",  # circled i
    "resources": "\uf3c5",  # map marker, on the home button
    "language": "\uf0ac",  # globe
    "textsize": "\uf034",  # text height
    "speak": "\uf028",  # volume high
    "check": "\uf00c",  # the current language in the chooser
    "dot": "\uf111",  # a typed PIN digit
    "previous": "\uf053",  # chevron left: the tip before
    "next": "\uf054",  # chevron right: tap the card for the next tip
    "back": "\uf060",  # arrow left: the Back button
    "home": "\uf015",  # house: the Home button
    "week": "\uf073",  # calendar: this week's groups
    "alert": "\uf071",  # triangle with an exclamation mark: an alert in force
    "print": "\uf02f",  # printer: print a take-away slip
}
