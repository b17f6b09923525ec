"""Hears that a finger touched the screen, so a resting event loop can wake at once
instead of looking for touches 20 times a second.

A thread waits in select() on the touchscreens among the input devices (/dev/input/event*
whose capabilities say touch, see `is_touchscreen`): not keyboards, mice, buttons or
sensors. The kernel gives each reader its own copy of a device's events, so reading here
takes nothing from SDL or Kivy, which read the same devices. What is read is thrown away
unlooked-at: nothing about a touch is kept, logged or counted, and nothing is logged from
this thread at all (a line's time would say when someone touched the screen). Devices that
come and go (a USB touchscreen plugged in late) are found again at the next rescan; one
that never runs dry is no touchscreen, and is let go."""

from __future__ import annotations

import glob
import os
import select
import threading
import time
from collections.abc import Callable
from pathlib import Path

DEVICES = "/dev/input/event*"
SYSFS = Path("/sys/class/input")
RESCAN_SECONDS = 10.0  # how soon a device plugged in later is heard
EVENT_BYTES = 24  # one input_event on a 64-bit kernel
READ_BYTES = EVENT_BYTES * 170  # a read returns whole events: a short one means drained
MAX_DEVICES = 64  # more than any kiosk has: select() stays small
DRAIN_READS = 64  # reads per wake (about 260 kB): a device still full after them is let go
BACK_OFF_SECONDS = 1.0  # after select() itself failed

BTN_TOUCH = 0x14A
ABS_X, ABS_MT_POSITION_X = 0x00, 0x35
INPUT_PROP_ACCELEROMETER = 0x06


def _bits(text: str) -> int:
    """A sysfs capability bitmap ("1 0 ffff", most significant word first) as one int."""
    value = 0
    for word in text.split():
        value = (value << 64) | int(word, 16)
    return value


def is_touchscreen(key: str, absolute: str, props: str = "0") -> bool:
    """From a device's sysfs capabilities: it reports touches (BTN_TOUCH) at absolute
    positions, and is no accelerometer (which reports ABS_X all the time)."""
    try:
        keys, axes, properties = _bits(key), _bits(absolute), _bits(props)
    except ValueError:
        return False
    touches = bool(keys >> BTN_TOUCH & 1)
    placed = bool(axes >> ABS_X & 1 or axes >> ABS_MT_POSITION_X & 1)
    return touches and placed and not properties >> INPUT_PROP_ACCELEROMETER & 1


def touchscreen(path: str) -> bool:
    """Whether /dev/input/eventN is a touchscreen, as /sys/class/input/eventN says."""
    caps = SYSFS / Path(path).name / "device"
    try:
        key = (caps / "capabilities" / "key").read_text()
        absolute = (caps / "capabilities" / "abs").read_text()
        props = (caps / "properties").read_text() if (caps / "properties").exists() else "0"
    except OSError:
        return False
    return is_touchscreen(key, absolute, props)


class InputWatch:
    def __init__(
        self,
        on_input: Callable[[], None],
        pattern: str = DEVICES,
        rescan_seconds: float = RESCAN_SECONDS,
        wanted: Callable[[str], bool] = touchscreen,
    ) -> None:
        """`on_input` runs on the watcher's thread each time input arrives (after a quiet
        spell or a read of everything queued): it must only hand over, never draw."""
        self._on_input = on_input
        self._pattern = pattern
        self._rescan = rescan_seconds
        self._wanted = wanted
        self._devices: dict[str, int] = {}  # path -> open file descriptor
        self._let_go: set[str] = set()  # misbehaved: not opened again before the next rescan
        self._stop_r, self._stop_w = os.pipe()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False
        self.failed_hand_overs = 0  # counted, never logged: a log line would time a touch

    @property
    def hearing(self) -> bool:
        """Whether at least one touchscreen is being watched."""
        with self._lock:
            return bool(self._devices)

    def start(self) -> None:
        if self._closed or self._thread is not None:
            return
        self._scan()
        self._thread = threading.Thread(target=self._run, name="input-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the thread (at once: it is woken through a pipe). It closes the devices
        as it ends, so no descriptor is closed under it."""
        if self._closed:
            return
        self._closed = True
        os.write(self._stop_w, b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
            if self._thread.is_alive():  # stuck: it keeps its descriptors, never reused
                return
        self._close_devices()
        os.close(self._stop_r)
        os.close(self._stop_w)

    def _run(self) -> None:
        try:
            self._watch()
        finally:  # ended or failed: nothing is heard any more (the lobby stops resting)
            self._close_devices()

    def _watch(self) -> None:
        next_scan = time.monotonic() + self._rescan
        while not self._closed:
            with self._lock:
                fds = {fd: path for path, fd in self._devices.items()}
            wait = max(0.0, next_scan - time.monotonic())
            try:
                ready, _, _ = select.select([self._stop_r, *fds], [], [], wait)
            except (OSError, ValueError):  # a descriptor went bad: find it, then rest
                for fd, path in fds.items():
                    if not _alive(fd):
                        self._forget(path)
                ready = self._pause(BACK_OFF_SECONDS)
            if self._stop_r in ready:
                return
            heard = False
            for fd in ready:
                if fd in fds:
                    heard |= self._drain(fd, fds[fd])
            if heard:
                self._hand_over()
            if time.monotonic() >= next_scan:
                self._let_go.clear()
                self._scan()
                next_scan = time.monotonic() + self._rescan
            elif len(self._devices) < len(fds):
                self._scan()  # at once when a device went (a touchscreen re-plugged)

    def _pause(self, seconds: float) -> list[int]:
        ready, _, _ = select.select([self._stop_r], [], [], seconds)
        return ready

    def _hand_over(self) -> None:
        try:
            self._on_input()
        except Exception:  # the watcher must outlive a bad hand-over
            self.failed_hand_overs += 1

    def _drain(self, fd: int, path: str) -> bool:
        """Read and drop what the device has queued. False, and the device is let go,
        when it has gone (unplugged, or any read error), ended, or never runs dry."""
        for _ in range(DRAIN_READS):
            try:
                chunk = os.read(fd, READ_BYTES)
            except BlockingIOError:
                return True
            except OSError:  # ENODEV: unplugged
                break
            if not chunk:  # ended: nothing more will come from it
                break
            if len(chunk) < READ_BYTES:
                return True
        self._let_go.add(path)
        self._forget(path)
        return False

    def _forget(self, path: str) -> None:
        with self._lock:
            fd = self._devices.pop(path, None)
        if fd is not None:
            os.close(fd)

    def _close_devices(self) -> None:
        with self._lock:
            fds = list(self._devices.values())
            self._devices.clear()
        for fd in fds:
            os.close(fd)

    def _scan(self) -> None:
        """Open touchscreens that appeared; let go of devices that disappeared."""
        found = sorted(glob.glob(self._pattern))[:MAX_DEVICES]
        with self._lock:
            gone = [path for path in self._devices if path not in found]
        for path in gone:
            self._forget(path)
        for path in found:
            with self._lock:
                if path in self._devices or path in self._let_go:
                    continue
            if not self._wanted(path):
                continue
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
            except OSError:  # no permission, or gone again: not heard
                continue
            with self._lock:
                self._devices[path] = fd


def _alive(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True
