"""After "I'm here", when staff ask it: "Is this your first time at this group?"
Yes, No, and Skip, each as easy as the others."""

from __future__ import annotations

from kiosk.shell.screens.base import ViewScreen


class FirstTimeScreen(ViewScreen):
    pass
