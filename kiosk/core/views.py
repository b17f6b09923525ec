"""What each screen shows, as plain strings: computed from the config, the schedule,
the flow and the time. Screens only lay these out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.config.links import display_link
from kiosk.config.loader import Config
from kiosk.config.models import Resource, Tip
from kiosk.core.schedule import Occurrence
from kiosk.core.text import LocalText
from kiosk.words.fonts import drop_missing
from kiosk.words.i18n import full_date_text, gettext_for, time_range_text, time_text
from kiosk.words.offer import language_face
from kiosk.words.timefmt import day_label, duration_text, opens_text, relative_start


@dataclass(frozen=True)
class CardView:
    heading: str  # "Happening now" / "Next"
    when: str  # "in 15 min" / "until 7:30 PM"
    title: str
    times: str  # "6:00 – 7:30 PM"
    location: str
    description: str
    live: bool


@dataclass(frozen=True)
class RowView:
    occurrence_id: str
    day: str
    time: str
    title: str
    location: str
    cancelled: bool
    live: bool
    note: str  # "Cancelled — Thanksgiving week" in words, not only a colour


@dataclass(frozen=True)
class TipView:
    id: str
    category: str
    badge: str  # "DRUG", "SET · your body and mind", ... in the chosen language
    text: str
    link: str | None
    previous: str = ""  # the words on the button back to the tip before; "" when none


@dataclass(frozen=True)
class HomeView:
    name: str
    date: str
    time: str
    notice: str  # a cancellation today, said plainly at the top
    card: CardView | None
    week_heading: str
    rows: tuple[RowView, ...]
    more: str  # "+ {n} more this week": the screen fills in how many rows did not fit
    empty: str
    week: str = "This week's groups"  # the button to the week screen when no row fits
    week_short: str = "This week"  # the same, in the access row when the column is full


class Texts:
    """Config text and interface strings in one language, with the default as fallback.
    Characters the language's font cannot draw (an emoji in a calendar title, say) are
    left out rather than shown as boxes; `kiosk check` names them."""

    def __init__(self, config: Config, lang: str) -> None:
        self.lang = lang
        self.default = config.default_language
        self.face = language_face(lang)
        self._ = gettext_for(lang)

    def __call__(self, text: LocalText | None) -> str:
        return self.plain(text.get(self.lang, self.default)) if text else ""

    def plain(self, text: str) -> str:
        return drop_missing(text, self.face) if self.face else text


def _cancelled_note(o: Occurrence, t: Texts) -> str:
    if not o.cancelled:
        return ""
    if o.note:
        return t._("Cancelled — {reason}").format(reason=t(o.note))
    return t._("Cancelled")


def home_view(
    config: Config,
    upcoming: list[Occurrence],
    now: datetime,
    lang: str,
    following: Occurrence | None,
) -> HomeView:
    """`upcoming`: the week's list. `following`: what is on now, else the next meeting
    that is not cancelled, even if it is more than a week away."""
    t = Texts(config, lang)
    _ = t._
    all_day = _("All day")
    card = None
    if following:
        o = following
        live = o.is_live(now)
        if o.all_day:
            when = all_day if live else day_label(o.start, now, lang)
        elif live:
            when = _("until {time}").format(time=time_text(o.end, lang))
        else:
            when = relative_start(o.start, now, lang)
        card = CardView(
            heading=_("Happening now") if live else _("Next"),
            when=when,
            title=t(o.title),
            times=all_day if o.all_day else time_range_text(o.start, o.end, lang),
            location=t(o.location),
            description=t(o.description),
            live=live,
        )
    cancelled_today = [
        o for o in upcoming if o.cancelled and o.start.date() == now.date() and not o.all_day
    ]
    notice = "\n".join(
        _("Cancelled today: {title}").format(title=t(o.title))
        + (f"\n{t(o.note)}" if o.note else "")
        for o in cancelled_today
    )
    rows = tuple(
        RowView(
            occurrence_id=o.id,
            day=_("Now") if o.is_live(now) else day_label(o.start, now, lang),
            time=all_day if o.all_day else time_text(o.start, lang),
            title=t(o.title),
            location=t(o.location),
            cancelled=o.cancelled,
            live=o.is_live(now),
            note=_cancelled_note(o, t),
        )
        for o in upcoming
    )
    return HomeView(
        name=t(config.kiosk.name),
        date=full_date_text(now, lang),
        time=time_text(now, lang),
        notice=notice,
        card=card,
        week_heading=_("Next 7 days"),
        rows=rows,
        more=_("+ {n} more this week"),
        empty=_("Nothing is scheduled in the next 7 days."),
        week=_("This week's groups"),
        week_short=_("This week"),
    )


@dataclass(frozen=True)
class WeekView:
    heading: str
    rows: tuple[RowView, ...]
    empty: str
    more: str  # shown while more rows wait below the fold


def week_view(home: HomeView, lang: str) -> WeekView:
    """The whole week from home's list, for when home has no room for it."""
    _ = gettext_for(lang)
    return WeekView(
        heading=home.week_heading,
        rows=home.rows,
        empty=home.empty,
        more=_("More below: slide the list up"),
    )


@dataclass(frozen=True)
class ControlsView:
    """The home screen's access controls, and the language chooser."""

    text_size: str
    read_aloud: str
    choose_language: str
    close: str
    back: str = "Back"  # every screen's way back, and home, in one place (see NavBar)
    home: str = "Home"


def controls_view(lang: str) -> ControlsView:
    _ = gettext_for(lang)
    return ControlsView(
        text_size=_("Text size"),
        read_aloud=_("Read aloud"),
        choose_language=_("Choose your language"),
        close=_("Close"),
        back=_("Back"),
        home=_("Home"),
    )


def spoken_text(
    config: Config, tip: Tip | None, following: Occurrence | None, now: datetime, lang: str
) -> str:
    """What the read-aloud button says: the tip on screen, then the next group."""
    t = Texts(config, lang)
    parts = [t(tip.text)] if tip else []
    if following is not None:
        if following.is_live(now):
            line = t._("Now: {title}, {when}")
            when = t._("until {time}").format(time=time_text(following.end, lang))
        else:
            line = t._("Next: {title}, {when}")
            when = relative_start(following.start, now, lang)
        parts.append(line.format(title=t(following.title), when=when))
        if following.location:
            parts.append(t(following.location))
    return "\n".join(parts)


def tip_view(
    config: Config, tip: Tip | None, lang: str, can_go_back: bool = False
) -> TipView | None:
    if tip is None:
        return None
    t = Texts(config, lang)
    # The group teaches the three words; "set" and "setting" carry a plain gloss.
    badges = {
        "drug": t._("DRUG"),
        "set": t._("SET · your body and mind"),
        "setting": t._("SETTING · the place and people"),
    }
    previous = t._("Previous tip") if can_go_back else ""
    return TipView(tip.id, tip.category, badges[tip.category], t(tip.text), tip.link, previous)


# --- check-in ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceView:
    occurrence_id: str
    title: str
    times: str
    location: str


@dataclass(frozen=True)
class CheckinView:
    heading: str
    prompt: str
    choices: tuple[ChoiceView, ...]
    confirm: str  # the button: "I'm here"
    error: str  # shown after a failed save


@dataclass(frozen=True)
class ClosedView:
    heading: str
    body: str
    next_line: str
    resources: str = ""  # the way on to the resources ("" when there are none)


@dataclass(frozen=True)
class MoodView:
    question: str
    note: str
    faces: tuple[tuple[int, str], ...]  # (1..5, words)
    skip: str
    asks: str = "mood"  # "mood", or "after" for the after-group question: its targets' prefix
    error: str = ""  # after a failed save


@dataclass(frozen=True)
class FirstTimeView:
    question: str
    note: str
    yes: str
    no: str
    skip: str


@dataclass(frozen=True)
class AfterChooseView:
    heading: str
    prompt: str
    choices: tuple[ChoiceView, ...]
    pick: str  # each card's button


@dataclass(frozen=True)
class ThanksView:
    heading: str
    body: str


def _choices(t: Texts, occurrences: list[Occurrence], lang: str) -> tuple[ChoiceView, ...]:
    """One card per occurrence: its title, times and place."""
    return tuple(
        ChoiceView(o.id, t(o.title), time_range_text(o.start, o.end, lang), t(o.location))
        for o in occurrences
    )


def checkin_view(
    config: Config, open_now: list[Occurrence], lang: str, failed: bool
) -> CheckinView:
    t = Texts(config, lang)
    _ = t._
    choices = _choices(t, open_now, lang)
    return CheckinView(
        heading=_("Welcome!"),
        prompt=_("No name needed. Tap “I'm here” to check in.")
        if len(choices) == 1
        else _("No name needed. Tap “I'm here” for your group."),
        choices=choices,
        confirm=_("I'm here"),
        error=_("Sorry, that did not go through. Please tap “I'm here” again.") if failed else "",
    )


def closed_view(
    config: Config,
    following: Occurrence | None,
    opens_at: datetime | None,
    now: datetime,
    lang: str,
) -> ClosedView:
    """No group is open for check-in: when it opens, in words, and a welcome."""
    t = Texts(config, lang)
    _ = t._
    heading = _("No group is open for check-in right now")
    next_line = ""
    if following is not None and opens_at is not None:
        heading = opens_text(opens_at.astimezone(following.start.tzinfo), now, lang)
        next_line = _("Next: {title}, {when}").format(
            title=t(following.title), when=relative_start(following.start, now, lang)
        )
    return ClosedView(
        heading=heading,
        body=_("Check-in opens a little before each group starts. Come as you are."),
        next_line=next_line,
        resources=_("Resources") if config.resources.resource else "",
    )


def _faces(lang: str) -> tuple[tuple[int, str], ...]:
    _ = gettext_for(lang)
    words = (_("Really rough"), _("Not great"), _("Okay"), _("Good"), _("Really good"))
    return tuple(enumerate(words, start=1))


def mood_view(lang: str) -> MoodView:
    _ = gettext_for(lang)
    return MoodView(
        question=_("How are you doing today?"),
        note=_("Only if you want to. Answers are only counted, never linked to you."),
        faces=_faces(lang),
        skip=_("Skip"),
    )


def first_time_view(lang: str) -> FirstTimeView:
    _ = gettext_for(lang)
    return FirstTimeView(
        question=_("Is this your first time at this group?"),
        note=_("Only if you want to. It helps us see who the group reaches. Only counted."),
        yes=_("Yes, first time"),
        no=_("No, I've been before"),
        skip=_("Skip"),
    )


def after_view(lang: str, now: bool, failed: bool = False) -> MoodView:
    """The after-group question's two steps: how they were on arrival, then now."""
    _ = gettext_for(lang)
    error = _("Sorry, that did not go through. Please tap your answer again.")
    return MoodView(
        question=_("And how are you doing now?")
        if now
        else _("When you arrived today, how were you doing?"),
        note=_("Any answer is welcome. Answers are only counted, never linked to you."),
        faces=_faces(lang),
        skip=_("Skip"),
        asks="after",
        error=error if failed and now else "",
    )


def after_choose_view(config: Config, ended: list[Occurrence], lang: str) -> AfterChooseView:
    t = Texts(config, lang)
    _ = t._
    choices = _choices(t, ended, lang)
    return AfterChooseView(
        heading=_("Which group were you at?"),
        prompt=_("Tap your group."),
        choices=choices,
        pick=_("This group"),
    )


def thanks_view(lang: str, after_group: bool = False) -> ThanksView:
    _ = gettext_for(lang)
    if after_group:
        return ThanksView(
            heading=_("Thank you for telling us."),
            body=_("It helps the group, and it is never linked to you."),
        )
    return ThanksView(heading=_("Glad you're here."), body=_("Thank you for checking in."))


# --- resources --------------------------------------------------------------------------------

RESOURCE_ORDER = (
    "hotline", "naloxone", "syringe-services", "treatment", "mental-health", "medical",
    "food-housing", "other",
)  # fmt: skip


def category_label(category: str, lang: str) -> str:
    _ = gettext_for(lang)
    labels = {
        "naloxone": _("Naloxone"),
        "syringe-services": _("Syringe services"),
        "hotline": _("Hotlines"),
        "treatment": _("Treatment"),
        "mental-health": _("Mental health"),
        "medical": _("Medical care"),
        "food-housing": _("Food & housing"),
        "other": _("Other help"),
    }
    return labels[category]


@dataclass(frozen=True)
class ResourceTile:
    id: str
    category: str
    category_label: str
    name: str
    detail: str  # the phone number or the web address, as a person would read it


@dataclass(frozen=True)
class ResourcesView:
    heading: str
    hint: str
    tiles: tuple[ResourceTile, ...]
    more: str  # shown when more tiles wait below the fold


@dataclass(frozen=True)
class ResourceView:
    id: str
    category: str
    category_label: str
    name: str
    description: str
    facts: tuple[str, ...]  # phone, hours, address: one line each
    link: str  # what the QR code holds ("" if none)
    link_label: str  # the same, readable: a domain or a phone number
    scan_hint: str
    printing: Any = None  # a PrintView when a printer is enabled (kiosk.core.slips)


def resources_view(config: Config, lang: str) -> ResourcesView:
    t = Texts(config, lang)
    _ = t._
    ordered = sorted(config.resources.resource, key=lambda r: RESOURCE_ORDER.index(r.category))
    tiles = tuple(
        ResourceTile(
            r.id,
            r.category,
            category_label(r.category, lang),
            t(r.name),
            r.phone or (display_link(r.url) if r.url else (r.address or "")),
        )
        for r in ordered
    )
    return ResourcesView(
        heading=_("Help to take with you"),
        hint=_("Tap one to see its code. Scan the code with your phone's camera."),
        tiles=tiles,
        more=_("More below: slide the list up"),
    )


def resource_view(config: Config, resource: Resource, lang: str) -> ResourceView:
    t = Texts(config, lang)
    _ = t._
    facts = []
    if resource.phone:
        facts.append(_("Phone: {phone}").format(phone=resource.phone))
    if resource.hours:
        facts.append(_("Hours: {hours}").format(hours=t(resource.hours)))
    if resource.address:
        facts.append(t.plain(resource.address))
    link = resource.link or ""
    return ResourceView(
        id=resource.id,
        category=resource.category,
        category_label=category_label(resource.category, lang),
        name=t(resource.name),
        description=t(resource.description),
        facts=tuple(facts),
        link=link,
        # The number as staff wrote it ("1-800-662-4357"), or the web address's domain.
        link_label=resource.phone
        if (resource.phone and not resource.url)
        else display_link(link)
        if link
        else "",
        scan_hint=_("Scan with your phone's camera. Nothing is recorded.") if link else "",
    )


# --- staff panel and night mode ---------------------------------------------------------------
# The staff panel is for staff, in English like `kiosk check`; residents never see it.


@dataclass(frozen=True)
class StaffPinView:
    typed: int  # how many digits are typed (shown as dots, never the digits)
    message: str
    clear: str = "Clear"


def staff_pin_view(
    typed: int,
    wrong: bool,
    tries_left: int,
    locked_seconds: int,
    next_pause: float = 60,
    lang: str = "en",
) -> StaffPinView:
    """In the resident's language: whoever lands here by a long press can read the way
    back."""
    _ = gettext_for(lang)
    if locked_seconds > 0:
        message = _("Too many wrong PINs. Try again in {time}.").format(
            time=duration_text(locked_seconds, lang)
        )
    elif wrong:
        message = _("That PIN is not right. Tries left before a pause: {n}.").format(n=tries_left)
    else:
        message = _("This screen is for staff. To go back, tap Back.")
    return StaffPinView(typed, message, _("Clear"))


def staff_notice(
    ok: bool, origin: str, store_ok: bool, calendar_errors: bool, feeds_failing: bool = False
) -> str:
    """What staff should know first, or "" when all is well. Residents see only a small
    neutral mark on home while there is one; the words are for the staff panel."""
    if not ok and origin == "fallback":
        return "Config issue: no valid config yet. Run `kiosk check`."
    if not ok:
        return "Config issue: showing the last good version. Run `kiosk check`."
    if not store_ok:
        return "Check-in is off: its data folder cannot be used. See the log."
    if calendar_errors:
        return "Calendar issue: some events could not be read. See the log."
    if feeds_failing:
        return "Calendar feed issue: a feed has not worked for a day or has no copy yet."
    return ""


@dataclass(frozen=True)
class StaffView:
    config: tuple[str, ...]  # lines
    checkins: tuple[str, ...]
    data: tuple[str, ...]
    system: tuple[str, ...]
    tomorrow: tuple[str, ...]
    sync: tuple[str, ...] = ()  # the synced commit in use, and each calendar feed
    exit_asked: bool = False  # "Stop the kiosk?" is up


def staff_view(
    config: Config,
    origin: str,
    notice: str,
    issues: list[str],
    resources_due: int,
    loaded_at: datetime,
    today_count: int,
    week_count: int,
    data_lines: list[str],
    sync_lines: list[str],
    version: str,
    uptime_seconds: float,
    memory_mb: float,
    tomorrow: list[Occurrence],
) -> StaffView:
    t = Texts(config, "en")
    state = {
        "files": "in use, as saved",
        "last-good": "HAS ERRORS: the screen keeps the last good version",
        "snapshot": "HAS ERRORS: the screen shows the copy saved at the last good start",
        "fallback": "HAS ERRORS: no valid config yet",
    }[origin]
    resources = len(config.resources.resource)
    config_lines = [
        *([notice] if notice else []),
        f"Config in {config.folder}: {state}",
        f"Last loaded {loaded_at:%a %b %d, %H:%M}; files: "
        + ", ".join(p.name for p in config.sources),
        *([_short_line(i) for i in issues[:4]] or ["No warnings or errors."]),
        *([f"… and {len(issues) - 4} more: run `kiosk check`."] if len(issues) > 4 else []),
        f"Resources to confirm by phone: {resources_due} of {resources}"
        + (" (`kiosk check` names them)" if resources_due else ""),
    ]
    hours, rest = divmod(int(uptime_seconds), 3600)
    days, hours = divmod(hours, 24)
    tomorrow_lines = [
        f"{time_text(o.start, 'en')}  {t(o.title)}" + ("  (cancelled)" if o.cancelled else "")
        for o in tomorrow
    ] or ["Nothing is scheduled tomorrow."]
    return StaffView(
        config=tuple(config_lines),
        checkins=(f"Check-ins today: {today_count}", f"Check-ins in the last 7 days: {week_count}"),
        data=tuple(data_lines),
        system=(
            f"Version {version}",
            f"Up {days} d {hours} h {rest // 60} min; memory {memory_mb:.0f} MB",
        ),
        tomorrow=tuple(tomorrow_lines),
        sync=tuple(sync_lines[:5])
        + (
            (f"… and {len(sync_lines) - 5} more: run `kiosk status`.",)
            if len(sync_lines) > 5
            else ()
        ),
    )


def _short_line(text: str, width: int = 120) -> str:
    """One problem in at most two lines of the panel; `kiosk check` has it whole."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@dataclass(frozen=True)
class QuietView:
    time: str
    date: str
    next_line: str  # "Next: Harm Reduction Group, Tue 6:00 PM"
    wake_hint: str
    help_heading: str = ""  # the crisis lines, for the hours of highest risk
    help_lines: tuple[str, ...] = ()  # "988 Suicide & Crisis Lifeline: 988"


def quiet_view(config: Config, following: Occurrence | None, now: datetime, lang: str) -> QuietView:
    t = Texts(config, lang)
    next_line = ""
    if following is not None:
        next_line = t._("Next: {title}, {when}").format(
            title=t(following.title), when=relative_start(following.start, now, lang)
        )
    lines = tuple(
        t._("{name}: {phone}").format(name=t(r.name), phone=r.phone) for r in night_lines(config)
    )
    return QuietView(
        time=time_text(now, lang),
        date=full_date_text(now, lang),
        next_line=next_line,
        wake_hint=t._("Touch the screen to wake it"),
        help_heading=t._("Someone to talk to, day or night") if lines else "",
        help_lines=lines,
    )


NIGHT_LINES = 2


def night_lines(config: Config) -> list[Resource]:
    """The crisis lines the night screen shows: the first hotlines with a phone number
    in resources.toml (in the sample, 988 and Never Use Alone)."""
    hotlines = [r for r in config.resources.resource if r.category == "hotline" and r.phone]
    return hotlines[:NIGHT_LINES]
