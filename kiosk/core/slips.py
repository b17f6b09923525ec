"""Take-away slips: what a printed slip says, and the print button's rest. No Kivy, no
printer library: kiosk.adapters.printer turns a Slip into ESC/POS bytes or a picture.

A slip carries the resource and nothing about the resident: no date, no time, no count.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.config.links import display_link
from kiosk.config.loader import Config
from kiosk.config.models import Resource
from kiosk.core.views import Texts
from kiosk.words.i18n import gettext_for

# Typographic marks a receipt printer's code page may lack, as the plain marks it has.
_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                        "…": "...", "·": "-", "\u00a0": " ", "\u202f": " "})  # fmt: skip
CODE_PAGE = "cp858"  # Western European with the euro: every printer has it (or cp437)


@dataclass(frozen=True)
class Slip:
    name: str
    phone: str  # printed large; "" if none
    hours: str  # "Hours: 24/7"
    address: str
    link_words: str  # the web address in words, for a person to type
    qr: str  # what the QR code holds ("" if nothing)
    extra: str  # the resource's own `print` words
    footer: str  # "Free to take. Nothing about you is recorded."
    lang: str

    @property
    def lines(self) -> list[str]:
        """Every line of words, in print order (the QR code goes after link_words)."""
        return [x for x in (self.name, self.phone, self.hours, self.address, self.link_words,
                            self.extra, self.footer) if x]  # fmt: skip


def slip_for(config: Config, resource: Resource, lang: str) -> Slip:
    t = Texts(config, lang)
    _ = t._
    return Slip(
        name=t(resource.name),
        phone=resource.phone or "",
        hours=_("Hours: {hours}").format(hours=t(resource.hours)) if resource.hours else "",
        address=t.plain(resource.address or ""),
        link_words=display_link(resource.url) if resource.url else "",
        qr=resource.link or "",
        extra=t(resource.print_text),
        footer=_("Free to take. Nothing about you is recorded."),
        lang=lang,
    )


def plain_for_printer(text: str) -> str | None:
    """`text` as the printer's own font can print it, or None when it needs a picture
    (Chinese, say: most receipt printers have no such font)."""
    plain = text.translate(_PLAIN)
    try:
        plain.encode(CODE_PAGE)
    except UnicodeEncodeError:
        return None
    return plain


@dataclass
class PrintButton:
    """The resource screen's "Print this": one slip per tap, then a short rest, like the
    check-in button. A print that fails says so kindly and rests the same way."""

    rest_seconds: float = 5.0
    state: str = "ready"  # ready | printing | printed | failed
    rest_until: float = float("-inf")

    def tap(self, t: float) -> bool:
        """Whether this tap prints a slip (not while one prints or the button rests)."""
        if self.state == "printing" or t < self.rest_until:
            return False
        self.state = "printing"
        return True

    def done(self, ok: bool, t: float, shown: bool = True) -> None:
        """How the print went; `shown`: the resident is still on the screen it was printed
        from (if not, the button there is simply ready)."""
        if not shown:
            self.state, self.rest_until = "ready", float("-inf")
            return
        self.state = "printed" if ok else "failed"
        self.rest_until = t + self.rest_seconds

    def tick(self, t: float) -> bool:
        """After the rest the button is ready again: whether that changed anything."""
        if self.state in ("printed", "failed") and t >= self.rest_until:
            self.state = "ready"
            return True
        return False

    def reset(self) -> None:
        """Another resource, or the resident left: a result is not carried over."""
        if self.state != "printing":
            self.state, self.rest_until = "ready", float("-inf")


@dataclass(frozen=True)
class PrintView:
    label: str  # "Print this" / "Printing…" / "Printed"
    note: str  # "Take your slip from the printer." / "Sorry, … please ask staff."
    resting: bool
    failed: bool


def print_view(button: PrintButton, lang: str) -> PrintView:
    _ = gettext_for(lang)
    labels = {"ready": _("Print this"), "printing": _("Printing…"), "printed": _("Printed"),
              "failed": _("Print this")}  # fmt: skip
    notes = {
        "ready": "",  # the button says it; the resource's own words keep the room
        "printing": _("One moment…"),
        "printed": _("Please take your slip from the printer."),
        "failed": _("Sorry, the slip could not print. Please ask a staff member."),
    }
    return PrintView(labels[button.state], notes[button.state],
                     button.state != "ready", button.state == "failed")  # fmt: skip
