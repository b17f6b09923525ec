"""Typed models of the four staff config files (see the config contract).

Every model forbids unknown keys, so a typo never passes silently. Field-level
errors carry a `hint` telling staff how to fix them; errors.py turns them into
messages naming the file, the entry and the field.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from babel import Locale, UnknownLocaleError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from kiosk.config.links import LinkError, check_link, check_phone, phone_digits
from kiosk.core import feeds, recurrence
from kiosk.core.text import LANGUAGE_CODE, LocalText


def fail(message: str, hint: str, field: str | None = None) -> PydanticCustomError:
    """A validation error with a fix for staff. `field` names the key for entry-level checks."""
    ctx: dict[str, Any] = {"message": message, "hint": hint}
    if field:
        ctx["field"] = field
    return PydanticCustomError("kiosk", "{message}", ctx)


# --- field types -----------------------------------------------------------------------------

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-group"
        raise fail(
            f'"{value}" is not a valid id',
            f'Use lowercase letters, digits and dashes only, e.g. "{suggestion}".',
        )
    return value


Slug = Annotated[str, Field(max_length=64), AfterValidator(_slug)]


def _local_text(value: Any) -> LocalText:
    if isinstance(value, str):
        return LocalText.plain(value.strip())
    if isinstance(value, dict) and value:
        for lang, text in value.items():
            if not LANGUAGE_CODE.match(lang):
                raise fail(
                    f'"{lang}" is not a language code',
                    'Use codes like en, es, zh-Hant or tl: { en = "…", es = "…" }.',
                )
            if not isinstance(text, str):
                raise fail(
                    f"the {lang} text is not a string",
                    f'Put the text in double quotes: {lang} = "…".',
                )
        return LocalText.of({k: v.strip() for k, v in value.items()})
    raise fail(
        "expected text: a string, or a table of language code = string",
        'Write "…" or { en = "…", es = "…" }.',
    )


def _required_text(value: Any) -> LocalText:
    text = _local_text(value)
    if text.is_blank():
        raise fail("the text is empty", "Write the text between the quotes, or remove the entry.")
    blank = [lang for lang, v in text.values if not v.strip()]
    if blank:
        raise fail(
            f"the {', '.join(blank)} text is empty",
            "Write the translation, or remove that language so the default is shown.",
        )
    return text


def _within(limit: int, required: bool):
    """A validator for text of at most `limit` characters in each language."""

    def validate(value: Any) -> LocalText | None:
        if value is None and not required:
            return None
        text = _required_text(value) if required else _local_text(value)
        for lang, words in text.values:
            _no_controls(words, f"the {lang} text" if lang else "the text")
            if len(words) > limit:
                which = f"the {lang} text" if lang else "the text"
                raise fail(
                    f"{which} is {len(words)} characters long (at most {limit} here)",
                    "Say it shorter: the screen has room for about"
                    f" {limit} characters in this place.",
                )
        return text

    return PlainValidator(validate)


# Characters that are never words: C0 and C1 controls (a printer or a terminal would act
# on them: ESC, GS...), and the bidirectional overrides that can make text read backwards.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _no_controls(words: str, which: str) -> None:
    found = _CONTROLS.search(words)
    if found:
        raise fail(
            f"{which} holds an invisible control character (U+{ord(found.group()):04X})",
            "Type the words again by hand: text pasted from elsewhere can carry such"
            " characters, which a printer or a terminal would act on.",
        )


def _plain_words(value: Any) -> Any:
    if isinstance(value, str):
        _no_controls(value, "the text")
    return value


def Text(limit: int) -> Any:  # named as a type: it is used as one
    """Optional localized text of at most `limit` characters; "" counts as absent."""
    return Annotated[LocalText | None, _within(limit, False), BeforeValidator(_no_blank)]


def RequiredText(limit: int) -> Any:
    return Annotated[LocalText, _within(limit, True)]


# How much text each place on screen has room for, in characters per language.
NAME_CHARS = 80
TITLE_CHARS = 100
PLACE_CHARS = 120
DESCRIPTION_CHARS = 300
REASON_CHARS = 200
TIP_CHARS = 280  # about 25 words, in the wordiest language
HOURS_CHARS = 80
PRINT_CHARS = 200
ADDRESS_CHARS = 160


def _day(value: Any) -> str:
    day = recurrence.normalize_day(value) if isinstance(value, str) else None
    if day is None:
        raise fail(
            f'"{value}" is not a day name',
            f'Use one of {", ".join(recurrence.DAY_NAMES)}, e.g. days = ["tue"].',
        )
    return day


Day = Annotated[str, PlainValidator(_day)]


def _rrule(value: str) -> str:
    try:
        return recurrence.normalize_rule(value)
    except recurrence.RuleError as exc:
        raise fail(str(exc), exc.hint) from None


def _link(value: str) -> str:
    try:
        return check_link(value)
    except LinkError as exc:
        raise fail(str(exc), exc.hint) from None


def _phone(value: str) -> str:
    try:
        return check_phone(value)
    except LinkError as exc:
        raise fail(str(exc), exc.hint) from None


def _no_blank(value: Any) -> Any:
    """Treat an empty optional string as absent."""
    return None if isinstance(value, str) and not value.strip() else value


Link = Annotated[str, AfterValidator(_link)]
Phone = Annotated[str, Field(max_length=32), AfterValidator(_phone)]
Minutes = Annotated[int, Field(ge=1, le=24 * 60)]


def _sane_year(value: date) -> date:
    """Dates and date-times from 2000 to 2100: anything else is a typo (20026) or a
    placeholder (0001-01-01, 9999-12-31), and breaks date arithmetic near its ends."""
    if not recurrence.LOWEST_YEAR <= value.year <= recurrence.HIGHEST_YEAR:
        raise fail(
            f"the year {value.year} is out of range",
            f"Use a date from {recurrence.LOWEST_YEAR} to {recurrence.HIGHEST_YEAR}.",
        )
    return value


SaneDate = Annotated[date, AfterValidator(_sane_year)]


def _local_datetime(value: datetime) -> datetime:
    _sane_year(value)
    if value.tzinfo is not None:
        raise fail(
            "the date-time has a UTC offset",
            "Write local time without an offset, e.g. start = 2026-12-05T14:00:00;"
            " the kiosk's timezone applies.",
        )
    return value


class Strict(BaseModel):
    # Strict: TOML has real numbers, booleans, dates and times, so a quoted "12" or "18:00"
    # is a typo to report, not something to guess at.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, strict=True)


# --- kiosk.toml --------------------------------------------------------------------------------


class Timing(Strict):
    tip_seconds: int = Field(12, ge=3, le=3600)
    idle_seconds: int = Field(60, ge=10, le=3600)


class Checkin(Strict):
    enabled: bool = True
    opens_minutes_before: int = Field(30, ge=0, le=24 * 60)
    closes_minutes_after_start: int = Field(60, ge=0, le=24 * 60)
    mood_question: bool = True
    first_time_question: bool = False  # "Is this your first time at this group?"
    cooldown_seconds: int = Field(5, ge=0, le=600)


class AfterGroup(Strict):
    """The anonymous "how did it go?" question, offered on home as a group ends."""

    enabled: bool = False
    opens_minutes_before_end: int = Field(10, ge=0, le=24 * 60)
    closes_minutes_after_end: int = Field(45, ge=0, le=24 * 60)
    groups: Annotated[list[Slug], Field(max_length=200)] = []  # empty: every group


class QuietHours(Strict):
    start: time
    end: time

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHours:
        if self.start == self.end:
            raise fail(
                "quiet hours start and end at the same time",
                "Give two different times, e.g. { start = 01:00:00, end = 06:00:00 }.",
                field="end",
            )
        return self


class Display(Strict):
    quiet_hours: QuietHours | None = None
    # "high-contrast": white and yellow on black, for residents with low vision.
    theme: Literal["standard", "high-contrast"] = "standard"


_VOICE = re.compile(r"^[a-z]{2,3}([-+][a-z0-9]+)*$")


def _voices(value: dict[str, str]) -> dict[str, str]:
    for lang, voice in value.items():
        _language(lang)
        if not _VOICE.match(voice):
            raise fail(
                f'"{voice}" is not an espeak-ng voice name',
                'Use a name from `espeak-ng --voices`, e.g. "yue" (Cantonese) or "cmn".',
                field=lang,
            )
    return value


class Accessibility(Strict):
    read_aloud: bool = False  # a speaker button reads the tip and next group (espeak-ng)
    # language -> voice
    voices: Annotated[dict[str, str], Field(max_length=8), AfterValidator(_voices)] = {}


_DOMAIN = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _domain(value: str) -> str:
    domain = value.strip().lower()
    if not _DOMAIN.match(domain):
        raise fail(
            f'"{value}" is not a domain name',
            'Write only the domain, e.g. "sf.gov" (no https://, no path).',
        )
    return domain


class Links(Strict):
    allowed_domains: Annotated[
        list[Annotated[str, AfterValidator(_domain)]], Field(max_length=100)
    ] = []


class Privacy(Strict):
    min_report_count: int = Field(5, ge=1, le=1000)


def _pin_hash(value: str) -> str:
    from kiosk.core.pin import looks_like_hash

    if value and not looks_like_hash(value):
        raise fail(
            "pin_hash is not a PIN hash written by `kiosk set-pin`",
            'Run `kiosk set-pin` to set a PIN, or leave it empty ("") to turn the panel off.',
        )
    return value


class Staff(Strict):
    pin_hash: Annotated[str, AfterValidator(_pin_hash)] = ""  # empty: no staff panel


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def _timezone(value: str) -> str:
    if value not in _zone_names():  # also refuses folder names such as "America"
        import difflib

        close = difflib.get_close_matches(value, sorted(_zone_names()), n=1, cutoff=0.8)
        hint = f'Did you mean "{close[0]}"? ' if close else ""
        raise fail(
            f'"{value}" is not an IANA time zone name',
            hint + 'Zones are named after a main city: San Francisco uses "America/Los_Angeles".',
        )
    return value


def _language(value: str) -> str:
    if not LANGUAGE_CODE.match(value):
        raise fail(f'"{value}" is not a language code', "Use codes like en, es, zh-Hant, tl.")
    try:
        Locale.parse(value, sep="-")
    except (UnknownLocaleError, ValueError):
        raise fail(
            f'"{value}" is not a language the kiosk knows',
            "Use codes like en, es, zh-Hant, tl.",
        ) from None
    return value


def _unique_languages(values: list[str]) -> list[str]:
    if not values:
        raise fail("no languages are listed", 'List at least one, e.g. languages = ["en"].')
    if len(set(values)) != len(values):
        raise fail("a language is listed twice", "List each language once.")
    return values


_USB_ID = re.compile(r"^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$")


class Printer(Strict):
    """A receipt printer for take-away slips (ESC/POS): a character device, or a USB id."""

    enabled: bool = False
    device: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    usb: str | None = None
    paper_mm: Literal[58, 80] = 80  # the roll's width: 80 mm prints 576 dots, 58 mm 384

    @model_validator(mode="after")
    def _one_way_to_reach_it(self) -> Printer:
        if self.usb is not None and not _USB_ID.match(self.usb):
            raise fail(
                f'"{self.usb}" is not a USB id',
                'Write the vendor and product ids as `lsusb` shows them, e.g. usb = "04b8:0e15".',
                field="usb",
            )
        if self.device is not None and self.usb is not None:
            raise fail(
                "give device or usb, not both",
                'Keep device = "/dev/usb/lp0" for a printer the system already knows, or usb.',
                field="usb",
            )
        if self.device is not None and not self.device.startswith("/"):
            raise fail(
                f'"{self.device}" is not a device path',
                'Write the full path, e.g. device = "/dev/usb/lp0".',
                field="device",
            )
        if self.enabled and self.device is None and self.usb is None:
            raise fail(
                "the printer is enabled but neither device nor usb says where it is",
                'Add device = "/dev/usb/lp0" (most USB receipt printers), or usb = "vvvv:pppp".',
                field="device",
            )
        return self


class KioskFile(Strict):
    name: RequiredText(NAME_CHARS)
    timezone: Annotated[str, AfterValidator(_timezone)]
    languages: Annotated[
        list[Annotated[str, AfterValidator(_language)]],
        Field(max_length=8),
        AfterValidator(_unique_languages),
    ] = ["en"]
    timing: Timing = Timing()
    checkin: Checkin = Checkin()
    after_group: AfterGroup = AfterGroup()
    display: Display = Display()
    links: Links = Links()
    privacy: Privacy = Privacy()
    staff: Staff = Staff()
    accessibility: Accessibility = Accessibility()
    printer: Printer = Printer()

    @property
    def default_language(self) -> str:
        return self.languages[0]


# --- schedule.toml -----------------------------------------------------------------------------

# Where a group with no `from` is probed from: any fixed Monday does (see recurrence.py).
_PROBE_FIRST = date(2026, 1, 5)


class Group(Strict):
    id: Slug
    title: RequiredText(TITLE_CHARS)
    location: Text(PLACE_CHARS) = None
    description: Text(DESCRIPTION_CHARS) = None
    days: Annotated[list[Day], Field(max_length=7)] | None = None
    rrule: Annotated[str, AfterValidator(_rrule)] | None = None
    start: time
    duration_minutes: Minutes
    from_: SaneDate | None = Field(None, alias="from")
    until: SaneDate | None = None

    @model_validator(mode="after")
    def _recurrence(self) -> Group:
        if (self.days is None) == (self.rrule is None):
            raise fail(
                "a group needs either `days` or `rrule` (and not both)",
                'Add days = ["tue"] for a weekly group, or rrule = "FREQ=MONTHLY;BYDAY=1TU".',
                field="days",
            )
        if self.days is not None and not self.days:
            raise fail("`days` is empty", 'List at least one day, e.g. days = ["tue"].', "days")
        if self.days and len(set(self.days)) != len(self.days):
            raise fail("a day is listed twice", "List each day once.", "days")
        if self.from_ and self.until and self.until < self.from_:
            raise fail(
                f"`until` ({self.until}) is before `from` ({self.from_})",
                "Swap them, or fix the year.",
                field="until",
            )
        first = datetime.combine(self.from_ or _PROBE_FIRST, self.start)
        if self.rrule and not recurrence.ever_meets(None, self.rrule, first):
            raise fail(
                f'the rrule "{self.rrule}" never gives a date (for example, the 30th of February)',
                "Check the day and month parts of the rule against a calendar.",
                field="rrule",
            )
        if (
            self.rrule
            and self.from_ is None
            and recurrence.depends_on_anchor(self.rrule, self.start)
        ):
            raise fail(
                "this rrule repeats from a first date (it uses INTERVAL, COUNT, or no BYDAY),"
                " but `from` is not set",
                "Add from = YYYY-MM-DD, the date of the first meeting.",
                field="from",
            )
        self._check_meets(first)
        return self

    def _check_meets(self, first: datetime) -> None:
        """A group meets at least once in the HORIZON_DAYS from its first date, and at
        least once between `from` and `until`."""
        horizon = timedelta(days=recurrence.HORIZON_DAYS)
        found = recurrence.first_meeting(self.days, self.rrule, first, horizon)
        where = "rrule" if self.rrule else "days"
        if found is None:
            raise fail(
                f"the group meets less than once in the {recurrence.HORIZON_DAYS} days from"
                f" {first.date()}",
                "A group meets at least once a year: check the rule's days and months.",
                field=where,
            )
        rule_until = recurrence.rule_until(self.rrule) if self.rrule else None
        last = min((d for d in (self.until, rule_until) if d), default=None)
        if self.from_ and last and found.date() > last:
            raise fail(
                f"the group never meets between {self.from_} and {last}",
                "Check `from`, `until` and the days the group meets.",
                field=where,
            )


class Event(Strict):
    id: Slug
    title: RequiredText(TITLE_CHARS)
    start: Annotated[datetime, AfterValidator(_local_datetime)]
    duration_minutes: Minutes
    location: Text(PLACE_CHARS) = None
    description: Text(DESCRIPTION_CHARS) = None


class Cancellation(Strict):
    group: Slug
    date: SaneDate
    reason: Text(REASON_CHARS) = None


def _feed_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        raise fail(
            "a calendar feed must be an https:// address",
            "Copy the calendar's private or public address in iCal format (it starts with"
            " https://); a webcal:// address works with webcal replaced by https.",
        )
    if any(c.isspace() or ord(c) < 32 for c in value):
        raise fail("the address has spaces or control characters in it", "Copy it again.")
    return value


FeedUrl = Annotated[str, Field(min_length=9, max_length=2000), AfterValidator(_feed_url)]


class Calendar(Strict):
    """An .ics file in the config folder, or a feed the kiosk subscribes to."""

    file: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    url: FeedUrl | None = None
    refresh_minutes: int = Field(
        feeds.DEFAULT_REFRESH_MINUTES, ge=feeds.MIN_REFRESH_MINUTES, le=24 * 60
    )

    @model_validator(mode="after")
    def _file_or_url(self) -> Calendar:
        if (self.file is None) == (self.url is None):
            raise fail(
                "a [[calendar]] needs either file or url (one of them)",
                'Write file = "groups.ics" for an exported file, or url = "https://…" for a feed.',
                field="url" if self.file is not None else "file",
            )
        if self.file is not None and "refresh_minutes" in self.model_fields_set:
            raise fail(
                "refresh_minutes is for a calendar feed (url), not for a file",
                "Remove refresh_minutes: a file is read again whenever it changes.",
                field="refresh_minutes",
            )
        return self


class ScheduleFile(Strict):
    group: Annotated[list[Group], Field(max_length=100)] = []
    event: Annotated[list[Event], Field(max_length=1000)] = []
    cancellation: Annotated[list[Cancellation], Field(max_length=2000)] = []
    calendar: Annotated[list[Calendar], Field(max_length=20)] = []


# --- tips.toml ---------------------------------------------------------------------------------

TipCategory = Literal["drug", "set", "setting"]
TIP_CATEGORIES: tuple[str, ...] = ("drug", "set", "setting")


class Tip(Strict):
    id: Slug
    category: TipCategory
    text: RequiredText(TIP_CHARS)
    link: Link | None = None


class TipsFile(Strict):
    tip: Annotated[list[Tip], Field(max_length=500)] = []


# --- resources.toml ----------------------------------------------------------------------------

ResourceCategory = Literal[
    "naloxone",
    "syringe-services",
    "hotline",
    "treatment",
    "mental-health",
    "medical",
    "food-housing",
    "other",
]


class Resource(Strict):
    id: Slug
    category: ResourceCategory
    name: RequiredText(TITLE_CHARS)
    description: Text(DESCRIPTION_CHARS) = None
    phone: Annotated[Phone | None, BeforeValidator(_no_blank)] = None
    url: Annotated[Link | None, BeforeValidator(_no_blank)] = None
    hours: Text(HOURS_CHARS) = None
    address: Annotated[
        str | None,
        Field(max_length=ADDRESS_CHARS),
        BeforeValidator(_no_blank),
        AfterValidator(_plain_words),
    ] = None
    # The day a person last confirmed the phone, hours and address (see freshness.py).
    checked: SaneDate | None = None
    # Extra words for the printed take-away slip ("Call any time. Free and confidential.").
    print_text: Text(PRINT_CHARS) = Field(None, alias="print")

    @property
    def link(self) -> str | None:
        """What the QR code encodes: the url, else the phone number as tel:."""
        if self.url:
            return self.url
        if self.phone:
            return "tel:" + phone_digits(self.phone)
        return None


class ResourcesFile(Strict):
    resource: Annotated[list[Resource], Field(max_length=100)] = []


# --- alerts.toml (optional) ----------------------------------------------------------------------

ALERT_CHARS = 200
ALERT_MAX_DAYS = 14
AlertLevel = Literal["urgent", "notice"]


class Alert(Strict):
    """A short notice that expires by itself: a strong batch going round, hours changed."""

    id: Slug
    level: AlertLevel
    text: RequiredText(ALERT_CHARS)
    start: datetime | None = Field(None, alias="from")  # local; absent: in force from now
    until: datetime  # local; required
    link: Link | None = None

    @model_validator(mode="after")
    def _bounded(self) -> Alert:
        for name, value in (("from", self.start), ("until", self.until)):
            if value is not None and value.tzinfo is not None:
                raise fail(
                    f"{name} has a time zone or offset",
                    f"Write the local time without one, e.g. {name} = 2026-12-04T09:00:00.",
                    field=name,
                )
        if self.start is not None and self.until <= self.start:
            raise fail(
                "until is not after from",
                "Give the date and time the alert should end, after it starts.",
                field="until",
            )
        if self.start is not None and self.until - self.start > timedelta(days=ALERT_MAX_DAYS):
            raise fail(
                f"the alert lasts more than {ALERT_MAX_DAYS} days",
                f"Alerts are for a few days; end it within {ALERT_MAX_DAYS} days of from, and"
                " put up a new one if it is still needed then.",
                field="until",
            )
        return self


class AlertsFile(Strict):
    alert: Annotated[list[Alert], Field(max_length=50)] = []
