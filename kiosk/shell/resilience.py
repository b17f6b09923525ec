"""Keep an unattended kiosk on screen through an occasional fault."""

from __future__ import annotations

import logging
import time

from kivy.base import ExceptionHandler, ExceptionManager

log = logging.getLogger(__name__)


class LogAndContinue(ExceptionHandler):
    """Log a fault in a Kivy callback and keep the main loop going. Many faults in a
    short time mean something is stuck: then stop, and let the service manager restart."""

    def __init__(self, limit: int = 20, window_seconds: float = 60.0) -> None:
        super().__init__()
        self.limit = limit
        self.window = window_seconds
        self.recent: list[float] = []

    def handle_exception(self, inst: BaseException) -> int:
        if isinstance(inst, (KeyboardInterrupt, SystemExit)):
            return ExceptionManager.RAISE
        now = time.monotonic()
        self.recent = [t for t in self.recent if now - t < self.window] + [now]
        if len(self.recent) > self.limit:
            log.critical("Too many faults in %.0f s; stopping so the kiosk restarts", self.window)
            return ExceptionManager.RAISE
        log.exception("Fault in the kiosk; it keeps running", exc_info=inst)
        return ExceptionManager.PASS


def keep_running() -> None:
    ExceptionManager.add_handler(LogAndContinue())
