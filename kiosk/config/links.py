"""Which links the kiosk may turn into QR codes.

A QR code on a lobby screen is trusted by whoever scans it, so only plain https
pages (optionally on an allow-list), phone numbers and text numbers are accepted.
Everything that could hide where a code leads is refused: link shorteners and
redirectors, look-alike (punycode or non-ASCII) addresses, invisible characters,
IP addresses and local names, ports, user names before an @, and links too long
to draw as a QR code.

Every check works on a string of at most MAX_LINK characters with plain string
operations or simple regular expressions, so checking takes bounded time.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from urllib.parse import unquote, urlsplit

from antispam_link_shorteners import link_shorteners_list

# Links longer than this make a dense QR code that cheap phones struggle to scan (a warning).
LONG_LINK = 62

# Links longer than this are refused. A QR code at error correction M holds up to 2,331
# bytes (version 40); 500 ASCII characters fit in version 17, with plenty of room.
MAX_LINK = 500

# How many characters of a link an error message quotes.
_QUOTE_CHARS = 80

# The longest message an sms: link may carry (?body=...), after percent-decoding.
MAX_SMS_BODY = 40

# Shorteners missing from the maintained list (antispam_link_shorteners, which bundles
# PeterDaveHello/url-shorteners): they hide where a code leads, so a tampered or expired
# target goes unnoticed. Dynamic-QR services are shorteners too.
SHORTENERS = frozenset(
    {
        "short.io",
        "shorte.st",
        "adf.ly",
        "tr.im",
        "soo.gd",
        "x.co",
        "bit.do",
        "bitly.ws",
        "lnks.gd",
        "mailchi.mp",
        "lnk.to",
        "ffm.to",
        "l.ead.me",
        "me-qr.com",
        "scnv.io",
        "qr.page",
    }
)

# Link-in-bio pages: a page of other links, any of which can be changed at any time.
LINK_IN_BIO = frozenset(
    {
        "linktr.ee",
        "linktree.com",
        "beacons.ai",
        "lnk.bio",
        "bio.link",
        "msha.ke",
        "campsite.bio",
        "tap.bio",
        "linkin.bio",
        "hoo.be",
        "solo.to",
        "taplink.cc",
        "many.link",
        "allmylinks.com",
        "linkbio.co",
        "lynk.id",
    }
)

# Hosts whose only job is forwarding to another address: social sites' outbound links,
# referrer strippers, mail scanners' link rewriters, e-mail click trackers, ad clicks.
REDIRECTORS = frozenset(
    {
        "l.facebook.com",
        "lm.facebook.com",
        "l.messenger.com",
        "l.instagram.com",
        "l.threads.com",
        "l.threads.net",
        "l.wl.co",
        "out.reddit.com",
        "away.vk.com",
        "href.li",
        "t.umblr.com",
        "r.search.yahoo.com",
        "slack-redir.net",
        "exit.sc",
        "nullrefer.com",
        "dereferer.me",
        "safelinks.protection.outlook.com",
        "urldefense.com",
        "urldefense.proofpoint.com",
        "linkprotect.cudasvc.com",
        "protect2.fireeye.com",
        "secure-web.cisco.com",
        "list-manage.com",
        "rs6.net",
        "sendgrid.net",
        "mandrillapp.com",
        "hubspotlinks.com",
        "klclick.com",
        "links.govdelivery.com",
        "clicks.aweber.com",
        "googleadservices.com",
        "doubleclick.net",
        "redirectingat.com",
        "linksynergy.com",
    }
)

# A path segment that is a redirect script on any site (compared in lower case).
_REDIRECT_SEGMENTS = frozenset(
    {
        "redirect",
        "redir",
        "redirector",
        "redirect.php",
        "redir.php",
        "redirect.aspx",
        "redirect.asp",
        "l.php",
        "lm.php",
        "away.php",
        "out.php",
        "exit.php",
        "leave.php",
        "leaving.php",
        "outgoing.php",
        "click.php",
        "link.php",
        "jump.php",
        "url.php",
        "go.php",
        "linkfilter",
    }
)

# Search engines' click-through endpoints: (a label of the host, the first path segment).
_SEARCH_REDIRECTS = frozenset(
    {
        ("google", "url"),
        ("google", "imgres"),
        ("google", "aclk"),
        ("google", "amp"),
        ("google", "interstitial"),
        ("google", "local_url"),
        ("google", "pagead"),
        ("bing", "ck"),
        ("bing", "aclk"),
        ("duckduckgo", "l"),
        ("yandex", "clck"),
    }
)

# Names that lead into the phone's own network, never to a public page.
# (.onion is the Tor network, which a phone's browser cannot open either.)
_LOCAL_NAMES = frozenset(
    {"localhost", "local", "localdomain", "internal", "intranet", "lan", "home", "corp"}
    | {"arpa", "onion"}
)

_PHONE = re.compile(r"\+?[0-9][0-9 ().-]*")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_TLD = re.compile(r"[a-z]{2,63}")
_IP_PART = re.compile(r"[0-9]+|0x[0-9a-f]*")

# Another address carried inside a query, fragment or path (after percent-decoding).
_EMBEDDED = re.compile(r"https?:|://|:\\/\\/|www\.|javascript:")
_SMS_BODY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!?'-")
_DOMAIN_LIKE = re.compile(r"[a-z0-9]\.[a-z0-9]|www|http")

_USE_OWN_ADDRESS = (
    "Use the page's own address: the full https:// address of the page itself,"
    " not a link that forwards to it."
)


class LinkError(ValueError):
    """A link the kiosk refuses to show, with a fix for staff."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def quote(link: str) -> str:
    """The link for an error message: ASCII only (escapes, never a raw control character),
    cut to about 80 characters."""
    text = ascii(link[: _QUOTE_CHARS + 1])
    if len(link) > _QUOTE_CHARS or len(text) > _QUOTE_CHARS + 2:
        text = text[: _QUOTE_CHARS - 4] + text[0] + "..."  # closed again, then marked as cut
    return text


def _describe(char: str) -> str:
    """What a refused character is, by code point and name, without the character itself."""
    point = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    label = f"{point} {name}" if name else point
    if char == " ":
        kind = "a space"
    elif char in "\t\n\r\v\f":
        kind = "a tab or line break"
    elif char.isascii():
        kind = "a control character"
    elif unicodedata.category(char) in ("Cf", "Zl", "Zp"):
        kind = "an invisible formatting character"
    elif unicodedata.category(char) == "Zs":
        kind = "a non-ASCII space"
    elif unicodedata.category(char) in ("Cc", "Co", "Cs", "Cn"):
        kind = "a control or unassigned character"
    else:
        kind = "a non-ASCII character"
    return f"{kind} ({label})"


def phone_digits(phone: str) -> str:
    return re.sub(r"[^0-9+]", "", phone)


def check_phone(phone: str) -> str:
    """Return the phone number unchanged, or raise LinkError."""
    digits = phone_digits(phone).lstrip("+")
    if not _PHONE.fullmatch(phone.strip()) or len(digits) < 3 or len(digits) > 15:
        raise LinkError(
            f"{quote(phone)} is not a phone number",
            'Write digits with optional spaces or dashes, e.g. "800-484-3731" or "988".',
        )
    return phone


def _on_domain(host: str, domain: str) -> bool:
    domain = domain.lower().lstrip(".")
    return host == domain or host.endswith("." + domain)


def _domains(host: str) -> list[str]:
    """The host and each parent domain above it, down to two labels: a.b.c.org gives
    a.b.c.org, b.c.org, c.org."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


# In the maintained list but an organization's own main site (Kaiser Permanente, Deutsche
# Welle, Pew), or a whole public suffix that many unrelated sites sit under.
NOT_SHORTENERS = frozenset({"kp.org", "dw.com", "pew.org", "gov.tw", "edu.nl"})


@cache
def _shorteners() -> frozenset[str]:
    return (frozenset(link_shorteners_list()) - NOT_SHORTENERS) | SHORTENERS


def _decoded(text: str, times: int = 4) -> str:
    """Percent-decode repeatedly (double encoding hides a %253A%252F%252F), never raising."""
    for _ in range(times):
        plain = unquote(text, errors="replace")
        if plain == text:
            break
        text = plain
    return text


def _check_characters(link: str) -> None:
    for position, char in enumerate(link, start=1):
        if "!" <= char <= "~":
            continue
        what = _describe(char)
        if not char.isascii() and _in_web_address(link, position - 1):
            raise LinkError(
                f"{quote(link)} has {what} at position {position} of its web address,"
                " which can make a look-alike of a real site",
                "Use the site's plain ASCII address (letters a-z, digits, dots and dashes),"
                " as the organization itself writes it.",
            )
        raise LinkError(
            f"{quote(link)} has {what} at position {position}; a link may only contain"
            " visible ASCII characters, with no spaces",
            "Type the link again by hand, or copy it from the browser's address bar."
            " Remove spaces at the start or end; inside a link write a space as %20"
            " (other non-ASCII letters are percent-encoded too).",
        )
    if "\\" in link:
        raise LinkError(
            f"{quote(link)} has a backslash (\\) at position {link.index(chr(92)) + 1},"
            " which some phones read as / and so open a different site",
            "Use forward slashes (/) in web addresses.",
        )


def _in_web_address(link: str, index: int) -> bool:
    """Whether index falls in the host part of an https:// link."""
    if link[:8].lower() != "https://":
        return False
    end = len(link)
    for stop in "/?#":
        found = link.find(stop, 8)
        if found != -1:
            end = min(end, found)
    return 8 <= index < end


def _check_tel(link: str, scheme: str, rest: str) -> str:
    number, mark, query = rest, "", ""
    for i, char in enumerate(rest):
        if char in "?;#&=,":
            number, mark, query = rest[:i], char, rest[i + 1 :]
            break
    try:
        check_phone(number)
    except LinkError:
        raise LinkError(
            f"{quote(link)} has no valid phone number after {scheme}:",
            f'Write it like "{scheme}:800-484-3731" (digits and dashes, no letters).',
        ) from None
    if not mark:
        return link
    if scheme == "tel":
        raise LinkError(
            f"{quote(link)} has something after the phone number; a tel: link takes no parameters",
            'Write only the number, like "tel:800-484-3731".',
        )
    if mark != "?" or not query.startswith("body=") or "&" in query or "#" in query:
        raise LinkError(
            f"{quote(link)} carries something other than a message; an sms: link may only"
            " add ?body= with a short message",
            'Write the number, then optionally ?body= and one word, like "sms:741741?body=HOME".',
        )
    _check_sms_body(link, query.removeprefix("body="))
    return link


def _check_sms_body(link: str, raw: str) -> None:
    body = unquote(raw, errors="replace")
    plain = bool(body.strip()) and all(char in _SMS_BODY_CHARS for char in body)
    if not plain or len(body) > MAX_SMS_BODY:
        raise LinkError(
            f"{quote(link)} has a message after ?body= that is not a short plain message"
            f" (letters, digits, spaces and . , ! ? ' -, at most {MAX_SMS_BODY} characters)",
            'Use the word the service asks for, like "sms:741741?body=HOME"; write a space as %20.',
        )
    if _DOMAIN_LIKE.search(body.lower()):
        raise LinkError(
            f"{quote(link)} has a message after ?body= that looks like a web address",
            'A text message on a QR code may only be a plain word, like "sms:741741?body=HOME".',
        )


def _no_address(link: str) -> LinkError:
    return LinkError(
        f"{quote(link)} has no valid web address after https://",
        'Write a full address like "https://example.org/page".',
    )


def _check_host(link: str, authority: str) -> str:
    """The host of an https link in lower case, or raise LinkError."""
    if "@" in authority:
        raise LinkError(
            f"{quote(link)} has an @ in its web address, which hides the real site"
            " (a phone ignores everything before the @)",
            "Remove the part up to and including the @: write only the site's address.",
        )
    if "[" in authority or "]" in authority:
        raise LinkError(
            f"{quote(link)} uses an IP address instead of a site name",
            'Use the site\'s name, like "https://example.org", not a number address.',
        )
    if ":" in authority:
        host, _, port = authority.partition(":")
        what = f"a port ({port})" if port.isdigit() else "a colon that is not a valid port"
        raise LinkError(
            f"{quote(link)} has {what} after the web address",
            "Remove the colon and anything after it up to the next /: a lobby link needs no port.",
        )
    host = authority.lower()
    if not host:
        raise _no_address(link)
    if host.endswith("."):
        raise LinkError(
            f"{quote(link)} has a dot at the end of its web address ({host})",
            "Remove the dot after the domain: write https://sf.gov/, not https://sf.gov./.",
        )
    labels = host.split(".")
    if len(host) > 253 or any(len(label) > 63 for label in labels):
        raise LinkError(
            f"{quote(link)} has a web address that is too long (over 253 characters,"
            " or over 63 between two dots)",
            'Write the site\'s real address, like "https://example.org/page".',
        )
    if _IP_PART.fullmatch(labels[-1]):  # browsers read a number here as an IPv4 address
        raise LinkError(
            f"{quote(link)} uses an IP address instead of a site name",
            'Use the site\'s name, like "https://example.org", not a number address.',
        )
    if any(label.startswith("xn--") for label in labels):
        raise LinkError(
            f"{quote(link)} has a web address in punycode (xn--), which can disguise a"
            " look-alike of a real site",
            "Use the site's plain ASCII address (letters a-z, digits, dots and dashes),"
            " as the organization itself writes it.",
        )
    if (
        len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or not _TLD.fullmatch(labels[-1])
    ):
        raise _no_address(link)
    if labels[-1] in _LOCAL_NAMES or "localhost" in labels or host.endswith(".home.arpa"):
        raise LinkError(
            f"{quote(link)} points at a local network name ({host}), not a public site",
            "Use the public https:// address of the page.",
        )
    return host


def _check_forwarding(link: str, host: str, path: str, query: str, fragment: str) -> None:
    """Refuse shorteners, redirector hosts, redirect endpoints and embedded addresses."""
    for domain in _domains(host):
        if domain in _shorteners():
            raise LinkError(
                f"{quote(link)} uses a link shortener ({domain}), which hides where the code leads",
                _USE_OWN_ADDRESS,
            )
        if domain in LINK_IN_BIO:
            raise LinkError(
                f"{quote(link)} is a link-in-bio page ({domain}), a redirector whose links"
                " can change at any time",
                _USE_OWN_ADDRESS,
            )
        if domain in REDIRECTORS:
            raise LinkError(
                f"{quote(link)} uses a redirector ({domain}), which hides where the code leads",
                _USE_OWN_ADDRESS,
            )
    segments = [s for s in _decoded(path).lower().split("/") if s]
    labels = set(host.split("."))
    endpoints = [s for s in segments if s in _REDIRECT_SEGMENTS]
    if segments and any((label, segments[0]) in _SEARCH_REDIRECTS for label in labels):
        endpoints.insert(0, segments[0])
    if endpoints:
        raise LinkError(
            f"{quote(link)} is a redirector: /{ascii(endpoints[0])[1:-1]} on {host} forwards"
            " to another page",
            _USE_OWN_ADDRESS,
        )
    for part, text in (("query", query), ("fragment", fragment), ("path", path)):
        plain = _decoded(text).lower()
        values = [piece.partition("=")[2] or piece for piece in re.split(r"[&;]", plain)]
        if part == "path":
            values = [plain]
        starts_elsewhere = any(v.startswith(("//", "\\\\", "/\\", "\\/")) for v in values)
        if _EMBEDDED.search(plain) or starts_elsewhere:
            raise LinkError(
                f"{quote(link)} is a redirector: its {part} carries another web address",
                _USE_OWN_ADDRESS,
            )


def _check_hidden(link: str, tail: str) -> None:
    """Refuse percent-encoded control and invisible characters (%00, %E2%80%AE)."""
    for char in unquote(tail, errors="replace"):
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            raise LinkError(
                f"{quote(link)} hides {_describe(char)} in percent-encoding",
                "Remove it: copy the link again from the browser's address bar.",
            )


def check_link(link: str, allowed_domains: list[str] | tuple[str, ...] = ()) -> str:
    """Return the link unchanged if it is safe to show as a QR code, else raise LinkError."""
    if not isinstance(link, str):
        raise LinkError(
            f"{type(link).__name__} is not a link", 'Write the link in quotes, like "https://..."'
        )
    if len(link) > MAX_LINK:
        raise LinkError(
            f"{quote(link)} is {len(link)} characters long; a QR code on the kiosk holds at"
            f" most {MAX_LINK}",
            f"Use a shorter address for the page (at most {LONG_LINK} characters scans best),"
            " such as the site's home page.",
        )
    _check_characters(link)
    scheme, _, rest = link.partition(":")
    scheme = scheme.lower()
    if scheme in ("tel", "sms"):
        return _check_tel(link, scheme, rest)
    if scheme != "https":
        raise LinkError(
            f"{quote(link)} is not allowed: links must start with https:, tel: or sms:",
            "Use the https:// address of the page (not http:), or tel:/sms: with a number.",
        )
    if not rest.startswith("//"):
        raise _no_address(link)
    after = rest[2:]
    end = min([i for i in (after.find(c) for c in "/?#") if i != -1], default=len(after))
    authority, tail = after[:end], after[end:]
    host = _check_host(link, authority)
    path_query, _, fragment = tail.partition("#")
    path, _, query = path_query.partition("?")
    _check_forwarding(link, host, path, query, fragment)
    _check_hidden(link, tail)
    if allowed_domains and not any(_on_domain(host, d) for d in allowed_domains):
        raise LinkError(
            f"{quote(link)} is not on an allowed domain ({', '.join(allowed_domains)})",
            "Use a page on one of those domains, or add this domain to"
            " [links] allowed_domains in kiosk.toml.",
        )
    return link


def display_link(link: str) -> str:
    """What a person can read and type: the domain, or the phone number."""
    scheme, _, rest = link.partition(":")
    if scheme.lower() in ("tel", "sms"):
        return rest.split("?", 1)[0]
    try:
        host = urlsplit(link).hostname or link
    except ValueError:
        host = link
    return host.removeprefix("www.")
