"""The staff PIN: a salted, slow hash in kiosk.toml, and a lockout after wrong guesses.

Pure: no Kivy, no files (kiosk.adapters.pin_store keeps the lockout, and
kiosk.config.kiosk_file writes the hash into kiosk.toml). The hash is scrypt
(memory-hard), so a copied kiosk.toml does not give the PIN away cheaply, even though a
PIN has few digits.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

PIN = re.compile(r"^[0-9]{4,8}$")
MAX_FAILURES = 5
LOCKOUT_SECONDS = 60.0  # the first pause; each further one doubles...
MAX_LOCKOUT_SECONDS = 3600.0  # ...up to an hour: 5 guesses an hour, 2,000 h for 4 digits

# scrypt cost: about 16 MiB and a tenth of a second on a Raspberry Pi 4.
_N, _R, _P = 2**14, 8, 1
_PREFIX = "scrypt"
# A hash with less work than this is too cheap to guess offline; with more, checking one
# PIN could take the kiosk's memory (scrypt needs 128 * n * r bytes).
_MIN_N, _MAX_N = 2**14, 2**20
_MIN_R, _MAX_R = 8, 16
_MAX_P = 4
_MAXMEM = 256 * 2**20


def valid_pin(pin: str) -> bool:
    return bool(PIN.match(pin))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=32)


def hash_pin(pin: str) -> str:
    """'scrypt$16384$8$1$<salt>$<hash>' for kiosk.toml."""
    if not valid_pin(pin):
        raise ValueError("a staff PIN is 4 to 8 digits")
    salt = secrets.token_bytes(16)
    return "$".join(
        (_PREFIX, str(_N), str(_R), str(_P), _b64(salt), _b64(_scrypt(pin, salt, _N, _R, _P)))
    )


def _parts(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    """(n, r, p, salt, digest) of a hash `kiosk set-pin` could have written, or None for
    anything else, including a hash with too little work (or too much) in it."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != _PREFIX or not all(s.isdigit() for s in parts[1:4]):
        return None
    n, r, p = (int(s) for s in parts[1:4])
    if not (_MIN_N <= n <= _MAX_N and n & (n - 1) == 0 and _MIN_R <= r <= _MAX_R):
        return None
    if not 1 <= p <= _MAX_P:
        return None
    try:
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    if len(salt) < 16 or len(digest) != 32:
        return None
    return n, r, p, salt, digest


def verify_pin(pin: str, stored: str) -> bool:
    """True only for the right PIN; a malformed, weak or empty hash accepts nothing."""
    found = _parts(stored)
    if found is None:
        return False
    n, r, p, salt, expected = found
    try:
        actual = _scrypt(pin, salt, n, r, p)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)


def looks_like_hash(stored: str) -> bool:
    return _parts(stored) is not None


@dataclass
class PinGate:
    """Wrong PINs back off: after MAX_FAILURES in a row nothing is tried for a while, and
    each further lockout lasts twice as long (up to an hour) until the right PIN is
    given. `t` is the flow's monotonic time; `to_saved`/`from_saved` keep the state
    across restarts on the wall clock, so a restart does not clear a lockout."""

    failures: int = 0
    locked_until: float = float("-inf")
    lockouts: int = 0  # in a row, since the last right PIN

    def locked(self, t: float) -> bool:
        return t < self.locked_until

    def seconds_left(self, t: float) -> int:
        return int(self.locked_until - t + 0.999) if self.locked(t) else 0

    @property
    def next_pause(self) -> float:
        """How long the next lockout lasts."""
        return min(MAX_LOCKOUT_SECONDS, LOCKOUT_SECONDS * 2**self.lockouts)

    def attempt(self, ok: bool, t: float) -> bool:
        """Record one try at time t; True if it opens the panel."""
        if self.locked(t):
            return False
        if ok:
            self.failures, self.lockouts = 0, 0
            return True
        self.failures += 1
        if self.failures >= MAX_FAILURES:
            self.locked_until = t + self.next_pause
            self.failures = 0
            self.lockouts += 1
        return False

    @property
    def tries_left(self) -> int:
        return MAX_FAILURES - self.failures

    def to_saved(self, t: float, wall: float) -> dict[str, float]:
        left = max(0.0, self.locked_until - t) if self.locked(t) else 0.0
        return {"failures": self.failures, "lockouts": self.lockouts, "until": wall + left}

    @classmethod
    def from_saved(cls, saved: object, t: float, wall: float) -> PinGate:
        """The gate as saved, or a locked one if the file is damaged: a damaged or
        edited file must not give unlimited guesses."""
        try:
            assert isinstance(saved, dict)
            failures, lockouts = int(saved["failures"]), int(saved["lockouts"])
            until = float(saved["until"])
            assert 0 <= failures < MAX_FAILURES and 0 <= lockouts <= 64 and until == until
        except (AssertionError, KeyError, TypeError, ValueError, OverflowError):
            return cls(locked_until=t + MAX_LOCKOUT_SECONDS, lockouts=8)
        left = min(max(0.0, until - wall), MAX_LOCKOUT_SECONDS)
        return cls(failures, t + left if left else float("-inf"), lockouts)
