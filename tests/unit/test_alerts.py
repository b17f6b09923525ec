"""alerts.toml: every alert ends by itself, bad ones are named, `kiosk check` lists them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.cli import main
from kiosk.config.loader import load
from kiosk.core import alerts

LA = ZoneInfo("America/Los_Angeles")
STRONG = """
[[alert]]
id = "strong-batch"
level = "urgent"
text = { en = "A very strong batch is going round.", es = "Circula un lote muy fuerte." }
from = 2026-12-01T09:00:00
until = 2026-12-04T09:00:00
link = "https://www.sf.gov/"

[[alert]]
id = "hours"
level = "notice"
text = "The front desk closes at 8 PM this week."
from = 2026-12-02T09:00:00
until = 2026-12-06T20:00:00
"""


def write(config: Path, text: str) -> None:
    (config / "alerts.toml").write_text(text, encoding="utf-8")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LA)


def test_alerts_are_in_force_between_from_and_until_urgent_first(config_dir: Path) -> None:
    write(config_dir, STRONG)
    result = load(config_dir)
    config = result.config
    assert config is not None
    # Missing translations only, and (from the real Dec 4 on) that an alert has ended.
    said = [w.message for w in result.warnings if w.file == "alerts.toml"]
    assert all("translation" in m or "no longer shows" in m for m in said), said
    live = alerts.localize(config.alerts.alert, config.tz)
    assert [a.id for a in alerts.in_force(live, at("2026-12-01T08:59"))] == []
    assert [a.id for a in alerts.in_force(live, at("2026-12-01T09:00"))] == ["strong-batch"]
    assert [a.id for a in alerts.in_force(live, at("2026-12-03T12:00"))] == [
        "strong-batch",
        "hours",
    ]
    assert [a.id for a in alerts.in_force(live, at("2026-12-04T09:00"))] == ["hours"]
    assert alerts.in_force(live, at("2026-12-06T20:00")) == [], "gone by itself at until"


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        ('id = "a"\nlevel = "urgent"\ntext = "x"\nfrom = 2026-12-01T09:00:00', "until", ""),
        (
            'id = "a"\nlevel = "urgent"\ntext = "x"\nfrom = 2026-12-01T09:00:00\n'
            "until = 2026-12-16T09:00:01",
            "until",
            "more than 14 days",
        ),
        (
            'id = "a"\nlevel = "urgent"\ntext = "' + "x" * 201 + '"\nuntil = 2026-12-02T09:00:00',
            "text",
            "201 characters",
        ),
        ('id = "a"\nlevel = "loud"\ntext = "x"\nuntil = 2026-12-02T09:00:00', "level", ""),
        (
            'id = "a"\nlevel = "notice"\ntext = "x"\nuntil = 2026-12-02T09:00:00\n'
            'link = "http://example.org"',
            "link",
            "",
        ),
    ],
    ids=["no-until", "too-long-lived", "too-long-text", "bad-level", "http-link"],
)
def test_a_bad_alert_is_an_error_naming_its_field(config_dir: Path, entry, field, words) -> None:
    write(config_dir, f"[[alert]]\n{entry}\n")
    result = load(config_dir)
    assert result.config is None
    [error] = result.errors
    assert error.file == "alerts.toml" and error.field == field and words in str(error)


def test_an_alert_without_from_starts_now_and_may_last_14_days_from_now(config_dir: Path) -> None:
    now = datetime.now(LA).replace(tzinfo=None, microsecond=0)
    ok = (now + timedelta(days=13)).isoformat()
    write(config_dir, f'[[alert]]\nid = "a"\nlevel = "notice"\ntext = "x"\nuntil = {ok}\n')
    assert load(config_dir).config is not None
    late = (now + timedelta(days=15)).isoformat()
    write(config_dir, f'[[alert]]\nid = "a"\nlevel = "notice"\ntext = "x"\nuntil = {late}\n')
    [error] = load(config_dir).errors
    assert error.field == "until" and "starts now" in error.message


def test_expired_alerts_are_ignored_with_no_error(config_dir: Path) -> None:
    write(config_dir, STRONG.replace("2026-12", "2025-12"))
    config = load(config_dir).config
    assert config is not None
    live = alerts.localize(config.alerts.alert, config.tz)
    assert alerts.in_force(live, at("2026-12-03T12:00")) == []


def test_kiosk_check_lists_the_alerts_in_force_and_when_each_ends(config_dir: Path, capsys) -> None:
    write(config_dir, STRONG)
    assert main(["check", "--config", str(config_dir), "--at", "2026-12-01T17:45"]) == 0
    out = capsys.readouterr().out
    assert "Alerts:       1 in force, 1 to come" in out
    assert "strong-batch (urgent), in force until Fri Dec 04 09:00" in out
    assert "hours (notice), from Wed Dec 02 09:00 until Sun Dec 06 20:00" in out


def test_an_alert_time_the_clocks_skip_is_named(config_dir: Path) -> None:
    """2:30 on the night the clocks go forward never happens in Los Angeles: the alert
    would start at 3:30 and end before it began."""
    write(
        config_dir,
        '[[alert]]\nid = "a"\nlevel = "urgent"\ntext = "x"\n'
        "from = 2027-03-14T02:30:00\nuntil = 2027-03-14T03:10:00\n",
    )
    [error] = load(config_dir).errors
    assert error.field == "from" and "skip" in str(error), str(error)


def test_an_ended_alert_is_a_gentle_warning(config_dir: Path) -> None:
    write(
        config_dir,
        '[[alert]]\nid = "a"\nlevel = "notice"\ntext = "x"\n'
        "from = 2020-03-01T09:00:00\nuntil = 2020-03-02T09:00:00\n",
    )
    result = load(config_dir)
    assert result.config is not None
    assert any("no longer shows" in w.message for w in result.warnings)


@pytest.mark.parametrize("sneaky", ["\x1b[2J", "a\x1dV\x00b", "\u202edesab", "\x07"])
def test_control_characters_in_words_are_refused(config_dir: Path, sneaky: str) -> None:
    """A printer or a terminal would act on them (a cut, a cleared screen, text read
    backwards): every text field refuses them, the alerts' and the slips' among them."""
    escaped = "".join(c if c.isalnum() else f"\\u{ord(c):04x}" for c in sneaky)  # TOML
    write(
        config_dir,
        f'[[alert]]\nid = "a"\nlevel = "urgent"\ntext = "Hi {escaped}"\n'
        "until = 2026-12-02T09:00:00\nfrom = 2026-12-01T09:00:00\n",
    )
    [error] = load(config_dir).errors
    assert error.field == "text" and "control character" in str(error), str(error)
    (config_dir / "alerts.toml").unlink()
    text = (config_dir / "resources.toml").read_text(encoding="utf-8")
    text = text.replace('phone = "800-484-3731"', f'phone = "800-484-3731"\naddress = "x{escaped}"')
    (config_dir / "resources.toml").write_text(text, encoding="utf-8")
    [error] = load(config_dir).errors
    assert error.field == "address" and "control character" in str(error), str(error)


@pytest.mark.parametrize("kind", ["huge", "endless", "garbage", "deep"])
def test_a_broken_alerts_file_is_a_clear_error_in_bounded_time(
    config_dir: Path, kind: str, capsys
) -> None:
    import time

    path = config_dir / "alerts.toml"
    if kind == "huge":
        path.write_text('[[alert]]\nid = "a"\ntext = "' + "x" * 20_000_000 + '"\n')
    elif kind == "endless":
        path.unlink()  # the sample ships one, commented out
        path.symlink_to("/dev/zero")
    elif kind == "garbage":
        path.write_bytes(bytes(range(256)) * 100)
    else:
        path.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    started = time.monotonic()
    result = load(config_dir)
    assert result.config is None and time.monotonic() - started < 30
    assert any(e.file == "alerts.toml" for e in result.errors), result.errors
    assert main(["check", "--config", str(config_dir)]) == 1
    out = capsys.readouterr().out
    assert "alerts.toml" in out and "Traceback" not in out
