"""Importing real-world .ics exports: exact local times, ids, cancellations and moves.

Every expected value below was worked out by hand from the text of the fixture (DTSTART and
TZID, RRULE, EXDATE, RECURRENCE-ID, STATUS) and the real daylight-saving rules, never by asking
icalendar / recurring_ical_events / dateutil. The arithmetic is in the comments.

Daylight saving dates used:
  US (America/Los_Angeles, PST -08:00 / PDT -07:00; 2nd Sunday in March, 1st Sunday in November):
    2019-03-10 (02:00 PST = 10:00 UTC), 2021-11-07, 2022-03-13; PDT all of April 2025.
  EU (Europe/Berlin CET +01:00 / CEST +02:00, Europe/London GMT +00:00 / BST +01:00;
    last Sunday in March, last Sunday in October at 01:00 UTC):
    2019-03-31, 2021-10-31, 2022-03-27, 2025-03-30 .. 2025-10-26.
So between 2019-03-10 and 2019-03-31 Berlin is +01:00 while Los Angeles is already -07:00: the
gap is 8 hours instead of the usual 9.

Ids are "<slug of UID>@<local start date in the kiosk zone>".
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar

from kiosk.cli import main
from kiosk.core.schedule import ImportedCalendar, Schedule

ICS = Path(__file__).resolve().parents[1] / "fixtures" / "ics"
CONFIG = Path(__file__).resolve().parents[2] / "config"

LA = ZoneInfo("America/Los_Angeles")
BERLIN = ZoneInfo("Europe/Berlin")
LONDON = ZoneInfo("Europe/London")

PST, PDT = timedelta(hours=-8), timedelta(hours=-7)
CET, CEST = timedelta(hours=1), timedelta(hours=2)
BST = timedelta(hours=1)


def schedule(name, tz=LA):
    path = ICS / name
    cal = Calendar.from_ical(path.read_bytes())
    return Schedule(tz, calendars=[ImportedCalendar(path.name, cal)])


def rows(occurrences):
    """(id, start, end, cancelled) with the wall-clock time and offset spelled out."""
    return [(o.id, o.start.isoformat(), o.end.isoformat(), o.cancelled) for o in occurrences]


def expect(*items):
    """The same shape as rows(), from hand-written (id, start, end, cancelled) tuples."""
    return [(i, s.isoformat(), e.isoformat(), c) for i, s, e, c in items]


def of_series(occurrences, slug):
    return [o for o in occurrences if o.id.startswith(slug + "@")]


def test_fixture_folder_has_the_six_calendars():
    assert sorted(p.name for p in ICS.iterdir()) == [
        "daylight_saving_time.ics",
        "each_week_but_two_deleted.ics",
        "issue_18_cancel_status.ics",
        "issue_223_thunderbird.ics",
        "issue_62_moved_event.ics",
        "recurring_events_moved.ics",
    ]


# --- each_week_but_two_deleted.ics (Nextcloud) -------------------------------------------------
# UID:SX2CURHKFTKKFFU3VUD7K, SUMMARY:test6
# DTSTART;TZID=Europe/Berlin:20190304T003000, DTEND 01:00 (30 minutes), RRULE:FREQ=WEEKLY;COUNT=8
#   -> Berlin Mondays 00:30: Mar 4, 11, 18, 25, Apr 1, 8, 15, 22 (COUNT counts the excluded ones)
# EXDATE:20190310T233000Z = Mar 11 00:30 CET; EXDATE:20190324T233000Z = Mar 25 00:30 CET
#   -> 6 remain: Mar 4, Mar 18, Apr 1, Apr 8, Apr 15, Apr 22.

WEEKLY = "sx2curhkftkkffu3vud7k"


def test_weekly_with_utc_exdates_in_los_angeles():
    occ = schedule("each_week_but_two_deleted.ics").occurrences(
        datetime(2019, 1, 1, tzinfo=LA), datetime(2020, 1, 1, tzinfo=LA)
    )
    assert rows(occ) == expect(
        # Mar 4 00:30 CET (+01:00) = Mar 3 23:30 UTC = Mar 3 15:30 PST (-08:00)
        (
            f"{WEEKLY}@2019-03-03",
            datetime(2019, 3, 3, 15, 30, tzinfo=LA),
            datetime(2019, 3, 3, 16, 0, tzinfo=LA),
            False,
        ),
        # Mar 18 00:30 CET (+01:00) = Mar 17 23:30 UTC = Mar 17 16:30 PDT (-07:00): the US has
        # switched (Mar 10), the EU not yet (Mar 31)
        (
            f"{WEEKLY}@2019-03-17",
            datetime(2019, 3, 17, 16, 30, tzinfo=LA),
            datetime(2019, 3, 17, 17, 0, tzinfo=LA),
            False,
        ),
        # Apr 1 00:30 CEST (+02:00) = Mar 31 22:30 UTC = Mar 31 15:30 PDT (-07:00)
        (
            f"{WEEKLY}@2019-03-31",
            datetime(2019, 3, 31, 15, 30, tzinfo=LA),
            datetime(2019, 3, 31, 16, 0, tzinfo=LA),
            False,
        ),
        # Apr 8 / 15 / 22 00:30 CEST = previous day 22:30 UTC = previous day 15:30 PDT
        (
            f"{WEEKLY}@2019-04-07",
            datetime(2019, 4, 7, 15, 30, tzinfo=LA),
            datetime(2019, 4, 7, 16, 0, tzinfo=LA),
            False,
        ),
        (
            f"{WEEKLY}@2019-04-14",
            datetime(2019, 4, 14, 15, 30, tzinfo=LA),
            datetime(2019, 4, 14, 16, 0, tzinfo=LA),
            False,
        ),
        (
            f"{WEEKLY}@2019-04-21",
            datetime(2019, 4, 21, 15, 30, tzinfo=LA),
            datetime(2019, 4, 21, 16, 0, tzinfo=LA),
            False,
        ),
    )
    assert [o.start.utcoffset() for o in occ] == [PST, PDT, PDT, PDT, PDT, PDT]
    assert all(str(o.title) == "test6" and o.location is None for o in occ)


def test_weekly_utc_exdates_leave_their_days_empty():
    s = schedule("each_week_but_two_deleted.ics")
    # Mar 11 00:30 CET would be Sun Mar 10 15:30 PDT (23:30 UTC), after the 10:00 UTC US switch.
    assert s.occurrences(datetime(2019, 3, 10, tzinfo=LA), datetime(2019, 3, 11, tzinfo=LA)) == []
    # Mar 25 00:30 CET would be Sun Mar 24 16:30 PDT.
    assert s.occurrences(datetime(2019, 3, 24, tzinfo=LA), datetime(2019, 3, 25, tzinfo=LA)) == []
    # The neighbours are there: Mar 3 15:30 PST and Mar 17 16:30 PDT.
    around = s.occurrences(datetime(2019, 3, 3, tzinfo=LA), datetime(2019, 3, 24, tzinfo=LA))
    assert [o.id for o in around] == [f"{WEEKLY}@2019-03-03", f"{WEEKLY}@2019-03-17"]


def test_weekly_with_berlin_kiosk_keeps_the_written_time():
    occ = schedule("each_week_but_two_deleted.ics", BERLIN).occurrences(
        datetime(2019, 3, 1, tzinfo=BERLIN), datetime(2019, 5, 1, tzinfo=BERLIN)
    )
    # 00:30 every time; the offset goes +01:00 -> +02:00 on Sunday Mar 31.
    assert rows(occ) == expect(
        *[
            (
                f"{WEEKLY}@2019-{m:02d}-{d:02d}",
                datetime(2019, m, d, 0, 30, tzinfo=BERLIN),
                datetime(2019, m, d, 1, 0, tzinfo=BERLIN),
                False,
            )
            for m, d in [(3, 4), (3, 18), (4, 1), (4, 8), (4, 15), (4, 22)]
        ]
    )
    assert [o.start.utcoffset() for o in occ] == [CET, CET, CEST, CEST, CEST, CEST]


# --- issue_18_cancel_status.ics (Thunderbird) --------------------------------------------------
# UID:b65c2b5b-b785-4edc-9560-e0379036d1f2, SUMMARY:one is cancelled
# DTSTART;TZID=Europe/Berlin:20200128T220000, DTEND 23:00, RRULE:FREQ=DAILY;COUNT=3
#   -> Jan 28, 29, 30 at 22:00 CET (+01:00) = 21:00 UTC = 13:00 PST (-08:00), same date
# RECURRENCE-ID 20200129T220000 with STATUS:CANCELLED -> the Jan 29 one is cancelled.

CANCEL = "b65c2b5b-b785-4edc-9560-e0379036d1f2"


def test_cancelled_occurrence_is_listed_as_cancelled():
    occ = schedule("issue_18_cancel_status.ics").occurrences(
        datetime(2020, 1, 27, tzinfo=LA), datetime(2020, 2, 3, tzinfo=LA)
    )
    assert rows(occ) == expect(
        (
            f"{CANCEL}@2020-01-28",
            datetime(2020, 1, 28, 13, tzinfo=LA),
            datetime(2020, 1, 28, 14, tzinfo=LA),
            False,
        ),
        (
            f"{CANCEL}@2020-01-29",
            datetime(2020, 1, 29, 13, tzinfo=LA),
            datetime(2020, 1, 29, 14, tzinfo=LA),
            True,
        ),
        (
            f"{CANCEL}@2020-01-30",
            datetime(2020, 1, 30, 13, tzinfo=LA),
            datetime(2020, 1, 30, 14, tzinfo=LA),
            False,
        ),
    )
    assert [o.start.utcoffset() for o in occ] == [PST, PST, PST]
    assert [str(o.title) for o in occ] == ["one is cancelled"] * 3


def test_cancelled_occurrence_in_progress_is_in_upcoming():
    s = schedule("issue_18_cancel_status.ics")
    # At 13:30 PST on Jan 29 the cancelled 13:00-14:00 slot is "on now"; Jan 30 is within a day.
    now = datetime(2020, 1, 29, 13, 30, tzinfo=LA)
    assert [(o.id, o.cancelled) for o in s.upcoming(now, days=1)] == [
        (f"{CANCEL}@2020-01-29", True),
        (f"{CANCEL}@2020-01-30", False),
    ]
    assert not s.occurrences(now, now + timedelta(minutes=1))[0].is_live(now)


def test_cancelled_occurrence_with_berlin_kiosk():
    occ = schedule("issue_18_cancel_status.ics", BERLIN).occurrences(
        datetime(2020, 1, 28, tzinfo=BERLIN), datetime(2020, 1, 31, tzinfo=BERLIN)
    )
    assert rows(occ) == expect(
        *[
            (
                f"{CANCEL}@2020-01-{d}",
                datetime(2020, 1, d, 22, tzinfo=BERLIN),
                datetime(2020, 1, d, 23, tzinfo=BERLIN),
                d == 29,
            )
            for d in (28, 29, 30)
        ]
    )
    assert [o.start.utcoffset() for o in occ] == [CET, CET, CET]


# --- issue_223_thunderbird.ics (Thunderbird, full historical Europe/London VTIMEZONE) ----------
# UID:b143dcdc-2154-49a8-abea-5c64310ebabd, SUMMARY:event
# DTSTART;TZID=Europe/London:20250423T090000, DTEND 10:00, RRULE:FREQ=DAILY;UNTIL=20250427T080000Z
#   BST (+01:00) since Mar 30 2025, so UNTIL 08:00 UTC = Apr 27 09:00 BST, inclusive
#   -> Apr 23, 24, 25, 26, 27 at 09:00 BST = 08:00 UTC = 01:00 PDT (-07:00), same date
# RECURRENCE-ID 20250424T090000 -> DTSTART 11:00 BST (moved 2 h later) = 10:00 UTC = 03:00 PDT
# RECURRENCE-ID 20250425T090000 -> same time, LOCATION:new place

THUNDER = "b143dcdc-2154-49a8-abea-5c64310ebabd"


def test_thunderbird_moved_and_edited_occurrences():
    occ = schedule("issue_223_thunderbird.ics").occurrences(
        datetime(2025, 4, 20, tzinfo=LA), datetime(2025, 5, 1, tzinfo=LA)
    )
    assert rows(occ) == expect(
        (
            f"{THUNDER}@2025-04-23",
            datetime(2025, 4, 23, 1, tzinfo=LA),
            datetime(2025, 4, 23, 2, tzinfo=LA),
            False,
        ),
        # moved: 11:00-12:00 BST = 10:00-11:00 UTC = 03:00-04:00 PDT
        (
            f"{THUNDER}@2025-04-24",
            datetime(2025, 4, 24, 3, tzinfo=LA),
            datetime(2025, 4, 24, 4, tzinfo=LA),
            False,
        ),
        (
            f"{THUNDER}@2025-04-25",
            datetime(2025, 4, 25, 1, tzinfo=LA),
            datetime(2025, 4, 25, 2, tzinfo=LA),
            False,
        ),
        (
            f"{THUNDER}@2025-04-26",
            datetime(2025, 4, 26, 1, tzinfo=LA),
            datetime(2025, 4, 26, 2, tzinfo=LA),
            False,
        ),
        (
            f"{THUNDER}@2025-04-27",
            datetime(2025, 4, 27, 1, tzinfo=LA),
            datetime(2025, 4, 27, 2, tzinfo=LA),
            False,
        ),
    )
    assert [o.start.utcoffset() for o in occ] == [PDT] * 5
    assert [o.location and str(o.location) for o in occ] == [
        None,
        None,
        "new place",
        None,
        None,
    ]
    assert all(str(o.title) == "event" for o in occ)


def test_thunderbird_moved_occurrence_leaves_its_old_slot():
    s = schedule("issue_223_thunderbird.ics")
    # The original Apr 24 slot, 01:00-02:00 PDT, is empty; the moved one starts at 03:00 PDT.
    old_slot = s.occurrences(datetime(2025, 4, 24, tzinfo=LA), datetime(2025, 4, 24, 3, tzinfo=LA))
    assert old_slot == []
    later = s.occurrences(datetime(2025, 4, 24, 3, tzinfo=LA), datetime(2025, 4, 25, tzinfo=LA))
    assert [o.id for o in later] == [f"{THUNDER}@2025-04-24"]


def test_thunderbird_with_london_kiosk_keeps_the_written_time():
    occ = schedule("issue_223_thunderbird.ics", LONDON).occurrences(
        datetime(2025, 4, 23, tzinfo=LONDON), datetime(2025, 4, 28, tzinfo=LONDON)
    )
    hours = {23: 9, 24: 11, 25: 9, 26: 9, 27: 9}
    assert rows(occ) == expect(
        *[
            (
                f"{THUNDER}@2025-04-{d}",
                datetime(2025, 4, d, h, tzinfo=LONDON),
                datetime(2025, 4, d, h + 1, tzinfo=LONDON),
                False,
            )
            for d, h in hours.items()
        ]
    )
    assert [o.start.utcoffset() for o in occ] == [BST] * 5


# --- issue_62_moved_event.ics (Google Calendar) ------------------------------------------------
# UID:38m812jicsrer5gorh3mlp7qhc@google.com, SUMMARY:Karaoke
# DTSTART;TZID=Europe/Berlin:20211126T213000, DTEND the same (zero length), RRULE monthly BYDAY=-1FR
#   last Fridays: 2021-11-26, 2021-12-31, 2022-01-28, 2022-02-25, 2022-03-25, 2022-04-29
# RECURRENCE-ID 20211231T213000 -> DTSTART 20211217T213000: moved two weeks earlier.

KARAOKE = "38m812jicsrer5gorh3mlp7qhc-google-com"


def test_last_friday_monthly_with_moved_occurrence():
    occ = schedule("issue_62_moved_event.ics").occurrences(
        datetime(2021, 11, 1, tzinfo=LA), datetime(2022, 5, 1, tzinfo=LA)
    )
    assert rows(occ) == expect(
        # 21:30 CET (+01:00) = 20:30 UTC = 12:30 PST (-08:00); US back on PST since Nov 7
        (
            f"{KARAOKE}@2021-11-26",
            datetime(2021, 11, 26, 12, 30, tzinfo=LA),
            datetime(2021, 11, 26, 12, 30, tzinfo=LA),
            False,
        ),
        # the Dec 31 one, moved to Dec 17 21:30 CET = 20:30 UTC = 12:30 PST
        (
            f"{KARAOKE}@2021-12-17",
            datetime(2021, 12, 17, 12, 30, tzinfo=LA),
            datetime(2021, 12, 17, 12, 30, tzinfo=LA),
            False,
        ),
        (
            f"{KARAOKE}@2022-01-28",
            datetime(2022, 1, 28, 12, 30, tzinfo=LA),
            datetime(2022, 1, 28, 12, 30, tzinfo=LA),
            False,
        ),
        (
            f"{KARAOKE}@2022-02-25",
            datetime(2022, 2, 25, 12, 30, tzinfo=LA),
            datetime(2022, 2, 25, 12, 30, tzinfo=LA),
            False,
        ),
        # Mar 25: US on PDT since Mar 13, EU on CET until Mar 27:
        # 21:30 CET (+01:00) = 20:30 UTC = 13:30 PDT (-07:00)
        (
            f"{KARAOKE}@2022-03-25",
            datetime(2022, 3, 25, 13, 30, tzinfo=LA),
            datetime(2022, 3, 25, 13, 30, tzinfo=LA),
            False,
        ),
        # Apr 29: 21:30 CEST (+02:00) = 19:30 UTC = 12:30 PDT (-07:00)
        (
            f"{KARAOKE}@2022-04-29",
            datetime(2022, 4, 29, 12, 30, tzinfo=LA),
            datetime(2022, 4, 29, 12, 30, tzinfo=LA),
            False,
        ),
    )
    assert [o.start.utcoffset() for o in occ] == [PST, PST, PST, PST, PDT, PDT]
    assert all(str(o.title) == "Karaoke" for o in occ)


def test_last_friday_moved_occurrence_is_not_also_on_its_old_date():
    s = schedule("issue_62_moved_event.ics")
    # Dec 31 12:30 PST would have been the original; nothing is there any more.
    assert s.occurrences(datetime(2021, 12, 25, tzinfo=LA), datetime(2022, 1, 8, tzinfo=LA)) == []


def test_zero_length_occurrence_starting_exactly_now_is_upcoming():
    s = schedule("issue_62_moved_event.ics")
    # The first Karaoke: Nov 26 21:30 CET = 20:30 UTC = 12:30 PST, zero length. Looked at from
    # that very instant it "starts in the next day" and lies in [now, now + 1 day).
    now = datetime(2021, 11, 26, 12, 30, tzinfo=LA)
    assert [o.id for o in s.upcoming(now, days=1)] == [f"{KARAOKE}@2021-11-26"]


def test_last_friday_with_berlin_kiosk_keeps_the_written_time():
    occ = schedule("issue_62_moved_event.ics", BERLIN).occurrences(
        datetime(2021, 11, 1, tzinfo=BERLIN), datetime(2022, 5, 1, tzinfo=BERLIN)
    )
    days = [
        (2021, 11, 26),
        (2021, 12, 17),
        (2022, 1, 28),
        (2022, 2, 25),
        (2022, 3, 25),
        (2022, 4, 29),
    ]
    assert [(o.id, o.start.isoformat()) for o in occ] == [
        (f"{KARAOKE}@{y}-{m:02d}-{d:02d}", datetime(y, m, d, 21, 30, tzinfo=BERLIN).isoformat())
        for y, m, d in days
    ]
    assert [o.start.utcoffset() for o in occ] == [CET, CET, CET, CET, CET, CEST]


# --- recurring_events_moved.ics (Thunderbird) --------------------------------------------------
# Series "test7", UID 5d4c6843-9300-4f91-8d88-6094d4b0b840:
#   DTSTART;TZID=Europe/Berlin:20190318T040000, DTEND 05:00, DAILY, UNTIL=20190320T030000Z
#   (= Mar 20 04:00 CET, inclusive) -> Mar 18, 19, 20 at 04:00 CET = 03:00 UTC
#   = previous day 20:00 PDT (-07:00; US on PDT since Mar 10).
#   RECURRENCE-ID 20190319T040000: same time, SUMMARY "test7 - edited", LOCATION "location".
# Series "New Event", UID a0c78729-30b1-4ba3-a86e-6aedd995d788:
#   DTSTART;TZID=Europe/Berlin:20190307T020000, DTEND 03:00, DAILY, UNTIL=20190310T010000Z
#   (= Mar 10 02:00 CET, inclusive) -> Mar 7, 8, 9, 10 at 02:00 CET = 01:00 UTC.
#   RECURRENCE-ID 20190308T020000 -> 01:00-02:00 CET (one hour earlier)
#   RECURRENCE-ID 20190309T020000 -> 03:00-04:00 CET (one hour later)
#   (both overrides also carry a stray DURATION:PT0S next to DTEND; DTEND is what the client shows)

TEST7 = "5d4c6843-9300-4f91-8d88-6094d4b0b840"
NEW_EVENT = "a0c78729-30b1-4ba3-a86e-6aedd995d788"


def test_moved_earlier_and_later_occurrences_in_los_angeles():
    occ = schedule("recurring_events_moved.ics").occurrences(
        datetime(2019, 3, 6, tzinfo=LA), datetime(2019, 3, 10, tzinfo=LA)
    )
    assert rows(occ) == expect(
        # Mar 7 02:00 CET = Mar 7 01:00 UTC = Mar 6 17:00 PST
        (
            f"{NEW_EVENT}@2019-03-06",
            datetime(2019, 3, 6, 17, tzinfo=LA),
            datetime(2019, 3, 6, 18, tzinfo=LA),
            False,
        ),
        # moved earlier: Mar 8 01:00-02:00 CET = Mar 8 00:00-01:00 UTC = Mar 7 16:00-17:00 PST
        (
            f"{NEW_EVENT}@2019-03-07",
            datetime(2019, 3, 7, 16, tzinfo=LA),
            datetime(2019, 3, 7, 17, tzinfo=LA),
            False,
        ),
        # moved later: Mar 9 03:00-04:00 CET = Mar 9 02:00-03:00 UTC = Mar 8 18:00-19:00 PST
        (
            f"{NEW_EVENT}@2019-03-08",
            datetime(2019, 3, 8, 18, tzinfo=LA),
            datetime(2019, 3, 8, 19, tzinfo=LA),
            False,
        ),
        # Mar 10 02:00 CET = Mar 10 01:00 UTC = Mar 9 17:00 PST (US switches at 10:00 UTC)
        (
            f"{NEW_EVENT}@2019-03-09",
            datetime(2019, 3, 9, 17, tzinfo=LA),
            datetime(2019, 3, 9, 18, tzinfo=LA),
            False,
        ),
    )
    assert [o.start.utcoffset() for o in occ] == [PST] * 4
    assert all(str(o.title) == "New Event" for o in occ)


def test_edited_summary_and_location_on_one_occurrence():
    occ = schedule("recurring_events_moved.ics").occurrences(
        datetime(2019, 3, 17, tzinfo=LA), datetime(2019, 3, 21, tzinfo=LA)
    )
    assert rows(occ) == expect(
        # 04:00-05:00 CET (+01:00) = 03:00-04:00 UTC = 20:00-21:00 PDT (-07:00) the day before
        (
            f"{TEST7}@2019-03-17",
            datetime(2019, 3, 17, 20, tzinfo=LA),
            datetime(2019, 3, 17, 21, tzinfo=LA),
            False,
        ),
        (
            f"{TEST7}@2019-03-18",
            datetime(2019, 3, 18, 20, tzinfo=LA),
            datetime(2019, 3, 18, 21, tzinfo=LA),
            False,
        ),
        (
            f"{TEST7}@2019-03-19",
            datetime(2019, 3, 19, 20, tzinfo=LA),
            datetime(2019, 3, 19, 21, tzinfo=LA),
            False,
        ),
    )
    assert [o.start.utcoffset() for o in occ] == [PDT] * 3
    assert [str(o.title) for o in occ] == ["test7", "test7 - edited", "test7"]
    assert [o.location and str(o.location) for o in occ] == [None, "location", None]


def test_moved_occurrences_with_berlin_kiosk_keep_the_written_times():
    occ = schedule("recurring_events_moved.ics", BERLIN).occurrences(
        datetime(2019, 3, 7, tzinfo=BERLIN), datetime(2019, 3, 21, tzinfo=BERLIN)
    )
    times = [
        (NEW_EVENT, 7, 2),
        (NEW_EVENT, 8, 1),
        (NEW_EVENT, 9, 3),
        (NEW_EVENT, 10, 2),
        (TEST7, 18, 4),
        (TEST7, 19, 4),
        (TEST7, 20, 4),
    ]
    assert rows(occ) == expect(
        *[
            (
                f"{uid}@2019-03-{d:02d}",
                datetime(2019, 3, d, h, tzinfo=BERLIN),
                datetime(2019, 3, d, h + 1, tzinfo=BERLIN),
                False,
            )
            for uid, d, h in times
        ]
    )
    assert {o.start.utcoffset() for o in occ} == {CET}


# --- daylight_saving_time.ics (Google Calendar, 64 VEVENTs) ------------------------------------

# "Chaostreff - CCCP": DTSTART;TZID=Europe/Berlin:20190213T190000, DTEND 21:00, WEEKLY BYDAY=WE,
# no end.
CCCP = "7uartkcnhf0elbvs8md0itrf6c-google-com"
# "Montessori Schulklasse": DTSTART;TZID=Europe/Berlin:20190228T083000, DTEND 14:30, WEEKLY
# BYDAY=TH, EXDATE;TZID=Europe/Berlin:20190307T083000.
MONTESSORI = "7g6502aejkun96i5fenfu6hvc1-google-com"
# "Open Health HACKademy - freie Termine": DTSTART;TZID=Europe/Berlin:20190304T140000, DTEND 18:00,
# WEEKLY;WKST=SU;COUNT=6;BYDAY=MO,TU,WE -> Mar 4, 5, 6, 11, 12, 13.
HACKADEMY_FREE = "37jkbgv9regint2hqhlmd9risn-google-com"
# "Open Health HACKademy", given in UTC: DTSTART:20190309T083000Z, DTEND:20190310T160000Z.
HACKADEMY_UTC = "3po7fj93mq7keq9qgqcckcm6la-google-com"


def test_google_weekly_series_across_the_2019_dst_changes():
    occ = schedule("daylight_saving_time.ics").occurrences(
        datetime(2019, 2, 25, tzinfo=LA), datetime(2019, 4, 15, tzinfo=LA)
    )
    assert rows(of_series(occ, CCCP)) == expect(
        # both on standard time: 19:00 CET (+01:00) = 18:00 UTC = 10:00 PST (-08:00)
        (
            f"{CCCP}@2019-02-27",
            datetime(2019, 2, 27, 10, tzinfo=LA),
            datetime(2019, 2, 27, 12, tzinfo=LA),
            False,
        ),
        (
            f"{CCCP}@2019-03-06",
            datetime(2019, 3, 6, 10, tzinfo=LA),
            datetime(2019, 3, 6, 12, tzinfo=LA),
            False,
        ),
        # US on PDT, EU still CET: 19:00 CET = 18:00 UTC = 11:00 PDT (-07:00)
        (
            f"{CCCP}@2019-03-13",
            datetime(2019, 3, 13, 11, tzinfo=LA),
            datetime(2019, 3, 13, 13, tzinfo=LA),
            False,
        ),
        (
            f"{CCCP}@2019-03-20",
            datetime(2019, 3, 20, 11, tzinfo=LA),
            datetime(2019, 3, 20, 13, tzinfo=LA),
            False,
        ),
        (
            f"{CCCP}@2019-03-27",
            datetime(2019, 3, 27, 11, tzinfo=LA),
            datetime(2019, 3, 27, 13, tzinfo=LA),
            False,
        ),
        # both on summer time: 19:00 CEST (+02:00) = 17:00 UTC = 10:00 PDT (-07:00)
        (
            f"{CCCP}@2019-04-03",
            datetime(2019, 4, 3, 10, tzinfo=LA),
            datetime(2019, 4, 3, 12, tzinfo=LA),
            False,
        ),
        (
            f"{CCCP}@2019-04-10",
            datetime(2019, 4, 10, 10, tzinfo=LA),
            datetime(2019, 4, 10, 12, tzinfo=LA),
            False,
        ),
    )
    assert [o.start.utcoffset() for o in of_series(occ, CCCP)] == [PST, PST] + [PDT] * 5
    assert {str(o.title) for o in of_series(occ, CCCP)} == {"Chaostreff - CCCP"}


def test_google_thursday_series_with_tzid_exdate_changes_local_date():
    occ = schedule("daylight_saving_time.ics").occurrences(
        datetime(2019, 2, 27, tzinfo=LA), datetime(2019, 4, 5, tzinfo=LA)
    )
    assert rows(of_series(occ, MONTESSORI)) == expect(
        # Feb 28 08:30-14:30 CET = 07:30-13:30 UTC = Feb 27 23:30 PST - Feb 28 05:30 PST
        (
            f"{MONTESSORI}@2019-02-27",
            datetime(2019, 2, 27, 23, 30, tzinfo=LA),
            datetime(2019, 2, 28, 5, 30, tzinfo=LA),
            False,
        ),
        # Mar 7 is an EXDATE.
        # Mar 14/21/28 08:30-14:30 CET = 07:30-13:30 UTC = 00:30-06:30 PDT, same date
        (
            f"{MONTESSORI}@2019-03-14",
            datetime(2019, 3, 14, 0, 30, tzinfo=LA),
            datetime(2019, 3, 14, 6, 30, tzinfo=LA),
            False,
        ),
        (
            f"{MONTESSORI}@2019-03-21",
            datetime(2019, 3, 21, 0, 30, tzinfo=LA),
            datetime(2019, 3, 21, 6, 30, tzinfo=LA),
            False,
        ),
        (
            f"{MONTESSORI}@2019-03-28",
            datetime(2019, 3, 28, 0, 30, tzinfo=LA),
            datetime(2019, 3, 28, 6, 30, tzinfo=LA),
            False,
        ),
        # Apr 4 08:30-14:30 CEST = 06:30-12:30 UTC = Apr 3 23:30 PDT - Apr 4 05:30 PDT
        (
            f"{MONTESSORI}@2019-04-03",
            datetime(2019, 4, 3, 23, 30, tzinfo=LA),
            datetime(2019, 4, 4, 5, 30, tzinfo=LA),
            False,
        ),
    )
    assert [o.start.utcoffset() for o in of_series(occ, MONTESSORI)] == [PST] + [PDT] * 4


def test_google_calendar_whole_day_between_the_us_and_eu_changes():
    # Wed Mar 13 2019 in Los Angeles = Mar 13 07:00 UTC .. Mar 14 07:00 UTC
    #                                = Mar 13 08:00 CET .. Mar 14 08:00 CET.
    # In the file only two things fall there (the Thursday 08:30 CET Montessori class starts
    # at 00:30 PDT on Mar 14, just after; the Tuesday series are on Mar 12 in LA too).
    occ = schedule("daylight_saving_time.ics").occurrences(
        datetime(2019, 3, 13, tzinfo=LA), datetime(2019, 3, 14, tzinfo=LA)
    )
    assert rows(occ) == expect(
        # 6th of COUNT=6: Mar 13 14:00-18:00 CET = 13:00-17:00 UTC = 06:00-10:00 PDT
        (
            f"{HACKADEMY_FREE}@2019-03-13",
            datetime(2019, 3, 13, 6, tzinfo=LA),
            datetime(2019, 3, 13, 10, tzinfo=LA),
            False,
        ),
        (
            f"{CCCP}@2019-03-13",
            datetime(2019, 3, 13, 11, tzinfo=LA),
            datetime(2019, 3, 13, 13, tzinfo=LA),
            False,
        ),
    )
    # COUNT=6 has run out the next week: Mon Mar 18 14:00 CET (06:00 PDT) has nothing.
    later = schedule("daylight_saving_time.ics").occurrences(
        datetime(2019, 3, 18, tzinfo=LA), datetime(2019, 3, 21, tzinfo=LA)
    )
    assert of_series(later, HACKADEMY_FREE) == []


def test_google_utc_event_spanning_the_us_change():
    occ = schedule("daylight_saving_time.ics").occurrences(
        datetime(2019, 3, 9, tzinfo=LA), datetime(2019, 3, 11, tzinfo=LA)
    )
    # DTSTART 20190309T083000Z = Mar 9 00:30 PST (-08:00);
    # DTEND 20190310T160000Z = Mar 10 09:00 PDT (-07:00), after the 10:00 UTC switch.
    # Nothing else in the file falls on Sat Mar 9 / Sun Mar 10 in Los Angeles.
    assert rows(occ) == expect(
        (
            f"{HACKADEMY_UTC}@2019-03-09",
            datetime(2019, 3, 9, 0, 30, tzinfo=LA),
            datetime(2019, 3, 10, 9, tzinfo=LA),
            False,
        ),
    )
    assert occ[0].start.utcoffset() == PST
    assert occ[0].end.utcoffset() == PDT
    assert str(occ[0].title) == "Open Health HACKademy"


def test_google_weekly_series_with_berlin_kiosk_keeps_the_written_time():
    occ = schedule("daylight_saving_time.ics", BERLIN).occurrences(
        datetime(2019, 3, 20, tzinfo=BERLIN), datetime(2019, 4, 11, tzinfo=BERLIN)
    )
    days = [(3, 20), (3, 27), (4, 3), (4, 10)]
    assert rows(of_series(occ, CCCP)) == expect(
        *[
            (
                f"{CCCP}@2019-{m:02d}-{d:02d}",
                datetime(2019, m, d, 19, tzinfo=BERLIN),
                datetime(2019, m, d, 21, tzinfo=BERLIN),
                False,
            )
            for m, d in days
        ]
    )
    assert [o.start.utcoffset() for o in of_series(occ, CCCP)] == [CET, CET, CEST, CEST]


def test_google_all_day_event_stays_on_its_date():
    # Tue Dec 26 .. Thu Dec 28 2017 in Los Angeles; everything in the file that falls there:
    occ = schedule("daylight_saving_time.ics").occurrences(
        datetime(2017, 12, 26, tzinfo=LA), datetime(2017, 12, 29, tzinfo=LA)
    )
    assert rows(occ) == expect(
        # "OK Lab", biweekly TU from Dec 12 2017 19:00-21:00 CET: Dec 26 19:00 CET = 18:00 UTC
        # = 10:00 PST
        (
            "2o60r26f5pq7muep7htdi4r01n-google-com@2017-12-26",
            datetime(2017, 12, 26, 10, tzinfo=LA),
            datetime(2017, 12, 26, 12, tzinfo=LA),
            False,
        ),
        # "34c3 in der machBar", DTSTART;VALUE=DATE:20171227, DTEND;VALUE=DATE:20171228: a
        # floating all-day event is the whole local day Dec 27 in the kiosk zone
        (
            "27sgrcdu4099mtq830biaal87d-google-com@2017-12-27",
            datetime(2017, 12, 27, tzinfo=LA),
            datetime(2017, 12, 28, tzinfo=LA),
            False,
        ),
        # "OpenLab", weekly TH 18:00-20:00 CET since 2017: 17:00 UTC = 09:00 PST
        (
            "5neh1ktep3uqvjk197abrb0gio-google-com@2017-12-28",
            datetime(2017, 12, 28, 9, tzinfo=LA),
            datetime(2017, 12, 28, 11, tzinfo=LA),
            False,
        ),
    )


# --- importing the module on its own ----------------------------------------------------------


def test_schedule_module_imports_on_its_own():
    # This file only works because `kiosk.cli` (and so `kiosk.config`) is imported first.
    done = subprocess.run(
        [sys.executable, "-c", "from kiosk.core.schedule import ImportedCalendar, Schedule"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


# --- through the CLI -------------------------------------------------------------------------


def test_cli_upcoming_json_shows_imported_calendar(tmp_path, capsys):
    folder = tmp_path / "config"
    folder.mkdir()
    for toml in CONFIG.glob("*.toml"):
        shutil.copy(toml, folder / toml.name)
    shutil.copy(ICS / "issue_18_cancel_status.ics", folder / "x.ics")
    with (folder / "schedule.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[calendar]]\nfile = "x.ics"\n')

    # --at is local to the kiosk zone: Jan 28 2020 12:00 PST; the default window is 7 days.
    code = main(["upcoming", "--json", "--config", str(folder), "--at", "2020-01-28T12:00"])
    assert code == 0
    items = json.loads(capsys.readouterr().out)
    mine = [i for i in items if i["id"].startswith(CANCEL + "@")]
    # 22:00-23:00 CET (+01:00) = 21:00-22:00 UTC = 13:00-14:00 PST (-08:00)
    assert [(i["id"], i["start"], i["end"], i["cancelled"]) for i in mine] == [
        (f"{CANCEL}@2020-01-28", "2020-01-28T13:00:00-08:00", "2020-01-28T14:00:00-08:00", False),
        (f"{CANCEL}@2020-01-29", "2020-01-29T13:00:00-08:00", "2020-01-29T14:00:00-08:00", True),
        (f"{CANCEL}@2020-01-30", "2020-01-30T13:00:00-08:00", "2020-01-30T14:00:00-08:00", False),
    ]
    assert {i["title"] for i in mine} == {"one is cancelled"}
    # The sample config's own groups are listed too (coffee on Thu Jan 30 at 10:00 PST).
    assert "coffee-drop-in@2020-01-30" in {i["id"] for i in items}
