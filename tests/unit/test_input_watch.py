"""The input watch on real file descriptors: named pipes stand in for /dev/input devices
(select() and non-blocking reads treat both alike), so no device or root is needed; which
devices are touchscreens is decided from sysfs capability text, as the kernel writes it."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from kiosk.adapters.input_watch import InputWatch, is_touchscreen


def anything(_path: str) -> bool:
    return True


class Heard:
    def __init__(self) -> None:
        self.count = 0
        self.event = threading.Event()

    def __call__(self) -> None:
        self.count += 1
        self.event.set()

    def wait(self) -> bool:
        heard = self.event.wait(5)
        self.event.clear()
        return heard


def device(folder: Path, name: str) -> tuple[Path, int]:
    """A named pipe with its writer end open (a device that is there and quiet)."""
    path = folder / name
    os.mkfifo(path)
    reader_first = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # so the writer can open
    writer = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    os.close(reader_first)
    return path, writer


def until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def watch(tmp_path: Path):
    heard = Heard()
    watch = InputWatch(heard, str(tmp_path / "event*"), rescan_seconds=0.05, wanted=anything)
    yield watch, heard
    watch.stop()


def test_a_touch_is_heard_at_once_and_what_it_sent_is_read_away(watch, tmp_path) -> None:
    watch, heard = watch
    _, writer = device(tmp_path, "event0")
    watch.start()
    assert watch.hearing
    os.write(writer, b"\x01" * 48)  # one touch's events
    assert heard.wait()
    os.write(writer, b"\x02" * 10_000)  # a long swipe: more than one read
    assert heard.wait()
    time.sleep(0.2)  # drained: select() does not report it again and again
    assert heard.count <= 3
    os.close(writer)


def test_with_no_device_nothing_is_heard_and_a_device_plugged_in_later_is(watch, tmp_path):
    watch, heard = watch
    watch.start()
    assert not watch.hearing
    _, writer = device(tmp_path, "event3")
    assert until(lambda: watch.hearing)  # found at the next rescan
    os.write(writer, b"\x01" * 24)
    assert heard.wait()
    os.close(writer)


def test_a_device_that_ends_or_goes_is_let_go(watch, tmp_path) -> None:
    watch, heard = watch
    path, writer = device(tmp_path, "event1")
    watch.start()
    assert watch.hearing
    os.close(writer)  # ended: reads give nothing, ever
    path.unlink()  # and it is gone
    assert until(lambda: not watch.hearing)
    assert heard.count == 0


def test_stop_ends_the_thread_at_once_and_closes_every_device(tmp_path) -> None:
    _, writer = device(tmp_path, "event0")
    watch = InputWatch(lambda: None, str(tmp_path / "event*"), 60, wanted=anything)
    watch.start()
    fd = next(iter(watch._devices.values()))
    began = time.monotonic()
    watch.stop()
    assert time.monotonic() - began < 1  # not the 60 s the select() would wait
    assert not watch._thread.is_alive() and not watch.hearing
    with pytest.raises(OSError):
        os.fstat(fd)  # closed
    watch.stop()  # twice is harmless
    os.close(writer)


def test_a_failing_hand_over_does_not_end_the_watch_and_logs_nothing(tmp_path, caplog) -> None:
    calls = Heard()

    def fails() -> None:
        calls()
        raise RuntimeError("the app is gone")

    _, writer = device(tmp_path, "event0")
    watch = InputWatch(fails, str(tmp_path / "event*"), wanted=anything)
    watch.start()
    try:
        os.write(writer, b"\x01")
        assert calls.wait()
        os.write(writer, b"\x01")
        assert calls.wait()  # still listening
        assert until(lambda: watch.failed_hand_overs == 2)
        assert not caplog.records  # a line's time would say when someone touched
    finally:
        watch.stop()
        os.close(writer)


def test_only_touchscreens_are_watched(tmp_path) -> None:
    touch, writer = device(tmp_path, "event0")
    _, other = device(tmp_path, "event1")
    watch = InputWatch(lambda: None, str(tmp_path / "event*"), wanted=lambda p: p == str(touch))
    watch.start()
    try:
        assert list(watch._devices) == [str(touch)]
    finally:
        watch.stop()
        os.close(writer)
        os.close(other)


def test_a_touchscreen_is_told_from_its_capabilities() -> None:
    # As /sys/class/input/eventN/device/capabilities/{key,abs} and properties read.
    touchscreen = ("400 0 0 0 0 0", "260800000000003", "2")  # BTN_TOUCH; ABS_X, ABS_MT_*
    mouse = ("1f0000 0 0 0 0", "0", "0")  # buttons, relative motion
    keyboard = ("1000000000007 ff9f207ac14057ff febeffdfffefffff fffffffffffffffe", "0", "0")
    power_button = ("10000000000000 0", "0", "0")
    accelerometer = ("0", "7", "40")  # ABS_X, Y, Z, INPUT_PROP_ACCELEROMETER
    assert is_touchscreen(*touchscreen)
    for name, caps in {"mouse": mouse, "keyboard": keyboard, "button": power_button,
                       "accelerometer": accelerometer}.items():  # fmt: skip
        assert not is_touchscreen(*caps), name
    assert not is_touchscreen("garbage", "zz")


def test_when_input_keeps_coming_a_device_plugged_in_is_still_found(tmp_path) -> None:
    heard = Heard()
    _, busy = device(tmp_path, "event0")
    watch = InputWatch(heard, str(tmp_path / "event*"), rescan_seconds=0.1, wanted=anything)
    watch.start()
    try:
        _, late = device(tmp_path, "event1")
        deadline = time.monotonic() + 5
        while (tmp_path / "event1").as_posix() not in watch._devices:
            os.write(busy, b"\x01" * 24)  # never a quiet spell
            time.sleep(0.02)
            assert time.monotonic() < deadline, "the new device was never opened"
        os.close(late)
    finally:
        watch.stop()
        os.close(busy)


def test_a_device_that_never_runs_dry_or_cannot_be_read_is_let_go(
    tmp_path, caplog, monkeypatch
) -> None:
    """Endless input (/dev/zero) and a broken one (a folder: every read fails) end in
    bounded time and memory, the watch goes on, and nothing is logged."""
    (tmp_path / "event0").symlink_to("/dev/zero")
    (tmp_path / "event1").mkdir()
    _, writer = device(tmp_path, "event2")
    heard = Heard()
    watch = InputWatch(heard, str(tmp_path / "event*"), rescan_seconds=60, wanted=anything)
    watch.start()
    try:
        assert until(lambda: list(watch._devices) == [str(tmp_path / "event2")])
        os.write(writer, b"\x01" * 24)
        assert heard.wait()  # the good one is still heard
        opened = []
        real_open = os.open
        monkeypatch.setattr(os, "open", lambda *a, **k: opened.append(a[0]) or real_open(*a, **k))
        time.sleep(0.3)
        monkeypatch.undo()
        assert not opened, "the bad ones are not opened again and again"
        assert not caplog.records
    finally:
        watch.stop()
        os.close(writer)
