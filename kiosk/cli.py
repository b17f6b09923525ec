"""Command line: run, check, upcoming, preview (see the CLI contract).

Exit codes: 0 success, 1 bad input (config, arguments, files), 3 a replay expectation failed.
Kivy is imported only by the commands that open a window.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from kiosk import __version__
from kiosk.adapters import data_facts, data_folder
from kiosk.adapters.files import read_capped
from kiosk.config.issues import Issue
from kiosk.config.loader import Config, load
from kiosk.config.models import TIP_CATEGORIES
from kiosk.core.clock import parse_at
from kiosk.words import cjk_subset, fonts
from kiosk.words import offer as languages

EXIT_OK, EXIT_BAD_INPUT, EXIT_EXPECTATION = 0, 1, 3
DEFAULT_SIZE = (1920, 1080)


class CliError(Exception):
    """Bad input: printed without a traceback, exit code 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(f"{self.prog}: {message}\nRun `{self.prog} --help` for usage.")


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a size; write it like 1920x1080"
        ) from None
    if not (320 <= w <= 8192 and 320 <= h <= 8192):
        raise argparse.ArgumentTypeError(f"{text} is out of range (320 to 8192 pixels a side)")
    return w, h


def _date(text: str) -> date:
    from kiosk.core.recurrence import HIGHEST_YEAR, LOWEST_YEAR

    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it like 2026-12-01"
        ) from None
    if not LOWEST_YEAR <= day.year <= HIGHEST_YEAR:
        raise argparse.ArgumentTypeError(f"{text}: use a date from {LOWEST_YEAR} to {HIGHEST_YEAR}")
    return day


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if not 1 <= days <= 366:
        raise argparse.ArgumentTypeError("--days must be between 1 and 366")
    return days


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kiosk", description="Lobby kiosk for a harm-reduction group.")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument(
            "--config", type=Path, default=Path("config"), help="config folder (default: config/)"
        )
        return p

    run = command("run", "Start the kiosk.")
    mode = run.add_mutually_exclusive_group()
    mode.add_argument(
        "--kiosk", action="store_true", help="fullscreen, no cursor, Escape and close ignored"
    )
    mode.add_argument("--windowed", action="store_true", help="a normal window (the default)")
    run.add_argument("--data", type=Path, default=Path("data"), help="data folder (default: data/)")
    run.add_argument("--size", type=_size, default=DEFAULT_SIZE, help="window size, e.g. 1280x800")
    run.add_argument(
        "--at", help="start the app's clock at this local date-time, e.g. 2026-12-01T17:45"
    )
    run.add_argument("--replay", type=Path, help="run this replay script, then exit")
    run.add_argument("--screenshot-dir", type=Path, help="where a replay's `shot` lines save PNGs")
    run.add_argument("--lang", help="start in this language (a code from kiosk.toml)")
    run.set_defaults(func=cmd_run)

    check = command("check", "Validate the config folder and summarise it.")
    check.add_argument("--at", help="count the 7 days from this local date-time instead of now")
    check.add_argument(
        "--data", type=Path, default=Path("data"), help="data folder to check (default: data/)"
    )
    check.set_defaults(func=cmd_check)

    upcoming = command("upcoming", "List occurrences that are on now or coming up.")
    upcoming.add_argument("--at", help="local date-time to look from (default: now)")
    upcoming.add_argument("--days", type=_days, default=7, help="how many days ahead (default 7)")
    upcoming.add_argument("--lang", help="language for titles and notes")
    upcoming.add_argument("--json", action="store_true", help="print the JSON of the contract")
    upcoming.add_argument(
        "--data", type=Path, default=Path("data"), help="data folder, for calendar feeds' copies"
    )
    upcoming.set_defaults(func=cmd_upcoming)

    set_pin = command("set-pin", "Set the staff PIN (4-8 digits) that opens the staff panel.")
    set_pin.set_defaults(func=cmd_set_pin)

    status = command("status", "Is the kiosk running well? For cron jobs and monitoring.")
    status.add_argument("--data", type=Path, default=Path("data"), help="data folder")
    status.add_argument("--json", action="store_true", help="print the heartbeat as JSON")
    status.add_argument(
        "--format",
        choices=("text", "prometheus"),
        default="text",
        help="one line (the default), or Prometheus metrics for node_exporter's textfile collector",
    )
    status.set_defaults(func=cmd_status)

    report = command("report", "Attendance per occurrence, as CSV or a one-file HTML page.")
    report.add_argument("--data", type=Path, default=Path("data"), help="data folder")
    report.add_argument("--from", dest="start", type=_date, help="first date (YYYY-MM-DD)")
    report.add_argument("--to", dest="end", type=_date, help="last date (YYYY-MM-DD)")
    report.add_argument("--format", choices=("csv", "html"), default="csv")
    report.add_argument(
        "--kind",
        choices=("checkins", "after-group"),
        default="checkins",
        help="check-ins (the default), or the after-group question's answers",
    )
    report.add_argument("--out", type=Path, help="file to write (default: print it)")
    report.add_argument(
        "--merge",
        nargs="+",
        metavar="NAME=FILE",
        help="merge the CSV reports of several buildings (instead of reading --data)",
    )
    report.set_defaults(func=cmd_report)

    preview = command("preview", "Render every screen to PNG, headless.")
    preview.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    preview.add_argument(
        "--data", type=Path, default=Path("data"), help="data folder (default: data/)"
    )
    preview.add_argument("--at", help="the local date-time to show")
    preview.add_argument("--lang", help="language code from kiosk.toml")
    preview.add_argument(
        "--size", type=_size, default=DEFAULT_SIZE, help="window size (default 1920x1080)"
    )
    preview.add_argument(
        "--text-size",
        choices=["normal", "large", "xlarge"],
        default="normal",
        help="the text size a resident chose with the text-size button",
    )
    preview.set_defaults(func=cmd_preview)

    sync = command("sync", "Bring the config from a git repository that staff edit.")
    sync.add_argument("--source", required=True, help="the repository (URL, path or file://)")
    sync.add_argument("--branch", help="the branch (default: the repository's own)")
    sync.add_argument("--path", help="this building's folder in the repository")
    sync.add_argument("--shared", help="the folder every building uses")
    sync.add_argument("--force", action="store_true", help="replace changes made by hand")
    sync.add_argument("--data", type=Path, default=Path("data"), help="data folder")
    sync.set_defaults(func=cmd_sync)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return args.func(args)
    except CliError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `kiosk upcoming | head`: the reader left; that is fine
        sys.stderr.close()
        return EXIT_OK


# --- helpers ---------------------------------------------------------------------------------


def _print_issues(issues: Sequence[Issue], heading: str, stream=None) -> None:
    if issues:
        print(f"{heading} ({len(issues)}):", file=stream)
        for issue in issues:
            print("  - " + str(issue).replace("\n", "\n    "), file=stream)


def _valid_config(folder: Path, data: Path | None = None) -> Config:
    result = load(folder, data)
    if result.config is None:
        _print_issues(result.errors, f"The config in {folder} has errors", sys.stderr)
        raise CliError("Nothing was done. Fix the errors above (see `kiosk check`).")
    return result.config


def _now(config: Config, at: str | None) -> datetime:
    if at is None:
        return datetime.now(config.tz)
    try:
        return parse_at(at, config.tz)
    except ValueError as exc:
        raise CliError(str(exc)) from None


def _language(config: Config, lang: str | None) -> str:
    if lang is None:
        return config.default_language
    if lang not in config.languages:
        raise CliError(
            f"--lang {lang}: not one of the languages in kiosk.toml ({', '.join(config.languages)})"
        )
    return lang


# --- commands --------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    result = load(args.config, args.data)
    config = result.config
    if config is None:
        _print_issues(result.warnings, "Warnings")
        _print_issues(result.errors, f"Errors in {args.config}")
        print(
            f"\n{len(result.errors)} error(s). The kiosk keeps showing the last good config"
            " until they are fixed."
        )
        return EXIT_BAD_INPUT
    now = _now(config, args.at)
    week = config.build_schedule().upcoming(now, days=7)
    s, tips = config.schedule, config.tips.tip
    per_category = Counter(t.category for t in tips)
    missing = Counter(lang for item in config.missing_translations for lang in item.languages)
    offered, language_warnings = languages.review(config)
    groups = ", ".join(g.id for g in s.group) or "none"
    categories = ", ".join(f"{c} {per_category[c]}" for c in TIP_CATEGORIES)
    untranslated = ", ".join(f"{lang} {n}" for lang, n in missing.items()) or "none"
    print(f"Config in {args.config} is valid.")
    print(f"  Groups:       {len(s.group)} ({groups})")
    print(
        f"  Events:       {len(s.event)} one-off, {len(s.cancellation)} cancellation(s),"
        f" {len(s.calendar)} calendar(s)"
    )
    print(
        f"  Next 7 days:  {len(week)} occurrence(s), {sum(o.cancelled for o in week)} cancelled"
        f" (from {now:%Y-%m-%d %H:%M %Z})"
    )
    print(f"  Tips:         {len(tips)} ({categories})")
    due = resources_due(config, now.date())
    print(
        f"  Resources:    {len(config.resources.resource)}"
        + (f" ({len(due)} to confirm by phone: see the warnings)" if due else "")
    )
    _print_alerts(config, now)
    _print_printer(config)
    print(f"  Languages:    {', '.join(offered.offered)} (default {offered.default})")
    for face in dict.fromkeys(offered.faces.values()):
        shown_in = ", ".join(lang for lang, f in offered.faces.items() if f == face)
        print(f"    {shown_in} in the font {face.label}")
    for lang, why in offered.refused.items():
        print(f"    NOT OFFERED: {lang}, because {why}")
    print(f"  Missing translations: {untranslated}")
    try:
        data_summary = _data_summary(args.data, now.date())
    except PermissionError:
        data_summary = f"not readable by this user ({args.data}); run as the kiosk's user"
    print(f"  Check-in data: {data_summary}")
    for line in _feed_lines(config, args.data):
        print(line)
    _print_untranslated(config)
    _print_issues([*config.warnings, *language_warnings, *due], "Warnings")
    return EXIT_OK


def resources_due(config: Config, today: date) -> list[Issue]:
    """A warning for each resource no person has confirmed in the last 180 days."""
    from kiosk.config import freshness
    from kiosk.config.issues import entry_label, warning

    resources = config.resources.resource
    return [
        warning(
            "resources.toml",
            d.message(today),
            d.hint(),
            entry_label("resource", d.index, resources[d.index]),
            "checked",
        )
        for d in freshness.due(resources, today)
    ]


def _print_untranslated(config: Config) -> None:
    """Every entry and field with a missing translation, file by file."""
    if not config.missing_translations:
        return
    print(f"\nMissing translations (these show in {config.default_language}):")
    file = None
    for item in config.missing_translations:
        if item.file != file:
            file = item.file
            print(f"  {file}")
        where = f"{item.entry} {item.field}".strip()
        print(f"    {where}: {', '.join(item.languages)}")


def _print_alerts(config: Config, now: datetime) -> None:
    """Each alert in force or to come, and when it ends (expired ones are left out)."""
    from kiosk.core import alerts

    live = alerts.localize(config.alerts.alert, config.tz)
    lines = alerts.summary(live, now, config.default_language)
    shown = len(alerts.in_force(live, now))
    print(
        f"  Alerts:       {shown} in force"
        + (f", {len(lines) - shown} to come" if len(lines) > shown else "")
    )
    for line in lines:
        print(f"    {line}")


def _print_printer(config: Config) -> None:
    """Where slips print, if a printer is enabled (`kiosk preview` draws each slip)."""
    printer = config.kiosk.printer
    if not printer.enabled:
        return
    from kiosk.adapters.printer import device_problem

    where = printer.device or f"USB {printer.usb}"
    problem = device_problem(printer.device) if printer.device else ""
    there = f" (NOW: {problem})" if problem else ""
    print(f"  Printer:      {where}, {printer.paper_mm} mm paper{there}")


def _feed_lines(config: Config, data: Path) -> list[str]:
    """`kiosk check`'s word on each calendar feed: when it last worked, and if not, why."""
    if not config.feeds:
        return []
    from kiosk.adapters import feeds

    lines = ["  Calendar feeds:"]
    for feed in config.feeds:
        state = feeds.read_state(data, feed.id)
        lines.append(f"    {feed.name}: {state.describe(time.time())}")
    return lines


def _data_summary(folder: Path, today: date) -> str:
    """What `kiosk check` says about the check-in data (it changes nothing)."""
    return "; ".join(data_facts.facts(folder, today).lines)


def cmd_report(args: argparse.Namespace) -> int:
    from kiosk.adapters.storage import DB_NAME, CorruptDatabase, load_tallies
    from kiosk.core import report

    if args.start and args.end and args.start > args.end:
        raise CliError(f"--from {args.start} is after --to {args.end}")
    if args.merge:
        return _write_report(args, _merged_report(args))
    config = _valid_config(args.config, args.data)
    if not args.data.is_dir():
        raise CliError(
            f"--data {args.data}: there is no such folder. Give the kiosk's data folder"
            " (on a kiosk: /var/lib/lobby-kiosk)."
        )
    try:
        tallies = load_tallies(args.data)
    except CorruptDatabase as exc:
        raise CliError(
            f"{args.data / DB_NAME} cannot be read ({exc}). Start the kiosk once: it keeps the"
            " damaged file aside and restores the newest backup."
        ) from None
    except OSError as exc:
        raise CliError(f"{args.data / DB_NAME}: {exc.strerror}") from None
    now = datetime.now(config.tz)
    rows = report.rows(config, tallies, args.start, args.end, now=now, kind=args.kind)
    if left_out := report.unplaced(tallies):
        print(
            f"Note: {left_out} count(s) in {args.data / DB_NAME} have no date the report can"
            " place (not written by this kiosk?) and are left out.",
            file=sys.stderr,
        )
    if args.format == "csv":
        text = report.to_csv(rows) if args.kind == "checkins" else report.after_to_csv(rows)
    else:
        if args.kind != "checkins":
            rows = report.rows(config, tallies, args.start, args.end, now=now)
        after = report.rows(config, tallies, args.start, args.end, now=now, kind="after-group")
        text = report.to_html(config, rows, args.start, args.end, after)
    return _write_report(args, text)


def _merged_report(args: argparse.Namespace) -> str:
    from kiosk.core import merge, report

    if args.kind != "checkins":
        raise CliError("--merge reads check-in reports: leave out --kind")
    try:
        pairs = [merge.parse_argument(argument) for argument in args.merge]
    except merge.MergeError as exc:
        raise CliError(str(exc)) from None
    if len({name for name, _ in pairs}) < len(pairs):
        raise CliError("--merge: give each building its own NAME")
    reports = []
    for name, path in pairs:
        try:
            data = read_capped(Path(path), merge.MAX_BYTES)  # a device or FIFO ends too
            reports.append(merge.read_report(name, path, data))
        except merge.MergeError as exc:
            raise CliError(str(exc)) from None
        except OSError as exc:
            raise CliError(f"--merge {name}={path}: {exc.strerror or exc}") from None
    rows = [
        r
        for r in merge.merged_rows(reports)
        if not (args.start and r.row.day < args.start) and not (args.end and r.row.day > args.end)
    ]
    if args.format == "csv":
        return merge.to_csv(rows)
    title = "All buildings: " + ", ".join(name for name, _ in pairs)
    return report.to_html(None, merge.as_report_rows(rows), args.start, args.end, title=title)


def _write_report(args: argparse.Namespace, text: str) -> int:
    if args.out is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"--out {args.out}: cannot write ({exc.strerror})") from None
    print(f"Wrote {args.out}")
    return EXIT_OK


def cmd_upcoming(args: argparse.Namespace) -> int:
    config = _valid_config(args.config, args.data)
    now = _now(config, args.at)
    lang = _language(config, args.lang)
    occurrences = config.build_schedule().upcoming(now, days=args.days)
    default = config.default_language

    def text(value) -> str:
        return value.get(lang, default) if value else ""

    if args.json:
        items = [
            {
                "id": o.id,
                "title": text(o.title),
                "start": o.start.isoformat(),
                "end": o.end.isoformat(),
                "location": text(o.location),
                "cancelled": o.cancelled,
                "note": text(o.note),
            }
            for o in occurrences
        ]
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not occurrences:
        print(f"Nothing in the {args.days} day(s) from {now:%Y-%m-%d %H:%M}.")
    for o in occurrences:
        line = f"{o.start:%a %Y-%m-%d %H:%M}-{o.end:%H:%M}  {text(o.title)}"
        if o.location:
            line += f"  ({text(o.location)})"
        if o.cancelled:
            line += "  CANCELLED" + (f": {text(o.note)}" if o.note else "")
        print(line)
    return EXIT_OK


def _headless_if_no_display() -> bool:
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_run(args: argparse.Namespace) -> int:
    from kiosk.testing import replay as replay_script

    steps = None
    if args.replay:
        try:
            text = read_capped(args.replay, replay_script.MAX_BYTES).decode("utf-8")
            steps = replay_script.parse(text, str(args.replay))
        except OSError as exc:
            raise CliError(
                f"{args.replay}: cannot read the replay script ({exc.strerror})"
            ) from None
        except UnicodeDecodeError as exc:
            raise CliError(
                f"{args.replay}: the replay script is not UTF-8 text (byte {exc.start});"
                " save it as plain UTF-8 text"
            ) from None
        except replay_script.ScriptError as exc:
            raise CliError(str(exc)) from None
    return _start_app(
        args,
        fullscreen=args.kiosk,
        headless=bool(steps is not None and _headless_if_no_display()),
        steps=steps,
        shot_dir=args.screenshot_dir,
    )


def cmd_status(args: argparse.Namespace) -> int:
    """0: running and well. 1: the config is in error, or a calendar feed has not worked
    for a day. 2: no heartbeat, or a stale one."""
    from kiosk.adapters import feeds, health

    status = health.check(args.data)
    code, message = status.code, status.message
    config_ok = bool(status.heartbeat and status.heartbeat.get("config_ok"))
    config = None
    if args.config.is_dir():
        result = load(args.config, args.data)  # the files as they are now, not as last polled
        config, config_ok = result.config, result.config is not None
        if code != 2 and not config_ok:
            code = 1
            message = f"CONFIG: {len(result.errors)} error(s) in {args.config}. Run `kiosk check`."
    now = time.time()
    states = [
        (feed, feeds.read_state(args.data, feed.id)) for feed in (config.feeds if config else ())
    ]
    stale = [f"{feed.name}: {state.describe(now)}" for feed, state in states if state.stale(now)]
    if code == 0 and stale:
        code = 1
        message = "FEED: no success for over 24 h: " + "; ".join(stale)
    elif stale:
        message += " Also FEED: " + "; ".join(stale)
    if args.format == "prometheus":
        from kiosk.adapters.exposition import FeedHealth, exposition

        health_of = [
            FeedHealth(
                feed.name,
                None if state.succeeded is None else now - state.succeeded,
                state.attempted is not None and state.error is None,
            )
            for feed, state in states
        ]
        print(exposition(status, health.age_seconds(status), config_ok, health_of), end="")
    elif args.json:
        print(json.dumps({"ok": code == 0, "message": message, "heartbeat": status.heartbeat}))
    else:
        print(message)
    return code


def cmd_sync(args: argparse.Namespace) -> int:
    """0 applied or unchanged; 1 kept (invalid commit, hand edits); 2 source unreachable."""
    from kiosk.adapters import sync

    request = sync.Request(
        source=args.source,
        config=args.config,
        data=args.data,
        branch=args.branch,
        path=args.path,
        shared=args.shared,
        force=args.force,
    )
    try:
        outcome = sync.sync(request)
    except OSError as exc:  # the data folder itself cannot be written
        raise CliError(f"--data {args.data}: {exc.strerror or exc}") from None
    print(outcome.line)
    for detail in outcome.details:
        print("  - " + detail.replace("\n", "\n    "), file=sys.stderr)
    return outcome.code


def cmd_set_pin(args: argparse.Namespace) -> int:
    from kiosk.config import kiosk_file
    from kiosk.core import pin as staff

    path = args.config / "kiosk.toml"
    if not path.is_file():
        raise CliError(f"{path} does not exist")
    first, second = _read_pin("New staff PIN (4-8 digits): "), _read_pin("Once more: ")
    if not staff.valid_pin(first):
        raise CliError("A staff PIN is 4 to 8 digits (0-9). Nothing was changed.")
    if first != second:
        raise CliError("The two PINs differ. Nothing was changed.")
    try:
        kiosk_file.write_pin_hash(path, staff.hash_pin(first))
    except OSError as exc:
        raise CliError(f"Cannot write {path}: {exc.strerror}. Nothing was changed.") from None
    except UnicodeDecodeError:
        raise CliError(f"{path} is not UTF-8 text. Nothing was changed.") from None
    except kiosk_file.PinFileError as exc:
        raise CliError(f"{path}: {exc}. Nothing was changed.") from None
    print(f"Staff PIN set in {path}. A 3-second press on the program name opens the panel.")
    return EXIT_OK


def _read_pin(prompt: str) -> str:
    """From the terminal without echo, or a line of standard input (for scripts)."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt).strip()
    line = sys.stdin.readline()
    if not line:
        raise CliError("No PIN was given on standard input. Nothing was changed.")
    return line.strip()


def cmd_preview(args: argparse.Namespace) -> int:
    return _start_app(
        args, fullscreen=False, headless=True, steps=None, shot_dir=args.out, preview=True
    )


def _start_app(
    args, *, fullscreen: bool, headless: bool, steps, shot_dir, preview: bool = False
) -> int:
    from kiosk.shell import env as shell_env

    data = args.data
    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"--data {data}: cannot create the data folder ({exc.strerror})") from None
    fonts.remember_maps_in(data / data_folder.FONT_MAPS)
    shell_env.prepare(
        data,
        size=args.size,
        headless=headless,
        fullscreen=fullscreen,
        keep_logs=steps is None and not preview,
        real_time=steps is None and not preview,
    )

    from kiosk.config.watch import ConfigWatcher

    if preview:
        _valid_config(args.config, data)  # previews show the files as they are, or fail
    # Previews never replace the copy a restarted kiosk falls back on.
    snapshot = None if preview else data / data_folder.LAST_GOOD_CONFIG
    watcher = ConfigWatcher(args.config, snapshot, data=data)
    config = watcher.config
    interactive = steps is None and not preview
    # The smaller Chinese font when it holds every text; a real run makes one if not.
    cjk_subset.settle(
        data / data_folder.FONT_SUBSETS, cjk_subset.texts_of(config), build=interactive
    )
    if args.lang is not None:
        _language(config, args.lang)
        why = languages.plan(config.languages).refused.get(args.lang)
        if why:
            raise CliError(f"--lang {args.lang}: this kiosk cannot show it: {why}")
    at = _now(config, args.at) if args.at else None

    from kiosk.adapters.storage import DataFolderInUse
    from kiosk.core.clock import KioskClock
    from kiosk.lobby import LobbyOptions
    from kiosk.shell.app import AppOptions
    from kiosk.shell.compose import kiosk_app

    # A preview counts nothing: it gets a throwaway store, never the real one.
    store_dir = Path(tempfile.mkdtemp(prefix="kiosk-preview-")) if preview else data
    lobby_options = LobbyOptions(
        data_dir=store_dir, language=args.lang, text_size=getattr(args, "text_size", "normal")
    )
    app_options = AppOptions(kiosk_mode=fullscreen, interactive=interactive)
    try:
        if interactive:
            from kiosk.shell.resilience import keep_running

            keep_running()
            app = kiosk_app(watcher, KioskClock(config.tz, at), lobby_options, app_options)
            app.run()
            return app.exit_code

        from kiosk.testing.driver import Driver, ExpectationFailed, use_simulated_time

        sim = use_simulated_time()
        clock = KioskClock(config.tz, at or datetime.now(config.tz), sim)
        # Previews only need each screen once its fades are done: coarse steps do that.
        frame = 0.1 if preview else 1 / 60
        driver = Driver(kiosk_app(watcher, clock, lobby_options, app_options), sim, frame)
    except DataFolderInUse as exc:
        raise CliError(f"{exc}. Stop it first, or use another --data folder.") from None
    driver.start()
    try:
        if preview:
            shots = driver.preview_all(shot_dir)
            for path in shots:
                print(path)
            problems = [f"  {path.name}: {p}" for path, found in shots.items() for p in found]
            if problems:
                print(f"Layout problems ({len(problems)}):", *problems, sep="\n", file=sys.stderr)
        else:
            for path in driver.run(steps, shot_dir):
                print(path)
    except ExpectationFailed as exc:
        print(f"Replay failed: {exc}", file=sys.stderr)
        return EXIT_EXPECTATION
    finally:
        driver.stop()
        if preview:
            shutil.rmtree(store_dir, ignore_errors=True)
    return EXIT_OK
