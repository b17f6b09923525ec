"""Property-based fuzzing of the config and calendar readers.

Run by tests/test_fuzz.py in a child process whose address space is capped, so that
"bounded memory" is enforced, not hoped for; each example also has a deadline. The
properties: every generated folder gives a clean list of problems or a valid config
(never a fault, never a traceback), and a valid config's schedule can be computed.

    python -m tests.unit.fuzz_config config|calendar EXAMPLES FOLDER
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.config.loader import load

SAMPLE = Path(__file__).resolve().parents[2] / "config"
FILES = ("kiosk.toml", "schedule.toml", "tips.toml", "resources.toml")
LA = ZoneInfo("America/Los_Angeles")
FAULT = "fault in the kiosk"

# Words the config knows, so that generated documents reach deep into validation.
KEYS = (
    "name", "timezone", "languages", "timing", "tip_seconds", "idle_seconds", "checkin",
    "enabled", "mood_question", "opens_minutes_before", "closes_minutes_after_start",
    "cooldown_seconds", "display", "quiet_hours", "start", "end", "theme", "links",
    "allowed_domains", "privacy", "min_report_count", "staff", "pin_hash", "accessibility",
    "read_aloud", "voices", "group", "event", "cancellation", "calendar", "id", "title",
    "location", "description", "days", "rrule", "duration_minutes", "from", "until", "date",
    "reason", "file", "tip", "category", "text", "link", "resource", "phone", "url", "hours",
    "address", "checked", "en", "es", "zh-Hant", "tl",
)  # fmt: skip
WORDS = (
    "tue", "mon", "FREQ=DAILY", "FREQ=MONTHLY;BYDAY=1TU", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;BYHOUR=1,2,3", "FREQ=WEEKLY;INTERVAL=99;COUNT=5000", "https://sf.gov",
    "tel:988", "sms:988?body=https://x.co", "https://bit.ly/x", "https://xn--sf-0ka.gov",
    "drug", "set", "setting", "hotline", "America/Los_Angeles", "en", "zh-Hant", "",
    "\u202e", "\x00", "a" * 400, "harm-reduction", "groups.ics", "../../etc/passwd",
    "scrypt$2$1$1$AAAA$BBBB", "high-contrast",
)  # fmt: skip

scalars = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=40),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.times(),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=12))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)


def _document(table: dict) -> str:
    try:
        return tomlkit.dumps(table)
    except Exception:  # a value TOML cannot hold (NaN in some forms, mixed arrays)
        return ""


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")


def _mutate(text: str, path: list[str | int], value: object) -> str:
    """The sample file with one value somewhere inside it replaced."""
    data = tomllib.loads(text)
    node: object = data
    for step in path[:-1]:
        if isinstance(node, dict) and node:
            node = node[list(node)[hash(step) % len(node)]]
        elif isinstance(node, list) and node:
            node = node[int(step) % len(node) if isinstance(step, int) else 0]
    if isinstance(node, dict) and node:
        node[list(node)[hash(path[-1]) % len(node)]] = value
    elif isinstance(node, list) and node:
        node[0] = value
    return _document(data)


def _assert_sound(folder: Path) -> None:
    result = load(folder)
    assert not any(FAULT in str(i) for i in result.issues), [str(i) for i in result.issues]
    for issue in result.issues:
        assert issue.file and issue.message
    if result.config is not None:
        schedule = result.config.build_schedule()
        now = datetime(2026, 12, 1, 17, 45, tzinfo=LA)
        schedule.upcoming(now, days=7)
        schedule.next_meeting(now)


def fuzz_config(examples: int, folder: Path) -> None:
    samples = {name: (SAMPLE / name).read_text(encoding="utf-8") for name in FILES}

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=timedelta(seconds=5),
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(
        name=st.sampled_from(FILES),
        whole=st.booleans(),
        table=st.dictionaries(keys, values, max_size=6),
        path=st.lists(st.one_of(st.text(max_size=3), st.integers(0, 40)), min_size=1, max_size=5),
        value=values,
    )
    def run(name: str, whole: bool, table: dict, path: list, value: object) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(SAMPLE, folder)
        text = _document(table) if whole else _mutate(samples[name], path, value)
        _write(folder, name, text)
        _assert_sound(folder)

    run()


# --- calendars --------------------------------------------------------------------------------

PROPERTIES = ("SUMMARY", "LOCATION", "UID", "STATUS", "DTEND", "DURATION", "RDATE", "EXDATE")
RULE_PARTS = (
    "FREQ=SECONDLY", "FREQ=MINUTELY", "FREQ=HOURLY", "FREQ=DAILY", "FREQ=WEEKLY",
    "FREQ=MONTHLY", "FREQ=YEARLY", "INTERVAL=1", "INTERVAL=1000", "COUNT=3",
    "COUNT=999999", "UNTIL=99991231T000000Z", "UNTIL=20270101T000000Z", "BYDAY=MO,TU",
    "BYDAY=5MO", "BYMONTH=2", "BYMONTHDAY=30", "BYMONTHDAY=-1", "BYHOUR=1,2,3,4,5",
    "BYMINUTE=0,1,2,3", "BYSECOND=0,1", "BYSETPOS=-1", "BYYEARDAY=366", "BYWEEKNO=53",
)  # fmt: skip
moments = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(
        lambda d: d.strftime("%Y%m%dT%H%M%S").zfill(15)
    ),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(
        lambda d: d.strftime("%Y%m%d").zfill(8)
    ),
    st.sampled_from(["20261201T180000", "20261201T180000Z", "garbage", "", "20261301"]),
)
lines = st.one_of(
    st.tuples(st.sampled_from(PROPERTIES), st.one_of(moments, st.text(max_size=30))).map(
        lambda kv: f"{kv[0]}:{kv[1]}"
    ),
    st.lists(st.sampled_from(RULE_PARTS), min_size=1, max_size=4).map(
        lambda parts: "RRULE:" + ";".join(parts)
    ),
    moments.map(lambda m: f"DTSTART:{m}"),
    st.text(max_size=40),
)
events = st.lists(lines, max_size=8).map(
    lambda body: "BEGIN:VEVENT\r\n" + "".join(f"{line}\r\n" for line in body) + "END:VEVENT\r\n"
)


def fuzz_calendar(examples: int, folder: Path) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=timedelta(seconds=5),
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(body=st.lists(events, max_size=6), tail=st.sampled_from(["END:VCALENDAR\r\n", ""]))
    def run(body: list[str], tail: str) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(SAMPLE, folder)
        text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "".join(body) + tail
        _write(folder, "groups.ics", text)
        schedule = (folder / "schedule.toml").read_text(encoding="utf-8")
        _write(folder, "schedule.toml", schedule + '\n[[calendar]]\nfile = "groups.ics"\n')
        _assert_sound(folder)

    run()


if __name__ == "__main__":
    kind, examples, where = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    {"config": fuzz_config, "calendar": fuzz_calendar}[kind](examples, where)
    print(f"{kind}: {examples} examples, all sound")
