"""The window kept in a framebuffer of its own, so a frame that changes only watched
widgets (the tip card, the clock) redraws only their rectangle.

On a software renderer (llvmpipe on a Raspberry Pi or a small PC) a full 1080p frame costs
about 50 ms of CPU, and an idle lobby draws little but the tip card's cross-fade and the
clock's minute. With the window's last frame kept, such a frame redraws the changed
rectangle (scissored) and copies the whole buffer to the window: about half the work.
Whether a frame may be partial is kiosk.core.damage's decision; anything else redraws
everything.

Only the window's own drawing may draw the content: anything else that draws it (a
screenshot) clears Kivy's marks of what changed, so it lends the content (`lend`).

The copy out is glBlitFramebuffer, taken from the SDL library Kivy loaded (Kivy's own GL
module offers only OpenGL ES 2). Without it, or on a GPU, the window draws as usual.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager, suppress

from kivy.core.window import Window
from kivy.graphics import (
    BindTexture,
    Callback,
    Canvas,
    Color,
    Fbo,
    InstructionGroup,
    MatrixInstruction,
    PopMatrix,
    PushMatrix,
)
from kivy.graphics import opengl as gl
from kivy.graphics.instructions import VertexInstruction
from kivy.graphics.stencil_instructions import StencilPop, StencilPush, StencilUnUse, StencilUse
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.core.damage import DamageTracker, Rect, pixel_rect
from kiosk.shell import display

log = logging.getLogger(__name__)

GL_READ_FRAMEBUFFER = 0x8CA8
GL_FRAMEBUFFER_BINDING = 0x8CA6
STATELESS = (PushMatrix, PopMatrix, StencilPush, StencilPop, StencilUnUse)
Blit = Callable[..., None]


def blit_function() -> Blit | None:
    """glBlitFramebuffer from the current GL context, or None (before OpenGL 3 and
    OpenGL ES 3 it may not exist, whatever the loader answers)."""
    if _gl_major() < 3:
        return None
    lib = display.sdl()
    if lib is None:
        return None
    try:
        get = lib.SDL_GL_GetProcAddress
    except AttributeError:
        return None
    get.restype = ctypes.c_void_p
    get.argtypes = [ctypes.c_char_p]
    address = get(b"glBlitFramebuffer")
    if not address:
        return None
    ints = [ctypes.c_int] * 8
    return ctypes.CFUNCTYPE(None, *ints, ctypes.c_uint, ctypes.c_uint)(address)


def _gl_major() -> int:
    """The major version of the current context: "4.5 (Compatibility Profile) Mesa" gives
    4, "OpenGL ES 3.1 Mesa" gives 3; 0 if it cannot be read."""
    raw = gl.glGetString(gl.GL_VERSION) or b""
    text = raw.decode("ascii", "replace") if isinstance(raw, bytes) else str(raw)
    for word in text.split():
        head = word.split(".")[0]
        if head.isdigit():
            return int(head)
    return 0


def fingerprint(group: InstructionGroup) -> Hashable:
    """What a drawing group holds, to compare across frames: its instructions and their
    settings. An instruction of a kind not known here never compares equal (so its
    group is always redrawn in full)."""
    return getattr(group, "opacity", None), tuple(
        (id(child), _setting(child)) for child in group.children
    )


def _setting(instruction) -> Hashable:
    if isinstance(instruction, InstructionGroup):
        return None  # a group's own mark says whether it changed
    if isinstance(instruction, VertexInstruction | Callback):
        return instruction.needs_redraw  # Kivy clears these marks on every draw
    if isinstance(instruction, Color):
        return tuple(instruction.rgba)
    if isinstance(instruction, MatrixInstruction):
        return tuple(instruction.matrix.get())
    if isinstance(instruction, BindTexture):
        return id(instruction.texture), instruction.index
    if isinstance(instruction, StencilUse):
        return instruction.func_op
    if isinstance(instruction, STATELESS):
        return type(instruction).__name__
    return object()  # unknown: never the same twice


class FrameCache(FloatLayout):
    """The window's root: holds `content` and, once `keep()` is called, draws it into a
    framebuffer that keeps the last frame; `watched` are the widgets whose changes alone
    redraw only their rectangle (each must draw within its bounds)."""

    def __init__(self, content: Widget, **kwargs) -> None:
        super().__init__(**kwargs)
        self.content = content
        self.add_widget(content)
        self.watched: list[Widget] = []
        self.tracker = DamageTracker(fingerprint)
        self._fbo: Fbo | None = None
        self._copy: Callback | None = None
        self._blit: Blit | None = None
        self._fbo_id: int | None = None
        self._area: Rect | None = None
        self._in_view: list[tuple] = []

    @property
    def keeping(self) -> bool:
        return self._fbo is not None

    @property
    def holder(self):
        """The group that holds the content's drawing: the framebuffer, or this canvas."""
        return self._fbo if self._fbo is not None else self.canvas

    @contextmanager
    def lend(self) -> Iterator[Canvas]:
        """The content's drawing, out of the cache while the caller draws it elsewhere;
        put back after, and the next frame drawn in full (the caller's drawing cleared
        Kivy's marks of what changed)."""
        holder, canvas = self.holder, self.content.canvas
        place = holder.indexof(canvas)
        holder.remove(canvas)
        try:
            yield canvas
        finally:
            holder.insert(place, canvas)
            self.tracker.forget()

    def keep(self, blit: Blit) -> None:
        """From now on, draw the content into a framebuffer and copy it out with `blit`."""
        if self._fbo is not None:
            return
        self._blit = blit
        size = self._pixels()
        self.canvas.remove(self.content.canvas)
        # A stencil buffer for the scroll views (Kivy clips them with the stencil).
        fbo = Fbo(size=size, with_stencilbuffer=True)
        fbo.add(Callback(self._begin))
        fbo.add(self.content.canvas)
        fbo.add(Callback(self._end))
        self._fbo = fbo
        self._copy = Callback(self._copy_out)
        self.canvas.add(fbo)
        self.canvas.add(self._copy)
        self.bind(size=self._resize)
        Window.bind(on_draw=self._draw_window)

    def release(self) -> None:
        """Draw straight to the window again."""
        fbo = self._fbo
        if fbo is None:
            return
        self.unbind(size=self._resize)
        Window.unbind(on_draw=self._draw_window)
        fbo.remove(self.content.canvas)
        self.canvas.remove(fbo)
        self.canvas.remove(self._copy)
        self.canvas.add(self.content.canvas)
        self._fbo = self._copy = self._blit = self._fbo_id = None
        self.tracker.forget()

    def _draw_window(self, window) -> bool:
        """The window's frame, without its clear when the copy out covers every pixel (a
        millisecond at 1080p on the CPU). A fault while drawing (Kivy's framebuffer has
        no way out of one: it stays bound, and every later frame fails) lets go of the
        kept frame: from then on the window draws as usual."""
        if window.children != [self]:
            window.clear()  # something else is on the window too
        try:
            window.render_context.draw()
        except Exception:
            self._give_up()
            raise
        return True

    def _give_up(self) -> None:
        fbo = self._fbo
        if fbo is None:
            return
        log.warning("Drawing the kept frame failed; the window is drawn directly from now on")
        gl.glDisable(gl.GL_SCISSOR_TEST)
        with suppress(Exception):  # Kivy's own error when it was not bound: nothing to undo
            fbo.release()  # still bound if the fault came while it drew
        self.release()

    def _pixels(self) -> tuple[int, int]:
        return max(1, int(self.width)), max(1, int(self.height))

    def _resize(self, *_args) -> None:
        if self._fbo is not None:
            self._fbo.size = self._pixels()
            self.tracker.forget()

    def _backdrop(self) -> tuple:
        return self._pixels(), tuple(Window.clearcolor)

    def _watched_in_view(self) -> list[tuple]:
        """(canvas, rectangle on the window) of each watched widget on the window."""
        found = []
        bounds = self._pixels()
        for widget in self.watched:
            if widget.parent is None:
                continue
            rect = pixel_rect(_drawn_corners(widget), bounds)
            if rect is not None:
                found.append((widget.canvas, rect))
        return found

    def _begin(self, _instruction) -> bool:
        """First in the framebuffer: which part to redraw, then clear just that."""
        self._fbo_id = int(gl.glGetIntegerv(GL_FRAMEBUFFER_BINDING)[0])
        self._in_view = self._watched_in_view()
        self._area = self.tracker.region(self.content.canvas, self._in_view, self._backdrop())
        if self._area is not None:
            gl.glEnable(gl.GL_SCISSOR_TEST)
            gl.glScissor(*self._area)
        gl.glClearColor(*Window.clearcolor)
        gl.glClear(gl.GL_COLOR_BUFFER_BIT | gl.GL_STENCIL_BUFFER_BIT)
        return True

    def _end(self, _instruction) -> bool:
        """Last in the framebuffer: remember what was drawn, for the next frame."""
        if self._area is not None:
            gl.glDisable(gl.GL_SCISSOR_TEST)
        self.tracker.drawn(self.content.canvas, self._in_view, self._area is None, self._backdrop())
        return True

    def _copy_out(self, _instruction) -> bool:
        """On the window, every frame it draws: the kept frame, pixel for pixel."""
        if self._fbo_id is None or self._blit is None:
            return True
        width, height = self._pixels()
        target = int(gl.glGetIntegerv(GL_FRAMEBUFFER_BINDING)[0])
        gl.glDisable(gl.GL_SCISSOR_TEST)
        gl.glBindFramebuffer(GL_READ_FRAMEBUFFER, self._fbo_id)
        self._blit(0, 0, width, height, 0, 0, width, height, gl.GL_COLOR_BUFFER_BIT, gl.GL_NEAREST)
        gl.glBindFramebuffer(gl.GL_FRAMEBUFFER, target)
        return True


def _drawn_corners(widget: Widget) -> list[tuple[float, float]]:
    """Window points around what `widget` draws: its box and, for each label in it, the
    text's own box (Kivy centres a label's text on it, and text that does not fit spills
    out)."""
    corners = [widget.to_window(widget.x, widget.y), widget.to_window(widget.right, widget.top)]
    for item in widget.walk(restrict=True):
        if isinstance(item, Label) and item.texture is not None:
            width, height = item.texture_size
            left, bottom = item.center_x - width / 2, item.center_y - height / 2
            corners.append(item.to_window(left, bottom))
            corners.append(item.to_window(left + width, bottom + height))
    return corners
