"""Closed: nothing is open for check-in; a kind word and when the next group is."""

from kiosk.shell.screens.base import ViewScreen


class ClosedScreen(ViewScreen):
    pass
