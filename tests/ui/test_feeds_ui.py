"""A calendar feed in the running app: its events show on home, stay there when the feed
breaks, and the staff panel says why (a real HTTPS server on 127.0.0.1)."""

from __future__ import annotations

from pathlib import Path

from kiosk.adapters import feeds
from kiosk.core import pin as staff
from kiosk.core.feeds import Feed
from tests import feed_server
from tests.conftest import edit
from tests.feed_server import FeedServer, calendar

PIN = "2468"
TONIGHT = calendar(("night-1@example.org", "Night Owls Circle", "20261201T200000"))


def shown_text(driver) -> str:
    return " | ".join(
        w.text
        for w in driver.app.root.walk(restrict=True)
        if isinstance(getattr(w, "text", None), str)
    )


def test_a_feed_shows_on_home_and_stays_when_it_breaks(kiosk, config_dir: Path, tmp_path: Path,
                                                       monkeypatch) -> None:  # fmt: skip
    edit(config_dir / "kiosk.toml", 'pin_hash = ""', f'pin_hash = "{staff.hash_pin(PIN)}"')
    with FeedServer(tmp_path) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
        with (config_dir / "schedule.toml").open("a", encoding="utf-8") as f:
            f.write(f'\n[[calendar]]\nurl = "{server.url()}"\n')
        data, feed = tmp_path / "data", Feed(server.url())
        server.answer = feed_server.serve(TONIGHT)
        assert feeds.fetch(feed, data).error is None
        driver = kiosk(at="2026-12-01T19:40")
        assert "Night Owls Circle" in shown_text(driver)
        server.answer = feed_server.serve(b"<html>Sign in</html>")
        assert "not a readable" in feeds.fetch(feed, data).error
        driver.advance(10)  # past the config poll
        assert "Night Owls Circle" in shown_text(driver), "the last good events stay"
        driver.press("name", 3)
        for digit in PIN:
            driver.tap(f"pin.{digit}")
        driver.tap("pin.ok")
        driver.expect("staff")
        text = shown_text(driver)
        assert f"Feed {feed.name}: FAILING since" in text and "not a readable" in text
        assert "private" not in text, "the feed's secret address never shows"
