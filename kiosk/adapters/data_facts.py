"""What `kiosk check` and the staff panel say about the data folder, in plain words.
Reading it changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kiosk.adapters.data_folder import CHECKINS
from kiosk.adapters.storage import CorruptDatabase, load_tallies, newest_good_backup


@dataclass(frozen=True)
class DataFacts:
    """What staff see of the check-in data: lines in plain words, problems first."""

    problems: tuple[str, ...] = ()
    facts: tuple[str, ...] = field(default_factory=tuple)

    @property
    def lines(self) -> tuple[str, ...]:
        return (*self.problems, *self.facts)


def facts(folder: Path, today: date) -> DataFacts:
    """The counts, the database's size, the newest good backup and anything damaged."""
    if not folder.exists():
        return DataFacts(facts=(f"No check-in data yet ({folder} does not exist)",))
    problems: list[str] = []
    found: list[str] = []
    db = folder / CHECKINS
    try:
        good = newest_good_backup(folder, today)
    except OSError:
        good = None
        problems.append("PROBLEM: the backups cannot be read (see the log)")
    if not db.exists():
        if good is not None:
            problems.append(
                f"PROBLEM: {CHECKINS} is missing; the kiosk restores {good.name} when it starts"
            )
        else:
            found.append("No check-ins yet")
    else:
        try:
            tallies = load_tallies(folder)
            total = sum(t.checkins for t in tallies)
            found.append(
                f"{total} check-ins at {len(tallies)} occurrences"
                f" ({db.stat().st_size / 1024:.1f} KB)"
            )
        except (CorruptDatabase, OSError) as exc:
            problems.append(
                f"PROBLEM: {CHECKINS} cannot be read ({exc}); the kiosk keeps it aside and"
                " restores the newest good backup when it starts"
            )
    found.append(
        f"Newest good backup: {good.label}" if good else "No backup yet (one is made each day)"
    )
    aside = sorted(folder.glob(f"{CHECKINS}.corrupt-*"))
    if aside:
        found.append(
            f"{len(aside)} damaged file(s) kept aside after a recovery: "
            + ", ".join(p.name for p in aside)
        )
    return DataFacts(tuple(problems), tuple(found))
