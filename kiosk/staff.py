"""The staff PIN: a salted, slow hash in kiosk.toml, and a lockout after wrong guesses.

No Kivy import. The hash is scrypt (memory-hard), so a copied kiosk.toml does not give
the PIN away cheaply, even though a PIN has few digits.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

PIN = re.compile(r"^[0-9]{4,8}$")
MAX_FAILURES = 5
LOCKOUT_SECONDS = 60.0

# scrypt cost: about 16 MiB and a tenth of a second on a Raspberry Pi 4.
_N, _R, _P = 2**14, 8, 1
_PREFIX = "scrypt"


def valid_pin(pin: str) -> bool:
    return bool(PIN.match(pin))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 2**20, dklen=32)


def hash_pin(pin: str) -> str:
    """'scrypt$16384$8$1$<salt>$<hash>' for kiosk.toml."""
    if not valid_pin(pin):
        raise ValueError("a staff PIN is 4 to 8 digits")
    salt = secrets.token_bytes(16)
    return "$".join(
        (_PREFIX, str(_N), str(_R), str(_P), _b64(salt), _b64(_scrypt(pin, salt, _N, _R, _P)))
    )


def verify_pin(pin: str, stored: str) -> bool:
    """True only for the right PIN; a malformed or empty hash accepts nothing."""
    try:
        prefix, n, r, p, salt, digest = stored.split("$")
        if prefix != _PREFIX:
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = _scrypt(pin, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def looks_like_hash(stored: str) -> bool:
    parts = stored.split("$")
    return len(parts) == 6 and parts[0] == _PREFIX and all(parts[1:4]) and all(parts[4:])


@dataclass
class PinGate:
    """Wrong PINs back off: after MAX_FAILURES in a row, nothing is tried for a while."""

    failures: int = 0
    locked_until: float = float("-inf")

    def locked(self, t: float) -> bool:
        return t < self.locked_until

    def seconds_left(self, t: float) -> int:
        return int(self.locked_until - t + 0.999) if self.locked(t) else 0

    def attempt(self, ok: bool, t: float) -> bool:
        """Record one try at time t; True if it opens the panel."""
        if self.locked(t):
            return False
        if ok:
            self.failures = 0
            return True
        self.failures += 1
        if self.failures >= MAX_FAILURES:
            self.failures = 0
            self.locked_until = t + LOCKOUT_SECONDS
        return False

    @property
    def tries_left(self) -> int:
        return MAX_FAILURES - self.failures


_STAFF_TABLE = re.compile(r"^\[staff\][ \t]*(#.*)?$", re.MULTILINE)
_NEXT_TABLE = re.compile(r"^\[", re.MULTILINE)
_PIN_LINE = re.compile(r'^(pin_hash[ \t]*=[ \t]*)"[^"\n]*"', re.MULTILINE)


def with_pin_hash(toml_text: str, pin_hash: str) -> str:
    """kiosk.toml with `[staff] pin_hash` set, every other line as it was."""
    line = f'pin_hash = "{pin_hash}"'
    table = _STAFF_TABLE.search(toml_text)
    if table is None:
        return toml_text.rstrip("\n") + f"\n\n[staff]\n{line}\n"
    start = table.end()
    following = _NEXT_TABLE.search(toml_text, start + 1)
    end = following.start() if following else len(toml_text)
    body = toml_text[start:end]
    if _PIN_LINE.search(body):
        body = _PIN_LINE.sub(lambda m: f'{m.group(1)}"{pin_hash}"', body, count=1)
    else:
        body = f"\n{line}" + body
    return toml_text[:start] + body + toml_text[end:]


def write_pin_hash(kiosk_toml: Path, pin_hash: str) -> None:
    """Set the hash in place, atomically (the running kiosk never reads half a file),
    keeping the file's permissions so staff can still edit it."""
    text = kiosk_toml.read_text(encoding="utf-8")
    mode = stat.S_IMODE(kiosk_toml.stat().st_mode)
    tmp = kiosk_toml.with_name(f".{kiosk_toml.name}.pin-{os.getpid()}")
    try:
        tmp.write_text(with_pin_hash(text, pin_hash), encoding="utf-8")
        os.chmod(tmp, mode)
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, kiosk_toml)
    finally:
        tmp.unlink(missing_ok=True)
