"""Loading and validating the staff config, and `kiosk check`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config.loader import load
from tests.conftest import SAMPLE_CONFIG, edit


def test_sample_config_is_valid_and_complete() -> None:
    result = load(SAMPLE_CONFIG)
    assert result.errors == []
    config = result.config
    assert config is not None
    groups = config.schedule.group
    assert any(g.days for g in groups) and any(g.rrule for g in groups)
    assert config.schedule.event and config.schedule.cancellation
    assert all(c.reason for c in config.schedule.cancellation)
    counts = {c: sum(t.category == c for t in config.tips.tip) for c in ("drug", "set", "setting")}
    assert sum(counts.values()) >= 24 and min(counts.values()) >= 8
    for tip in config.tips.tip:
        assert set(tip.text.mapping) >= {"en", "es"}, tip.id
        assert len(tip.text.get("en", "en").split()) <= 25, tip.id


def test_check_sample_exits_0_with_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--config", str(SAMPLE_CONFIG), "--at", "2026-12-01T12:00"]) == 0
    out = capsys.readouterr().out
    assert "Groups:       3" in out
    # Dec 1 12:00 to Dec 8 12:00: group Tue Dec 1 18:00, coffee Thu Dec 3, training Sat Dec 5.
    assert "Next 7 days:  3 occurrence(s), 0 cancelled" in out
    assert "Tips:" in out and "drug" in out and "Languages:" in out


# Each broken config: (file, text to replace, replacement, words the message must contain).
# The first sample tip's text lines (one per language), to empty in one edit.
FIRST_TIP_TEXT = re.search(
    r'id = "start-low-go-slow"\ncategory = "drug"\n((?:text\.[\w-]+ = .*\n)+)',
    (SAMPLE_CONFIG / "tips.toml").read_text(encoding="utf-8"),
)[1].rstrip("\n")  # fmt: skip

BROKEN = {
    "bad time zone": (
        "kiosk.toml",
        'timezone = "America/Los_Angeles"',
        'timezone = "Pacific/San_Francisco"',
        ["kiosk.toml", "field `timezone`", "Pacific/San_Francisco", "America/Los_Angeles"],
    ),
    "TOML syntax error": (
        "schedule.toml",
        "start = 18:00:00",
        "start = 18:00:00 pm",
        ["schedule.toml", "line 21, column 18", "start = 18:00:00 pm"],
    ),
    "unknown key": (
        "schedule.toml",
        "duration_minutes = 90",
        "duration_minutes = 90\nduraton = 5",
        [
            "schedule.toml",
            '[[group]] #1 "harm-reduction"',
            "field `duraton`",
            'Did you mean "duration_minutes"',
        ],
    ),
    "day name typo": (
        "schedule.toml",
        'days = ["tue"]',
        'days = ["tuesdya"]',
        [
            "schedule.toml",
            '[[group]] #1 "harm-reduction"',
            "field `days[1]`",
            '"tuesdya" is not a day name',
        ],
    ),
    "bad RRULE": (
        "schedule.toml",
        "FREQ=MONTHLY;BYDAY=2WE",
        "FREQ=MONTHLY;BYDAY=2XX",
        ["schedule.toml", '[[group]] #3 "wound-care"', "field `rrule`", "not a valid RRULE"],
    ),
    "cancellation on a non-meeting date": (
        "schedule.toml",
        "date = 2026-11-24",
        "date = 2026-11-25",
        [
            "schedule.toml",
            '[[cancellation]] #1 "harm-reduction 2026-11-25"',
            "field `date`",
            "does not meet on Wednesday 2026-11-25",
            "Tue 2026-11-24",
        ],
    ),
    "duplicate id": (
        "schedule.toml",
        'id = "coffee-drop-in"',
        'id = "harm-reduction"',
        [
            "schedule.toml",
            '[[group]] #2 "harm-reduction"',
            "field `id`",
            "already used by [[group]] #1",
        ],
    ),
    "empty tip text": (
        "tips.toml",
        FIRST_TIP_TEXT,
        'text = ""',
        ["tips.toml", '[[tip]] #1 "start-low-go-slow"', "field `text`", "the text is empty"],
    ),
    "tip category outside drug/set/setting": (
        "tips.toml",
        'id = "start-low-go-slow"\ncategory = "drug"',
        'id = "start-low-go-slow"\ncategory = "drugs"',
        ["tips.toml", '[[tip]] #1 "start-low-go-slow"', "field `category`", 'Did you mean "drug"'],
    ),
    "missing ICS file": (
        "schedule.toml",
        "[[cancellation]]",
        '[[calendar]]\nfile = "groups.ics"\n\n[[cancellation]]',
        ["schedule.toml", '[[calendar]] #1 "groups.ics"', "field `file`", "was not found"],
    ),
    "event with a UTC offset": (
        "schedule.toml",
        "start = 2026-12-05T14:00:00",
        "start = 2026-12-05T14:00:00-08:00",
        [
            "schedule.toml",
            '[[event]] #1 "naloxone-training-2026-12"',
            "field `start`",
            "UTC offset",
        ],
    ),
    "unknown table": (
        "kiosk.toml",
        "[timing]",
        "[timings]",
        ["kiosk.toml", "field `timings`", 'Did you mean "timing"'],
    ),
    "time as text": (
        "schedule.toml",
        "start = 13:00:00",
        'start = "1pm"',
        ["schedule.toml", '[[group]] #3 "wound-care"', "field `start`", "18:30:00"],
    ),
    "interval rule without a first date": (
        "schedule.toml",
        "FREQ=MONTHLY;BYDAY=2WE",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        ["schedule.toml", '[[group]] #3 "wound-care"', "field `from`"],
    ),
    "cancellation of an unknown group": (
        "schedule.toml",
        'group = "harm-reduction"\ndate = 2026-12-29',
        'group = "harm-reduktion"\ndate = 2026-12-29',
        ["schedule.toml", "[[cancellation]] #3", "field `group`", 'Did you mean "harm-reduction"'],
    ),
    "time as a bare number": (
        "schedule.toml",
        "start = 18:00:00",
        "start = 1800",
        ["schedule.toml", '[[group]] #1 "harm-reduction"', "field `start`", "got 1800"],
    ),
    "time zone that is a folder": (
        "kiosk.toml",
        'timezone = "America/Los_Angeles"',
        'timezone = "America"',
        ["kiosk.toml", "field `timezone`", "not an IANA time zone"],
    ),
    "event date with no time": (
        "schedule.toml",
        "start = 2026-12-05T14:00:00",
        "start = 2026-12-05",
        [
            "schedule.toml",
            '[[event]] #1 "naloxone-training-2026-12"',
            "field `start`",
            "2026-12-05T14:00:00",
        ],
    ),
    "sub-daily rule": (
        "schedule.toml",
        "FREQ=MONTHLY;BYDAY=2WE",
        "FREQ=SECONDLY",
        ["schedule.toml", '[[group]] #3 "wound-care"', "field `rrule`", "DAILY/WEEKLY"],
    ),
    "number in quotes": (
        "kiosk.toml",
        "tip_seconds = 12",
        'tip_seconds = "12"',
        ["kiosk.toml", "[timing]", "field `tip_seconds`", "whole number"],
    ),
    "http link on a resource": (
        "resources.toml",
        'url = "https://www.glide.org"',
        'url = "http://www.glide.org"',
        ["resources.toml", '[[resource]] #10 "glide"', "field `url`", "https:"],
    ),
    "javascript link on a resource": (
        "resources.toml",
        'url = "https://www.glide.org"',
        'url = "javascript:alert(1)"',
        ["resources.toml", '[[resource]] #10 "glide"', "field `url`", "not allowed"],
    ),
    "data link on a resource": (
        "resources.toml",
        'url = "https://www.glide.org"',
        'url = "data:text/html,hi"',
        ["resources.toml", '[[resource]] #10 "glide"', "field `url`", "not allowed"],
    ),
    "link shortener on a resource": (
        "resources.toml",
        'url = "https://www.glide.org"',
        'url = "https://bit.ly/3xYz"',
        ["resources.toml", '[[resource]] #10 "glide"', "field `url`", "link shortener"],
    ),
    "off-list domain when allowed_domains is set": (
        "kiosk.toml",
        "allowed_domains = []",
        'allowed_domains = ["sf.gov", "988lifeline.org", '
        '"neverusealone.com", "findtreatment.gov", "sfaf.org", "harmreduction.org", '
        '"benefitscal.com", "sfmfoodbank.org", "211bayarea.org"]',
        ["resources.toml", '[[resource]] #10 "glide"', "field `url`", "not on an allowed domain"],
    ),
    "bad phone number": (
        "resources.toml",
        'phone = "415-781-0500"',
        'phone = "call us"',
        [
            "resources.toml",
            '[[resource]] #7 "sf-suicide-prevention"',
            "field `phone`",
            "not a phone number",
        ],
    ),
    "unknown resource category": (
        "resources.toml",
        'category = "food-housing"',
        'category = "food"',
        ["resources.toml", '[[resource]] #10 "glide"', "field `category`", "food-housing"],
    ),
    "http link on a tip": (
        "tips.toml",
        'link = "https://988lifeline.org"',
        'link = "http://988lifeline.org"',
        ["tips.toml", "[[tip]]", "field `link`", "https:"],
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_check_broken_config_names_file_entry_and_field(
    case: str, config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file, old, new, expected = BROKEN[case]
    edit(config_dir / file, old, new)
    assert main(["check", "--config", str(config_dir)]) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text
    for words in expected:
        assert words in text, f"{case}: {words!r} missing from:\n{text}"


def test_check_reports_every_error_at_once(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(config_dir / "kiosk.toml", 'timezone = "America/Los_Angeles"', 'timezone = "Nowhere"')
    edit(config_dir / "schedule.toml", 'days = ["tue"]', 'days = ["tues"]')
    edit(config_dir / "tips.toml", '\ncategory = "set"', '\ncategory = "mindset"')
    assert main(["check", "--config", str(config_dir)]) == 1
    out = capsys.readouterr().out
    assert "Errors in" in out and "(3)" in out
    assert "kiosk.toml" in out and "schedule.toml" in out and "tips.toml" in out


def test_missing_translation_is_a_warning_not_an_error(config_dir: Path, capsys) -> None:
    edit(config_dir / "kiosk.toml", '"zh-Hant", "tl"]', '"zh-Hant", "tl", "pt"]')
    result = load(config_dir)
    assert result.config is not None
    assert any("no pt translation" in w.message for w in result.warnings)
    assert main(["check", "--config", str(config_dir)]) == 0  # (the print words add one)
    assert "pt 82" in capsys.readouterr().out


def test_plain_string_text_is_shown_in_every_language(config_dir: Path) -> None:
    edit(
        config_dir / "kiosk.toml",
        'name.en = "Harm Reduction Group"\nname.es = "Grupo de Reducción de Daños"\n'
        'name.zh-Hant = "減害小組"\nname.tl = "Grupo para sa Harm Reduction"',
        'name = "HRG"',
    )
    config = load(config_dir).config
    assert config is not None
    assert config.kiosk.name.get("es", "en") == "HRG"
    assert not any("name" in w.message for w in config.warnings)


def test_missing_kiosk_toml_is_an_error(tmp_path: Path) -> None:
    result = load(tmp_path)
    assert result.config is None
    assert result.errors[0].file == "kiosk.toml"


def test_not_utf8_is_a_clear_error(config_dir: Path) -> None:
    (config_dir / "tips.toml").write_bytes(b'[[tip]]\nid = "caf\xe9"\n')
    result = load(config_dir)
    assert result.config is None
    assert "UTF-8" in str(result.errors[0])


def test_unreadable_ics_is_a_clear_error(config_dir: Path) -> None:
    (config_dir / "groups.ics").write_text("this is not a calendar")
    edit(
        config_dir / "schedule.toml",
        "[[cancellation]]",
        '[[calendar]]\nfile = "groups.ics"\n\n[[cancellation]]',
    )
    result = load(config_dir)
    assert result.config is None
    assert "not a readable .ics calendar" in str(result.errors[0])


def test_empty_optional_text_means_absent(config_dir: Path) -> None:
    edit(
        config_dir / "schedule.toml",
        'location.en = "Lobby"\nlocation.es = "Vestíbulo"\nlocation.zh-Hant = "大堂"\n'
        'location.tl = "Lobby"',
        'location = ""',
    )
    config = load(config_dir).config
    assert config is not None
    assert config.schedule.event[0].location is None


def test_an_entry_error_does_not_hide_errors_across_entries(config_dir: Path) -> None:
    edit(config_dir / "schedule.toml", 'days = ["thu"]', 'days = "thu"')  # coffee: not a list
    edit(config_dir / "schedule.toml", "date = 2026-12-29", "date = 2026-12-30")  # a Wednesday
    errors = [str(e) for e in load(config_dir).errors]
    assert any("field `days`" in e for e in errors)
    assert any("does not meet on Wednesday 2026-12-30" in e for e in errors)
    assert len(errors) == 2


def test_cancellation_of_a_broken_group_is_not_reported_twice(config_dir: Path) -> None:
    edit(config_dir / "schedule.toml", 'days = ["tue"]', 'days = ["tuesdya"]')
    errors = load(config_dir).errors
    assert [e.field for e in errors] == ["days[1]"]


def test_a_fault_while_loading_is_reported_not_raised(config_dir: Path, monkeypatch) -> None:
    from kiosk.config import loader

    def broken(_folder, _data):
        raise RuntimeError("boom")

    monkeypatch.setattr(loader, "_load", broken)
    result = load(config_dir)
    assert result.config is None
    assert "RuntimeError: boom" in str(result.errors[0])


def test_long_link_is_a_warning_naming_the_resource(config_dir: Path) -> None:
    long = "https://findtreatment.gov/locator?sAddr=San+Francisco%2C+CA&submit=Go&sort=0"
    edit(config_dir / "resources.toml", 'url = "https://findtreatment.gov"', f'url = "{long}"')
    result = load(config_dir)
    assert result.config is not None
    (warning,) = [w for w in result.warnings if "characters long" in w.message]
    assert warning.entry == '[[resource]] #4 "find-treatment"' and warning.field == "url"


def test_after_group_groups_that_name_no_group_are_a_warning(config_dir) -> None:
    from kiosk.config.loader import load

    kiosk = config_dir / "kiosk.toml"
    kiosk.write_text(
        kiosk.read_text()
        + '\n[after_group]\nenabled = true\ngroups = ["harm-reduction", "harm-reductoin"]\n'
    )
    result = load(config_dir)
    assert result.config is not None
    [warning] = [i for i in result.issues if "after_group" in i.message]
    assert '"harm-reductoin"' in warning.message and warning.field == "groups"
