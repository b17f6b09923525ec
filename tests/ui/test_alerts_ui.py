"""Alerts on the real screens: the band on every resident screen, the alert opened from
it, gone by itself at `until`, and every screen passing the audit with a band up."""

from __future__ import annotations

from pathlib import Path

import pytest
from kivy.core.window import Window
from PIL import Image

from kiosk.shell import theme
from kiosk.testing import ui_audit
from tests.drive import kiosk_cli, text_sizes_at_each_step, touch_at

URGENT = """
[[alert]]
id = "strong-batch"
level = "urgent"
text.en = "A very strong batch is going round. Start low, don't use alone, keep naloxone close."
text.es = "Circula un lote muy fuerte. Empiece con poco, no use solo, tenga naloxona cerca."
text.zh-Hant = "有一批很強的藥正在流傳。先用少量，不要獨自使用，把納洛酮放在身邊。"
text.tl = "May napakalakas na droga ngayon. Magsimula sa kaunti, huwag mag-isa, itabi ang naloxone."
from = 2026-12-01T09:00:00
until = 2026-12-01T18:30:00
link = "https://www.sf.gov/"
"""
NOTICE = """
[[alert]]
id = "desk-hours"
level = "notice"
text.en = "The front desk closes at 8 PM this week."
text.es = "La recepción cierra a las 8 p. m. esta semana."
text.zh-Hant = "本週前台晚上 8 點關門。"
text.tl = "Sarado ang front desk nang 8 PM ngayong linggo."
until = 2026-12-06T20:00:00
"""
YELLOW = tuple(round(c * 255) for c in theme.hex_rgba(theme.DEFAULT.alert)[:3])


def band_shows(shot: Path) -> bool:
    with Image.open(shot) as image:
        strip = [image.convert("RGB").getpixel((x, 6)) for x in range(200, 1700, 50)]
    return sum(px == YELLOW for px in strip) > len(strip) * 0.8


def test_a_replay_shows_the_band_everywhere_opens_the_alert_and_it_ends_by_itself(
    config_dir: Path, tmp_path: Path
) -> None:
    (config_dir / "alerts.toml").write_text(URGENT, encoding="utf-8")
    screens = ["home", "checkin", "mood", "thanks", "resources", "resource"]
    script = "\n".join(
        [
            "expect home", "shot home", "tap alert", "expect alert", "shot alert",
            "tap back", "expect home",
            "tap checkin", "expect checkin", "shot checkin",
            "tap alert", "expect alert", "tap back", "expect checkin",
            "tap checkin.confirm", "expect mood", "shot mood",
            "tap alert", "expect alert", "tap back", "expect mood",
            "tap mood.4", "expect thanks", "shot thanks", "tap home",
            "tap resources", "expect resources", "shot resources",
            "tap resource.lifeline-988", "expect resource", "shot resource",
            "tap alert", "expect alert", "tap back", "expect resource",
            "advance 2700   # past until (18:30), and past idle_seconds",
            "expect home", "shot after",
        ]
    )  # fmt: skip
    (tmp_path / "script.txt").write_text(script + "\n")
    shots = tmp_path / "shots"
    result = kiosk_cli(
        "run", "--config", str(config_dir), "--data", str(tmp_path / "data"),
        "--at", "2026-12-01T17:45", "--replay", str(tmp_path / "script.txt"),
        "--screenshot-dir", str(shots),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert [s for s in screens if not band_shows(shots / f"{s}.png")] == []
    assert not band_shows(shots / "alert.png"), "the open alert has no band over it"
    assert not band_shows(shots / "after.png"), "gone at until, with no restart"
    # After until the band and its target are gone: a tap on it fails the replay.
    (tmp_path / "again.txt").write_text("advance 2700\nexpect home\ntap alert\n")
    again = kiosk_cli(
        "run", "--config", str(config_dir), "--data", str(tmp_path / "data"),
        "--at", "2026-12-01T17:45", "--replay", str(tmp_path / "again.txt"),
    )  # fmt: skip
    assert again.returncode == 3 and "no visible control 'alert'" in again.stderr


def test_the_band_is_on_the_night_screen_and_a_tap_on_it_opens_the_alert(
    kiosk, config_dir: Path
) -> None:
    (config_dir / "alerts.toml").write_text(URGENT + NOTICE, encoding="utf-8")
    driver = kiosk(at="2026-12-01T18:10")
    driver._preview("quiet")
    band = driver.app.band
    assert driver.find("alert") is band and band.night
    assert band.view.level == "urgent" and "2 alerts" in band.view.cue
    x, y = band.to_window(*band.center)
    touch_at(driver, x, y)
    driver.expect("alert")
    assert driver.find("alert.next") is not None
    driver.tap("alert.next")
    assert driver.app.widgets[driver.app.lobby.screen].view.text.startswith("The front desk")
    driver.tap("back")
    driver.expect("home")


@pytest.mark.smoke
def test_the_band_leaves_the_screens_their_room_and_staff_screens_have_none(
    kiosk, config_dir: Path
) -> None:
    (config_dir / "alerts.toml").write_text(URGENT, encoding="utf-8")
    driver = kiosk(at="2026-12-01T18:10")
    app = driver.app
    band, screens = app.band, app.screens
    assert band.height > 0 and band.top == Window.height
    assert screens.top + app.lobby.shift(*Window.size)[1] <= band.y
    driver._preview("staff")
    assert band.height == 0 and driver.find("alert") is None
    assert screens.height == Window.height


# Every resident screen with the urgent band up, in four languages and three text sizes.
@pytest.mark.parametrize("text_size", ["normal", "large", "xlarge"])
@pytest.mark.parametrize("lang", ["en", "es", "zh-Hant", "tl"])
def test_every_screen_passes_the_audit_with_an_alert_up(
    kiosk, config_dir: Path, lang: str, text_size: str
) -> None:
    (config_dir / "alerts.toml").write_text(URGENT + NOTICE, encoding="utf-8")
    driver = kiosk(at="2026-12-01T18:10", lang=lang, text_size=text_size)
    problems = []
    for name in driver.app.screens.screen_names:
        driver._preview(name)
        problems += [f"{name}: {p}" for p in driver.audit(image=driver.capture())]
    assert problems == []


@pytest.mark.parametrize("size", [(1080, 1920), (800, 480)])
@pytest.mark.parametrize("lang", ["zh-Hant", "tl"])
def test_other_screen_shapes_pass_the_audit_with_an_alert_up(
    kiosk, config_dir: Path, lang: str, size
) -> None:
    (config_dir / "alerts.toml").write_text(URGENT + NOTICE, encoding="utf-8")
    driver = kiosk(at="2026-12-01T18:10", lang=lang, text_size="xlarge", size=size)
    problems = []
    for name in ("home", "checkin", "mood", "resources", "resource", "alert", "quiet"):
        driver._preview(name)
        problems += [f"{name}: {p}" for p in driver.audit(image=driver.capture())]
    assert problems == []


def test_the_band_text_is_never_smaller_at_a_larger_text_size(kiosk, config_dir: Path) -> None:
    (config_dir / "alerts.toml").write_text(URGENT, encoding="utf-8")
    driver = kiosk(at="2026-12-01T18:10", lang="tl")
    every = text_sizes_at_each_step(driver, "home")
    sizes = {step: {k: v for k, v in s.items() if "alert" in k} for step, s in every.items()}
    assert sizes["normal"], "the band's words were read"
    assert ui_audit.smaller_at_larger_step(sizes) == []
