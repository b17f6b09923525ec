"""24 hours of simulated time on the real app: tips, idle returns, 300 check-ins, 100
config reloads (half of them broken) and a night of quiet hours. Nothing may be lost."""

from __future__ import annotations

import json
import logging
import os
from datetime import timedelta
from pathlib import Path

from kiosk.adapters import health
from kiosk.adapters.storage import load_tallies
from tests.conftest import bump_mtime

HOURS = (8, 10, 12, 14, 16, 18, 20)  # one group at each, every day
CHECKINS = 300
RELOADS = 100
VISIT_LANGUAGES = ("zh-Hant", "es", "tl")
RSS_REPORT = "KIOSK_SOAK_RSS"  # a file for the memory at the start and end of the day


def _schedule() -> str:
    every_day = '["mon", "tue", "wed", "thu", "fri", "sat", "sun"]'
    return "".join(
        f'[[group]]\nid = "group-{h:02d}"\ntitle = "Group at {h}"\ndays = {every_day}\n'
        f"start = {h:02d}:00:00\nduration_minutes = 60\n\n"
        for h in HOURS
    )


def _kiosk_toml(sample: str, version: int, broken: bool) -> str:
    text = sample.replace('name.en = "Harm Reduction Group"', f'name.en = "Group v{version}"')
    if broken:
        text = text.replace('timezone = "America/Los_Angeles"', 'timezone = "Mars/Olympus"')
    return text


def test_a_day_unattended(kiosk, config_dir: Path, tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.WARNING)
    (config_dir / "schedule.toml").write_text(_schedule(), encoding="utf-8")
    sample = (config_dir / "kiosk.toml").read_text(encoding="utf-8")
    driver = kiosk(at="2026-12-01T00:00", size=(640, 400), frame_seconds=0.5)
    app = driver.app

    tips, screens, idle_returns = set(), set(), 0
    languages_seen: set[str] = set()
    checkins_done, reloads, last_valid = 0, 0, None
    per_group = -(-CHECKINS // len(HOURS))  # 43, the last group gets the rest

    def reload(minute: int) -> None:
        nonlocal reloads, last_valid
        broken = reloads % 2 == 1
        (config_dir / "kiosk.toml").write_text(
            _kiosk_toml(sample, reloads, broken), encoding="utf-8"
        )
        bump_mtime(config_dir / "kiosk.toml", reloads + 1)
        if not broken:
            last_valid = f"Group v{reloads}"
        reloads += 1
        driver.advance(3)  # the watcher looks every 2 s
        assert app.lobby.watcher.status.ok is not broken, (minute, app.lobby.watcher.status)

    start = app.lobby.clock.now()
    end = start + timedelta(days=1)
    rss_start = rss_warm = health.memory_mb()
    rss_by_hour: dict[int, float] = {}
    groups_done: set[int] = set()
    idle_hours: set[int] = set()
    while app.lobby.clock.now() < end:
        driver.advance(120)
        now = app.lobby.clock.now()
        elapsed = int((now - start).total_seconds() // 60)
        tips.add(app.lobby.flow.tip.id)
        screens.add(driver.screen)
        rss_by_hour.setdefault(now.hour, health.memory_mb())
        if now.hour == 9 and now.minute < 2:  # warm: a group, tips, reloads all seen once
            rss_warm = health.memory_mb()
        if elapsed >= 14 * reloads + 7 and reloads < RELOADS:
            reload(elapsed)
        if now.hour in HOURS and now.minute >= 5 and now.hour not in groups_done:
            # Residents arrive five minutes in: one after another, each with a mood.
            groups_done.add(now.hour)
            for _ in range(min(per_group, CHECKINS - checkins_done)):
                driver.tap("checkin")
                driver.tap("checkin.confirm")
                driver.tap(f"mood.{checkins_done % 5 + 1}")
                driver.expect("thanks")
                driver.advance(6)  # thanks closes, the button's rest ends
                driver.expect("home")
                checkins_done += 1
        if now.minute >= 30 and now.hour not in idle_hours and driver.screen == "home":
            # A resident looks around in their language (Chinese every third visit: its
            # font sizes are the heaviest to hold), then walks away.
            lang = VISIT_LANGUAGES[len(idle_hours) % len(VISIT_LANGUAGES)]
            idle_hours.add(now.hour)
            driver.tap("language")
            driver.tap(f"language.{lang}")
            languages_seen.add(app.lobby.language)
            driver.tap("resources")
            driver.tap("back")
            driver.tap("textsize")
            driver.tap("resources")
            driver.advance(61)  # walked away
            driver.expect("home")
            assert app.lobby.language == "en", "the idle return brings the default back"
            idle_returns += 1

    driver.advance(61)
    if os.environ.get(RSS_REPORT):  # `make bench` reads memory growth from here
        Path(os.environ[RSS_REPORT]).write_text(
            json.dumps(
                {
                    "rss_start_mb": rss_start,
                    "rss_warm_mb": rss_warm,
                    "rss_end_mb": health.memory_mb(),
                    "rss_by_hour": rss_by_hour,
                }
            )
        )
    assert checkins_done == CHECKINS and reloads == RELOADS
    tallies = load_tallies(tmp_path / "data")
    assert sum(t.checkins for t in tallies) == CHECKINS  # every one counted
    assert {t.group for t in tallies} == {f"group-{h:02d}" for h in HOURS}
    assert sum(sum(t.moods) for t in tallies) == CHECKINS
    assert app.lobby.store.failed_writes == 0
    assert len(tips) > 30  # the tips went round
    assert idle_returns > 10
    assert languages_seen == set(VISIT_LANGUAGES)
    assert "quiet" in screens and driver.screen == "home"  # night came, and morning
    assert app.lobby.watcher.config.kiosk.name.get("en", "en") == last_valid  # the last valid
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert all("Config error" in r.getMessage() for r in errors), errors[:3]
