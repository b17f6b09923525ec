"""Writing the staff PIN's hash into kiosk.toml, keeping every other line as it was."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

from pydantic import ValidationError


class PinFileError(ValueError):
    """kiosk.toml could not be given the new hash; nothing was changed."""


def with_pin_hash(toml_text: str, pin_hash: str) -> str:
    """kiosk.toml with `[staff] pin_hash` set, every other line as it was (tomlkit keeps
    comments, spacing and the order of keys). The result must still be a valid
    kiosk.toml, or PinFileError says why."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from kiosk.config.models import KioskFile

    try:
        document = tomlkit.parse(toml_text)
        staff_table = document.get("staff")
        if staff_table is None:
            document["staff"] = tomlkit.table()
            staff_table = document["staff"]
        if not isinstance(staff_table, dict):
            raise PinFileError("`staff` in kiosk.toml is not a table")
        staff_table["pin_hash"] = pin_hash
        result = tomlkit.dumps(document)
    except TOMLKitError as exc:
        raise PinFileError(f"kiosk.toml is not valid TOML ({exc})") from None
    try:
        KioskFile.model_validate(tomllib.loads(result))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise PinFileError(
            f"kiosk.toml would not load with the new PIN ({str(exc).splitlines()[0]});"
            " run `kiosk check` and fix it first"
        ) from None
    return result


def write_pin_hash(kiosk_toml: Path, pin_hash: str) -> None:
    """Set the hash in place, atomically (the running kiosk never reads half a file),
    keeping the file's permissions so staff can still edit it."""
    text = kiosk_toml.read_text(encoding="utf-8")
    updated = with_pin_hash(text, pin_hash)
    mode = stat.S_IMODE(kiosk_toml.stat().st_mode)
    tmp = kiosk_toml.with_name(f".{kiosk_toml.name}.pin-{os.getpid()}")
    try:
        tmp.write_text(updated, encoding="utf-8")
        os.chmod(tmp, mode)
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, kiosk_toml)
    finally:
        tmp.unlink(missing_ok=True)
