"""Colours, type sizes and fonts: one place for the look, no Kivy import.

Sizes are in "units": pixels at 1080 px on the screen's short side. The shell
multiplies them by the screen's scale and the resident's chosen text size.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import fontpkg_atkinson_hyperlegible as atkinson


def hex_rgba(value: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
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
    tip_text: str = "#1B2430"
    tip_muted: str = "#4A5565"
    badge_text: str = "#0E1A2B"
    badge_drug: str = "#F6C453"
    badge_set: str = "#9CC3FF"
    badge_setting: str = "#7EE0C3"
    marker: str = "#E9C46A"
    pressed: str = "#3C5A80"
    # Mood faces: warm to cool, but every face also has its words.
    mood_1: str = "#F4A6A0"
    mood_2: str = "#F6C9A0"
    mood_3: str = "#F3E2A0"
    mood_4: str = "#C7E6A8"
    mood_5: str = "#9FDFC4"


DEFAULT = Palette()

# Multipliers for the resident's text size choice.
TEXT_SCALE = {"normal": 1.0, "large": 1.2, "xlarge": 1.45}

# Type sizes in units.
SIZE_NAME = 52
SIZE_CLOCK = 52
SIZE_DATE = 30
SIZE_CARD_HEADING = 30
SIZE_CARD_WHEN = 72
SIZE_CARD_TITLE = 50
SIZE_BODY = 32
SIZE_SMALL = 26
SIZE_TIP = 52
SIZE_MARKER = 20
SIZE_BUTTON = 44
SIZE_HEADING = 64

# A tap target is never smaller than this many units (about 9 mm on a 21.5" screen).
MIN_TARGET = 96


# Category icons: Font Awesome Free (solid), kept in assets/fonts with its licence.
ICON_FONT = Path(__file__).resolve().parent.parent / "assets" / "fonts" / "fa-solid-900.ttf"
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
}


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str


def fonts() -> Fonts:
    folder = Path(atkinson.ROOT) / "files"
    return Fonts(
        regular=str(folder / "AtkinsonHyperlegible-Regular.ttf"),
        bold=str(folder / "AtkinsonHyperlegible-Bold.ttf"),
    )
