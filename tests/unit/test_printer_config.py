"""[printer] in kiosk.toml: a take-away slip printer must say where it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.config.loader import load


def without_printer(config_dir: Path) -> str:
    """The sample kiosk.toml with its own [printer] table taken out."""
    text = (config_dir / "kiosk.toml").read_text(encoding="utf-8")
    stripped = re.sub(r"\n\[printer\]\n(?:.+\n)*", "\n", text)
    assert "[printer]" not in stripped
    return stripped


@pytest.mark.parametrize(
    ("table", "field", "words"),
    [
        ("enabled = true", "device", "neither device nor usb"),
        ('enabled = true\nusb = "04b8"', "usb", "not a USB id"),
        ('enabled = true\ndevice = "lp0"', "device", "not a device path"),
        ('device = "/dev/usb/lp0"\nusb = "04b8:0e15"', "usb", "not both"),
    ],
)
def test_a_printer_says_where_it_is(config_dir: Path, table, field, words) -> None:
    text = without_printer(config_dir)
    (config_dir / "kiosk.toml").write_text(text + f"\n[printer]\n{table}\n", encoding="utf-8")
    [error] = load(config_dir).errors
    assert error.field == f"printer.{field}" and words in str(error), str(error)


def test_a_printer_on_a_device_or_usb_loads(config_dir: Path) -> None:
    text = without_printer(config_dir)
    for table in ('enabled = true\ndevice = "/dev/usb/lp0"', 'enabled = true\nusb = "04b8:0e15"'):
        (config_dir / "kiosk.toml").write_text(text + f"\n[printer]\n{table}\n", encoding="utf-8")
        config = load(config_dir).config
        assert config is not None and config.kiosk.printer.enabled
