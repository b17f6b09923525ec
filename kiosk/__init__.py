"""Lobby kiosk for a harm-reduction group: schedule, tips, check-in and resources."""

__version__ = "0.1.0"
