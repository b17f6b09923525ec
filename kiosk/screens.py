"""The one list of screens: each screen's name, its widget and .kv file in the shell,
who uses it, and how its view is made from the lobby. No Kivy import.

Adding a screen: a `Screen` member in kiosk/core/flow.py and the flow's way to it, a row
here, kiosk/shell/screens/<module>.py with its .kv, and its tests.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from kiosk.core import checkins, slips, views
from kiosk.core.flow import Screen

if TYPE_CHECKING:
    from kiosk.lobby import Lobby

Audience = Literal["resident", "staff"]


@dataclass(frozen=True)
class ScreenInfo:
    screen: Screen
    module: str  # kiosk/shell/screens/<module>.py and <module>.kv hold its widget
    widget: str  # the Kivy class in that module
    audience: Audience
    view: Callable[[Lobby], Any]  # what it shows, from the lobby's state


def _closed(lobby: Lobby) -> views.ClosedView:
    settings = lobby.config.kiosk.checkin
    following = checkins.next_opening(lobby.schedule, lobby.now, settings)
    opens = checkins.window(following, settings)[0] if following else None
    return views.closed_view(lobby.config, following, opens, lobby.now, lobby.language)


def _quiet(lobby: Lobby) -> views.QuietView:
    following = lobby.schedule.next_meeting(lobby.now)
    return views.quiet_view(lobby.config, following, lobby.now, lobby.language)


def _staff_pin(lobby: Lobby) -> views.StaffPinView:
    gate, t, flow = lobby.flow.pin_gate, lobby.clock.seconds(), lobby.flow
    return views.staff_pin_view(
        len(flow.pin),
        flow.pin_wrong,
        gate.tries_left,
        gate.seconds_left(t),
        gate.next_pause,
        lobby.language,
    )


def _sync_lines(lobby: Lobby) -> list[str]:
    """The synced commit in use, and each calendar feed: when it last worked, or why not."""
    import time

    from kiosk.adapters import feeds

    version = lobby.watcher.version
    data = lobby.watcher.data or lobby.options.data_dir  # a preview's store is elsewhere
    synced = (
        [f"Synced from commit {version['commit'][:12]}, applied {version.get('applied', '?')}"]
        if version.get("commit")
        else []
    )
    now = time.time()
    return synced + [
        f"Feed {feed.name}: {feeds.read_state(data, feed.id).describe(now)}"
        for feed in lobby.config.feeds
    ]


def _resource(lobby: Lobby) -> views.ResourceView:
    view = views.resource_view(lobby.config, lobby.resource, lobby.language)
    if not lobby.can_print:
        return view
    return dataclasses.replace(view, printing=slips.print_view(lobby.printing, lobby.language))


def _staff(lobby: Lobby) -> views.StaffView:
    from kiosk import __version__
    from kiosk.adapters import data_facts

    facts = lobby.staff_facts()
    data = data_facts.facts(lobby.options.data_dir, lobby.now.date())
    data_lines = [f"Check-in data: {lobby.options.data_dir}", *data.lines]
    if lobby.store is None:
        data_lines.append("CHECK-IN IS OFF: the data folder cannot be used. See the log.")
    view = views.staff_view(
        lobby.config,
        facts["origin"],
        facts["notice"],
        facts["issues"],
        facts["resources_due"],
        facts["loaded_at"],
        facts["today"],
        facts["week"],
        data_lines,
        _sync_lines(lobby),
        __version__,
        facts["uptime"],
        facts["memory_mb"],
        facts["tomorrow"],
    )
    if lobby.can_print:
        assert lobby.printer is not None
        printer = lobby.printer.describe(lobby.config.kiosk.printer)
        view = dataclasses.replace(view, system=(*view.system, printer))
    return dataclasses.replace(view, exit_asked=lobby.flow.exit_asked)


SCREENS: tuple[ScreenInfo, ...] = (
    ScreenInfo(Screen.HOME, "home", "HomeScreen", "resident", lambda lobby: lobby.home),
    ScreenInfo(
        Screen.CHECKIN, "checkin", "CheckinScreen", "resident",
        lambda lobby: views.checkin_view(
            lobby.config, lobby.chosen, lobby.language, lobby.flow.save_failed
        ),
    ),
    ScreenInfo(Screen.CLOSED, "closed", "ClosedScreen", "resident", _closed),
    ScreenInfo(
        Screen.MOOD, "mood", "MoodScreen", "resident",
        lambda lobby: views.mood_view(lobby.language),
    ),
    ScreenInfo(
        Screen.FIRST_TIME, "first_time", "FirstTimeScreen", "resident",
        lambda lobby: views.first_time_view(lobby.language),
    ),
    ScreenInfo(
        Screen.THANKS, "thanks", "ThanksScreen", "resident",
        lambda lobby: views.thanks_view(lobby.language, lobby.flow.thanked_after),
    ),
    ScreenInfo(
        Screen.AFTER_CHOOSE, "after_choose", "AfterChooseScreen", "resident",
        lambda lobby: views.after_choose_view(lobby.config, lobby.after_chosen, lobby.language),
    ),
    ScreenInfo(
        Screen.AFTER_BEFORE, "mood", "MoodScreen", "resident",
        lambda lobby: views.after_view(lobby.language, now=False),
    ),
    ScreenInfo(
        Screen.AFTER_NOW, "mood", "MoodScreen", "resident",
        lambda lobby: views.after_view(lobby.language, now=True, failed=lobby.flow.save_failed),
    ),
    ScreenInfo(
        Screen.RESOURCES, "resources", "ResourcesScreen", "resident",
        lambda lobby: views.resources_view(lobby.config, lobby.language),
    ),
    ScreenInfo(Screen.RESOURCE, "resource", "ResourceScreen", "resident", _resource),
    ScreenInfo(Screen.STAFF_PIN, "staff_pin", "StaffPinScreen", "staff", _staff_pin),
    ScreenInfo(Screen.STAFF, "staff", "StaffScreen", "staff", _staff),
    ScreenInfo(Screen.QUIET, "quiet", "QuietScreen", "resident", _quiet),
    ScreenInfo(
        Screen.WEEK, "week", "WeekScreen", "resident",
        lambda lobby: views.week_view(lobby.home, lobby.language),
    ),
    ScreenInfo(Screen.ALERT, "alert", "AlertScreen", "resident", lambda lobby: lobby.alert),
)  # fmt: skip
BY_SCREEN = {info.screen: info for info in SCREENS}
NAMES = tuple(info.screen.value for info in SCREENS)


def current_view(lobby: Lobby) -> Any:
    """The view of the screen the lobby is on, as its widget shows it."""
    return BY_SCREEN[lobby.screen].view(lobby)
