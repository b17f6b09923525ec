"""Thanks: shown only once the check-in is safely stored; home after a few seconds."""

from kiosk.shell.screens.base import ViewScreen


class ThanksScreen(ViewScreen):
    pass
