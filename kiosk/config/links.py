"""Which links the kiosk may turn into QR codes.

A QR code on a lobby screen is trusted by whoever scans it, so only plain https
pages (optionally on an allow-list), phone numbers and text numbers are accepted.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Links longer than this make a dense QR code that cheap phones struggle to scan.
LONG_LINK = 62

# Link shorteners hide where a code leads, so a tampered or expired target goes unnoticed.
SHORTENERS = frozenset(
    {
        "bit.ly",
        "bitly.com",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "buff.ly",
        "rebrand.ly",
        "cutt.ly",
        "shorturl.at",
        "tiny.cc",
        "rb.gy",
        "lnkd.in",
        "s.id",
        "t.ly",
        "bl.ink",
        "v.gd",
        "qrco.de",
        "short.io",
        "shorte.st",
        "adf.ly",
        "tr.im",
        "soo.gd",
        "u.to",
        "x.co",
        "wp.me",
    }
)

_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]*$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class LinkError(ValueError):
    """A link the kiosk refuses to show, with a fix for staff."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def phone_digits(phone: str) -> str:
    return re.sub(r"[^0-9+]", "", phone)


def check_phone(phone: str) -> str:
    """Return the phone number unchanged, or raise LinkError."""
    digits = phone_digits(phone).lstrip("+")
    if not _PHONE.match(phone.strip()) or len(digits) < 3 or len(digits) > 15:
        raise LinkError(
            f"{phone!r} is not a phone number",
            'Write digits with optional spaces or dashes, e.g. "800-484-3731" or "988".',
        )
    return phone


def _on_domain(host: str, domain: str) -> bool:
    domain = domain.lower().lstrip(".")
    return host == domain or host.endswith("." + domain)


def check_link(link: str, allowed_domains: list[str] | tuple[str, ...] = ()) -> str:
    """Return the link unchanged if it is safe to show as a QR code, else raise LinkError."""
    link = link.strip()
    scheme, _, rest = link.partition(":")
    scheme = scheme.lower()
    if scheme in ("tel", "sms"):
        number = rest.split("?", 1)[0]
        try:
            check_phone(number)
        except LinkError:
            raise LinkError(
                f"{link!r} has no valid phone number after {scheme}:",
                f'Write it like "{scheme}:800-484-3731".',
            ) from None
        return link
    if scheme != "https":
        raise LinkError(
            f"{link!r} is not allowed: links must start with https:, tel: or sms:",
            "Use the https:// address of the page (not http:), or tel:/sms: with a number.",
        )
    parts = urlsplit(link)
    host = (parts.hostname or "").lower()
    if not _HOST.match(host) or parts.username or parts.password:
        raise LinkError(
            f"{link!r} has no valid web address after https://",
            'Write a full address like "https://example.org/page".',
        )
    if any(_on_domain(host, s) for s in SHORTENERS):
        raise LinkError(
            f"{link!r} uses a link shortener ({host}), which hides where the code leads",
            "Use the full address of the page itself.",
        )
    if allowed_domains and not any(_on_domain(host, d) for d in allowed_domains):
        raise LinkError(
            f"{link!r} is not on an allowed domain ({', '.join(allowed_domains)})",
            "Use a page on one of those domains, or add this domain to"
            " [links] allowed_domains in kiosk.toml.",
        )
    return link


def display_link(link: str) -> str:
    """What a person can read and type: the domain, or the phone number."""
    scheme, _, rest = link.partition(":")
    if scheme.lower() in ("tel", "sms"):
        return rest.split("?", 1)[0]
    host = urlsplit(link).hostname or link
    return host.removeprefix("www.")
