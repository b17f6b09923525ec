"""Hears that a finger (or a key, or a mouse) touched the machine, so a resting event loop
can wake at once instead of looking for input 20 times a second.

A thread waits in select() on the input devices (/dev/input/event*). The kernel gives
each reader its own copy of a device's events, so reading here takes nothing from SDL or
Kivy, which read the same devices. What is read is thrown away unlooked-at: nothing about
a touch is kept, logged or counted. Devices that come and go (a USB touchscreen plugged
in late) are found again at the next rescan."""

from __future__ import annotations

import errno
import glob
import logging
import os
import select
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

DEVICES = "/dev/input/event*"
RESCAN_SECONDS = 10.0  # how soon a device plugged in later is heard
READ_BYTES = 4096  # one read's worth; a device's queue is drained read by read
MAX_DEVICES = 64  # more than any kiosk has: select() stays small


class InputWatch:
    def __init__(
        self,
        on_input: Callable[[], None],
        pattern: str = DEVICES,
        rescan_seconds: float = RESCAN_SECONDS,
    ) -> None:
        """`on_input` runs on the watcher's thread each time input arrives (after a quiet
        spell or a read of everything queued): it must only hand over, never draw."""
        self._on_input = on_input
        self._pattern = pattern
        self._rescan = rescan_seconds
        self._devices: dict[str, int] = {}  # path -> open file descriptor
        self._stop_r, self._stop_w = os.pipe()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False

    @property
    def hearing(self) -> bool:
        """Whether at least one input device is being watched."""
        with self._lock:
            return bool(self._devices)

    def start(self) -> None:
        self._scan()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="input-watch", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """End the thread (at once: it is woken through a pipe) and close every device."""
        if self._closed:
            return
        self._closed = True
        os.write(self._stop_w, b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            for fd in self._devices.values():
                os.close(fd)
            self._devices.clear()
        os.close(self._stop_r)
        os.close(self._stop_w)

    def _run(self) -> None:
        while True:
            with self._lock:
                fds = {fd: path for path, fd in self._devices.items()}
            try:
                ready, _, _ = select.select([self._stop_r, *fds], [], [], self._rescan)
            except (OSError, ValueError):  # a descriptor went bad between two looks
                ready = []
            if self._stop_r in ready:
                return
            heard = False
            for fd in ready:
                heard |= self._drain(fd, fds[fd])
            if heard:
                try:
                    self._on_input()
                except Exception:  # the watcher must outlive a bad hand-over
                    log.exception("Input watch: waking the screen failed")
            if not ready:
                self._scan()

    def _drain(self, fd: int, path: str) -> bool:
        """Read and drop what the device has queued. False, and the device is let go,
        when it has gone (unplugged) or ended."""
        while True:
            try:
                chunk = os.read(fd, READ_BYTES)
            except BlockingIOError:
                return True
            except OSError as exc:  # ENODEV: unplugged
                if exc.errno not in (errno.ENODEV, errno.EIO, errno.EBADF):
                    log.warning("Input watch: %s: %s", path, exc.strerror)
                self._forget(path)
                return False
            if not chunk:  # ended: nothing more will come from it
                self._forget(path)
                return False
            if len(chunk) < READ_BYTES:
                return True

    def _forget(self, path: str) -> None:
        with self._lock:
            fd = self._devices.pop(path, None)
        if fd is not None:
            os.close(fd)

    def _scan(self) -> None:
        """Open devices that appeared; let go of those that disappeared."""
        found = sorted(glob.glob(self._pattern))[:MAX_DEVICES]
        with self._lock:
            gone = [path for path in self._devices if path not in found]
        for path in gone:
            self._forget(path)
        for path in found:
            with self._lock:
                if path in self._devices:
                    continue
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
            except OSError:  # no permission, or gone again: not heard
                continue
            with self._lock:
                self._devices[path] = fd
