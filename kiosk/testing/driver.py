"""Runs the app on a simulated clock: replays, previews and UI tests.

Frames are stepped by hand, so timers and animations run exactly and fast, with no
sleeping. Taps are real touch events at the named control's position.
"""

from __future__ import annotations

import gc
import logging
import signal
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from kivy.app import App
from kivy.base import EventLoop
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.graphics import Canvas, ClearBuffers, ClearColor, Fbo, Scale, Translate
from kivy.graphics.opengl import glFinish
from kivy.uix.widget import Widget
from PIL import Image

from kiosk.core.clock import ManualTime
from kiosk.shell.app import KioskApp
from kiosk.shell.frame_cache import FrameCache
from kiosk.testing.replay import Step
from kiosk.testing.touch import SyntheticTouch
from kiosk.testing.ui_audit import (
    broken_word_problems,
    clipped_control_problems,
    contrast_problems,
    glyph_problems,
    ladder_problems,
    overlap_problems,
    qr_problems,
    scope,
    shown,
    target_problems,
    text_problems,
    walk,
)

log = logging.getLogger(__name__)

FRAME_SECONDS = 1 / 60


class ExpectationFailed(Exception):
    """A replay step whose expectation did not hold (exit code 3)."""


@contextmanager
def _lend(root: Widget) -> Iterator[Canvas]:
    """What `root` draws, out of the window's drawing while a capture draws it, and put
    back where it was after (a frame cache's content, through the cache)."""
    if isinstance(root, FrameCache):
        with root.lend() as canvas:
            yield canvas
        return
    place = Window.canvas.indexof(root.canvas)
    Window.canvas.remove(root.canvas)
    try:
        yield root.canvas
    finally:
        Window.canvas.insert(place, root.canvas)


def use_simulated_time() -> ManualTime:
    """Make Kivy's clock read a time that moves only when the driver says so."""
    current = Clock.time
    if isinstance(current, ManualTime):
        return current
    sim = ManualTime(Clock.get_time())
    Clock.time = sim
    Clock._max_fps = 0  # never wait for real time between frames
    return sim


class Driver:
    def __init__(
        self,
        app: KioskApp,
        sim: ManualTime,
        frame_seconds: float = FRAME_SECONDS,
        draw_window: bool = True,
    ) -> None:
        """`frame_seconds`: simulated time per frame (coarser frames run long scripts faster;
        animations still run through, in fewer steps). `draw_window=False` leaves the
        window undrawn: layout, text and textures are all made as usual and `capture()`
        still renders every pixel, but the frames nobody looks at cost nothing (tests)."""
        self.app = app
        self.sim = sim
        self.frame_seconds = frame_seconds
        self.draw_window = draw_window
        self.flips = 0  # frames the window has drawn

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        EventLoop.ensure_window()
        # SDL turns SIGTERM and Ctrl-C into a window-close event, which nothing reads when
        # frames are stepped by hand: give them back their usual meaning.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self.app._run_prepare()
        Window.bind(on_flip=self._flipped)
        if not self.draw_window:
            Window.bind(on_draw=self._skip_drawing)
        self.wait(0.5)

    def stop(self) -> None:
        Window.unbind(on_flip=self._flipped)
        Window.unbind(on_draw=self._skip_drawing)
        self.app.dispatch("on_stop")
        for child in list(Window.children):
            Window.remove_widget(child)
        App._running_app = None
        gc.collect()  # this app's widgets go now, before the next app starts

    # --- time ---------------------------------------------------------------------------------

    def frame(self, seconds: float | None = None) -> None:
        self.sim.advance(self.frame_seconds if seconds is None else seconds)
        drawn = self.flips
        EventLoop.idle()
        if self.flips != drawn:
            # Wait for the frame to be drawn. Stepping frames faster than a software
            # renderer draws them would queue up frames (and memory) without limit.
            glFinish()

    def _flipped(self, *_args) -> None:
        self.flips += 1

    @staticmethod
    def _skip_drawing(*_args) -> bool:
        return True  # handled: the window's own drawing does not run

    def wait(self, seconds: float) -> None:
        """Run the app for `seconds` of simulated time, frame by frame."""
        frames = max(1, round(seconds / self.frame_seconds))
        for _ in range(frames):
            self.frame()

    def advance(self, seconds: float) -> None:
        """Jump the clock forward, then let timers that came due run."""
        self.sim.advance(seconds)
        self.wait(0.1)
        self.settle()

    def settle(self, max_frames: int = 600) -> None:
        """Let a check-in write finish and a screen change or tip fade complete, so the next
        step sees the result. Writes run on a thread in real time; everything else is simulated."""
        for _ in range(max_frames):
            store = self.app.lobby.store
            writing = store is not None and not store.wait_idle(timeout=10.0)
            if writing:
                raise ExpectationFailed("a check-in write did not finish within 10 s")
            printer = self.app.lobby.printer
            if printer is not None and not printer.wait_idle(timeout=30.0):
                raise ExpectationFailed("a slip did not finish printing within 30 s")
            moving = self.app.screens.transition.is_active or self.app.home.ids.tip.fading
            if not moving and not self._callbacks_due():
                return
            self.frame()

    def _callbacks_due(self) -> bool:
        """A finished write has queued its callback for the next frame."""
        return any(getattr(e, "timeout", None) == 0 for e in Clock.get_events())

    # --- looking and touching -----------------------------------------------------------------

    def find(self, target: str) -> Widget | None:
        """The visible control named `target` on the current screen, if there is one."""
        for widget in walk(scope(Window)):
            if getattr(widget, "target", None) == target and shown(widget):
                return widget
        return None

    def targets(self) -> list[str]:
        reachable = walk(scope(Window))
        return sorted({w.target for w in reachable if getattr(w, "target", "") and shown(w)})

    def tap(self, target: str) -> None:
        self.press(target, 0.05)

    def press(self, target: str, seconds: float) -> None:
        self.settle()
        widget = self.find(target)
        if widget is None:
            shown = ", ".join(self.targets()) or "none"
            raise ExpectationFailed(f"no visible control {target!r} (visible: {shown})")
        x, y = widget.to_window(*widget.center)
        touch = SyntheticTouch(x, y)
        touch.down()
        self.wait(seconds)
        touch.up()
        self.wait(self.frame_seconds)
        self.settle()

    @property
    def screen(self) -> str:
        return self.app.screens.current

    def expect(self, screen: str) -> None:
        self.settle()
        if self.screen != screen:
            raise ExpectationFailed(f"expected screen {screen!r}, but {self.screen!r} is showing")

    def capture(self) -> Image.Image:
        """Render the whole window's content into an offscreen buffer, as an RGB image.

        Drawing into our own buffer (not reading the window's) gives the same pixels at any
        window size, including after a resize, which some headless drivers do not follow.
        """
        width, height = (int(v) for v in Window.size)
        # Drawn as the window draws: on its clear colour, which is every screen's
        # background (blending text onto a transparent buffer, then pasting that, would
        # darken the edges of light text).
        fbo = Fbo(size=(width, height), with_stencilbuffer=True)
        with fbo:
            ClearColor(*Window.clearcolor)
            ClearBuffers()
            Scale(1, -1, 1)  # rows top to bottom, as image files have them
            Translate(0, -height, 0)
        with ExitStack() as lent:
            canvases = [lent.enter_context(_lend(root)) for root in reversed(Window.children)]
            for canvas in canvases:
                fbo.add(canvas)
            try:
                fbo.draw()
                pixels = fbo.texture.pixels
            finally:
                for canvas in canvases:
                    fbo.remove(canvas)
        return Image.frombytes("RGBA", (width, height), pixels).convert("RGB")

    def screenshot(self, path: Path, image: Image.Image | None = None) -> Path:
        """The window (or `image`, a capture of it) saved as PNG at `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        # Light compression: previews are many, read once, and thrown away.
        (image or self.capture()).save(path, compress_level=1)
        return path

    def audit(self, image_path: Path | None = None, image: Image.Image | None = None) -> list[str]:
        """What a reviewer would flag on the screen as it is now (see kiosk.testing.ui_audit);
        contrast is read from `image` (a capture) or the PNG at `image_path`."""
        problems = text_problems(Window) + glyph_problems(Window) + target_problems(Window)
        problems += ladder_problems(Window)
        problems += qr_problems(Window) + broken_word_problems(Window)
        problems += overlap_problems(Window) + clipped_control_problems(Window)
        if image is not None:
            return problems + contrast_problems(Window, image)
        if image_path is not None:
            with Image.open(image_path) as image:
                problems += contrast_problems(Window, image)
        return problems

    def preview_all(self, folder: Path) -> dict[Path, list[str]]:
        """Every screen the app has, one PNG each, after its fades have settled, and what
        the audit found on each. `language.png` is the language chooser over home."""
        shots: dict[Path, list[str]] = {}

        def shoot(name: str) -> None:
            image = self.capture()
            path = self.screenshot(folder / f"{name}.png", image)
            shots[path] = self.audit(image=image)

        resources = [r.id for r in self.app.lobby.config.resources.resource]
        shots.update(self.preview_slips(folder))
        for name in self.app.screens.screen_names:
            if name == "alert" and not self.app.lobby.live_alerts:
                continue  # alert.png only while an alert is in force
            if name == "resource":
                # resource.png shows the first; resource-<id>.png each of them.
                for index, resource_id in enumerate(resources):
                    self._preview(name, resource_id)
                    if index == 0:
                        shoot("resource")
                    shoot(f"resource-{resource_id}")
                continue
            self._preview(name)
            shoot(name)
            if name == "home":
                self.app.lobby.open_languages()
                self.settle()
                self.wait(0.5)
                shoot("language")
                self.app.lobby.go_back()
                self.settle()
        return shots

    def preview_slips(self, folder: Path) -> dict[Path, list[str]]:
        """With a printer enabled, each resource's slip as it would print: slip-<id>.png,
        in the preview's language (a slip is paper, not a screen: nothing to audit)."""
        from kiosk.adapters.printer import slip_image
        from kiosk.core.slips import slip_for

        lobby = self.app.lobby
        settings = lobby.config.kiosk.printer
        if not settings.enabled:
            return {}
        shots = {}
        for resource in lobby.config.resources.resource:
            slip = slip_for(lobby.config, resource, lobby.language)
            picture = slip_image(slip, settings.paper_mm)
            shots[self.screenshot(folder / f"slip-{resource.id}.png", picture)] = []
        return shots

    def _preview(self, name: str, resource_id: str | None = None) -> None:
        self.app.lobby.show_for_preview(name, resource_id)
        self.settle()
        self.wait(0.5)  # the tip's and the screen's fades (0.2 and 0.25 s) are over

    # --- scripts ------------------------------------------------------------------------------

    def run(self, steps: list[Step], shot_dir: Path | None) -> list[Path]:
        shots = []
        for step in steps:
            log.debug("Replay %s", step)
            try:
                if step.verb == "tap":
                    self.tap(step.args[0])
                elif step.verb == "press":
                    self.press(step.args[0], step.seconds)
                elif step.verb == "wait":
                    self.wait(step.seconds)
                elif step.verb == "advance":
                    self.advance(step.seconds)
                elif step.verb == "expect":
                    self.expect(step.args[0])
                    print(f"ok {step}", flush=True)  # progress a watcher can count
                elif step.verb == "shot":
                    folder = shot_dir or Path(".")
                    shots.append(self.screenshot(folder / f"{step.args[0]}.png"))
            except ExpectationFailed as exc:
                raise ExpectationFailed(f"{step}: {exc}") from None
        return shots
