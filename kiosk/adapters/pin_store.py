"""The staff PIN lockout, kept in the data folder so that a restart does not clear it.

The file holds how many wrong PINs were given in a row, how many lockouts, and when
the current one ends; its own times are fixed like the check-in data's.
"""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.adapters.data_folder import PIN_LOCKOUT
from kiosk.adapters.files import atomic_write
from kiosk.core.pin import PinGate

LOCKOUT_FILE = PIN_LOCKOUT


def load_gate(folder: Path, t: float, wall: float) -> PinGate:
    """The PIN gate saved in the data folder (a fresh one if there is none)."""
    path = folder / LOCKOUT_FILE
    try:
        saved = json.loads(path.read_bytes()[:4096])
    except FileNotFoundError:
        return PinGate()
    except (OSError, ValueError):
        saved = None
    return PinGate.from_saved(saved, t, wall)


def save_gate(folder: Path, gate: PinGate, t: float, wall: float) -> None:
    """Keep the gate's state through a restart (atomic, file times fixed like the
    check-in data's)."""
    data = json.dumps(gate.to_saved(t, wall), sort_keys=True).encode()
    atomic_write(folder / LOCKOUT_FILE, data)
