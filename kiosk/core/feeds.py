"""Calendar feeds: what names one, when it is due, and what staff are told about it.

Plain Python with no I/O: the fetching and the files are in `kiosk.adapters.feeds`.
A feed's address is a secret (anyone who has a private calendar address can read the
calendar), so it is never printed, logged or stored outside the config: a feed is named by
its host and a short hash of its address.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

# The config contract: a bigger answer, a slower fetch or a redirect to anything but https
# keeps the last good copy.
MAX_BYTES = 10 * 2**20
MAX_SECONDS = 30.0
MAX_REDIRECTS = 5
STALE_SECONDS = 24 * 3600  # `kiosk status` exits 1 after this long without a success
DEFAULT_REFRESH_MINUTES = 15
MIN_REFRESH_MINUTES = 5


def feed_id(url: str) -> str:
    """A stable file name for a feed's copy and state (the address itself is not kept)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def feed_name(url: str) -> str:
    """How staff and monitoring see a feed: 'calendar.google.com #3f9a1c'."""
    host = urlsplit(url).hostname or "feed"
    return f"{host} #{feed_id(url)[:6]}"


@dataclass(frozen=True)
class Feed:
    """One `[[calendar]] url = …` entry."""

    url: str
    refresh_minutes: int = DEFAULT_REFRESH_MINUTES

    @property
    def id(self) -> str:
        return feed_id(self.url)

    @property
    def name(self) -> str:
        return feed_name(self.url)


@dataclass(frozen=True)
class FeedState:
    """What is known of one feed. Times are seconds since the epoch (real time)."""

    etag: str | None = None
    last_modified: str | None = None
    attempted: float | None = None  # the last fetch, good or bad
    succeeded: float | None = None  # the last fetch that gave a good copy (or "unchanged")
    changed: float | None = None  # when the copy on disk last changed
    failing_since: float | None = None  # the first failure after the last success
    error: str | None = None  # why the last fetch failed (None: it worked)
    events: int = 0  # events in the copy on disk

    def due(self, refresh_minutes: int, now: float) -> bool:
        """Whether to fetch now: never fetched, or `refresh_minutes` since the last try
        (or the clock was set back past it)."""
        if self.attempted is None:
            return True
        since = now - self.attempted
        return since >= refresh_minutes * 60 or since < -60

    def success(
        self,
        now: float,
        *,
        changed: bool,
        events: int | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FeedState:
        return replace(
            self,
            etag=etag if changed or etag else self.etag,
            last_modified=last_modified if changed or last_modified else self.last_modified,
            attempted=now,
            succeeded=now,
            changed=now if changed else self.changed,
            failing_since=None,
            error=None,
            events=self.events if events is None else events,
        )

    def failure(self, now: float, why: str) -> FeedState:
        return replace(
            self,
            attempted=now,
            failing_since=self.failing_since if self.failing_since is not None else now,
            error=why,
        )

    def stale(self, now: float) -> bool:
        """No success for STALE_SECONDS: since the last one, or since failures began."""
        since = self.succeeded if self.succeeded is not None else self.failing_since
        return since is not None and now - since > STALE_SECONDS

    def describe(self, now: float) -> str:
        """One line for `kiosk check`, `kiosk status` and the staff panel."""
        if self.attempted is None:
            return "not fetched yet (the running kiosk fetches it within a minute)"
        if self.error is None:
            return f"fetched {ago(now - self.attempted)}, {self.events} event(s)"
        kept = (
            f"showing the copy from {ago(now - self.changed)}"
            if self.changed is not None
            else "no copy yet, so none of its events show"
        )
        since = ago(now - self.failing_since) if self.failing_since is not None else "now"
        return f"FAILING since {since}: {self.error}; {kept}"


def ago(seconds: float) -> str:
    """'just now', '4 min ago', '3 h ago', '2 days ago'."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60:.0f} min ago"
    if seconds < 2 * 86400:
        return f"{seconds // 3600:.0f} h ago"
    return f"{seconds // 86400:.0f} days ago"


def to_json(state: FeedState) -> dict:
    return {k: getattr(state, k) for k in FeedState.__dataclass_fields__}


def from_json(raw: object) -> FeedState:
    """A state read back from disk; anything malformed counts as never fetched."""
    if not isinstance(raw, dict):
        return FeedState()
    fields: dict = {}
    for key in ("etag", "last_modified", "error"):
        value = raw.get(key)
        fields[key] = value[:500] if isinstance(value, str) else None
    for key in ("attempted", "succeeded", "changed", "failing_since"):
        value = raw.get(key)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        fields[key] = float(value) if ok and 0 <= value < 1e11 else None
    events = raw.get("events")
    fields["events"] = events if type(events) is int and 0 <= events < 10**6 else 0
    return FeedState(**fields)
