"""Read the config folder into one validated Config, collecting every problem at once."""

from __future__ import annotations

import errno
import logging
import re
import time as _time
import tomllib
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from kiosk.adapters import ics
from kiosk.adapters.files import read_capped
from kiosk.config import issues as iss
from kiosk.config.issues import Issue
from kiosk.config.links import LONG_LINK, LinkError, check_link
from kiosk.config.models import AlertsFile, KioskFile, ResourcesFile, ScheduleFile, TipsFile
from kiosk.core import alerts as alerts_core
from kiosk.core.feeds import Feed
from kiosk.core.schedule import ImportedCalendar, Schedule, group_meets_on, unreadable_events
from kiosk.core.text import LocalText, safe_excerpt

KIOSK, SCHEDULE, TIPS, RESOURCES = "kiosk.toml", "schedule.toml", "tips.toml", "resources.toml"
ALERTS = "alerts.toml"  # optional: read after the four, and only when it is there
FILES: dict[str, type[BaseModel]] = {
    KIOSK: KioskFile,
    SCHEDULE: ScheduleFile,
    TIPS: TipsFile,
    RESOURCES: ResourcesFile,
}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Config:
    """A complete, valid config and the files it came from."""

    folder: Path
    kiosk: KioskFile
    schedule: ScheduleFile
    tips: TipsFile
    resources: ResourcesFile
    calendars: tuple[ImportedCalendar, ...] = ()
    alerts: AlertsFile = field(default_factory=AlertsFile)
    warnings: tuple[Issue, ...] = ()
    sources: tuple[Path, ...] = ()
    # each text that falls back to the default language in some languages
    missing_translations: tuple[Untranslated, ...] = ()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.kiosk.timezone)

    @property
    def languages(self) -> list[str]:
        return self.kiosk.languages

    @property
    def default_language(self) -> str:
        return self.kiosk.default_language

    def texts(self) -> Iterator[tuple[str, str, str, LocalText]]:
        """(file, entry, field, text) for every localized text."""
        models = (self.kiosk, self.schedule, self.tips, self.resources, self.alerts)
        return local_texts(dict(zip((*FILES, ALERTS), models, strict=True)))

    @property
    def feeds(self) -> tuple[Feed, ...]:
        """The calendar feeds the kiosk subscribes to ([[calendar]] url = …)."""
        return tuple(
            Feed(c.url, c.refresh_minutes) for c in self.schedule.calendar if c.url is not None
        )

    def build_schedule(self) -> Schedule:
        s = self.schedule
        return Schedule(self.tz, s.group, s.event, s.cancellation, self.calendars)


@dataclass
class LoadResult:
    config: Config | None
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


# Bounds on what the config files may hold, so no file can exhaust a small kiosk. The
# sample config uses a small part of each.
MAX_TOML_BYTES = 1 * 2**20
MAX_DEPTH = 6  # [[resource]] with name = { en = "…" } is 3 deep


def _unreadable(name: str, exc: OSError) -> tuple[str, str]:
    """(message, hint) for a file that exists in some form but cannot be read."""
    if exc.errno == errno.ELOOP:
        return (
            f"{name} is a symbolic link that loops back on itself",
            "Replace the link with the file itself, or point it at a real file.",
        )
    if exc.errno == errno.EFBIG:
        return (
            f"{name} cannot be used: {exc.strerror}",
            "Check for something pasted in by mistake: these files are far smaller.",
        )
    if exc.errno == errno.EISDIR:
        return f"{name} is a folder, not a file", "Put the file itself there."
    return f"{name} cannot be read: {exc.strerror}", "Check the file's permissions."


def _depth(value: Any, limit: int) -> int:
    """How deeply tables and arrays nest in `value`, counting no further than `limit`+1."""
    if limit < 0 or not isinstance(value, (dict, list)):
        return 0
    items = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(v, limit - 1) for v in items), default=0)


def read_toml(path: Path) -> tuple[dict[str, Any] | None, Issue | None]:
    """Parse one TOML file; a syntax error becomes an Issue with its line and column."""
    name = path.name
    try:
        text = read_capped(path, MAX_TOML_BYTES).decode("utf-8")
    except UnicodeDecodeError:
        return None, iss.error(name, "the file is not UTF-8 text", "Save it as UTF-8.")
    except OSError as exc:
        message, hint = _unreadable("the file", exc)
        return None, iss.error(name, message, hint)
    try:
        data = tomllib.loads(text)
    except RecursionError:
        data = None
    except tomllib.TOMLDecodeError as exc:
        return None, _syntax_error(name, text, exc)
    if data is None or _depth(data, MAX_DEPTH) > MAX_DEPTH:
        return None, iss.error(
            name,
            f"lists or tables are nested more than {MAX_DEPTH} deep",
            'Each entry is a [[table]] of keys; a text is a string or { en = "…" }.'
            " Remove the extra brackets.",
        )
    return data, None


def _syntax_error(name: str, text: str, exc: tomllib.TOMLDecodeError) -> Issue:
    reason = _TOML_POSITION.sub("", str(exc)).replace(" (at end of document)", "")
    match = _TOML_POSITION.search(str(exc))
    lines = text.splitlines()
    if match:
        line, col = int(match[1]), int(match[2])
    else:  # "at end of document": something was left open
        line = len(lines) or 1
        col = len(lines[-1]) + 1 if lines else 1
        reason += " (the file ends before it is finished: a missing ], } or quote?)"
    shown = safe_excerpt(lines[line - 1].strip()) if 0 < line <= len(lines) else ""
    message = f"TOML syntax error at line {line}, column {col}: {reason}"
    if shown:
        message += f"\n    {line} | {shown}"
    return iss.error(name, message, _TOML_HINT)


_TOML_HINT = (
    'Check that line: text goes in "double quotes", times are written bare (18:00:00),'
    " lists use [ ] with commas, and each key appears once per table."
)


@dataclass
class _Parsed:
    """One file: its model if valid, else the entries that are valid on their own (for
    the checks across entries), and the ids of entries that are not."""

    model: BaseModel | None
    usable: BaseModel | None
    broken_ids: set[str] = field(default_factory=set)


def _validate(
    name: str, raw: dict[str, Any], model: type[BaseModel]
) -> tuple[_Parsed, list[Issue]]:
    try:
        valid = model.model_validate(raw)
        return _Parsed(valid, valid), []
    except ValidationError as exc:
        found = iss.from_validation_error(name, exc, raw, model)
    values: dict[str, list[BaseModel]] = {}
    broken: set[str] = set()
    for key, info in model.model_fields.items():
        entry_model = iss.list_entry_model(info.annotation)
        if entry_model is None or not isinstance(raw.get(key), list):
            continue
        values[key] = []
        for item in raw[key]:
            try:
                values[key].append(entry_model.model_validate(item))
            except ValidationError:
                if isinstance(item, dict) and "id" in item:
                    broken.add(str(item["id"]))
    if not values:  # no arrays of tables (kiosk.toml): nothing usable on its own
        return _Parsed(None, None), found
    return _Parsed(None, model.model_construct(**values), broken), found


def load(folder: Path | str, data: Path | str | None = None) -> LoadResult:
    """Load and check the whole folder. Config is None when there is any error. `data` is
    the data folder, where calendar feeds keep their last good copies."""
    try:
        return _load(Path(folder), None if data is None else Path(data))
    except Exception as exc:  # a fault in the kiosk must not take the screen down
        log.exception("Unexpected fault while loading the config from %s", folder)
        return LoadResult(
            None,
            [
                iss.error(
                    str(folder),
                    f"the config could not be loaded ({type(exc).__name__}: {exc})",
                    "This is a fault in the kiosk, not in your files: please report it,"
                    " with the log.",
                )
            ],
        )


def _load(folder: Path, data: Path | None) -> LoadResult:
    issues: list[Issue] = []
    if not folder.is_dir():
        issues.append(
            iss.error(
                str(folder),
                "the config folder does not exist",
                "Pass --config DIR with the folder holding kiosk.toml.",
            )
        )
        return LoadResult(None, issues)
    parsed: dict[str, _Parsed] = {}
    sources: list[Path] = []
    for name, model in FILES.items():
        path = folder / name
        if not path.exists() and not path.is_symlink():
            if name == KIOSK:
                issues.append(
                    iss.error(
                        name,
                        "the file is missing",
                        "Copy kiosk.toml from the sample config and edit it.",
                    )
                )
                parsed[name] = _Parsed(None, None)
            else:
                if name != RESOURCES:
                    issues.append(
                        iss.warning(name, "the file is missing, so nothing from it is shown")
                    )
                parsed[name] = _Parsed(model(), model())
            continue
        sources.append(path)
        raw, problem = read_toml(path)
        if problem:
            issues.append(problem)
            parsed[name] = _Parsed(None, None)
            continue
        assert raw is not None
        parsed[name], found = _validate(name, raw, model)
        issues += found

    kiosk, schedule, tips, resources = (parsed[n].usable for n in FILES)
    calendars: list[ImportedCalendar] = []
    untranslated: list[tuple[str, str, str]] = []
    if isinstance(schedule, ScheduleFile):
        issues += _check_schedule(schedule, parsed[SCHEDULE].broken_ids)
        calendars, found, paths = _load_calendars(folder, schedule, data)
        issues += found
        sources += paths
    if isinstance(tips, TipsFile):
        issues += _check_unique_ids(TIPS, "tip", tips.tip)
    if isinstance(resources, ResourcesFile):
        issues += _check_unique_ids(RESOURCES, "resource", resources.resource)
    domains = kiosk.links.allowed_domains if isinstance(kiosk, KioskFile) else []
    issues += _check_links(domains, tips, resources)
    alerts, found, alerts_path = _load_alerts(folder, kiosk, domains)
    issues += found
    if alerts_path is not None:
        sources.append(alerts_path)
    if isinstance(kiosk, KioskFile):
        models = {name: parsed[name].usable for name in FILES} | {ALERTS: alerts}
        untranslated = missing_translations(kiosk, models)
        issues += _translation_warnings(kiosk, untranslated)

    if any(i.severity == "error" for i in issues):
        return LoadResult(None, issues)
    kiosk, schedule, tips, resources = (parsed[n].model for n in FILES)
    assert isinstance(kiosk, KioskFile) and isinstance(schedule, ScheduleFile)
    assert isinstance(tips, TipsFile) and isinstance(resources, ResourcesFile)
    if not tips.tip:
        issues.append(iss.warning(TIPS, "there are no tips, so the tip card is hidden"))
    if kiosk.privacy.min_report_count < 3:
        issues.append(
            iss.warning(
                KIOSK,
                f"min_report_count = {kiosk.privacy.min_report_count} lets reports show the"
                " mood of one or two people",
                "Use 5 (the default) or at least 3.",
                "[privacy]",
                "min_report_count",
            )
        )
    issues += _after_group_warnings(kiosk, schedule)
    config = Config(
        folder=folder,
        kiosk=kiosk,
        schedule=schedule,
        tips=tips,
        resources=resources,
        calendars=tuple(calendars),
        alerts=alerts or AlertsFile(),
        warnings=tuple(i for i in issues if i.severity == "warning"),
        sources=tuple(sources),
        missing_translations=tuple(untranslated),
    )
    return LoadResult(config, issues)


def _after_group_warnings(kiosk: KioskFile, schedule: ScheduleFile) -> list[Issue]:
    """An id in [after_group] groups that names no group would never be asked for. (With
    calendars, an id may be an imported event's, which is only known once they load.)"""
    if schedule.calendar:
        return []
    known = {g.id for g in schedule.group}
    return [
        iss.warning(
            KIOSK,
            f'[after_group] groups lists "{group}", which is not a [[group]] in schedule.toml,'
            " so the question is never asked for it",
            "Use the id of a [[group]], or leave groups = [] for every group.",
            "[after_group]",
            "groups",
        )
        for group in kiosk.after_group.groups
        if group not in known
    ]


def _check_unique_ids(file: str, table: str, items: list[Any]) -> list[Issue]:
    counts = Counter(item.id for item in items)
    found = []
    for index, item in enumerate(items):
        if counts[item.id] > 1:
            first = next(i for i, x in enumerate(items) if x.id == item.id)
            if first != index:
                found.append(
                    iss.error(
                        file,
                        f'the id "{item.id}" is already used by [[{table}]] #{first + 1}',
                        "Give each entry its own id.",
                        iss.entry_label(table, index, {"id": item.id}),
                        "id",
                    )
                )
    return found


def _check_schedule(schedule: ScheduleFile, broken_ids: set[str]) -> list[Issue]:
    """Checks across entries. `broken_ids` are entries with their own errors: a
    cancellation naming one is not reported again."""
    found: list[Issue] = []
    entries: list[tuple[str, int, Any]] = [("group", i, g) for i, g in enumerate(schedule.group)]
    entries += [("event", i, e) for i, e in enumerate(schedule.event)]
    seen: dict[str, str] = {}
    for table, index, item in entries:
        label = iss.entry_label(table, index, {"id": item.id})
        if item.id in seen:
            found.append(
                iss.error(
                    SCHEDULE,
                    f'the id "{item.id}" is already used by {seen[item.id]}',
                    "Groups and events share ids (check-ins are stored by id): give each its own.",
                    label,
                    "id",
                )
            )
        else:
            seen[item.id] = label
    groups: dict[str, Any] = {}
    events: dict[str, Any] = {}
    for g in schedule.group:
        groups.setdefault(g.id, g)
    for e in schedule.event:
        events.setdefault(e.id, e)
    done: set[tuple[str, Any]] = set()
    for index, c in enumerate(schedule.cancellation):
        label = iss.entry_label("cancellation", index, {"group": c.group, "date": c.date})
        if (c.group, c.date) in done:
            found.append(
                iss.error(
                    SCHEDULE,
                    "this cancellation is listed twice",
                    "Remove one of them.",
                    label,
                    "date",
                )
            )
            continue
        done.add((c.group, c.date))
        if c.group in groups:
            g = groups[c.group]
            if not group_meets_on(g, c.date):
                found.append(
                    iss.error(
                        SCHEDULE,
                        f'"{c.group}" does not meet on {c.date:%A %Y-%m-%d}',
                        f"Use a date the group meets ({_next_dates(g, c.date)}).",
                        label,
                        "date",
                    )
                )
        elif c.group in events:
            e = events[c.group]
            if e.start.date() != c.date:
                found.append(
                    iss.error(
                        SCHEDULE,
                        f'the event "{c.group}" is on {e.start.date()}, not {c.date}',
                        f"Set date = {e.start.date()}.",
                        label,
                        "date",
                    )
                )
        elif c.group not in broken_ids:
            import difflib

            close = difflib.get_close_matches(c.group, list(groups) + list(events), n=1)
            hint = f'Did you mean "{close[0]}"?' if close else "Use the id of a [[group]]."
            found.append(
                iss.error(SCHEDULE, f'there is no group with id "{c.group}"', hint, label, "group")
            )
    return found


def _next_dates(group: Any, near: Any) -> str:
    from datetime import datetime, time, timedelta

    from kiosk.core.schedule import group_dates

    lo = datetime.combine(near - timedelta(days=20), time.min)
    hi = datetime.combine(near + timedelta(days=40), time.max)
    dates = group_dates(group, lo, hi)
    nearest = sorted(dates, key=lambda d: abs((d.date() - near).days))[:2]
    return ", ".join(f"{d:%a %Y-%m-%d}" for d in sorted(nearest)) or "none nearby"


def _load_calendars(
    folder: Path, schedule: ScheduleFile, data: Path | None
) -> tuple[list[ImportedCalendar], list[Issue], list[Path]]:
    """Each [[calendar]]: a file in the config folder, or a feed's last good copy in the
    data folder (a feed never makes the config invalid: at worst its events are missing)."""
    calendars: list[ImportedCalendar] = []
    found: list[Issue] = []
    paths: list[Path] = []
    for index, entry in enumerate(schedule.calendar):
        if entry.url is not None:
            feed = Feed(entry.url, entry.refresh_minutes)
            label = iss.entry_label("calendar", index, {"file": feed.name})
            source = _feed_copy(feed, data, label, found)
            if source is not None:
                paths.append(source)
                _read_calendar(source, f"the copy of the feed {feed.name}", label, "url", found,
                               calendars, feed.name)  # fmt: skip
            continue
        assert entry.file is not None
        label = iss.entry_label("calendar", index, {"file": entry.file})
        paths.append((folder / entry.file).resolve())
        _read_calendar(folder / entry.file, f'the calendar file "{entry.file}"', label, "file",
                       found, calendars, entry.file)  # fmt: skip
    return calendars, found, paths


def _feed_copy(feed: Feed, data: Path | None, label: str, found: list[Issue]) -> Path | None:
    """Where the feed's copy is (watched for changes even before it exists), or None."""
    if data is None:
        found.append(
            iss.warning(
                SCHEDULE,
                f"the feed {feed.name} is not shown here: no data folder was given",
                "Pass --data DIR.",
                label,
                "url",
            )
        )
        return None
    from kiosk.adapters import feeds as feed_files  # the data folder's layout, no HTTP

    path = feed_files.copy_path(data, feed.id)
    if not path.is_file():
        state = feed_files.read_state(data, feed.id)
        found.append(
            iss.warning(
                SCHEDULE,
                f"the calendar feed {feed.name} has no copy yet, so none of its events show:"
                f" {state.describe(_time.time())}",
                "Its events appear once a fetch works: see `kiosk status` and the staff panel.",
                label,
                "url",
            )
        )
    return path


def _read_calendar(
    path: Path,
    what: str,
    label: str,
    key: str,
    found: list[Issue],
    calendars: list[ImportedCalendar],
    name: str,
) -> None:
    """Read one calendar into `calendars`, or say in `found` why it cannot be."""
    feed = key == "url"
    where = f"the feed {name}" if feed else f'"{name}"'
    try:
        data = read_capped(path, ics.MAX_BYTES)
    except FileNotFoundError:
        if not feed:  # a feed without a copy was reported by _feed_copy
            found.append(
                iss.error(
                    SCHEDULE,
                    f"{what} was not found (looked for {path.resolve()})",
                    "Put the .ics file in the config folder, or fix the file name.",
                    label,
                    key,
                )
            )
        return
    except OSError as exc:
        problem, hint = _unreadable(name, exc)
        found.append((iss.warning if feed else iss.error)(SCHEDULE, problem, hint, label, key))
        return
    try:
        ical, skipped = ics.read(data)
    except ics.IcsError as exc:
        hint = "Export it again from the calendar app as .ics (iCalendar)."
        found.append((iss.warning if feed else iss.error)(SCHEDULE, f"{what} {exc}", hint,
                                                          label, key))  # fmt: skip
        return
    for event in skipped:
        found.append(
            iss.warning(
                SCHEDULE,
                f'the event "{event.name}" in {where} is left out: {event.reason}',
                "Change that event in the calendar app (a group meets at most a few"
                " times a day)" + ("." if feed else ", then export the calendar again."),
                label,
                key,
            )
        )
    problem = unreadable_events(ical)
    if problem:
        found.append(
            iss.warning(
                SCHEDULE,
                f"some events in {where} cannot be read and are left out ({problem})",
                "Check the repeating events in the calendar app"
                + ("." if feed else ", or export it again."),
                label,
                key,
            )
        )
    calendars.append(ImportedCalendar(name, ical))


def _load_alerts(
    folder: Path, kiosk: Any, domains: list[str]
) -> tuple[AlertsFile | None, list[Issue], Path | None]:
    """alerts.toml, if there: its alerts, their problems, and the path to watch."""
    path = folder / ALERTS
    if not path.exists() and not path.is_symlink():
        return None, [], None
    raw, problem = read_toml(path)
    if problem:
        return None, [problem], path
    assert raw is not None
    checked, found = _validate(ALERTS, raw, AlertsFile)
    alerts = checked.model
    if not isinstance(alerts, AlertsFile):
        return None, found, path
    found += _check_unique_ids(ALERTS, "alert", alerts.alert)
    for index, alert in enumerate(alerts.alert):
        label = iss.entry_label("alert", index, {"id": alert.id})
        if alert.link:
            try:
                check_link(alert.link, domains)
            except LinkError as exc:
                found.append(iss.error(ALERTS, str(exc), exc.hint, label, "link"))
        if isinstance(kiosk, KioskFile):
            found += _alert_time_issues(alert, label, ZoneInfo(kiosk.timezone))
        if isinstance(kiosk, KioskFile) and alert.start is None:
            now = datetime.now(ZoneInfo(kiosk.timezone)).replace(tzinfo=None)
            if alert.until - now > timedelta(days=alerts_core.MAX_DAYS):
                found.append(
                    iss.error(
                        ALERTS,
                        f"with no from, the alert starts now and would last more than"
                        f" {alerts_core.MAX_DAYS} days",
                        f"End it within {alerts_core.MAX_DAYS} days, or give from = … as well.",
                        label,
                        "until",
                    )
                )
    return alerts, found, path


def _alert_time_issues(alert: Any, label: str, tz: ZoneInfo) -> list[Issue]:
    """An alert's times as the kiosk's clock will read them: one in the hour the clocks
    skip in spring would shift, and could leave the alert never in force."""
    found = []
    for name, value in (("from", alert.start), ("until", alert.until)):
        if value is not None and alerts_core.skipped_hour(value, tz):
            found.append(
                iss.error(
                    ALERTS,
                    f"{name} = {value:%Y-%m-%dT%H:%M} does not happen here: the clocks skip"
                    " that hour",
                    "Give a time an hour later (or earlier).",
                    label,
                    name,
                )
            )
    now = datetime.now(tz).replace(tzinfo=None)
    if not found and alert.until <= now:
        found.append(
            iss.warning(
                ALERTS,
                f"it ended on {alert.until:%a %b %d %H:%M} and no longer shows",
                "Delete it when you like; it does no harm.",
                label,
                "until",
            )
        )
    return found


def _check_links(domains: list[str], tips: Any, resources: Any) -> list[Issue]:
    found: list[Issue] = []
    pairs: list[tuple[str, str, int, Any, str, str | None]] = []
    if isinstance(tips, TipsFile):
        pairs += [(TIPS, "tip", i, t, "link", t.link) for i, t in enumerate(tips.tip)]
    if isinstance(resources, ResourcesFile):
        pairs += [
            (RESOURCES, "resource", i, r, "url", r.url) for i, r in enumerate(resources.resource)
        ]
    for file, table, index, item, key, link in pairs:
        if not link:
            continue
        label = iss.entry_label(table, index, {"id": item.id})
        try:
            check_link(link, domains)
        except LinkError as exc:
            found.append(iss.error(file, str(exc), exc.hint, label, key))
            continue
        if len(link) > LONG_LINK:
            found.append(
                iss.warning(
                    file,
                    f"the link is {len(link)} characters long, so its QR code is dense"
                    " and harder to scan",
                    f"Use a shorter address (at most {LONG_LINK} characters) if the site has one.",
                    label,
                    key,
                )
            )
    return found


def _texts(model: BaseModel, path: str = "") -> Iterator[tuple[str, str, LocalText]]:
    """(entry label, field, text) for every LocalText in a model."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if isinstance(value, LocalText):
            yield path, info.alias or name, value
        elif isinstance(value, BaseModel):
            yield from _texts(value, path or f"[{name}]")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _texts(item, iss.entry_label(name, i, item))


def local_texts(
    models: Mapping[str, BaseModel | None],
) -> Iterator[tuple[str, str, str, LocalText]]:
    """(file, entry, field, text) for every localized text in the files given by name."""
    for file, model in models.items():
        if model is not None:
            for entry, name, text in _texts(model):
                yield file, entry, name, text


@dataclass(frozen=True)
class Untranslated:
    """One field of one entry with no text in some configured languages."""

    file: str
    entry: str
    field: str
    languages: tuple[str, ...]


def missing_translations(
    kiosk: KioskFile, models: Mapping[str, BaseModel | None]
) -> list[Untranslated]:
    return [
        Untranslated(file, entry, name, tuple(langs))
        for file, entry, name, text in local_texts(models)
        if (langs := text.missing(kiosk.languages))
    ]


def _some(items: list[str], shown: int = 4) -> str:
    more = len(items) - shown
    return ", ".join(items[:shown]) + (f" and {more} more" if more > 0 else "")


def _translation_warnings(kiosk: KioskFile, missing: list[Untranslated]) -> list[Issue]:
    """One warning per file and language; `kiosk check` lists every entry after them."""
    entries: dict[tuple[str, str], list[str]] = {}
    for item in missing:
        for lang in item.languages:
            found = entries.setdefault((item.file, lang), [])
            if (item.entry or item.field) not in found:
                found.append(item.entry or item.field)
    return [
        iss.warning(
            file,
            f"{len(found)} {'entry has' if len(found) == 1 else 'entries have'} text with no"
            f" {lang} translation, shown in {kiosk.default_language} instead: {_some(found)}",
        )
        for (file, lang), found in entries.items()
    ]
