"""Take-away slips: what a slip says, its ESC/POS bytes from the library's Dummy printer,
a real device file, a printer that is missing or stuck, and the print button's rest."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pytest
import zxingcpp

from kiosk.adapters import printer as printing
from kiosk.adapters.printer import SlipPrinter, escpos_bytes, slip_image
from kiosk.config.loader import load
from kiosk.config.models import Printer
from kiosk.core.flow import Screen
from kiosk.core.slips import PrintButton, plain_for_printer, print_view, slip_for
from kiosk.screens import BY_SCREEN, current_view
from tests.conftest import bump_mtime, edit
from tests.fifo_printer import FifoPrinter
from tests.unit.test_lobby import Run

QR_DATA = b"\x1d(k"  # GS ( k: the printer's own QR code
RASTER = b"\x1dv0"  # GS v 0: a picture
CUT = b"\x1dV"


@pytest.fixture
def config(config_dir: Path):
    result = load(config_dir)
    assert result.config is not None
    return result.config


def resource(config, rid: str):
    return next(r for r in config.resources.resource if r.id == rid)


def test_a_slip_has_the_resource_in_the_residents_language_and_nothing_about_them(
    config,
) -> None:
    slip = slip_for(config, resource(config, "never-use-alone"), "es")
    assert slip.name == "Never Use Alone" and slip.phone == "800-484-3731"
    assert slip.hours == "Horario: 24 horas, todos los días"
    assert slip.extra == "Si usa sin nadie cerca, llame antes. Gratis y confidencial."
    assert slip.qr == "tel:8004843731" and slip.link_words == ""
    assert slip.footer == "Es gratis. No se guarda nada sobre usted."
    text = " ".join(slip.lines)
    for moment in ("2026", "Dec", "dic", "p. m.", "PM"):  # no date, no time, no count
        assert moment not in text, moment
    assert not re.search(r"\d:\d\d", text), "no time of day"
    web = slip_for(config, resource(config, "glide"), "en")
    assert web.link_words and web.qr.startswith("https://")


def test_the_bytes_hold_the_words_the_number_and_the_qr_code_once(config) -> None:
    slip = slip_for(config, resource(config, "never-use-alone"), "en")
    data = escpos_bytes(slip)
    assert b"Never Use Alone" in data and b"800-484-3731" in data
    assert b"Free and confidential." in data and b"Hours: 24/7" in data
    assert QR_DATA in data and b"1P0tel:8004843731" in data
    assert RASTER not in data, "Latin words print in the printer's own font"
    assert data.count(CUT) == 1


def test_chinese_prints_as_a_picture_and_the_qr_code_stays_the_printers_own(config) -> None:
    slip = slip_for(config, resource(config, "never-use-alone"), "zh-Hant")
    assert plain_for_printer(slip.hours) is None
    data = escpos_bytes(slip)
    assert RASTER in data, "the words went as a picture"
    assert "每天".encode("gb2312") not in data and "每天".encode("big5") not in data
    assert b"1P0tel:8004843731" in data and data.count(CUT) == 1


def test_typographic_marks_print_as_plain_ones() -> None:
    assert (
        plain_for_printer("Don’t use alone — call “first”…") == 'Don\'t use alone - call "first"...'
    )
    assert plain_for_printer("Mañana, está") == "Mañana, está"


@pytest.mark.parametrize(("rid", "lang"), [("glide", "en"), ("never-use-alone", "zh-Hant")])
@pytest.mark.parametrize("paper", [80, 58])
def test_the_slip_picture_has_a_qr_code_a_phone_can_read(config, rid, lang, paper) -> None:
    slip = slip_for(config, resource(config, rid), lang)
    picture = slip_image(slip, paper)
    assert picture.width == printing.DOTS[paper]
    [code] = zxingcpp.read_barcodes(picture)
    assert code.text == slip.qr


def settings(device: Path) -> Printer:
    return Printer(enabled=True, device=str(device))


def run_print(port: SlipPrinter, config, device: Path, timeout: float = 5.0) -> bool:
    results: list[bool] = []
    slip = slip_for(config, resource(config, "never-use-alone"), "en")
    port.print(settings(device), slip, results.append)
    assert port.wait_idle(timeout)
    return results[0]


@pytest.fixture
def device(tmp_path: Path):
    fifo = FifoPrinter(tmp_path / "lp0")
    yield fifo
    fifo.close()


def test_a_slip_goes_to_the_device_whole(config, device: FifoPrinter) -> None:
    port = SlipPrinter(lambda fn: fn())
    assert run_print(port, config, device.path) is True
    assert device.slips(1) == 1
    assert b"Never Use Alone" in device.data and b"1P0tel:8004843731" in device.data
    assert "ready" in port.describe(settings(device.path))
    assert run_print(port, config, device.path) is True
    assert device.slips(2) == 2


def test_a_plain_file_is_never_taken_for_a_printer(config, tmp_path: Path) -> None:
    """A mistyped device = "/etc/lobby-kiosk/kiosk.toml" must not be written over."""
    kiosk_toml = tmp_path / "kiosk.toml"
    kiosk_toml.write_text("name = 'x'\n")
    port = SlipPrinter(lambda fn: fn())
    assert run_print(port, config, kiosk_toml) is False
    assert kiosk_toml.read_text() == "name = 'x'\n"
    assert "plain file" in port.state and "plain file" in port.describe(settings(kiosk_toml))


def test_a_missing_printer_fails_kindly_and_no_file_is_made(config, tmp_path: Path, caplog) -> None:
    device = tmp_path / "lp0"
    port = SlipPrinter(lambda fn: fn())
    assert run_print(port, config, device) is False
    assert not device.exists(), "a missing device is never created"
    assert "not there" in port.describe(settings(device))
    assert run_print(port, config, tmp_path) is False  # a folder
    assert "folder" in port.state
    assert caplog.text == "", "the log must not mark the moment of a tap"
    port.report_failures()  # on the kiosk's timer, minutes later
    assert "2 slip(s) could not print recently" in caplog.text
    caplog.clear()
    port.report_failures()
    assert caplog.text == ""


def test_a_device_no_one_reads_fails_at_once(config, tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    os.mkfifo(device)  # no reader: as a printer switched off behind its device
    port = SlipPrinter(lambda fn: fn())
    started = time.monotonic()
    assert run_print(port, config, device) is False
    assert time.monotonic() - started < 3 and "not answering" in port.state


def test_a_printer_that_stops_taking_bytes_never_holds_the_thread(config, tmp_path: Path) -> None:
    """A reader that takes nothing: the pipe fills up, as a printer out of paper stops
    taking bytes. The write gives up at its deadline, and the next slip is not stuck."""
    device = tmp_path / "lp0"
    os.mkfifo(device)
    reader = os.open(device, os.O_RDONLY | os.O_NONBLOCK)  # open, but never read
    try:
        port = SlipPrinter(lambda fn: fn(), timeout=1.5)
        big = slip_for(config, resource(config, "never-use-alone"), "zh-Hant")  # a picture
        results: list[bool] = []
        started = time.monotonic()
        for _ in range(3):  # until the pipe's buffer is full
            port.print(settings(device), big, results.append)
            assert port.wait_idle(10)
        assert results[-1] is False and "not answering" in port.state
        assert time.monotonic() - started < 10
        assert not port._busy.locked(), "the thread has ended: nothing is stuck"
    finally:
        os.close(reader)


def test_a_print_that_hangs_is_reported_and_the_next_tap_is_told_at_once(config) -> None:
    release = threading.Event()
    port = SlipPrinter(lambda fn: fn(), send=lambda *_: release.wait(10), timeout=0.3)
    results: list[bool] = []
    slip = slip_for(config, resource(config, "never-use-alone"), "en")
    port.print(settings(Path("/dev/usb/lp0")), slip, results.append)
    assert port.wait_idle(5) and results == [False] and "not answering" in port.state
    port.print(settings(Path("/dev/usb/lp0")), slip, results.append)
    assert results == [False, False] and "has not finished" in port.state
    release.set()  # it comes back: the next slip goes
    deadline = time.monotonic() + 5
    while port._busy.locked() and time.monotonic() < deadline:
        time.sleep(0.01)
    port.print(settings(Path("/dev/usb/lp0")), slip, results.append)
    assert port.wait_idle(5) and results[-1] is True, "answered once, then ready again"
    assert results.count(True) == 1


def test_a_slip_too_big_to_be_a_slip_is_refused(config, monkeypatch) -> None:
    monkeypatch.setattr(printing, "MAX_SLIP_BYTES", 100)
    slip = slip_for(config, resource(config, "never-use-alone"), "en")
    with pytest.raises(printing.PrinterError, match="more than a slip"):
        escpos_bytes(slip)


def test_the_button_prints_once_per_tap_then_rests() -> None:
    button = PrintButton(rest_seconds=5)
    assert button.tap(0.0) is True
    assert button.tap(0.1) is False, "one slip per tap: not while it prints"
    button.done(True, 1.0)
    view = print_view(button, "en")
    assert view.resting and view.label == "Printed" and "take your slip" in view.note
    assert button.tap(3.0) is False, "resting"
    assert button.tick(6.0) is True and button.tap(6.1) is True
    button.done(False, 7.0)
    view = print_view(button, "tl")
    assert view.failed and "staff" in view.note
    button.reset()
    assert button.state == "ready" and button.tap(7.5) is True


def test_print_words_are_a_text_checked_for_translations(config_dir: Path) -> None:
    edit(config_dir / "resources.toml", 'print.tl = "Kung gagamit', '# print.tl = "Kung gagamit')
    result = load(config_dir)
    assert result.config is not None
    missing = [m for m in result.config.missing_translations if m.field == "print"]
    assert [m.languages for m in missing] == [("tl",)]


class HeldPrinter:
    """A printer that holds each slip until the test says how it went."""

    def __init__(self) -> None:
        self.slips: list = []
        self.waiting: list = []

    def print(self, _settings, slip, done) -> None:
        self.slips.append(slip)
        self.waiting.append(done)

    def describe(self, _settings) -> str:
        return "Printer /dev/usb/lp0: ready"

    def report_failures(self) -> None:
        pass

    def prepare(self) -> None:
        self.prepared = True


def printing_lobby(config_dir: Path, tmp_path: Path, printer: bool = True) -> Run:
    """A lobby (no window) with [printer] enabled, or not, and a HeldPrinter."""
    if printer:
        edit(config_dir / "kiosk.toml", "enabled = false\ndevice", "enabled = true\ndevice")
    r = Run(config_dir, tmp_path / "data", "2026-12-01T17:45")
    r.lobby.printer = HeldPrinter()
    return r


def test_the_lobby_prints_the_resource_on_screen_in_the_residents_language(
    config_dir: Path, tmp_path: Path
) -> None:
    r = printing_lobby(config_dir, tmp_path)
    held = r.lobby.printer
    r.lobby.print_slip()
    assert held.slips == [], "only on a resource's screen"
    r.lobby.open_languages()
    r.lobby.choose_language("es")
    r.lobby.open_resources()
    r.lobby.open_resource("never-use-alone")
    assert current_view(r.lobby).printing.label == "Imprimir"
    r.lobby.print_slip()
    r.lobby.print_slip()  # while it prints: nothing more
    assert [s.lang for s in held.slips] == ["es"] and held.slips[0].name == "Never Use Alone"
    assert current_view(r.lobby).printing.label == "Imprimiendo…"
    held.waiting.pop()(True)
    assert current_view(r.lobby).printing.resting
    r.lobby.print_slip()
    assert len(held.slips) == 1, "resting"
    r.advance(6)
    assert not current_view(r.lobby).printing.resting
    r.lobby.print_slip()
    held.waiting.pop()(False)
    assert current_view(r.lobby).printing.failed and len(held.slips) == 2
    staff = BY_SCREEN[Screen.STAFF].view(r.lobby)
    assert "Printer /dev/usb/lp0: ready" in staff.system


def test_with_no_printer_enabled_there_is_no_print_button(config_dir: Path, tmp_path) -> None:
    r = printing_lobby(config_dir, tmp_path, printer=False)
    held = r.lobby.printer
    r.lobby.open_resources()
    r.lobby.open_resource("never-use-alone")
    assert current_view(r.lobby).printing is None
    r.lobby.print_slip()
    assert held.slips == []


def test_a_printer_that_raises_leaves_the_button_ready_to_try_again(
    config_dir: Path, tmp_path: Path, caplog
) -> None:
    class Broken(HeldPrinter):
        def print(self, *_args) -> None:
            raise RuntimeError("can't start new thread")

    r = printing_lobby(config_dir, tmp_path)
    r.lobby.printer = Broken()
    r.lobby.open_resources()
    r.lobby.open_resource("never-use-alone")
    r.lobby.print_slip()
    assert current_view(r.lobby).printing.failed
    assert "thread" not in caplog.text, "not logged at the tap"
    r.lobby.refresh_store()
    assert "can't start new thread" in caplog.text


def test_a_result_that_comes_after_the_resident_left_is_not_shown_elsewhere(
    config_dir: Path, tmp_path: Path
) -> None:
    r = printing_lobby(config_dir, tmp_path)
    held = r.lobby.printer
    r.lobby.open_resources()
    r.lobby.open_resource("never-use-alone")
    r.lobby.print_slip()
    r.lobby.go_back()
    r.lobby.open_resource("lifeline-988")
    held.waiting.pop()(True)
    view = current_view(r.lobby).printing
    assert view.label == "Print this" and not view.resting


def test_the_printing_library_is_readied_when_a_printer_is_enabled_not_at_a_tap(
    config_dir: Path, tmp_path: Path
) -> None:
    """Its first load writes a cache file: at a tap, that file's time would be the tap's."""
    r = printing_lobby(config_dir, tmp_path, printer=False)
    r.lobby.prepare_printer()
    assert not hasattr(r.lobby.printer, "prepared"), "no printer enabled: nothing loads"
    edit(config_dir / "kiosk.toml", "enabled = false\ndevice", "enabled = true\ndevice")
    bump_mtime(config_dir / "kiosk.toml")
    r.lobby.poll_config()
    assert r.lobby.printer.prepared, "enabled by a config change: readied then"
