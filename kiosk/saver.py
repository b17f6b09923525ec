"""Check-ins are written on a worker thread, so a slow SD card never freezes the screen.

The flow shows "thanks" only when `done(True)` arrives, after the write is on disk.
Nothing here logs when a check-in happened: a failure is logged at most once an hour,
without saying what was being written.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from datetime import date

from kiosk.checkins import Mood
from kiosk.storage import CheckinStore

log = logging.getLogger(__name__)

Deliver = Callable[[Callable[[], None]], None]
_FAILURE_LOG_SECONDS = 3600


class Saver:
    def __init__(self, store: CheckinStore, deliver: Deliver) -> None:
        """`deliver` runs a callback on the UI thread (Kivy: Clock.schedule_once)."""
        self.store = store
        self._deliver = deliver
        self._jobs: queue.Queue[tuple[str, Mood, date, Callable[[bool], None]] | None] = (
            queue.Queue()
        )
        self._last_failure_log = float("-inf")
        self._thread = threading.Thread(target=self._run, name="checkin-writer", daemon=True)
        self._thread.start()

    def save(self, occurrence: str, mood: Mood, today: date, done: Callable[[bool], None]) -> None:
        self._jobs.put((occurrence, mood, today, done))

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued write is done (for replays and tests)."""
        deadline = time.monotonic() + timeout
        while self._jobs.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.001)
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Finish queued writes, then stop the thread."""
        self._jobs.put(None)
        self._thread.join(timeout)
        self.store.close()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                occurrence, mood, today, done = job
                try:
                    self.store.record(occurrence, mood, today)
                    ok = True
                except Exception:  # disk full, read-only, unplugged: the screen says so
                    ok = False
                    self._log_failure()
                self._deliver(lambda ok=ok, done=done: done(ok))
            finally:
                self._jobs.task_done()

    def _log_failure(self) -> None:
        now = time.monotonic()
        if now - self._last_failure_log >= _FAILURE_LOG_SECONDS:
            self._last_failure_log = now
            log.exception("The attendance counts could not be written (logged once an hour)")
