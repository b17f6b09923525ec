"""A QR code drawn pixel-exact: a whole number of screen pixels per module, no smoothing,
placed on whole pixels."""

from __future__ import annotations

import logging

from kivy.graphics import Color, Rectangle
from kivy.graphics.texture import Texture
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.widget import Widget
from PIL.Image import Transpose

from kiosk.core import qr

log = logging.getLogger(__name__)

FLIP_TOP_BOTTOM = Transpose.FLIP_TOP_BOTTOM  # Kivy textures start at the bottom row

_textures: dict[tuple[str, int], Texture] = {}


def texture_for(link: str, module_px: int) -> Texture:
    key = (link, module_px)
    texture = _textures.get(key)
    if texture is None:
        img = qr.image(link, module_px)
        texture = Texture.create(size=img.size, colorfmt="rgb")
        texture.mag_filter = "nearest"
        texture.min_filter = "nearest"
        texture.blit_buffer(
            img.transpose(FLIP_TOP_BOTTOM).tobytes(), colorfmt="rgb", bufferfmt="ubyte"
        )
        _textures[key] = texture
    return texture


def clear_textures() -> None:
    _textures.clear()
    qr.clear_cache()


class QrImage(Widget):
    """Shows `link` as the largest pixel-exact QR code that fits in `max_side` pixels."""

    link = StringProperty("")
    max_side = NumericProperty(200)
    symbol_side = NumericProperty(0)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bind(link=self._redraw, max_side=self._redraw, pos=self._redraw, size=self._redraw)

    def _redraw(self, *_args) -> None:
        self.canvas.clear()
        if not self.link:
            self.symbol_side = 0
            return
        try:
            module_px = qr.module_pixels(self.link, int(self.max_side))
            texture = texture_for(self.link, module_px)
        except Exception:  # `kiosk check` refuses links too long for a code: never here
            log.exception("No QR code can hold %.80r", self.link)
            self.symbol_side = 0
            return
        side = texture.width
        self.symbol_side = side
        x = round(self.center_x - side / 2)
        y = round(self.center_y - side / 2)
        with self.canvas:
            Color(1, 1, 1, 1)
            Rectangle(texture=texture, pos=(x, y), size=(side, side))
