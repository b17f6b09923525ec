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
        self._texture: Texture | None = None
        super().__init__(**kwargs)
        self.bind(link=self._measure, max_side=self._measure, pos=self._draw, size=self._draw)
        self._measure()

    def _measure(self, *_args) -> None:
        texture = None
        if self.link:
            try:
                texture = texture_for(self.link, qr.module_pixels(self.link, int(self.max_side)))
            except Exception:  # `kiosk check` refuses links too long for a code: never here
                log.exception("No QR code can hold %.80r", self.link)
        self._texture = texture
        self.symbol_side = texture.width if texture else 0  # may lay the parent out again
        self._draw()

    def _draw(self, *_args) -> None:
        # From x and width, not center_x: while `size` is being dispatched, the cached
        # center can still be the one from before the change.
        self.canvas.clear()
        texture = self._texture
        if texture is None:
            return
        side = texture.width
        x = round(self.x + (self.width - side) / 2)
        y = round(self.y + (self.height - side) / 2)
        with self.canvas:
            Color(1, 1, 1, 1)
            Rectangle(texture=texture, pos=(x, y), size=(side, side))
