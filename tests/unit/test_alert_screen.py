"""The alert band and the alert screen, without a window: which alert shows where, in
which language, and that each goes by itself at its `until` with no restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.flow import Screen
from kiosk.lobby import Update
from kiosk.screens import current_view
from kiosk.testing.fakes import RecordingSpeaker
from tests.conftest import bump_mtime, edit
from tests.unit.test_lobby import Run

ALERTS = """
[[alert]]
id = "strong-batch"
level = "urgent"
text = { en = "A very strong batch is going round.", es = "Circula un lote muy fuerte." }
from = 2026-12-01T09:00:00
until = 2026-12-01T18:00:30
link = "https://www.sf.gov/"

[[alert]]
id = "desk-hours"
level = "notice"
text = "The front desk closes at 8 PM this week."
from = 2026-12-01T09:00:00
until = 2026-12-06T20:00:00
"""


@pytest.fixture
def run(config_dir: Path, tmp_path: Path):
    (config_dir / "alerts.toml").write_text(ALERTS, encoding="utf-8")

    def start(at: str = "2026-12-01T17:59", **kwargs) -> Run:
        return Run(config_dir, tmp_path / "data", at, **kwargs)

    return start


def test_the_band_shows_the_urgent_alert_first_and_counts_the_others(run) -> None:
    r = run()
    band = r.lobby.band
    assert band is not None and band.level == "urgent"
    assert band.text == "A very strong batch is going round." and band.label == "Alert"
    assert band.cue == "2 alerts · Tap to read"


def test_the_band_is_on_every_resident_screen_but_not_for_staff(run) -> None:
    r = run()
    for screen in (Screen.RESOURCES, Screen.CHECKIN, Screen.WEEK):
        r.lobby.flow.show_for_preview(screen, [], r.time())
        assert r.lobby.band is not None, screen
    for screen in (Screen.STAFF_PIN, Screen.STAFF, Screen.ALERT):
        r.lobby.flow.show_for_preview(screen, [], r.time())
        assert r.lobby.band is None, screen


def test_the_night_screen_shows_only_urgent_alerts(config_dir: Path, run) -> None:
    r = run()
    r.lobby.flow.show_for_preview(Screen.QUIET, [], r.time())
    assert r.lobby.band is not None and r.lobby.band.level == "urgent"
    r.advance(90)  # the urgent one has ended: only the notice is left
    r.lobby.flow.show_for_preview(Screen.QUIET, [], r.time())
    assert r.lobby.band is None
    r.lobby.flow.show_for_preview(Screen.HOME, [], r.time())
    assert r.lobby.band is not None and r.lobby.band.level == "notice"


def test_an_alert_shows_in_the_residents_language_else_the_default(run) -> None:
    r = run()
    r.lobby.open_languages()
    r.lobby.choose_language("es")
    assert r.lobby.band.text == "Circula un lote muy fuerte."
    r.lobby.open_alert()
    r.lobby.next_alert()
    view = current_view(r.lobby)
    assert view.text == "The front desk closes at 8 PM this week.", "the default language"
    assert view.heading != "Notice", "the screen's own words are translated"


def test_the_band_opens_the_alert_and_back_returns_to_where_the_resident_was(run) -> None:
    r = run()
    r.lobby.open_resources()
    r.lobby.open_resource("lifeline-988")
    r.lobby.open_alert()
    assert r.lobby.screen == Screen.ALERT
    view = current_view(r.lobby)
    assert view.text == "A very strong batch is going round."
    assert view.link == "https://www.sf.gov/" and view.link_label == "sf.gov"
    assert view.position == "1 of 2" and view.next == "Next alert"
    assert view.ends == "Until 6:00\u00a0PM today"
    r.lobby.next_alert()
    second = current_view(r.lobby)
    assert second.text.startswith("The front desk") and not second.link
    assert current_view(r.lobby).ends == "Until Sun, Dec 6, 8:00\u00a0PM"
    r.lobby.next_alert()
    assert current_view(r.lobby).position == "1 of 2", "round again"
    r.lobby.go_back()
    assert r.lobby.screen == Screen.RESOURCE and r.lobby.resource.id == "lifeline-988"


def test_a_tap_on_the_band_at_night_wakes_to_the_alert_and_back_goes_home(run) -> None:
    r = run()
    r.lobby.flow.show_for_preview(Screen.QUIET, [], r.time())
    r.lobby.open_alert()
    assert r.lobby.screen == Screen.ALERT
    r.lobby.go_back()
    assert r.lobby.screen == Screen.HOME


def test_alerts_end_by_themselves_and_the_open_alert_closes(run) -> None:
    r = run()
    r.lobby.open_alert()
    r.changed()
    r.advance(45)
    r.lobby.touched()  # still reading: no idle return home
    r.advance(45)  # past 18:00:30
    assert Update.ALERT in r.changed()
    assert [a.id for a in r.lobby.live_alerts] == ["desk-hours"]
    assert r.lobby.screen == Screen.ALERT and current_view(r.lobby).text.startswith("The front")
    assert current_view(r.lobby).position == "" and r.lobby.band is None
    r.lobby.go_back()
    assert r.lobby.band.cue == "Tap to read"
    r.lobby.open_alert()
    r.time.advance(6 * 24 * 3600)
    r.lobby.tick()
    assert r.lobby.live_alerts == [] and r.lobby.band is None
    assert r.lobby.screen == Screen.HOME, "the last alert went: back where the resident was"


def test_an_alert_put_up_while_running_shows_at_the_next_poll(run, config_dir: Path) -> None:
    (config_dir / "alerts.toml").unlink()
    r = run()
    assert r.lobby.band is None
    (config_dir / "alerts.toml").write_text(ALERTS, encoding="utf-8")
    bump_mtime(config_dir / "alerts.toml")
    r.lobby.poll_config()
    assert r.lobby.band is not None and Update.ALERT in r.changed()
    edit(config_dir / "alerts.toml", "A very strong batch", "A strong batch")
    bump_mtime(config_dir / "alerts.toml", 2)
    r.lobby.poll_config()
    assert r.lobby.band.text == "A strong batch is going round." and Update.ALERT in r.changed()


def test_no_band_opens_nothing(run, config_dir: Path) -> None:
    (config_dir / "alerts.toml").unlink()
    r = run()
    r.lobby.open_alert()
    assert r.lobby.screen == Screen.HOME


def test_read_aloud_says_the_open_alert_and_puts_urgent_ones_first_on_home(
    run, config_dir: Path
) -> None:
    edit(config_dir / "kiosk.toml", "read_aloud = false", "read_aloud = true")
    speaker = RecordingSpeaker()
    r = run(speaker_factory=lambda _voices: speaker)
    r.lobby.read_aloud()
    home_text = speaker.said[-1][0]
    assert home_text.startswith("A very strong batch is going round.\n")
    assert "front desk" not in home_text, "a notice waits for its screen"
    r.lobby.open_alert()
    r.lobby.read_aloud()
    assert speaker.said[-1][0] == (
        "Urgent alert\nA very strong batch is going round.\nUntil 6:00\u00a0PM today"
    )
