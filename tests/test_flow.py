"""The kiosk state machine, without Kivy: tip timing, taps and the idle return."""

from __future__ import annotations

import random
from dataclasses import dataclass

from kiosk.flow import Change, Flow, FlowSettings, Screen, TextSize
from kiosk.tips import TipDeck


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


def test_tap_advances_the_tip_and_restarts_its_timer() -> None:
    flow, _changes = make_flow()
    first = flow.tip
    flow.tap_tip(5.0)
    second = flow.tip
    assert second != first
    flow.tick(16.0)  # 11 s after the tap: not yet
    assert flow.tip == second
    flow.tick(17.0)
    assert flow.tip != second


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
