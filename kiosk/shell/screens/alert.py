"""One alert, whole: its words large, when it ends, and its QR code when it has a link.
Back returns to what the resident was doing when they tapped the band."""

from __future__ import annotations

from kiosk.shell.screens.base import ViewScreen


class AlertScreen(ViewScreen):
    pass
