"""Shared widgets. Every control a replay can tap carries a `target` name."""

from kivy.event import EventDispatcher
from kivy.properties import StringProperty


class Target(EventDispatcher):
    """Mixin: `target` is the control's name in replay scripts (see the CLI contract)."""

    target = StringProperty("")
