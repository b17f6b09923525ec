"""The screen manager, drawn as cheaply as a software renderer needs."""

from __future__ import annotations

from kivy.uix.screenmanager import FadeTransition, ScreenManager

FADE_SECONDS = 0.25


class Screens(ScreenManager):
    """Screens draw on the window's clear colour, with no background layer of their own.

    Kivy's ScreenManager also clips its screens with a stencil, two more full-window
    passes on every frame; ours always fills the window, so widgets.kv drops the clip."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("transition", FadeTransition(duration=FADE_SECONDS))
        super().__init__(**kwargs)

    def paint(self, rgba: list[float]) -> None:
        """The colour behind every screen, during a change of screen too (the fade draws
        each screen into its own buffer, cleared to this colour)."""
        self.transition.clearcolor = rgba
