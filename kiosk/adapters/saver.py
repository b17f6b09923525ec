"""Check-ins are written on a worker thread, so a slow SD card never freezes the screen.

The flow shows "thanks" only when `done(True)` arrives, after the write is on disk.
Nothing here logs at the moment of a check-in: failed writes are counted, and the count
is logged by the next timed refresh, which runs on a fixed clock.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from datetime import date

from kiosk.adapters.storage import CheckinStore
from kiosk.core.flow import PendingSave

log = logging.getLogger(__name__)

Deliver = Callable[[Callable[[], None]], None]
Job = Callable[[], None]


class Saver:
    def __init__(self, store: CheckinStore, deliver: Deliver) -> None:
        """`deliver` runs a callback on the UI thread (Kivy: Clock.schedule_once)."""
        self.store = store
        self._deliver = deliver
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._idle = threading.Condition()  # notified as each job ends
        self.failed_writes = 0
        # Whether the last timed upkeep wrote the data folder: the health signal (a
        # check-in's own write never changes it, so health says nothing about one).
        self.store_ok = True
        self._thread = threading.Thread(target=self._run, name="checkin-writer", daemon=True)
        self._thread.start()

    def save(self, pending: PendingSave, done: Callable[[bool], None]) -> None:
        """Write one count: a check-in with its answers, or an after-group answer."""

        def job() -> None:
            try:
                if pending.after is not None:
                    self.store.record_after(pending.occurrence, *pending.after)
                else:
                    self.store.record(pending.occurrence, pending.mood, pending.first)
                ok = True
            except Exception:  # disk full, read-only, unplugged: the screen says so
                ok = False
                self.failed_writes += 1
            self._deliver(lambda: done(ok))

        self._jobs.put(job)

    def refresh(self, today: date) -> None:
        """The timed upkeep: the recent copy and the day's backup, a rewrite that hides the
        last check-in's file times, and a log line if writes failed since the last refresh."""

        def job() -> None:
            if self.failed_writes:
                log.error("%d attendance write(s) failed recently", self.failed_writes)
                self.failed_writes = 0
            try:
                self.store.refresh(today)
                self.store_ok = True
            except Exception:
                self.store_ok = False
                log.exception("The attendance counts could not be refreshed or backed up")

        self._jobs.put(job)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued job is done (for replays and tests). It sleeps until
        the writer says so: polling would take the interpreter from the writer each time."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._jobs.unfinished_tasks, timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Finish queued writes, then stop the thread and release the data folder."""
        self._jobs.put(None)
        self._thread.join(timeout)
        if not self._thread.is_alive():
            self.store.close()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                job()
            except Exception:  # a fault must not end the writer: later check-ins need it
                log.exception("Fault in the attendance writer")
            finally:
                with self._idle:
                    self._jobs.task_done()
                    self._idle.notify_all()
