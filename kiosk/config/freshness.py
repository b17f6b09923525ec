"""Which resources are due to be confirmed again by a person (no Kivy, no I/O).

Phone numbers, hours and addresses go stale. A resource that no one has confirmed in
the last 180 days (or ever) is a safety risk: a resident in crisis may call a dead
number. `kiosk check` warns about each one, and the staff panel counts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.config.models import Resource

DUE_AFTER_DAYS = 180


@dataclass(frozen=True)
class Due:
    resource: str  # its id
    index: int  # its position in resources.toml, 0-based
    checked: date | None
    given: tuple[str, ...]  # "the phone number", "the hours", "the address": what it lists
    missing: tuple[str, ...]  # of phone, hours, address: the ones it does not list

    def message(self, today: date) -> str:
        if self.checked is None:
            return "no one has confirmed this resource (it has no `checked` date)"
        if self.checked > today:
            return f"its `checked` date ({self.checked}) is in the future"
        return (
            f"it was last confirmed on {self.checked}, {(today - self.checked).days} days ago"
            f" (more than {DUE_AFTER_DAYS})"
        )

    def hint(self) -> str:
        given = " and ".join(self.given) or "the web page"
        hint = (
            f"Confirm {given} with the service itself (by phone, or a visit), then set"
            " checked = YYYY-MM-DD, the day you confirmed it."
        )
        if self.missing:
            hint += f" It lists no {' or '.join(self.missing)}: add any it has."
        return hint


def due(resources: list[Resource], today: date) -> list[Due]:
    """Every resource with no `checked` date, one over DUE_AFTER_DAYS old, or one in the
    future (a typo), in file order."""
    found = []
    for index, r in enumerate(resources):
        c = r.checked
        if c is not None and c <= today and (today - c).days <= DUE_AFTER_DAYS:
            continue
        facts = (("phone", r.phone), ("hours", r.hours), ("address", r.address))
        given = tuple(f"the {'phone number' if n == 'phone' else n}" for n, v in facts if v)
        # A phone line needs no address; anything else is worth asking for.
        missing = tuple(n for n, v in facts if not v and not (n == "address" and r.phone))
        found.append(Due(r.id, index, c, given, missing))
    return found
