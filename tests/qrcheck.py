"""Read QR codes off rendered screens the way a phone would, and measure them."""

from __future__ import annotations

from dataclasses import dataclass

import zxingcpp
from PIL import Image

QUIET_ZONE = 4  # modules of light margin the standard asks for


@dataclass(frozen=True)
class Measured:
    text: str
    version: int
    module_px: int  # screen pixels per module, measured on the finder pattern
    side_px: int  # the symbol's side, without its quiet zone


def measure(image: Image.Image, link: str) -> Measured:
    """The code on `image` that reads `link`, checked and measured from its pixels.

    Fails (AssertionError) if no code reads `link`, or the code is not error correction
    M, or its modules are not a whole number of sharp pixels, or its quiet zone is short."""
    found = zxingcpp.read_barcodes(image)
    matching = [r for r in found if r.text == link]
    assert matching, f"no QR code reads {link!r} (found {[r.text for r in found]})"
    code = matching[0]
    assert code.ec_level == "M", f"error correction {code.ec_level}, not M"
    version = int(code.extra["Version"])
    modules = 17 + 4 * version
    p = code.position
    corners = (p.top_left, p.top_right, p.bottom_left, p.bottom_right)
    left, top = min(c.x for c in corners), min(c.y for c in corners)
    right, bottom = max(c.x for c in corners), max(c.y for c in corners)
    gray = image.convert("L")

    def dark(x: int, y: int) -> bool:
        return gray.getpixel((x, y)) < 128

    # The top-left finder pattern starts with a dark run 7 modules long.
    run = 0
    while dark(left + run, top):
        run += 1
    assert run % 7 == 0 and run >= 7, f"finder run of {run} px is not 7 whole modules"
    module_px = run // 7
    side = right - left
    assert bottom - top == side, "the symbol is not square on screen"
    assert side == modules * module_px, f"side {side} px != {modules} modules x {module_px} px"
    # Sharp: inside the symbol there are only two colours, no smoothing between them.
    box = gray.crop((left, top, left + side, top + side))
    levels = set(box.tobytes())  # one byte per pixel in mode L
    assert len(levels) == 2, f"{len(levels)} grey levels in the symbol: it is blurred"
    # The quiet zone around it is light all round.
    margin = QUIET_ZONE * module_px
    ring = gray.crop((left - margin, top - margin, left + side + margin, top + side + margin))
    assert ring.size == (side + 2 * margin,) * 2, "the quiet zone runs off the image"
    edge = [ring.getpixel((x, y)) for x in range(ring.width) for y in (0, ring.height - 1)]
    edge += [ring.getpixel((x, y)) for y in range(ring.height) for x in (0, ring.width - 1)]
    assert min(edge) >= 128, "the quiet zone is not light all round"
    return Measured(code.text, version, module_px, side)
