"""The language chooser: opened by the `language` button on home, over the screen.

Each language is a big button with its name in its own script and font; one tap
chooses it. The current language has a check mark (not only a colour)."""

from __future__ import annotations

from dataclasses import dataclass

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout

from kiosk.shell.widgets import Target


@dataclass(frozen=True)
class LanguageOption:
    code: str
    name: str  # in its own script: "Español", "中文"
    font: str  # the registered face that draws it


class LanguageButton(Target, ButtonBehavior, BoxLayout):
    code = StringProperty("")
    name = StringProperty("")
    font = StringProperty("Body")
    current = BooleanProperty(False)


class LanguageChooser(FloatLayout):
    """Dims what is behind it; a tap outside the panel closes it, like `back`."""

    modal = True  # blocks and dims everything behind it (see kiosk.testing.ui_audit.scope)
    heading = StringProperty("")
    close_text = StringProperty("")

    def show(self, options: list[LanguageOption], current: str, heading: str, close: str) -> None:
        self.heading, self.close_text = heading, close
        box = self.ids.options
        box.clear_widgets()
        for option in options:
            box.add_widget(
                LanguageButton(
                    target=f"language.{option.code}",
                    code=option.code,
                    name=option.name,
                    font=option.font,
                    current=option.code == current,
                )
            )

    def on_touch_down(self, touch) -> bool:
        if not self.ids.panel.collide_point(*touch.pos):
            App.get_running_app().lobby.go_back()
            return True
        super().on_touch_down(touch)
        return True  # nothing behind the chooser takes a touch while it is open
