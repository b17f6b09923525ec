"""The kiosk state machine, without Kivy: tip timing, taps and the idle return."""

from __future__ import annotations

import random
from dataclasses import dataclass

from kiosk.core.flow import Change, Flow, FlowSettings, PendingSave, Screen, TextSize
from kiosk.core.tips import TipDeck


@dataclass(frozen=True)
class T:
    id: str
    category: str


TIPS = [T("a", "drug"), T("b", "set"), T("c", "setting"), T("d", "drug")]
SETTINGS = FlowSettings(tip_seconds=12, idle_seconds=60, default_language="en")


def make_flow(t: float = 0.0) -> tuple[Flow, list[frozenset[Change]]]:
    flow = Flow(SETTINGS, TipDeck(TIPS, random.Random(5)), t)
    changes: list[frozenset[Change]] = []
    flow.subscribe(changes.append)
    return flow, changes


def test_tip_changes_after_tip_seconds_not_before() -> None:
    flow, changes = make_flow()
    first = flow.tip
    flow.tick(11.9)
    assert flow.tip == first and changes == []
    flow.tick(12.0)
    assert flow.tip != first and changes == [frozenset({Change.TIP})]


def test_tap_advances_the_tip_which_then_waits_a_minute_for_its_reader() -> None:
    flow, _changes = make_flow()
    first = flow.tip
    flow.tap_tip(5.0)
    second = flow.tip
    assert second != first
    flow.tick(64.9)  # a resident is reading: the tip stays a minute after the touch
    assert flow.tip == second
    flow.tick(65.0)
    assert flow.tip != second


def test_any_touch_holds_the_tip_for_a_minute() -> None:
    flow, _changes = make_flow()
    first = flow.tip
    flow.touched(10.0)  # a tap on another control
    flow.tick(69.0)
    assert flow.tip == first
    flow.tick(70.0)
    assert flow.tip != first


def test_a_resident_can_step_back_through_the_tips_shown() -> None:
    flow, changes = make_flow()
    shown = [flow.tip]
    for t in (1.0, 2.0, 3.0):
        flow.tap_tip(t)
        shown.append(flow.tip)
    for t, expected in zip((4.0, 5.0, 6.0), reversed(shown[:-1]), strict=True):
        flow.tap_previous_tip(t)
        assert flow.tip == expected and Change.TIP in changes[-1]
    flow.tap_previous_tip(7.0)  # nothing older: the first tip stays
    assert flow.tip == shown[0]
    flow.tap_tip(8.0)  # forward again: the same order as before
    assert flow.tip == shown[1]


def test_idle_returns_home_in_default_language_and_normal_text() -> None:
    flow, changes = make_flow()
    flow.screen = Screen.HOME
    flow.language, flow.text_size = "es", TextSize.LARGE
    flow.touched(10.0)
    flow.tick(69.0)
    assert flow.language == "es"
    flow.tick(70.0)
    assert flow.language == "en" and flow.text_size == TextSize.NORMAL
    assert Change.LANGUAGE in changes[-1] and Change.TEXT_SIZE in changes[-1]


def test_touch_postpones_idle() -> None:
    flow, _ = make_flow()
    flow.language = "es"
    for t in range(0, 300, 30):
        flow.touched(float(t))
        flow.tick(float(t) + 1)
    assert flow.language == "es"


def test_a_big_clock_jump_changes_the_tip_once() -> None:
    flow, changes = make_flow()
    flow.tick(3600.0)
    assert sum(Change.TIP in c for c in changes) == 1


def test_reconfigure_keeps_the_current_tip_when_it_still_exists() -> None:
    flow, changes = make_flow()
    current = flow.tip
    flow.reconfigure(FlowSettings(30, 60, "en"), TIPS, 1.0)
    assert flow.tip == current and flow.settings.tip_seconds == 30
    assert Change.CONFIG in changes[-1]
    flow.reconfigure(SETTINGS, [t for t in TIPS if t != current], 2.0)
    assert flow.tip is not None and flow.tip != current


def test_reconfigure_drops_a_language_that_was_removed() -> None:
    flow, changes = make_flow()
    flow.language = "es"
    flow.reconfigure(FlowSettings(12, 60, "en", ("en", "tl")), TIPS, 1.0)
    assert flow.language == "en" and Change.LANGUAGE in changes[-1]


def test_no_tips_means_no_tip_and_no_rotation() -> None:
    flow = Flow(SETTINGS, TipDeck([], random.Random(0)), 0.0)
    flow.tick(100.0)
    assert flow.tip is None


# --- check-in ---------------------------------------------------------------------------------

CHECKIN = FlowSettings(12, 60, "en", ("en", "es"), mood_question=True, cooldown_seconds=5)


def checkin_flow(settings: FlowSettings = CHECKIN):
    flow = Flow(settings, TipDeck(TIPS, random.Random(5)), 0.0)
    changes: list[frozenset[Change]] = []
    flow.subscribe(changes.append)
    return flow, changes


def test_checkin_with_mood_saves_once_then_thanks_then_home() -> None:
    flow, _changes = checkin_flow()
    flow.tap_checkin(1.0, ["hr@2026-12-01"])
    assert flow.screen == Screen.CHECKIN and flow.choices == ("hr@2026-12-01",)
    flow.confirm("hr@2026-12-01", 2.0)
    assert flow.screen == Screen.MOOD and flow.pending is None
    flow.answer_mood(4, 3.0)
    assert flow.pending == PendingSave("hr@2026-12-01", 4)
    assert flow.screen == Screen.MOOD, "no thanks before the write is done"
    flow.answer_mood(5, 3.1)  # a second tap while saving is ignored
    assert flow.pending == PendingSave("hr@2026-12-01", 4)
    flow.saved(3.2, ok=True)
    assert flow.screen == Screen.THANKS and flow.pending is None
    flow.tick(6.1)
    assert flow.screen == Screen.THANKS
    flow.tick(6.3)
    assert flow.screen == Screen.HOME


def test_without_mood_question_confirm_saves_directly() -> None:
    flow, _ = checkin_flow(FlowSettings(12, 60, "en", mood_question=False))
    flow.tap_checkin(1.0, ["hr@2026-12-01"])
    flow.confirm("hr@2026-12-01", 2.0)
    assert flow.pending == PendingSave("hr@2026-12-01", None)


def test_nothing_open_shows_closed() -> None:
    flow, _ = checkin_flow()
    flow.tap_checkin(1.0, [])
    assert flow.screen == Screen.CLOSED
    flow.go_home(2.0)
    assert flow.screen == Screen.HOME


def test_two_open_occurrences_let_the_resident_pick() -> None:
    flow, _ = checkin_flow()
    flow.tap_checkin(1.0, ["hr@2026-12-01", "coffee@2026-12-01"])
    flow.confirm("elsewhere@2026-12-01", 2.0)  # not offered: ignored
    assert flow.screen == Screen.CHECKIN
    flow.confirm("coffee@2026-12-01", 2.0)
    assert flow.chosen == "coffee@2026-12-01" and flow.screen == Screen.MOOD


def test_button_rests_after_a_checkin() -> None:
    flow, changes = checkin_flow()
    flow.tap_checkin(1.0, ["hr@2026-12-01"])
    flow.confirm("hr@2026-12-01", 1.0)
    flow.answer_mood("skipped", 1.0)
    flow.saved(1.5, ok=True)
    flow.tick(5.0)  # thanks over: home
    assert flow.cooldown_left(5.0) == 1.5
    flow.tap_checkin(5.0, ["hr@2026-12-01"])  # a mashed button does nothing
    assert flow.screen == Screen.HOME
    flow.tick(6.5)
    assert Change.COOLDOWN in changes[-1] and flow.cooldown_left(6.5) == 0
    flow.tap_checkin(6.5, ["hr@2026-12-01"])
    assert flow.screen == Screen.CHECKIN


def test_walking_away_from_the_mood_question_still_counts_the_checkin() -> None:
    flow, _ = checkin_flow()
    flow.language = "es"
    flow.tap_checkin(0.0, ["hr@2026-12-01"])
    flow.confirm("hr@2026-12-01", 0.0)
    flow.tick(60.0)
    assert flow.pending == PendingSave("hr@2026-12-01", "skipped", then_home=True)
    flow.saved(60.2, ok=True)
    assert flow.screen == Screen.HOME and flow.language == "en"


def test_back_from_the_mood_question_counts_nothing_and_offers_im_here_again() -> None:
    flow, _ = checkin_flow()
    flow.tap_checkin(0.0, ["hr@2026-12-01"])
    flow.confirm("hr@2026-12-01", 1.0)
    flow.go_back(2.0)
    assert flow.screen == Screen.CHECKIN and flow.choices == ("hr@2026-12-01",)
    assert flow.pending is None and flow.chosen is None
    flow.tick(2.0 + 59)  # walking away now is leaving the check-in screen: nothing saved
    assert flow.pending is None
    flow.confirm("hr@2026-12-01", 62.0)
    assert flow.screen == Screen.MOOD


def test_failed_save_goes_back_to_checkin_and_says_so() -> None:
    flow, _ = checkin_flow()
    flow.tap_checkin(0.0, ["hr@2026-12-01"])
    flow.confirm("hr@2026-12-01", 0.0)
    flow.answer_mood(3, 0.0)
    flow.saved(0.5, ok=False)
    assert flow.screen == Screen.CHECKIN and flow.save_failed
    assert flow.cooldown_left(0.5) == 0  # nothing was counted, so no rest


def test_a_save_in_progress_holds_the_screen_until_its_deadline() -> None:
    flow, _ = checkin_flow()
    flow.tap_checkin(0.0, ["hr@2026-12-01"])
    flow.confirm("hr@2026-12-01", 0.0)
    flow.answer_mood(2, 0.0)
    flow.tick(15.0)
    assert flow.screen == Screen.MOOD and flow.pending is not None
    flow.tick(20.0)  # a stuck disk: say it did not go through, and free the kiosk
    assert flow.pending is None and flow.save_failed and flow.screen == Screen.CHECKIN
    flow.saved(25.0, ok=True)  # the late answer changes nothing on screen
    assert flow.screen == Screen.CHECKIN


def test_confirm_after_the_window_closed_shows_closed() -> None:
    flow, _ = checkin_flow()
    flow.tap_checkin(0.0, ["hr@2026-12-01"])
    flow.confirm("hr@2026-12-01", 30.0, still_open=False)
    assert flow.screen == Screen.CLOSED and flow.pending is None


def test_resources_list_one_resource_back_and_home() -> None:
    flow, _ = checkin_flow()
    flow.open_resource("988", 0.0)  # not from the list: ignored
    assert flow.screen == Screen.HOME
    flow.open_resources(1.0)
    flow.open_resource("988", 2.0)
    assert flow.screen == Screen.RESOURCE and flow.resource == "988"
    flow.go_back(3.0)
    assert flow.screen == Screen.RESOURCES
    flow.go_back(4.0)
    assert flow.screen == Screen.HOME
    flow.open_resources(5.0)
    flow.open_resource("glide", 6.0)
    flow.go_home(7.0)
    assert flow.screen == Screen.HOME
    flow.open_resources(8.0)
    flow.tick(68.0)  # idle
    assert flow.screen == Screen.HOME


FOUR = FlowSettings(
    tip_seconds=12, idle_seconds=60, default_language="en", languages=("en", "es", "zh-Hant", "tl")
)


def test_language_chooser_opens_on_home_and_one_tap_chooses() -> None:
    flow = Flow(FOUR, TipDeck(TIPS, random.Random(5)), 0)
    changes: list[frozenset[Change]] = []
    flow.subscribe(changes.append)
    flow.open_languages(1)
    assert flow.chooser_open and changes == [frozenset({Change.CHOOSER})]
    flow.choose_language("zh-Hant", 2)
    assert flow.language == "zh-Hant" and not flow.chooser_open
    assert changes[-1] == frozenset({Change.LANGUAGE, Change.CHOOSER})
    flow.choose_language("de", 3)  # not offered: nothing changes
    assert flow.language == "zh-Hant"


def test_back_or_idle_closes_the_chooser_and_idle_restores_the_default() -> None:
    flow = Flow(FOUR, TipDeck(TIPS, random.Random(5)), 0)
    flow.open_languages(0)
    flow.go_back(1)
    assert not flow.chooser_open and flow.screen == Screen.HOME
    flow.choose_language("es", 2)
    flow.open_languages(3)
    flow.tick(3 + 59.9)
    assert flow.chooser_open and flow.language == "es"
    flow.tick(3 + 60)
    assert not flow.chooser_open and flow.language == "en"


def test_chooser_only_opens_on_home_and_closes_when_the_screen_changes() -> None:
    flow = Flow(FOUR, TipDeck(TIPS, random.Random(5)), 0)
    flow.open_resources(0)
    flow.open_languages(1)
    assert not flow.chooser_open
    flow.go_home(2)
    flow.open_languages(3)
    flow.tap_checkin(4, [])
    assert flow.screen == Screen.CLOSED and not flow.chooser_open


def test_text_size_cycles_normal_large_extra_large() -> None:
    flow, changes = make_flow()
    sizes = []
    for t in range(4):
        flow.cycle_text_size(t)
        sizes.append(flow.text_size)
    assert sizes == [TextSize.LARGE, TextSize.XLARGE, TextSize.NORMAL, TextSize.LARGE]
    assert changes == [frozenset({Change.TEXT_SIZE})] * 4
    flow.tick(3 + 60)
    assert flow.text_size == TextSize.NORMAL


STAFF_PIN = "2468"


def test_staff_pin_opens_the_panel_and_wrong_pins_lock_it_for_60_s() -> None:
    flow, _changes = make_flow()
    check = STAFF_PIN.__eq__
    flow.open_staff_pin(0, enabled=False)
    assert flow.screen == Screen.HOME  # no PIN set: no panel
    flow.open_staff_pin(0, enabled=True)
    assert flow.screen == Screen.STAFF_PIN
    for attempt in range(5):
        for d in "1111":
            flow.pin_digit(d, 1 + attempt)
        flow.submit_pin(1 + attempt, check)
        assert flow.pin == "" and flow.pin_wrong and flow.screen == Screen.STAFF_PIN
    assert flow.pin_gate.locked(6)
    for d in STAFF_PIN:
        flow.pin_digit(d, 7)
    flow.submit_pin(7, check)  # the right PIN, but locked: not even checked
    assert flow.screen == Screen.STAFF_PIN and flow.pin_gate.seconds_left(7) == 58
    for d in STAFF_PIN:
        flow.pin_digit(d, 5 + 60)
    flow.submit_pin(5 + 60, check)
    assert flow.screen == Screen.STAFF and not flow.pin_wrong


def test_the_staff_panel_closes_on_idle() -> None:
    flow, _changes = make_flow()
    flow.open_staff_pin(0, enabled=True)
    for d in STAFF_PIN:
        flow.pin_digit(d, 1)
    flow.submit_pin(1, STAFF_PIN.__eq__)
    assert flow.screen == Screen.STAFF
    flow.tick(1 + 60)
    assert flow.screen == Screen.HOME


def test_night_mode_comes_after_idle_in_quiet_hours_and_a_touch_wakes_it() -> None:
    flow, changes = make_flow()
    flow.tick(30, quiet=True)
    assert flow.screen == Screen.HOME  # someone touched it half a minute ago
    flow.tick(60, quiet=True)
    assert flow.screen == Screen.QUIET
    changes.clear()
    flow.tick(61, quiet=True)
    assert changes == []  # resting in night mode changes nothing
    flow.wake(100)
    assert flow.screen == Screen.HOME
    flow.tick(159, quiet=True)
    assert flow.screen == Screen.HOME
    flow.tick(160, quiet=True)
    assert flow.screen == Screen.QUIET
    flow.tick(200, quiet=False)  # morning
    assert flow.screen == Screen.HOME


def test_the_week_opens_from_home_and_back_leads_home() -> None:
    flow, changes = make_flow()
    flow.screen = Screen.RESOURCES
    flow.open_week(1.0)
    assert flow.screen == Screen.RESOURCES  # only from home
    flow.screen = Screen.HOME
    flow.open_week(2.0)
    assert flow.screen == Screen.WEEK and Change.SCREEN in changes[-1]
    flow.go_back(3.0)
    assert flow.screen == Screen.HOME


# --- first-time and after-group questions ------------------------------------------------------

FIRST = FlowSettings(12, 60, "en", mood_question=True, first_time_question=True)


def test_the_first_time_question_comes_after_im_here_and_is_saved_with_the_mood() -> None:
    flow, _ = checkin_flow(FIRST)
    flow.tap_checkin(0.0, ["hr@2026-12-01"])
    flow.confirm("hr@2026-12-01", 1.0)
    assert flow.screen == Screen.FIRST_TIME and flow.pending is None
    flow.answer_first("yes", 2.0)
    assert flow.screen == Screen.MOOD and flow.pending is None
    flow.go_back(3.0)  # back a question: nothing counted
    assert flow.screen == Screen.FIRST_TIME and flow.pending is None
    flow.answer_first("no", 4.0)
    flow.answer_mood(2, 5.0)
    assert flow.pending == PendingSave("hr@2026-12-01", 2, first="no")


def test_walking_away_from_the_first_time_question_still_counts_the_checkin() -> None:
    flow, _ = checkin_flow(FIRST)
    flow.tap_checkin(0.0, ["hr@2026-12-01"])
    flow.confirm("hr@2026-12-01", 0.0)
    flow.tick(60.0)
    assert flow.pending == PendingSave("hr@2026-12-01", "skipped", True, first="skipped")


def test_without_the_mood_question_the_first_time_answer_saves_at_once() -> None:
    flow, _ = checkin_flow(
        FlowSettings(12, 60, "en", mood_question=False, first_time_question=True)
    )
    flow.tap_checkin(0.0, ["hr@2026-12-01"])
    flow.confirm("hr@2026-12-01", 0.0)
    flow.answer_first("skipped", 1.0)
    assert flow.pending == PendingSave("hr@2026-12-01", None, first="skipped")


def test_the_after_group_question_asks_twice_and_saves_the_pair_then_thanks() -> None:
    flow, _ = checkin_flow()
    flow.tap_aftergroup(0.0, ["hr@2026-12-01"])
    assert flow.screen == Screen.AFTER_BEFORE
    flow.answer_after(2, 1.0)
    assert flow.screen == Screen.AFTER_NOW and flow.pending is None
    flow.go_back(2.0)
    assert flow.screen == Screen.AFTER_BEFORE and flow.arrived is None
    flow.answer_after(3, 3.0)
    flow.answer_after(4, 4.0)
    assert flow.pending == PendingSave("hr@2026-12-01", None, after=(3, 4))
    flow.saved(4.1, ok=True)
    assert flow.screen == Screen.THANKS and flow.thanked_after
    assert flow.after_cooldown_left(5.0) > 0 and flow.cooldown_left(5.0) == 0
    flow.tap_aftergroup(5.0, ["hr@2026-12-01"])  # resting: a second tap does nothing
    assert flow.screen == Screen.THANKS


def test_walking_away_from_the_after_group_question_counts_nothing() -> None:
    flow, _ = checkin_flow()
    flow.tap_aftergroup(0.0, ["hr@2026-12-01"])
    flow.answer_after(1, 1.0)
    flow.tick(61.0)
    assert flow.pending is None and flow.screen == Screen.HOME and flow.after_chosen is None


def test_when_several_groups_just_ended_the_resident_picks_one() -> None:
    flow, _ = checkin_flow()
    flow.tap_aftergroup(0.0, ["hr@2026-12-01", "coffee@2026-12-01"])
    assert flow.screen == Screen.AFTER_CHOOSE
    flow.choose_after("elsewhere@2026-12-01", 1.0)  # not offered
    assert flow.screen == Screen.AFTER_CHOOSE
    flow.choose_after("coffee@2026-12-01", 2.0)
    assert flow.screen == Screen.AFTER_BEFORE and flow.after_chosen == "coffee@2026-12-01"
    flow.go_back(3.0)
    assert flow.screen == Screen.AFTER_CHOOSE
    flow.tap_aftergroup(4.0, [])  # nothing open: the button was not there to tap
    assert flow.screen == Screen.AFTER_CHOOSE


def test_a_failed_after_group_save_keeps_the_last_question_to_answer_again() -> None:
    flow, _ = checkin_flow()
    flow.tap_aftergroup(0.0, ["hr@2026-12-01"])
    flow.answer_after(5, 1.0)
    flow.answer_after("skipped", 2.0)
    assert flow.pending == PendingSave("hr@2026-12-01", None, after=(5, "skipped"))
    flow.saved(2.5, ok=False)
    assert flow.screen == Screen.AFTER_NOW and flow.save_failed and flow.arrived == 5
    flow.answer_after(4, 3.0)
    assert flow.pending == PendingSave("hr@2026-12-01", None, after=(5, 4))


def test_a_late_reply_for_a_save_given_up_on_does_not_decide_the_next_one() -> None:
    flow, _ = checkin_flow()
    flow.tap_aftergroup(0.0, ["hr@2026-12-01"])
    flow.answer_after(2, 1.0)
    flow.answer_after(4, 2.0)
    first = flow.pending
    flow.tick(2.0 + 20)  # the disk is stuck: given up, the answer can be given again
    assert flow.pending is None and flow.save_failed and flow.screen == Screen.AFTER_NOW
    flow.answer_after(5, 23.0)
    second = flow.pending
    flow.saved(24.0, ok=False, pending=first)  # the first write's late reply
    assert flow.pending is second and flow.screen == Screen.AFTER_NOW
    flow.saved(24.5, ok=True, pending=second)
    assert flow.screen == Screen.THANKS


def test_back_to_the_first_time_question_forgets_its_answer() -> None:
    flow, _ = checkin_flow(FIRST)
    flow.tap_checkin(0.0, ["hr@2026-12-01"])
    flow.confirm("hr@2026-12-01", 1.0)
    flow.answer_first("yes", 2.0)
    flow.go_back(3.0)
    flow.tick(3.0 + 60)  # walks away from the first-time question
    assert flow.pending == PendingSave("hr@2026-12-01", "skipped", True, first="skipped")
