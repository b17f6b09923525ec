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
import select
import stat
import threading
import time
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


def _quiet_library(record: logging.LogRecord) -> bool:
    """python-escpos logs each USB connection on the root logger: a line with the time a
    resident tapped "Print this". Those lines never reach the log."""
    return f"{os.sep}escpos{os.sep}" not in record.pathname


_escpos_ready = threading.Lock()


def _escpos(cache: Path | None = None) -> Any:
    """python-escpos, imported on first use (about a second on a small machine). Its
    printer database is kept parsed in `cache`, not in a new temporary folder each start."""
    with _escpos_ready:
        if cache is not None and "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
            cache.mkdir(parents=True, exist_ok=True)
            os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(cache)
        logging.getLogger().addFilter(_quiet_library)
        import escpos.printer

        return escpos.printer


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
    width = DOTS[paper_mm]
    printer = _escpos().Dummy()
    # The paper's width in dots: pictures are checked against it (and, without it, the
    # library prints a warning on standard output for each one).
    printer.profile.profile_data["media"] = {"width": {"pixels": width, "mm": paper_mm}}
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


def device_problem(path: str) -> str:
    """Why `path` is not a printer's device ("" when it is one): a character device (or a
    pipe to one); never a plain file, which a mistyped path would overwrite."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return f"{path} is not there: is the printer plugged in and on?"
    except (OSError, ValueError) as exc:
        return f"{path} cannot be read: {getattr(exc, 'strerror', None) or exc}"
    if stat.S_ISDIR(mode):
        return f"{path} is a folder, not a printer"
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        return f"{path} is a plain file, not a printer: check device = in [printer]"
    return ""


def _write_device(path: str, data: bytes, deadline: float) -> None:
    """Write without ever blocking past `deadline`: a printer that is off, jammed or out
    of paper stops taking bytes, and the printing thread must not wait on it for ever."""
    problem = device_problem(path)
    if problem:
        raise PrinterError(problem)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except PermissionError:
        raise PrinterError(
            f"no permission to write to {path}: add the kiosk's user to the lp group"
        ) from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a pipe no one reads: nothing is there to print
            raise PrinterError(f"{path} is not answering (offline?)") from None
        raise PrinterError(f"{path} cannot be opened: {exc.strerror}") from None
    try:
        view = memoryview(data)
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        while view:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PrinterError("not answering (offline, or out of paper?)")
            if not poller.poll(left * 1000):
                continue
            try:
                view = view[os.write(fd, view) :]
            except BlockingIOError:
                continue
    except OSError as exc:
        if exc.errno in (errno.EIO, errno.ENODEV, errno.ENXIO, errno.EPIPE):
            raise PrinterError(f"{path} stopped answering (offline, or out of paper?)") from None
        raise PrinterError(f"writing to {path} failed: {exc.strerror}") from None
    finally:
        os.close(fd)


def _write_usb(usb_id: str, data: bytes, seconds: float) -> None:
    vendor, product = (int(part, 16) for part in usb_id.split(":"))
    try:
        printer = _escpos().Usb(vendor, product, timeout=max(1, int(seconds * 1000)))
        printer.open()
        printer._raw(data)
        printer.close()
    except Exception as exc:  # pyusb and python-escpos raise many kinds
        raise PrinterError(f"the USB printer {usb_id} did not take the slip: {exc}") from None


def deliver(settings: Any, data: bytes, seconds: float = TIMEOUT_SECONDS) -> None:
    """Send a slip's bytes to the printer in `settings` ([printer] in kiosk.toml)."""
    if settings.device:
        _write_device(settings.device, data, time.monotonic() + seconds)
    elif settings.usb:
        _write_usb(settings.usb, data, seconds)
    else:
        raise PrinterError("no device or usb is set in [printer]")


# --- printing without holding the screen --------------------------------------------------------


class SlipPrinter:
    """Prints one slip at a time on a thread of its own; `done(ok)` is called on the
    thread `post` runs it on (Kivy's clock, in the app). A print that has not finished
    in `timeout` seconds is reported as failed (a device write gives up by itself a
    second before); if a print is still stuck, the next tap is told so at once.

    `state` is for the staff panel: the printer's state, never when a slip printed. For
    the same reason nothing is logged as a slip prints or fails: failures are counted and
    logged by `report_failures`, on a timer of the kiosk's own."""

    def __init__(
        self,
        post: Callable[[Callable[[], None]], None],
        send: Callable[[Any, bytes, float], None] = deliver,
        timeout: float = TIMEOUT_SECONDS,
        cache: Path | None = None,  # where python-escpos keeps its printer database parsed
    ) -> None:
        self._post = post
        self._send = send
        self._timeout = timeout
        self._cache = cache
        self._busy = threading.Lock()  # held while a print thread runs (even a stuck one)
        self._answered = threading.Event()  # the last print has been reported
        self._answered.set()
        self.state = "ready"
        self.failed_recently = 0
        self._prepared = False

    def prepare(self) -> None:
        """Load the library (and write its parsed database to the cache) on a thread of
        its own, now, while a printer is enabled: never at a resident's first tap, which
        a new file's time would record."""
        if not self._prepared:
            self._prepared = True
            threading.Thread(target=self._load_quietly, name="slip-printer-load",
                             daemon=True).start()  # fmt: skip

    def _load_quietly(self) -> None:
        try:
            _escpos(self._cache)
        except Exception:  # a broken install shows at the first print, as its state
            log.exception("The printing library cannot be loaded")

    def print(self, settings: Any, slip: Slip, done: Callable[[bool], None]) -> None:
        if not self._busy.acquire(blocking=False):  # the last one is stuck
            self.state = "not answering: the last slip has not finished printing"
            self.failed_recently += 1
            done(False)
            return
        once = threading.Lock()
        reported = False
        timer: threading.Timer | None = None
        self._answered.clear()

        def report(ok: bool, state: str) -> None:
            nonlocal reported
            with once:  # the print and the timer may both answer: the first one counts
                if reported:
                    return
                reported = True
            if timer is not None:
                timer.cancel()
            self.failed_recently += 0 if ok else 1
            self.state = state
            self._post(lambda: done(ok))
            self._answered.set()

        def work() -> None:
            try:
                _escpos(self._cache)
                data = escpos_bytes(slip, settings.paper_mm)
                self._send(settings, data, max(0.1, self._timeout - 1))
                report(True, "ready")
            except PrinterError as exc:
                report(False, str(exc))
            except Exception as exc:  # said later, by report_failures: not at the tap
                report(False, f"failed: {type(exc).__name__}: {exc}"[:300])
            finally:
                self._busy.release()

        timer = threading.Timer(
            self._timeout, lambda: report(False, "not answering (offline, or out of paper?)")
        )
        timer.daemon = True
        try:
            timer.start()
            threading.Thread(target=work, name="slip-printer", daemon=True).start()
        except RuntimeError as exc:  # no thread to be had: say so, and hold nothing
            if self._busy.locked():
                self._busy.release()
            report(False, f"cannot print now: {exc}")

    def report_failures(self) -> None:
        """Log the slips that could not print since the last report, if any (called every
        few minutes: the log never marks the moment a resident tapped "Print this")."""
        if self.failed_recently:
            log.warning(
                "%d slip(s) could not print recently; the printer: %s",
                self.failed_recently,
                self.state,
            )
            self.failed_recently = 0

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Whether the last slip has been reported, printed or failed (waiting up to
        `timeout`): replays and tests see its result, as a resident would."""
        return self._answered.wait(timeout)

    def describe(self, settings: Any) -> str:
        where = settings.device or f"USB {settings.usb}"
        problem = device_problem(settings.device) if settings.device else ""
        if self.state == "ready" and problem:
            return f"Printer: {problem}"
        return f"Printer {where}: {self.state}"
