"""A stand-in for a receipt printer's device: a named pipe whose bytes a thread collects,
as /dev/usb/lp0 takes them (the kiosk refuses plain files as printers)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

CUT = b"\x1dV"  # GS V: the end of each slip


class FifoPrinter:
    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self.data = bytearray()
        # Open for reading first, and keep it open: the kiosk's writer never finds the
        # "printer" gone between two slips.
        self._fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._collect, daemon=True)
        self._thread.start()

    def _collect(self) -> None:
        while not self._stop.is_set():
            try:
                chunk = os.read(self._fd, 65536)
            except BlockingIOError:
                chunk = b""
            if chunk:
                self.data.extend(chunk)
            else:
                time.sleep(0.01)

    def slips(self, expected: int = 0, timeout: float = 5.0) -> int:
        """How many slips came, waiting up to `timeout` for `expected` of them."""
        end = time.monotonic() + timeout
        while self.data.count(CUT) < expected and time.monotonic() < end:
            time.sleep(0.02)
        time.sleep(0.05)  # anything more on its way
        return bytes(self.data).count(CUT)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        os.close(self._fd)
