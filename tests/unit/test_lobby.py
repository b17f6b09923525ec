"""The lobby without a window: taps and ticks in, screens and views out. Fakes stand in
for the store and the speaker, and the clock is simulated. No Kivy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.adapters import health
from kiosk.config.watch import ConfigWatcher
from kiosk.core.clock import KioskClock, ManualTime, parse_at
from kiosk.core.flow import Screen
from kiosk.core.tips import reading_seconds
from kiosk.lobby import Lobby, LobbyOptions, Update
from kiosk.screens import BY_SCREEN, NAMES, SCREENS, current_view
from kiosk.testing.fakes import MemoryStore, RecordingSpeaker
from tests.conftest import ROOT, bump_mtime, edit


class Run:
    """A lobby on a simulated clock, with the updates it published."""

    def __init__(self, config_dir: Path, data_dir: Path, at: str, **kwargs) -> None:
        self.time = ManualTime(1000.0)
        self.watcher = ConfigWatcher(config_dir, data_dir / "last-good", data=data_dir)
        tz = self.watcher.config.tz
        self.clock = KioskClock(tz, parse_at(at, tz), self.time)
        self.store = kwargs.pop("store", None) or MemoryStore()
        options = LobbyOptions(data_dir=data_dir, **kwargs.pop("options", {}))
        self.lobby = Lobby(self.watcher, self.clock, self.store, options, **kwargs)
        self.updates: list[frozenset[Update]] = []
        self.lobby.subscribe(self.updates.append)

    def advance(self, seconds: float, step: float = 1.0) -> None:
        """Let time pass as the shell's timers would: a tick each second."""
        left = seconds
        while left > 0:
            self.time.advance(min(step, left))
            left -= step
            self.lobby.tick()

    def changed(self) -> set[Update]:
        found = set().union(*self.updates) if self.updates else set()
        self.updates.clear()
        return found


@pytest.fixture
def run(config_dir: Path, tmp_path: Path):
    def start(at: str = "2026-12-01T17:45", **kwargs) -> Run:
        return Run(config_dir, tmp_path / "data", at, **kwargs)

    return start


def test_every_screen_is_in_the_one_table() -> None:
    assert set(BY_SCREEN) == set(Screen)
    assert tuple(info.screen.value for info in SCREENS) == NAMES
    for info in SCREENS:  # the widget's files exist where the table says
        base = ROOT / "kiosk" / "shell" / "screens" / info.module
        assert base.with_suffix(".py").is_file() and base.with_suffix(".kv").is_file()
        assert f"class {info.widget}(" in base.with_suffix(".py").read_text()


def test_the_core_and_the_lobby_load_no_kivy_and_no_statistics_library() -> None:
    code = (
        "import sys\n"
        "import kiosk.cli, kiosk.lobby, kiosk.screens, kiosk.testing.fakes\n"
        "import kiosk.core.report, kiosk.core.evidence, kiosk.adapters.saver, kiosk.words.offer\n"
        "import kiosk.adapters.feeds, kiosk.adapters.printer\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'kivy'], 'kivy loaded'\n"
        "assert 'scipy' not in sys.modules, 'scipy loaded: only kiosk report may load it'\n"
        "assert 'httpx' not in sys.modules, 'httpx loaded: only a feed fetch may load it'\n"
        "assert 'escpos' not in sys.modules, 'escpos loaded: only a slip printing may'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_a_check_in_goes_to_the_store_before_thanks(run) -> None:
    store = MemoryStore(deferred=True)
    r = run(store=store)
    r.lobby.tap_checkin()
    assert r.lobby.screen == Screen.CHECKIN
    [choice] = current_view(r.lobby).choices
    assert choice.occurrence_id == "harm-reduction@2026-12-01"
    r.lobby.confirm(choice.occurrence_id)
    assert r.lobby.screen == Screen.MOOD
    r.lobby.answer_mood(4)
    assert r.lobby.screen == Screen.MOOD and Update.SAVING in r.changed()  # waits for disk
    store.finish()
    assert r.lobby.screen == Screen.THANKS
    assert store.counts == {("harm-reduction@2026-12-01", 4): 1}
    assert r.lobby.buttons.resting and "again in 5 s" in r.lobby.buttons.checkin
    r.advance(6)
    assert r.lobby.screen == Screen.HOME and not r.lobby.buttons.resting


def test_a_failed_save_says_so_and_counts_nothing(run) -> None:
    store = MemoryStore(failing=True)
    r = run(store=store)
    r.lobby.tap_checkin()
    r.lobby.confirm("harm-reduction@2026-12-01")
    r.lobby.answer_mood("skipped")
    assert r.lobby.screen == Screen.CHECKIN and "did not go through" in current_view(r.lobby).error
    assert not store.counts


def test_with_nothing_open_home_says_when_check_in_opens_and_closed_is_no_dead_end(run) -> None:
    r = run(at="2026-12-01T12:00")  # the group is at 6:00 PM; check-in opens at 5:30
    buttons = r.lobby.buttons
    assert buttons.checkin == "Check-in from 5:30\u00a0PM" and not buttons.checkin_open
    r.lobby.tap_checkin()
    assert r.lobby.screen == Screen.CLOSED
    view = current_view(r.lobby)
    assert view.heading == "Check-in opens at 5:30\u00a0PM"
    assert "Next: Harm Reduction Group" in view.next_line and view.resources == "Resources"
    r.advance(5.5 * 3600)  # 5:30 PM: open, and the main button again
    assert r.lobby.buttons.checkin == "Check in" and r.lobby.buttons.checkin_open


def test_when_check_in_opens_another_day_home_names_the_day(run) -> None:
    r = run(at="2026-12-01T20:00")  # after the group: next is coffee, Thursday 9:45 AM
    assert r.lobby.buttons.checkin.startswith("Check-in Thursday 9:30")
    r.lobby.choose_language("es")
    assert r.lobby.buttons.checkin.startswith("Avisar llegada: jueves 9:30")


def test_idle_returns_home_in_the_default_language(run) -> None:
    r = run()
    r.lobby.open_languages()
    r.lobby.choose_language("es")
    r.lobby.open_resources()
    assert r.lobby.language == "es" and r.lobby.screen == Screen.RESOURCES
    assert current_view(r.lobby).heading == "Ayuda que puede llevarse"
    r.changed()
    r.advance(61)
    assert r.lobby.screen == Screen.HOME and r.lobby.language == "en"
    assert {Update.SCREEN, Update.LANGUAGE} <= r.changed()


def test_the_home_view_moves_with_the_minute_and_the_tip_with_its_timer(run) -> None:
    r = run()
    first_tip, when = r.lobby.tip.id, r.lobby.home.card.when
    assert when == "in 15 min"
    r.advance(reading_seconds(r.lobby.tip.text) + 1)  # at least tip_seconds (12), as read
    assert r.lobby.tip.id != first_tip and Update.TIP in r.changed()
    r.advance(60)
    assert r.lobby.home.card.when == "in 14 min" and Update.HOME in r.changed()


def test_a_config_change_reaches_the_screen_and_a_broken_one_keeps_the_last(
    run, config_dir: Path
) -> None:
    r = run()
    edit(config_dir / "kiosk.toml", 'name.en = "Harm Reduction Group"', 'name.en = "Fifth St"')
    bump_mtime(config_dir / "kiosk.toml")
    r.lobby.poll_config()
    assert r.lobby.home.name == "Fifth St" and not r.lobby.marker
    edit(config_dir / "kiosk.toml", 'name.en = "Fifth St"', 'name.en = "Broken" oops')
    bump_mtime(config_dir / "kiosk.toml", 2)
    r.lobby.poll_config()
    assert r.lobby.home.name == "Fifth St" and r.lobby.marker
    assert "last good" in r.lobby.notice()


def test_read_aloud_says_the_tip_and_the_next_group(run, config_dir: Path) -> None:
    edit(config_dir / "kiosk.toml", "read_aloud = false", "read_aloud = true")
    speaker = RecordingSpeaker()
    r = run(speaker_factory=lambda _voices: speaker)
    assert r.lobby.can_speak
    r.lobby.read_aloud()
    [(text, lang)] = speaker.said
    assert lang == "en" and "Next: Harm Reduction Group, in 15 min" in text
    r.lobby.open_languages()
    r.lobby.choose_language("tl")  # no voice
    assert not r.lobby.can_speak and speaker.stops >= 1


def test_the_heartbeat_holds_the_present_state_only(run, tmp_path: Path) -> None:
    r = run()
    r.lobby.heartbeat()
    beat = json.loads((tmp_path / "data" / health.HEARTBEAT).read_text())
    assert beat["config_ok"] and beat["store_ok"] and "screen" not in beat


def test_staff_exit_asks_first_then_asks_the_shell_to_stop(run) -> None:
    r = run()
    r.lobby.staff_exit_confirm()  # not on the staff panel, nothing asked: nothing happens
    assert not r.lobby.exit_requested
    r.lobby.flow.screen = Screen.STAFF
    r.lobby.staff_exit()
    assert r.lobby.flow.exit_asked and Update.SCREEN in r.changed()
    assert current_view(r.lobby).exit_asked and not r.lobby.exit_requested
    r.lobby.go_back()  # "Keep it running"
    assert not r.lobby.flow.exit_asked and r.lobby.screen == Screen.STAFF
    r.lobby.staff_exit()
    r.lobby.staff_exit_confirm()
    assert r.lobby.exit_requested and Update.EXIT in r.changed()


AFTER_ON = "[after_group]\nenabled = true\n"


def test_home_offers_the_after_group_question_only_inside_its_window(run, config_dir) -> None:
    (config_dir / "kiosk.toml").write_text((config_dir / "kiosk.toml").read_text() + AFTER_ON)
    # The group runs 18:00-19:30; the question is open from 19:20 until 20:15.
    assert run(at="2026-12-01T19:19").lobby.buttons.after == ""
    store = MemoryStore()
    r = run(at="2026-12-01T19:20", store=store)
    assert r.lobby.buttons.after == "How was group today?"
    r.lobby.tap_aftergroup()
    assert r.lobby.screen == Screen.AFTER_BEFORE
    r.lobby.answer_face("after", 2)
    r.lobby.answer_face("after", 4)
    assert r.lobby.screen == Screen.THANKS
    assert store.afters == {("harm-reduction@2026-12-01", (2, 4)): 1} and not store.counts
    assert current_view(r.lobby).heading == "Thank you for telling us."
    assert r.lobby.buttons.after.startswith("Thank you. Again in")
    r.advance(6)
    assert r.lobby.buttons.after == "How was group today?"
    assert run(at="2026-12-01T20:15").lobby.buttons.after == ""


def test_the_after_group_question_is_off_unless_staff_turn_it_on(run) -> None:
    assert run(at="2026-12-01T19:25").lobby.buttons.after == ""


def test_the_first_time_answer_is_saved_with_the_checkin(run, config_dir) -> None:
    edit(
        config_dir / "kiosk.toml",
        "mood_question = true",
        "mood_question = true\nfirst_time_question = true",
    )
    store = MemoryStore()
    r = run(store=store)
    r.lobby.tap_checkin()
    r.lobby.confirm("harm-reduction@2026-12-01")
    assert r.lobby.screen == Screen.FIRST_TIME
    assert current_view(r.lobby).question == "Is this your first time at this group?"
    r.lobby.answer_first("yes")
    r.lobby.answer_mood(5)
    assert store.counts == {("harm-reduction@2026-12-01", 5): 1}
    assert store.firsts == {("harm-reduction@2026-12-01", "yes"): 1}


def test_heartbeat_and_staff_panel_name_the_synced_commit_and_each_feed(
    config_dir: Path, tmp_path: Path
) -> None:
    import time

    from kiosk.adapters import feeds
    from kiosk.core.config_sync import MARKER
    from kiosk.core.feeds import Feed, FeedState

    commit = "4f2a9c1e" * 5
    (config_dir / MARKER).write_text(
        json.dumps({"commit": commit, "applied": "2026-12-01T17:00:00+00:00"})
    )
    url = "https://calendar.example.org/private-abc/basic.ics"
    with (config_dir / "schedule.toml").open("a") as f:
        f.write(f'\n[[calendar]]\nurl = "{url}"\n')
    data = tmp_path / "data"
    feeds.write_state(
        data, Feed(url).id, FeedState().failure(time.time() - 600, "the server answered 503")
    )
    r = Run(config_dir, data, "2026-12-01T17:45")
    r.lobby.heartbeat()
    beat = json.loads((data / health.HEARTBEAT).read_text())
    assert beat["config_commit"] == commit and beat["config_applied"].startswith("2026-12-01")
    lines = BY_SCREEN[Screen.STAFF].view(r.lobby).sync
    assert f"Synced from commit {commit[:12]}, applied 2026-12-01T17:00:00+00:00" in lines
    [feed_line] = [line for line in lines if line.startswith("Feed ")]
    assert "FAILING since 10 min ago: the server answered 503" in feed_line
    assert "private-abc" not in " ".join(lines)
