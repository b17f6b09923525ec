"""The screen manager, drawn as cheaply as a software renderer needs."""

from __future__ import annotations

from kivy.uix.screenmanager import ScreenManager, TransitionBase

FADE_SECONDS = 0.25
FIRST_STEP = 1 / (60 * FADE_SECONDS)


class CrossFade(TransitionBase):
    """The incoming screen's opacity rises as the outgoing one's falls, straight on the
    window. (Kivy's FadeTransition draws both screens into two window-sized framebuffers,
    made afresh for every change of screen, then blends those: more memory, and two more
    full-window passes on every frame of the fade, the first one included.)"""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("duration", FADE_SECONDS)
        super().__init__(**kwargs)

    def add_screen(self, screen) -> None:
        # The manager moves only the screens it shows (and none during a change): a
        # screen coming back is placed where the manager is now (the burn-in shift).
        screen.pos, screen.size = self.manager.pos, self.manager.size
        screen.opacity = 0
        super().add_screen(screen)

    def on_progress(self, progression: float) -> None:
        # The first frame drawn already shows the change (a 60 Hz frame's step): a frame
        # with the new screen at opacity 0 would cost a whole frame and show nothing.
        shown = max(progression, FIRST_STEP)
        self.screen_in.opacity = shown
        self.screen_out.opacity = 1 - shown

    def on_complete(self) -> None:
        self.screen_in.opacity = self.screen_out.opacity = 1
        self.screen_in.pos = self.manager.pos  # in case it moved during the fade
        super().on_complete()


class Screens(ScreenManager):
    """Screens draw on the window's clear colour, with no background layer of their own.

    Kivy's ScreenManager also clips its screens with a stencil, two more full-window
    passes on every frame; ours always fills the window, so widgets.kv drops the clip."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("transition", CrossFade())
        super().__init__(**kwargs)
