"""Timestamps for `make bench`, taken inside the app: when the first frame was drawn, the
frame times of tip cross-fades, and how long a check-in tap takes to draw its thanks.
Inert unless KIOSK_BENCH_LOG names a file."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

ENV = "KIOSK_BENCH_LOG"


class BenchProbe:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.first_frame: float | None = None
        # The same moment on the clock /proc counts process start times in (seconds since
        # boot): start-up is then exact, with no rounding of the boot time.
        self.first_frame_since_boot: float | None = None
        self.fades: list[list[float]] = []  # flip times during each tip cross-fade
        self.fade_starts: list[float] = []  # when each began (the tip changed)
        self._recording_until = 0.0
        self.taps: list[float] = []  # seconds from a check-in tap to the first thanks frame
        self._tapped: float | None = None
        self._thanks_visible: Callable[[], bool] | None = None

    @classmethod
    def from_env(cls) -> BenchProbe | None:
        path = os.environ.get(ENV)
        return cls(Path(path)) if path else None

    def flipped(self, *_args) -> None:
        now = time.time()
        if self.first_frame is None:
            self.first_frame = now
            self.first_frame_since_boot = time.clock_gettime(time.CLOCK_BOOTTIME)
            self._write()
        if now <= self._recording_until:
            self.fades[-1].append(now)
        if self._thanks_visible is not None and self._thanks_visible():
            self.taps.append(now - self._tapped)
            self._tapped, self._thanks_visible = None, None

    def checkin_tapped(self) -> None:
        self._tapped = time.time()

    def thanks_shown(self, visible: Callable[[], bool]) -> None:
        """The screen manager starts showing thanks; the sample ends with the first frame
        drawn while `visible()` (a fade's first frame may still have it at opacity 0)."""
        if self._tapped is not None:
            self._thanks_visible = visible

    def fade_started(self, seconds: float) -> None:
        now = time.time()
        self.fades.append([])
        self.fade_starts.append(now)
        self._recording_until = now + seconds

    def _write(self, closing: bool = False) -> None:
        record = {
            "pid": os.getpid(),
            "first_frame": self.first_frame,
            "first_frame_since_boot": self.first_frame_since_boot,
            "fades": self.fades,
            "fade_starts": self.fade_starts,
            "taps": self.taps,
        }
        if closing:  # what the app holds at its end (a replay's last step): PSS, in MiB
            record["pss_mib_at_close"] = _own_pss_mib()
        self.path.write_text(json.dumps(record) + "\n", encoding="utf-8")

    def close(self) -> None:
        self._write(closing=True)


def _own_pss_mib() -> float | None:
    try:
        text = Path("/proc/self/smaps_rollup").read_text()
    except OSError:
        return None
    kib = next((int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:")), 0)
    return kib / 1024
