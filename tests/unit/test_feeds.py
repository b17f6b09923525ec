"""Calendar feeds against a real HTTPS server on 127.0.0.1 with a throwaway certificate
authority: a good feed shows, and a feed that goes down, returns garbage, redirects to
http, answers with 50 MB or takes too long keeps its last good events and says why."""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest

from kiosk.adapters import feeds
from kiosk.cli import main
from kiosk.config.loader import load
from kiosk.config.watch import ConfigWatcher
from kiosk.core.feeds import STALE_SECONDS, Feed, FeedState, feed_name
from tests import feed_server
from tests.feed_server import FeedServer, calendar

NIGHT = calendar(("night-1@example.org", "Night Group", "20261203T200000"))
NIGHT_AND_ART = calendar(
    ("night-1@example.org", "Night Group", "20261203T200000"),
    ("art-1@example.org", "Art Hour", "20261204T150000"),
)


@pytest.fixture
def server(tmp_path: Path, monkeypatch):
    with FeedServer(tmp_path) as running:
        monkeypatch.setenv("SSL_CERT_FILE", str(running.ca_file))
        monkeypatch.delenv("SSL_CERT_DIR", raising=False)
        for proxy in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(proxy, raising=False)
        yield running


def subscribe(config: Path, url: str, refresh: int | None = None) -> None:
    extra = f"\nrefresh_minutes = {refresh}" if refresh else ""
    with (config / "schedule.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[[calendar]]\nurl = "{url}"{extra}\n')


def titles(config: Path, data: Path) -> set[str]:
    result = load(config, data)
    assert result.config is not None, result.errors
    found = result.config.build_schedule().upcoming(_at(result.config), days=7)
    return {o.title.get("en", "en") for o in found}


def _at(config):
    from datetime import datetime

    return datetime(2026, 12, 1, 9, 0, tzinfo=config.tz)


def test_a_feed_is_fetched_kept_and_shown(server: FeedServer, config_dir, tmp_path) -> None:
    data = tmp_path / "data"
    server.answer = feed_server.serve(NIGHT, etag='"v1"')
    subscribe(config_dir, server.url())
    assert "Night Group" not in titles(config_dir, data)  # nothing fetched yet
    state = feeds.fetch(Feed(server.url()), data)
    assert state.error is None and state.events == 1 and state.etag == '"v1"'
    assert "Night Group" in titles(config_dir, data)
    # the copy is kept under a hash: the private address is stored nowhere in the folder
    stored = b"".join(p.read_bytes() for p in (data / "feeds").iterdir())
    assert server.url().encode() not in stored and b"private" not in stored


def test_an_unchanged_feed_is_asked_for_with_its_etag_and_not_rewritten(
    server: FeedServer, tmp_path
) -> None:
    data, feed = tmp_path / "data", Feed(server.url())
    server.answer = feed_server.serve(NIGHT, etag='"v1"')
    feeds.fetch(feed, data)
    copy = feeds.copy_path(data, feed.id)
    inode = copy.stat().st_ino
    state = feeds.fetch(feed, data, now=lambda: time.time() + 900)
    assert server.requests[-1].get("If-None-Match") == '"v1"'
    assert state.error is None and state.succeeded > state.changed
    assert copy.stat().st_ino == inode, "a 304 leaves the copy alone"
    server.answer = feed_server.serve(NIGHT_AND_ART, etag='"v2"')
    state = feeds.fetch(feed, data)
    assert state.events == 2 and state.etag == '"v2"' and copy.read_bytes() == NIGHT_AND_ART


def test_without_a_copy_the_kiosk_never_asks_if_changed(server: FeedServer, tmp_path) -> None:
    data, feed = tmp_path / "data", Feed(server.url())
    server.answer = feed_server.serve(NIGHT, etag='"v1"')
    feeds.fetch(feed, data)
    feeds.copy_path(data, feed.id).unlink()  # someone cleared the folder
    feeds.fetch(feed, data)
    assert "If-None-Match" not in server.requests[-1]
    assert feeds.copy_path(data, feed.id).read_bytes() == NIGHT


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (feed_server.serve(b"<html>Sign in to continue</html>"), "not a readable .ics calendar"),
        (feed_server.redirect("http://127.0.0.1:9/feed.ics"), "not https"),
        (feed_server.endless(say_length=True), "over 10 MB"),
        (feed_server.endless(say_length=False), "over 10 MB"),
        (feed_server.gzip_bomb(), "over 10 MB"),
        (feed_server.status(404), "404"),
        (feed_server.status(503), "503"),
    ],
    ids=["garbage", "redirect-to-http", "50-mb", "50-mb-unsaid", "gzip-bomb", "404", "503"],
)
def test_a_bad_answer_keeps_the_last_good_events_and_says_why(
    server: FeedServer, config_dir, tmp_path, answer, why
) -> None:
    data, feed = tmp_path / "data", Feed(server.url())
    subscribe(config_dir, server.url())
    server.answer = feed_server.serve(NIGHT)
    feeds.fetch(feed, data)
    server.answer = answer
    tracemalloc.start()
    try:
        state = feeds.fetch(feed, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert why in state.error and state.failing_since is not None
    assert peak < 40 * 2**20, f"{peak / 2**20:.0f} MB held for a bad answer"
    assert feeds.copy_path(data, feed.id).read_bytes() == NIGHT
    assert "Night Group" in titles(config_dir, data)
    assert state.describe(time.time()).startswith("FAILING since")


def test_a_feed_that_goes_down_keeps_its_events(server: FeedServer, config_dir, tmp_path) -> None:
    data, feed = tmp_path / "data", Feed(server.url())
    subscribe(config_dir, server.url())
    server.answer = feed_server.serve(NIGHT)
    feeds.fetch(feed, data)
    server.stop()
    state = feeds.fetch(feed, data)
    assert "could not be reached" in state.error
    assert "Night Group" in titles(config_dir, data)


def test_a_slow_feed_is_given_up_on_time(server: FeedServer, tmp_path) -> None:
    server.answer = feed_server.drip(0.2, NIGHT)
    began = time.monotonic()
    state = feeds.fetch(Feed(server.url()), tmp_path / "data", max_seconds=1.0)
    assert time.monotonic() - began < 1.0 + feeds.READ_TIMEOUT
    assert "took over 1 s" in state.error


def test_a_certificate_from_an_unknown_authority_is_refused(
    server: FeedServer, tmp_path, monkeypatch
) -> None:
    other = tmp_path / "other-ca.pem"
    import trustme

    trustme.CA().cert_pem.write_to_path(str(other))
    monkeypatch.setenv("SSL_CERT_FILE", str(other))
    state = feeds.fetch(Feed(server.url()), tmp_path / "data")
    assert "certificate could not be verified" in state.error
    assert not feeds.copy_path(tmp_path / "data", Feed(server.url()).id).exists()


def test_a_feed_without_a_copy_is_a_warning_not_an_error(config_dir, tmp_path) -> None:
    subscribe(config_dir, "https://calendar.example.org/private-abc/basic.ics")
    result = load(config_dir, tmp_path / "data")
    assert result.config is not None, "a feed never makes the config invalid"
    [warning] = [w for w in result.warnings if "feed" in w.message]
    assert "has no copy yet" in warning.message and "private-abc" not in str(warning)


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        ('url = "http://calendar.example.org/a.ics"', "url", "https://"),
        ('url = "webcal://calendar.example.org/a.ics"', "url", "https://"),
        ('url = "https://calendar.example.org/a.ics"\nrefresh_minutes = 1', "refresh_minutes", ""),
        ('file = "groups.ics"\nurl = "https://calendar.example.org/a.ics"', "url", "one of them"),
        ('file = "groups.ics"\nrefresh_minutes = 30', "refresh_minutes", "not for a file"),
    ],
)
def test_bad_feed_entries_name_the_field(config_dir, tmp_path, entry, field, words) -> None:
    with (config_dir / "schedule.toml").open("a", encoding="utf-8") as f:
        f.write(f"\n[[calendar]]\n{entry}\n")
    (config_dir / "groups.ics").write_bytes(NIGHT)
    result = load(config_dir, tmp_path / "data")
    assert result.config is None
    [error] = result.errors
    assert error.field == field and words in str(error), str(error)


def test_a_running_kiosk_picks_up_a_fetched_feed(server: FeedServer, config_dir, tmp_path) -> None:
    data = tmp_path / "data"
    subscribe(config_dir, server.url())
    watcher = ConfigWatcher(config_dir, data=data)
    server.answer = feed_server.serve(NIGHT)
    worker = feeds.FeedWorker(data, lambda: watcher.config.feeds)
    worker.FIRST_DELAY_SECONDS = 0
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while not feeds.copy_path(data, Feed(server.url()).id).exists():
            assert time.monotonic() < deadline, "the worker fetched nothing"
            time.sleep(0.02)
        assert watcher.poll(), "the new copy is a change"
        week = watcher.config.build_schedule().upcoming(_at(watcher.config), days=7)
        assert "Night Group" in {o.title.get("en", "en") for o in week}
        assert not worker.needs_staff(time.time())
    finally:
        worker.stop()


def test_status_and_check_say_when_each_feed_worked(config_dir, tmp_path, capsys) -> None:
    from datetime import UTC, datetime, timedelta

    from prometheus_client.parser import text_string_to_metric_families

    from kiosk.adapters import health

    data = tmp_path / "data"
    data.mkdir()
    url = "https://calendar.example.org/private-abc/basic.ics"
    subscribe(config_dir, url)
    feed = Feed(url)
    beat = {"time": datetime.now(UTC).isoformat(), "config_ok": True, "config_origin": "files"}
    (data / health.HEARTBEAT).write_text(json.dumps(beat))
    day_old = time.time() - STALE_SECONDS - 60
    state = FeedState(succeeded=day_old, changed=day_old, events=3)
    feeds.write_state(data, feed.id, state.failure(time.time() - 30, "the server answered 503"))
    args = ["--config", str(config_dir), "--data", str(data)]
    assert main(["status", *args]) == 1
    out = capsys.readouterr().out
    assert feed_name(url) in out and "503" in out and "private-abc" not in out
    assert main(["status", "--format", "prometheus", *args]) == 1
    metrics = {f.name: f.samples for f in text_string_to_metric_families(capsys.readouterr().out)}
    [age] = metrics["kiosk_calendar_feed_age_seconds"]
    assert age.labels == {"feed": feed_name(url)} and age.value > STALE_SECONDS
    assert metrics["kiosk_calendar_feed_ok"][0].value == 0
    main(["check", *args])
    out = capsys.readouterr().out
    assert f"{feed_name(url)}: FAILING since" in out and "503" in out
    fresh = state.success(time.time() - timedelta(minutes=3).total_seconds(), changed=False)
    feeds.write_state(data, feed.id, fresh)
    assert main(["status", *args]) == 0


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"[1]",
        b'{"attempted": "yesterday", "events": -4, "error": 7}',
        b"{" * 100_000,
    ],
    ids=["empty", "garbage", "a-list", "wrong-types", "huge"],
)
def test_a_damaged_feed_state_counts_as_never_fetched(tmp_path, content) -> None:
    feed = Feed("https://calendar.example.org/a.ics")
    path = feeds.state_path(tmp_path, feed.id)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    state = feeds.read_state(tmp_path, feed.id)
    assert state.attempted is None and state.events == 0
    assert state.due(15, time.time())
