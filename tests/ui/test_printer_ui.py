"""Take-away slips on the real screens: "Print this" on the resource screen writes one
slip per tap to a device file, a broken printer never holds the screen, and `kiosk
preview` draws each slip so a phone can scan its code."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.testing import ui_audit
from tests.conftest import edit
from tests.drive import kiosk_cli, text_sizes_at_each_step
from tests.fifo_printer import FifoPrinter


def enable_printer(config_dir: Path, device: Path) -> None:
    edit(config_dir / "kiosk.toml", "enabled = false\ndevice", "enabled = true\ndevice")
    edit(config_dir / "kiosk.toml", 'device = "/dev/usb/lp0"', f'device = "{device}"')


def replay(config_dir: Path, tmp_path: Path, script: str):
    (tmp_path / "script.txt").write_text(script)
    return kiosk_cli(
        "run", "--config", str(config_dir), "--data", str(tmp_path / "data"),
        "--at", "2026-12-01T17:45", "--replay", str(tmp_path / "script.txt"),
        "--screenshot-dir", str(tmp_path / "shots"),
    )  # fmt: skip


@pytest.fixture
def printer(tmp_path: Path):
    fifo = FifoPrinter(tmp_path / "lp0")
    yield fifo
    fifo.close()


def test_one_slip_per_tap_with_the_name_the_number_and_a_qr_code(
    config_dir: Path, tmp_path: Path, printer: FifoPrinter
) -> None:
    enable_printer(config_dir, printer.path)
    result = replay(
        config_dir,
        tmp_path,
        "tap resources\ntap resource.never-use-alone\nexpect resource\n"
        "tap resource.print\nshot printed\n"
        "advance 6   # the button's rest is over\n"
        "tap resource.print\nexpect resource\n",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert printer.slips(2) == 2, "one slip per tap"
    data = bytes(printer.data)
    assert data.count(b"Never Use Alone") == 2 and b"800-484-3731" in data
    assert b"1P0tel:8004843731" in data, "the printer's own QR code, holding the number"


def test_taps_while_it_rests_print_nothing(
    config_dir: Path, tmp_path: Path, printer: FifoPrinter
) -> None:
    enable_printer(config_dir, printer.path)
    result = replay(
        config_dir,
        tmp_path,
        "tap resources\ntap resource.never-use-alone\n"
        "tap resource.print\ntap resource.print\ntap resource.print\nexpect resource\n",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert printer.slips(2, timeout=1) == 1, "mashing the button prints one slip"


def test_a_broken_printer_says_so_and_the_screen_stays_responsive(
    kiosk, config_dir: Path, tmp_path: Path
) -> None:
    enable_printer(config_dir, tmp_path / "unplugged")
    driver = kiosk()
    driver.tap("resources")
    driver.tap("resource.never-use-alone")
    driver.tap("resource.print")
    view = driver.app.widgets[driver.app.lobby.screen].view
    assert view.printing.failed and "ask a staff member" in view.printing.note
    note = driver.app.widgets[driver.app.lobby.screen].ids.print_note
    assert note.text == view.printing.note and note.opacity == 1
    assert not (tmp_path / "unplugged").exists()
    driver.tap("back")  # the screen answers at once
    driver.expect("resources")
    driver.tap("resource.lifeline-988")
    assert driver.find("resource.print") is not None, "another resource: ready again"
    lines = driver.app.lobby.printer.describe(driver.app.lobby.config.kiosk.printer)
    assert "not there" in lines


def test_staff_panel_names_the_printers_state(kiosk, config_dir: Path, tmp_path: Path) -> None:
    enable_printer(config_dir, tmp_path / "unplugged")
    driver = kiosk()
    driver._preview("staff")
    texts = " ".join(w.text for w in driver.app.root.walk() if hasattr(w, "text"))
    assert f"Printer: {tmp_path / 'unplugged'} is not there" in texts


def test_preview_draws_each_slip_and_its_code_scans(config_dir: Path, tmp_path: Path) -> None:
    enable_printer(config_dir, tmp_path / "lp0")  # the printer need not be there
    out = tmp_path / "preview"
    result = kiosk_cli(
        "preview", "--config", str(config_dir), "--data", str(tmp_path / "data"),
        "--out", str(out), "--at", "2026-12-01T18:10", "--lang", "zh-Hant",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    slips = sorted(out.glob("slip-*.png"))
    assert len(slips) == 12
    with Image.open(out / "slip-never-use-alone.png") as picture:
        [code] = zxingcpp.read_barcodes(picture)
    assert code.text == "tel:8004843731"
    assert not (tmp_path / "lp0").exists(), "a preview prints nothing"


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (800, 480)])
@pytest.mark.parametrize("lang", ["en", "es", "zh-Hant", "tl"])
def test_the_print_button_and_its_words_pass_the_audit(
    kiosk, config_dir: Path, tmp_path: Path, lang: str, size
) -> None:
    """Ready, and after a slip that could not print (the longest words), at the largest
    text: nothing cut, and the resource's own words keep their size."""
    enable_printer(config_dir, tmp_path / "unplugged")
    driver = kiosk(lang=lang, text_size="xlarge", size=size)
    problems = []
    for rid in ("never-use-alone", "sf-behavioral-health-access"):
        driver._preview("resource", rid)
        problems += [f"{rid} ready: {p}" for p in driver.audit(image=driver.capture())]
        driver.tap("resource.print")
        assert driver.app.widgets[driver.app.lobby.screen].view.printing.failed
        problems += [f"{rid} failed: {p}" for p in driver.audit(image=driver.capture())]
    assert problems == []


def test_no_text_on_the_resource_screen_is_smaller_at_a_larger_size(
    kiosk, config_dir: Path, tmp_path: Path
) -> None:
    enable_printer(config_dir, tmp_path / "unplugged")
    driver = kiosk(lang="tl")
    sizes = text_sizes_at_each_step(driver, "resource", "sf-behavioral-health-access")
    assert any("resource.print" in key for key in sizes["normal"])
    assert ui_audit.smaller_at_larger_step(sizes) == []
