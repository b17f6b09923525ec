"""What the home screen says, computed without Kivy."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from kiosk.config.loader import load
from kiosk.core.schedule import ImportedCalendar, Schedule
from kiosk.core.views import controls_view, home_view, quiet_view, staff_pin_view, tip_view
from tests.conftest import SAMPLE_CONFIG

LA = ZoneInfo("America/Los_Angeles")
CONFIG = load(SAMPLE_CONFIG).config
assert CONFIG is not None


def view_at(when: datetime, lang: str = "en"):
    schedule = CONFIG.build_schedule()
    return home_view(CONFIG, schedule.upcoming(when, 7), when, lang, schedule.next_meeting(when))


def test_next_card_with_description() -> None:
    view = view_at(datetime(2026, 12, 1, 17, 45, tzinfo=LA))
    assert view.card.heading == "Next" and view.card.when == "in 15 min"
    assert view.card.description == "Come as you are. Coffee and snacks."
    assert view.notice == ""


def test_happening_now_card_and_now_tag_in_the_list() -> None:
    view = view_at(datetime(2026, 12, 1, 18, 20, tzinfo=LA))
    assert view.card.heading == "Happening now" and view.card.live
    assert view.card.when.replace("\xa0", " ") == "until 7:30 PM"
    first = view.rows[0]
    assert first.day == "Now" and first.live and first.title == "Harm Reduction Group"


def test_cancellation_today_is_said_first_and_the_card_shows_the_next_meeting() -> None:
    view = view_at(datetime(2026, 11, 24, 17, 0, tzinfo=LA))
    assert view.notice == (
        "Cancelled today: Harm Reduction Group\nThanksgiving week: no group. See you December 1."
    )
    # Thursday's coffee is cancelled too: the next meeting is a week away.
    assert view.card.title == "Harm Reduction Group"
    assert view.card.when.replace("\xa0", " ") == "Tue, Dec 1 6:00 PM"
    notes = [r.note for r in view.rows if r.cancelled]
    assert notes == [
        "Cancelled — Thanksgiving week: no group. See you December 1.",
        "Cancelled — Thanksgiving Day. Happy holiday!",
    ]


def test_spanish_view_uses_config_spanish_and_spanish_interface() -> None:
    view = view_at(datetime(2026, 11, 24, 17, 0, tzinfo=LA), "es")
    assert view.name == "Grupo de Reducción de Daños"
    assert view.notice.startswith("Cancelado hoy: Grupo de Reducción de Daños")
    assert view.week_heading == "Próximos 7 días"
    assert view.date == "martes, 24 de noviembre de 2026"


def test_all_day_calendar_event_says_all_day() -> None:
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:fair@t\r\n"
        "DTSTAMP:20261101T000000Z\r\nDTSTART;VALUE=DATE:20261202\r\n"
        "DTEND;VALUE=DATE:20261203\r\nSUMMARY:Resource fair\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    schedule = Schedule(LA, calendars=[ImportedCalendar("x.ics", Calendar.from_ical(ics))])
    now = datetime(2026, 12, 2, 11, 0, tzinfo=LA)
    view = home_view(CONFIG, schedule.upcoming(now, 7), now, "en", schedule.next_meeting(now))
    assert view.card.when == "All day" and view.card.times == "All day"
    assert view.rows[0].time == "All day" and view.rows[0].day == "Now"


def test_tip_badge_is_in_the_chosen_language() -> None:
    tip = next(t for t in CONFIG.tips.tip if t.category == "setting")
    assert tip_view(CONFIG, tip, "en").badge == "SETTING · the place and people"
    assert tip_view(CONFIG, tip, "es").badge == "SETTING · el lugar y la gente"
    assert tip_view(CONFIG, None, "en") is None


def test_closed_view_tells_when_the_next_group_and_its_checkin_open() -> None:
    from kiosk.core import checkins
    from kiosk.core.views import closed_view

    schedule = CONFIG.build_schedule()
    now = datetime(2026, 12, 1, 12, 0, tzinfo=LA)
    settings = CONFIG.kiosk.checkin
    following = checkins.next_opening(schedule, now, settings)
    opens = checkins.window(following, settings)[0]
    en = closed_view(CONFIG, following, opens, now, "en")
    assert en.heading.replace("\xa0", " ") == "Check-in opens at 5:30 PM"
    assert en.next_line.replace("\xa0", " ") == "Next: Harm Reduction Group, Tonight 6:00 PM"
    es = closed_view(CONFIG, following, opens, now, "es")
    assert ".." not in es.next_line and es.next_line.startswith("Próximo: Grupo de Reducción")
    assert es.heading.startswith("Puede avisar su llegada a partir de las 5:30")
    nothing = closed_view(CONFIG, None, None, now, "en")
    assert nothing.heading == "No group is open for check-in right now" and not nothing.next_line


def test_checkin_windows_from_the_config() -> None:
    from kiosk.core import checkins

    schedule, settings = CONFIG.build_schedule(), CONFIG.kiosk.checkin

    def open_at(hour: int, minute: int) -> list[str]:
        return [
            o.id
            for o in checkins.open_now(
                schedule, datetime(2026, 12, 1, hour, minute, tzinfo=LA), settings
            )
        ]

    assert open_at(17, 29) == []
    assert open_at(17, 30) == ["harm-reduction@2026-12-01"]  # 30 min before
    assert open_at(18, 59) == ["harm-reduction@2026-12-01"]
    assert open_at(19, 0) == []  # 60 min after the start
    # A cancelled occurrence never opens.
    assert [
        o.id
        for o in checkins.open_now(schedule, datetime(2026, 11, 24, 18, 0, tzinfo=LA), settings)
    ] == []


def test_resources_view_orders_by_category_and_says_how_to_reach_each() -> None:
    from kiosk.core.views import RESOURCE_ORDER, resources_view

    view = resources_view(CONFIG, "en")
    order = [RESOURCE_ORDER.index(t.category) for t in view.tiles]
    assert order == sorted(order) and len(view.tiles) == len(CONFIG.resources.resource)
    by_id = {t.id: t for t in view.tiles}
    assert by_id["lifeline-988"].detail == "988" and by_id["glide"].detail == "glide.org"
    assert by_id["glide"].category_label == "Food & housing"
    assert resources_view(CONFIG, "es").tiles[0].category_label == "Líneas de ayuda"


def test_resource_view_shows_the_link_as_a_person_reads_it() -> None:
    from kiosk.core.views import resource_view

    resources = {r.id: r for r in CONFIG.resources.resource}
    samhsa = resource_view(CONFIG, resources["samhsa-helpline"], "en")
    assert samhsa.link == "tel:18006624357" and samhsa.link_label == "1-800-662-4357"
    assert samhsa.facts == ("Phone: 1-800-662-4357", "Hours: 24/7")
    nua = resource_view(CONFIG, resources["never-use-alone"], "es")
    # A call-first line: its code dials, and the number is written under it.
    assert nua.link == "tel:8004843731" and nua.link_label == "800-484-3731"
    assert nua.facts[1] == "Horario: 24 horas, todos los días"


def test_staff_panel_leads_with_the_notice_and_counts_resources_to_confirm() -> None:
    from kiosk.core.views import staff_notice, staff_view

    notice = staff_notice(False, "last-good", True, False)
    assert "last good" in notice and staff_notice(True, "files", True, False) == ""
    assert "Check-in is off" in staff_notice(True, "files", False, False)
    now = datetime(2026, 12, 1, 12, 0, tzinfo=LA)
    view = staff_view(CONFIG, "last-good", notice, [], 3, now, 0, 0, [], [], "1", 0, 100.0, [])
    assert view.config[0] == notice
    assert "Resources to confirm by phone: 3 of 12 (`kiosk check` names them)" in view.config


@pytest.mark.parametrize("lang", ["es", "zh-Hant", "tl"])
def test_the_staff_pin_screen_speaks_the_residents_language(lang: str) -> None:
    english = staff_pin_view(0, False, 5, 0, lang="en")
    back = controls_view(lang).back  # the screen's Back is the one every screen has
    first = staff_pin_view(0, False, 5, 0, lang=lang)
    wrong = staff_pin_view(0, True, 2, 0, lang=lang)
    locked = staff_pin_view(0, True, 0, 90, lang=lang)
    assert "staff" in english.message and controls_view("en").back == "Back"
    for view in (first, wrong, locked):
        assert view.message and view.message not in {english.message, "Back"}
        assert back != "Back" and view.clear != "Clear"
    assert "2" in wrong.message and "90" in locked.message


@pytest.mark.parametrize("lang", ["en", "es", "zh-Hant", "tl"])
def test_the_night_screen_shows_the_crisis_lines_in_the_language(lang: str) -> None:
    config = load(SAMPLE_CONFIG).config
    now = datetime(2026, 12, 2, 2, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    view = quiet_view(config, None, now, lang)
    lifeline = next(r for r in config.resources.resource if r.id == "lifeline-988")
    assert view.help_heading and len(view.help_lines) == 2
    assert view.help_lines[0].startswith(lifeline.name.get(lang, "en"))
    assert view.help_lines[0].endswith("988") and view.help_lines[1].endswith("800-484-3731")


def test_without_hotlines_the_night_screen_has_no_empty_heading() -> None:
    config = load(SAMPLE_CONFIG).config
    config.resources.resource[:] = [r for r in config.resources.resource if r.category != "hotline"]
    now = datetime(2026, 12, 2, 2, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    view = quiet_view(config, None, now, "en")
    assert view.help_heading == "" and view.help_lines == ()
