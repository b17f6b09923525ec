"""Labels that draw at a rung of the app-wide font ladder (theme.font_rung).

`font_size` stays as the layout rules give it; just before each render the core label
(`self._label`, which opens and keeps a face per size) is given the nearest rung. So a
screen's many computed sizes share a few faces, and every label of a screen that
shares a rung shares its face."""

from __future__ import annotations

from kivy.uix.label import Label

from kiosk.shell.theme import font_rung


class LadderLabel(Label):
    def texture_update(self, *largs) -> None:
        self._label.options["font_size"] = font_rung(self.font_size)
        self.before_render()
        super().texture_update(*largs)

    def before_render(self) -> None:
        """For subclasses: the core label has its final font; its text may change."""
