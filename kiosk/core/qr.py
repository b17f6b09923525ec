"""Links -> QR code images: dark modules on light, a 4-module quiet zone, error correction M,
a whole number of pixels per module. The symbol is worked out once per link; the image is
drawn on demand (the screen keeps the texture made from it)."""

from __future__ import annotations

from functools import lru_cache

from PIL import Image

QUIET_ZONE = 4  # modules of light margin the QR standard asks for
DARK = (17, 17, 17)
LIGHT = (255, 255, 255)


@lru_cache(maxsize=256)
def modules(link: str) -> tuple[tuple[bool, ...], ...]:
    """The symbol's modules (True = dark), quiet zone included."""
    import qrcode  # loaded with the first QR code, not at start-up
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(link)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def module_pixels(link: str, max_side: int) -> int:
    """The largest whole number of pixels per module that fits in `max_side` (at least 1)."""
    return max(1, max_side // len(modules(link)))


def image(link: str, module_px: int) -> Image.Image:
    """An RGB image of the symbol at `module_px` pixels per module."""
    grid = modules(link)
    side = len(grid)
    small = Image.new("RGB", (side, side), LIGHT)
    small.putdata([DARK if dark else LIGHT for row in grid for dark in row])
    return small.resize((side * module_px, side * module_px), Image.Resampling.NEAREST)


def clear_cache() -> None:
    modules.cache_clear()
