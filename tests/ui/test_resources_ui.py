"""Resources and their QR codes, rendered by the real app and read back like a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from kiosk.config.links import display_link
from kiosk.core.flow import Screen
from tests.qrcheck import measure

MIN_SIDE_PX = 480  # about 10 cm on a 21.5" 1080p screen: scans from about 1 m


def shot(driver, tmp_path: Path, name: str) -> Image.Image:
    return Image.open(driver.screenshot(tmp_path / f"{name}.png"))


def test_every_resource_and_linked_tip_scans_to_its_link(kiosk, tmp_path: Path) -> None:
    driver = kiosk(size=(1920, 1080))
    config = driver.app.lobby.watcher.config
    resources = config.resources.resource
    assert len(resources) >= 10

    driver.tap("resources")
    driver.expect("resources")
    listing = shot(driver, tmp_path, "resources")
    assert listing.size == (1920, 1080)
    for resource in resources:
        driver.tap(f"resource.{resource.id}")
        driver.expect("resource")
        image = shot(driver, tmp_path, f"resource-{resource.id}")
        got = measure(image, resource.link)
        assert got.side_px >= MIN_SIDE_PX, (resource.id, got)
        readable = resource.phone if not resource.url else display_link(resource.url)
        assert driver.app.widgets[Screen.RESOURCE].view.link_label == readable
        driver.tap("back")
        driver.expect("resources")
    driver.tap("back")  # from the list, back is home
    driver.expect("home")

    linked = {t.id: t.link for t in config.tips.tip if t.link}
    seen = {}
    for _ in range(len(config.tips.tip) + 1):  # one round shows every tip
        tip = driver.app.lobby.flow.tip
        if tip.link and tip.id not in seen:
            driver.wait(1.0)
            seen[tip.id] = measure(shot(driver, tmp_path, f"tip-{tip.id}"), tip.link)
        driver.tap("tip")
    assert set(seen) == set(linked)
    assert all(m.module_px >= 4 for m in seen.values())


@pytest.fixture(scope="module")
def good_code(tmp_path_factory) -> tuple[Image.Image, str]:
    """One rendered resource screen, to break on purpose."""
    from tests.drive import kiosk_cli

    out = tmp_path_factory.mktemp("preview")
    kiosk_cli(
        "preview", "--out", str(out), "--data", str(out / "data"), "--at", "2026-12-01T17:45",
        check=True,
    )  # fmt: skip
    return Image.open(out / "resource-never-use-alone.png").convert("RGB"), "tel:8004843731"


def test_the_check_passes_on_the_real_code(good_code) -> None:
    image, link = good_code
    got = measure(image, link)
    assert got.side_px >= MIN_SIDE_PX and got.module_px == got.side_px // (17 + 4 * got.version)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda im: im.filter(ImageFilter.GaussianBlur(2)), id="blurred"),
        pytest.param(lambda im: im.resize((im.width * 2 // 5, im.height * 2 // 5),
                                          Image.Resampling.BILINEAR), id="too-small"),
        pytest.param(lambda im: im.crop((0, 0, im.width * 82 // 100, im.height)), id="cropped"),
    ],
)  # fmt: skip
def test_the_check_fails_on_a_broken_code(good_code, damage) -> None:
    image, link = good_code
    broken = damage(image)
    with pytest.raises(AssertionError):
        got = measure(broken, link)
        assert got.side_px >= MIN_SIDE_PX


def test_resource_screens_in_spanish_and_portrait(kiosk, tmp_path: Path) -> None:
    driver = kiosk(size=(1080, 1920), lang="es")
    driver.tap("resources")
    assert driver.app.widgets[Screen.RESOURCES].view.heading == "Ayuda que puede llevarse"
    driver.tap("resource.lifeline-988")
    view = driver.app.widgets[Screen.RESOURCE].view
    assert view.category_label == "Líneas de ayuda" and view.link == "tel:988"
    got = measure(shot(driver, tmp_path, "988"), "tel:988")
    assert got.side_px >= MIN_SIDE_PX
    driver.tap("home")
    driver.expect("home")
