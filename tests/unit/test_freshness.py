"""Resources go stale: each one says when a person last confirmed it, and `kiosk check`
and the staff panel say which are due."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import freshness
from kiosk.config.loader import load
from kiosk.config.models import Resource
from tests.conftest import edit


def resource(**fields) -> Resource:
    base = {"id": "line", "category": "hotline", "name": "A line", "phone": "988"}
    return Resource.model_validate(base | fields)


TODAY = date(2026, 12, 1)


def test_a_resource_confirmed_within_180_days_is_not_due() -> None:
    assert freshness.due([resource(checked=date(2026, 6, 4))], TODAY) == []  # 180 days


@pytest.mark.parametrize(
    ("checked", "says"),
    [
        (None, "no `checked` date"),
        (date(2026, 6, 3), "181 days ago"),
        (date(2027, 1, 1), "in the future"),
    ],
)
def test_unconfirmed_old_or_future_dates_are_due(checked, says: str) -> None:
    [due] = freshness.due([resource(checked=checked)], TODAY)
    assert due.resource == "line" and says in due.message(TODAY)


def test_the_hint_says_what_to_confirm_and_what_is_missing() -> None:
    [due] = freshness.due([resource(hours="24/7")], TODAY)
    assert "the phone number and the hours" in due.hint()
    assert "no " not in due.hint()  # a phone line needs no address
    [web] = freshness.due([resource(phone=None, url="https://example.org")], TODAY)
    assert "the web page" in web.hint() and "no phone or hours or address" in web.hint()


def test_check_warns_about_each_resource_due_naming_it(config_dir: Path, capsys) -> None:
    assert main(["check", "--config", str(config_dir), "--at", "2026-12-01T12:00"]) == 0
    out = capsys.readouterr().out
    config = load(config_dir).config
    due = [r.id for r in config.resources.resource if not r.checked]
    assert due and f"Resources:    12 ({len(due)} to confirm by phone" in out
    for resource_id in due:
        assert f'"{resource_id}", field `checked`' in out
    assert '"lifeline-988", field `checked`' not in out


def test_a_checked_date_goes_stale_after_180_days(config_dir: Path, capsys) -> None:
    assert main(["check", "--config", str(config_dir), "--at", "2027-07-01T12:00"]) == 0
    out = capsys.readouterr().out
    assert '"lifeline-988", field `checked`: it was last confirmed on 2026-12-01' in out


def test_a_checked_date_that_is_not_a_date_is_an_error(config_dir: Path) -> None:
    edit(config_dir / "resources.toml", "\nchecked = 2026-12-01", '\nchecked = "last week"')
    result = load(config_dir)
    assert result.config is None
    assert any(i.field.endswith("checked") for i in result.errors)
