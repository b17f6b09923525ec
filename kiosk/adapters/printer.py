"""Receipt printers (ESC/POS): a slip as the printer's bytes, as a picture (previews, and
words the printer's own font cannot print), and printing it without holding the screen.

python-escpos builds the ESC/POS bytes (its Dummy printer) and talks USB; it is imported
only when a printer is enabled, on the printing thread. A device file is written with
os.open and no O_CREAT: a missing printer is never turned into a new file in /dev.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from kiosk.core import qr
from kiosk.core.slips import Slip, plain_for_printer
from kiosk.words import fonts
from kiosk.words.linebreak import break_lines

log = logging.getLogger(__name__)

DOTS = {80: 576, 58: 384}  # printable dots across the roll, at 203 dpi
TIMEOUT_SECONDS = 20.0  # a print still not done by then is reported as failed
MAX_SLIP_BYTES = 2_000_000  # a slip is a few kB of text, or a few hundred kB as a picture


class PrinterError(Exception):
    """Why a slip could not print, in words for staff."""


# --- the slip as a picture ----------------------------------------------------------------------


def _font(face: fonts.Face, size: int, bold: bool) -> ImageFont.FreeTypeFont:
    path = face.bold if (bold and face.bold) else face.regular
    return ImageFont.truetype(str(path), size)


def _face(slip: Slip) -> fonts.Face:
    return fonts.face_for(slip.lines) or fonts.latin_face()


def _block(lines: list[tuple[str, int, bool]], face: fonts.Face, width: int) -> Image.Image:
    """Lines of (text, font size, bold), wrapped to `width` dots and centred, black on
    white."""
    rows: list[tuple[str, ImageFont.FreeTypeFont]] = []
    for text, size, bold in lines:
        font = _font(face, size, bold)
        wrap = width - width // 10  # a margin at each side
        for line in break_lines(text, wrap, lambda s, f=font: f.getlength(s)):
            rows.append((line, font))
        rows.append(("", _font(face, size // 3, False)))  # a little air after each
    heights = [font.getbbox("Hg中")[3] + 6 for _line, font in rows]
    image = Image.new("L", (width, max(1, sum(heights))), 255)
    draw = ImageDraw.Draw(image)
    y = 0
    for (line, font), height in zip(rows, heights, strict=True):
        if line:
            draw.text(((width - font.getlength(line)) / 2, y), line, font=font, fill=0)
        y += height
    return image


def _qr_image(slip: Slip, width: int) -> Image.Image | None:
    if not slip.qr:
        return None
    side = width * 2 // 3
    module = max(2, qr.module_pixels(slip.qr, side))
    return qr.image(slip.qr, module).convert("L")


def _top_lines(slip: Slip, width: int) -> list[tuple[str, int, bool]]:
    big = width // 12  # 48 dots on 80 mm: the name; the phone number twice that
    lines = [(slip.name, big, True)]
    if slip.phone:
        lines.append((slip.phone, big * 2 if len(slip.phone) <= 8 else big * 3 // 2, True))
    lines += [(x, big * 2 // 3, False) for x in (slip.hours, slip.address) if x]
    if slip.link_words:
        lines.append((slip.link_words, big * 2 // 3, True))
    return lines


def _bottom_lines(slip: Slip, width: int) -> list[tuple[str, int, bool]]:
    body = width // 18
    return [(x, body, False) for x in (slip.extra, slip.footer) if x]


def slip_image(slip: Slip, paper_mm: int = 80) -> Image.Image:
    """The whole slip, as it comes out of the printer (a preview for staff, and what a
    printer gets when its own font cannot print the words)."""
    width = DOTS[paper_mm]
    face = _face(slip)
    parts = [_block(_top_lines(slip, width), face, width)]
    code = _qr_image(slip, width)
    if code is not None:
        parts.append(code)
    parts.append(_block(_bottom_lines(slip, width), face, width))
    margin = width // 16
    height = sum(p.height for p in parts) + margin * (len(parts) + 1)
    slip_picture = Image.new("L", (width, height), 255)
    y = margin
    for part in parts:
        slip_picture.paste(part, ((width - part.width) // 2, y))
        y += part.height + margin
    return slip_picture.convert("RGB")


# --- the slip as ESC/POS bytes ------------------------------------------------------------------


def escpos_bytes(slip: Slip, paper_mm: int = 80) -> bytes:
    """The printer's bytes for `slip`: the words in the printer's own font when its code
    page has them (sharp, fast), else as a picture; the QR code as the printer's own
    (the printer draws it from the link, so it is always crisp)."""
    from escpos.printer import Dummy

    width = DOTS[paper_mm]
    printer = Dummy()
    top, bottom = _top_lines(slip, width), _bottom_lines(slip, width)
    plain = [plain_for_printer(text) for text, _size, _bold in top + bottom]
    as_text = all(p is not None for p in plain)
    printer.set(align="center")
    if as_text:
        _text_lines(printer, slip)
    else:
        printer.image(_block(top, _face(slip), width), center=True)
    if slip.qr:
        printer.qr(slip.qr, size=8 if paper_mm == 80 else 6, native=True)  # centred by set()
        printer.text("\n")
    if as_text:
        printer.set(align="center", normal_textsize=True)
        for text in (slip.extra, slip.footer):
            if text:
                printer.text((plain_for_printer(text) or "") + "\n\n")
    else:
        printer.image(_block(bottom, _face(slip), width), center=True)
    printer.cut()
    data = printer.output
    if len(data) > MAX_SLIP_BYTES:
        raise PrinterError(f"the slip came out at {len(data)} bytes, more than a slip can be")
    return data


def _text_lines(printer: Any, slip: Slip) -> None:
    def line(text: str, **style: Any) -> None:
        printer.set(align="center", normal_textsize=True)
        printer.set(align="center", **style)
        printer.text((plain_for_printer(text) or "") + "\n")

    line(slip.name, bold=True, double_height=True)
    if slip.phone:
        line(slip.phone, bold=True, double_width=True, double_height=True)
    for text in (slip.hours, slip.address):
        if text:
            line(text)
    if slip.link_words:
        line(slip.link_words, bold=True)
    printer.text("\n")


# --- sending the bytes --------------------------------------------------------------------------


def _write_device(path: str, data: bytes) -> None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise PrinterError(f"{path} is not there: is the printer plugged in and on?") from None
    except OSError as exc:
        raise PrinterError(f"{path} cannot be read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise PrinterError(f"{path} is a folder, not a printer")
    try:
        # O_APPEND: a plain file standing in for the printer collects every slip in turn.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOCTTY | os.O_CLOEXEC)
    except PermissionError:
        raise PrinterError(
            f"no permission to write to {path}: add the kiosk's user to the lp group"
        ) from None
    except OSError as exc:
        raise PrinterError(f"{path} cannot be opened: {exc.strerror}") from None
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as exc:
        if exc.errno in (errno.EIO, errno.ENODEV, errno.ENXIO):
            raise PrinterError(f"{path} stopped answering (offline, or out of paper?)") from None
        raise PrinterError(f"writing to {path} failed: {exc.strerror}") from None
    finally:
        os.close(fd)


def _write_usb(usb_id: str, data: bytes) -> None:
    from escpos.printer import Usb

    vendor, product = (int(part, 16) for part in usb_id.split(":"))
    try:
        printer = Usb(vendor, product, timeout=int(TIMEOUT_SECONDS * 1000) // 2)
        printer.open()
        printer._raw(data)
        printer.close()
    except Exception as exc:  # pyusb and python-escpos raise many kinds
        raise PrinterError(f"the USB printer {usb_id} did not take the slip: {exc}") from None


def deliver(settings: Any, data: bytes) -> None:
    """Send a slip's bytes to the printer in `settings` ([printer] in kiosk.toml)."""
    if settings.device:
        _write_device(settings.device, data)
    elif settings.usb:
        _write_usb(settings.usb, data)
    else:
        raise PrinterError("no device or usb is set in [printer]")


# --- printing without holding the screen --------------------------------------------------------


class SlipPrinter:
    """Prints one slip at a time on a thread of its own; `done(ok)` is called on the
    thread `post` runs it on (Kivy's clock, in the app). A print that has not finished
    in TIMEOUT_SECONDS is reported as failed, and the next waits for nothing stuck.

    `state` is for the staff panel: the printer's state, never when a slip printed."""

    def __init__(
        self,
        post: Callable[[Callable[[], None]], None],
        send: Callable[[Any, bytes], None] = deliver,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self._post = post
        self._send = send
        self._timeout = timeout
        self._busy = threading.Lock()  # held while a print thread runs (even a stuck one)
        self._answered = threading.Event()  # the last print has been reported
        self._answered.set()
        self.state = "ready"

    def print(self, settings: Any, slip: Slip, done: Callable[[bool], None]) -> None:
        if not self._busy.acquire(blocking=False):  # the last one is stuck
            self.state = "not answering: the last slip has not finished printing"
            done(False)
            return
        reported = threading.Event()
        timer: threading.Timer | None = None
        self._answered.clear()

        def report(ok: bool, state: str) -> None:
            if not reported.is_set():
                reported.set()
                if timer is not None:
                    timer.cancel()
                if state != self.state and not ok:
                    log.warning("Printer: %s", state)  # a change of state, never each slip
                self.state = state
                self._post(lambda: done(ok))
                self._answered.set()

        def work() -> None:
            try:
                self._send(settings, escpos_bytes(slip, settings.paper_mm))
                report(True, "ready")
            except PrinterError as exc:
                report(False, str(exc))
            except Exception as exc:
                log.exception("Printing a slip failed")
                report(False, f"failed: {exc}")
            finally:
                self._busy.release()

        timer = threading.Timer(
            self._timeout, lambda: report(False, "not answering (offline, or out of paper?)")
        )
        timer.daemon = True
        timer.start()
        thread = threading.Thread(target=work, name="slip-printer", daemon=True)
        thread.start()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Whether the last slip has been reported, printed or failed (waiting up to
        `timeout`): replays and tests see its result, as a resident would."""
        return self._answered.wait(timeout)

    def describe(self, settings: Any) -> str:
        where = settings.device or f"USB {settings.usb}"
        if self.state == "ready" and settings.device and not Path(settings.device).exists():
            return f"Printer {where}: not there (is it plugged in and on?)"
        return f"Printer {where}: {self.state}"
