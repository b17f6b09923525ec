"""Fetching calendar feeds into the data folder, in the background.

Each feed has two files in DATA/feeds/: `<id>.ics`, the last good copy (the config loader
reads it as it reads a calendar file), and `<id>.json`, what the last fetch found. A fetch
that fails in any way (no network, a bad certificate, a redirect to http, an answer over
10 MB, over 30 s, or one that is not a calendar) leaves the copy as it was and says why in
the state. httpx is imported only when a fetch runs, never at the kiosk's start.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from kiosk.adapters import data_folder, ics
from kiosk.adapters.files import atomic_write, read_capped
from kiosk.core.feeds import MAX_BYTES, MAX_REDIRECTS, MAX_SECONDS, Feed, FeedState
from kiosk.core.feeds import from_json as state_from_json
from kiosk.core.feeds import to_json as state_to_json
from kiosk.core.text import safe_excerpt

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

FOLDER = data_folder.FEEDS
USER_AGENT = "lobby-kiosk (calendar feed)"
READ_TIMEOUT = 5.0  # one stalled read; the whole fetch is bounded by MAX_SECONDS too


def copy_path(data: Path, feed_id: str) -> Path:
    return data / FOLDER / f"{feed_id}.ics"


def state_path(data: Path, feed_id: str) -> Path:
    return data / FOLDER / f"{feed_id}.json"


def read_state(data: Path, feed_id: str) -> FeedState:
    try:
        raw = json.loads(read_capped(state_path(data, feed_id), 64 * 1024))
    except (OSError, ValueError):
        return FeedState()
    return state_from_json(raw)


def write_state(data: Path, feed_id: str, state: FeedState) -> None:
    path = state_path(data, feed_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, (json.dumps(state_to_json(state), indent=1) + "\n").encode())


class FetchFailed(Exception):
    """Why a fetch gave no good copy, in words for staff."""


def tls_context() -> ssl.SSLContext:
    """The system's certificate authorities, or those SSL_CERT_FILE / SSL_CERT_DIR name
    (a private certificate authority)."""
    cafile = os.environ.get("SSL_CERT_FILE") or None
    capath = os.environ.get("SSL_CERT_DIR") or None
    if cafile and not Path(cafile).is_file():
        raise FetchFailed(f"SSL_CERT_FILE names {cafile}, which is not a file")
    return ssl.create_default_context(cafile=cafile, capath=capath)


def fetch(
    feed: Feed, data: Path, now: Callable[[], float] = time.time, max_seconds: float = MAX_SECONDS
) -> FeedState:
    """Fetch one feed now, keep a good answer as its copy, and record what happened."""
    state = read_state(data, feed.id)
    started = now()
    # Ask "changed since?" only with a copy to fall back on (it may have been deleted).
    known = state if copy_path(data, feed.id).is_file() else FeedState()
    try:
        body, etag, modified = _download(feed.url, known, started, now, max_seconds)
        if body is None:  # 304 Not Modified
            state = state.success(now(), changed=False, etag=etag, last_modified=modified)
        else:
            state = _keep(feed, data, state, body, now(), etag, modified)
    except FetchFailed as exc:
        state = state.failure(now(), str(exc))
        log.warning("Calendar feed %s: %s", feed.name, exc)
    except Exception as exc:  # a fault in a library must not end the worker
        state = state.failure(now(), f"an unexpected fault ({safe_excerpt(repr(exc), 120)})")
        log.exception("Calendar feed %s: unexpected fault", feed.name)
    write_state(data, feed.id, state)
    return state


def _keep(
    feed: Feed,
    data: Path,
    state: FeedState,
    body: bytes,
    at: float,
    etag: str | None,
    modified: str | None,
) -> FeedState:
    try:
        calendar, _skipped = ics.read(body)
    except ics.IcsError as exc:
        raise FetchFailed(f"the answer {exc}") from None
    events = sum(1 for c in calendar.subcomponents if c.name == "VEVENT")
    path = copy_path(data, feed.id)
    try:
        same = path.read_bytes() == body
    except OSError:
        same = False
    if not same:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, body)
    return state.success(at, changed=not same, events=events, etag=etag, last_modified=modified)


def _download(
    url: str, state: FeedState, started: float, now: Callable[[], float], max_seconds: float
) -> tuple[bytes | None, str | None, str | None]:
    """The feed's bytes, or None when the server says they have not changed."""
    import httpx

    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/calendar, */*;q=0.5",
        "Accept-Encoding": "gzip, deflate",  # what _decompress opens
    }
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    timeout = httpx.Timeout(min(10.0, max_seconds), read=min(READ_TIMEOUT, max_seconds))
    try:
        with httpx.Client(verify=tls_context(), timeout=timeout, trust_env=True) as client:
            for _ in range(MAX_REDIRECTS + 1):
                if now() - started > max_seconds:
                    raise FetchFailed(f"it took over {max_seconds:.0f} s to arrive")
                if urlsplit(url).scheme != "https":
                    raise FetchFailed("it sent the kiosk to an address that is not https")
                with client.stream("GET", url, headers=headers) as response:
                    if response.has_redirect_location:
                        url = urljoin(url, response.headers.get("location", ""))
                        continue
                    return _answer(response, started, now, max_seconds)
            raise FetchFailed(f"it redirected more than {MAX_REDIRECTS} times")
    except httpx.TimeoutException:
        raise FetchFailed("the server did not answer in time") from None
    except httpx.ConnectError as exc:
        raise FetchFailed(_connect_problem(exc)) from None
    except httpx.HTTPError as exc:
        raise FetchFailed(f"the connection failed ({safe_excerpt(str(exc), 120)})") from None


def _answer(
    response: httpx.Response, started: float, now: Callable[[], float], max_seconds: float
) -> tuple[bytes | None, str | None, str | None]:
    etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
    if response.status_code == 304:
        return None, etag, modified
    if response.status_code != 200:
        raise FetchFailed(_status_problem(response.status_code, response.reason_phrase))
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BYTES:
        raise FetchFailed(_too_big())
    chunks, size = [], 0
    for chunk in response.iter_raw():  # as sent (a compressed answer is capped as it grows)
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchFailed(_too_big())
        if now() - started > max_seconds:
            raise FetchFailed(f"it took over {max_seconds:.0f} s to arrive")
        chunks.append(chunk)
    body = b"".join(chunks)
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        body = _decompress(body, encoding)
    return body, etag, modified


def _decompress(body: bytes, encoding: str) -> bytes:
    """A gzip or deflate answer, opened to at most MAX_BYTES (a small bomb stays small)."""
    import zlib

    if encoding not in ("gzip", "deflate", "x-gzip"):
        raise FetchFailed(f"it was sent in a form the kiosk cannot read ({encoding[:20]})")
    opener = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib, by its header
    try:
        out = opener.decompress(body, MAX_BYTES + 1)
    except zlib.error:
        raise FetchFailed("its compressed answer is damaged") from None
    if len(out) > MAX_BYTES or opener.unconsumed_tail:
        raise FetchFailed(_too_big())
    return out


def _too_big() -> str:
    return f"the answer is over {MAX_BYTES // 2**20} MB, far more than a calendar"


def _status_problem(code: int, reason: str) -> str:
    hint = {
        401: "the address may need copying again from the calendar app",
        403: "the address may have been reset: copy it again from the calendar app",
        404: "the address may have been reset: copy it again from the calendar app",
        410: "the calendar is gone: copy its address again from the calendar app",
    }.get(code, "the server may be down; it is tried again later")
    return f"the server answered {code} {safe_excerpt(reason, 40)} ({hint})"


def _connect_problem(exc: Exception) -> str:
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate" in text.lower():
        return "its certificate could not be verified (see SSL_CERT_FILE for a private CA)"
    return f"the server could not be reached ({safe_excerpt(text, 100)})"


class FeedWorker:
    """Fetches each feed when it is due, on a thread of its own, never on the screen's.

    `feeds()` gives the feeds of the config in use now (it changes on reload). After a
    fetch that changed a copy, the config watcher sees the file change at its next poll."""

    CHECK_SECONDS = 30.0
    FIRST_DELAY_SECONDS = 10.0  # the screen's start comes first

    def __init__(self, data: Path, feeds: Callable[[], Sequence[Feed]]) -> None:
        self.data = data
        self._feeds = feeds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._now_please = False
        self._states: dict[str, FeedState] = {}  # as last read or fetched, by feed id
        self._thread = threading.Thread(target=self._run, name="calendar-feeds", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def needs_staff(self, now: float) -> bool:
        """A feed of the config in use has gone a day without a success, or has never
        given a copy and fails: its events are missing or old (no file is read here)."""
        for feed in self._feeds():
            state = self._states.get(feed.id)
            if state is not None and (state.stale(now) or (state.error and state.changed is None)):
                return True
        return False

    def fetch_now(self) -> None:
        """Fetch every feed at once (the staff panel's Reload)."""
        self._now_please = True
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        with contextlib.suppress(RuntimeError):
            self._thread.join(timeout)

    def _run(self) -> None:
        self._wake.wait(self.FIRST_DELAY_SECONDS)
        while not self._stop.is_set():
            self._wake.clear()  # before reading the request: a later one wakes the next wait
            everything, self._now_please = self._now_please, False
            for feed in list(self._feeds()):
                if self._stop.is_set():
                    return
                try:
                    state = read_state(self.data, feed.id)
                    if everything or state.due(feed.refresh_minutes, time.time()):
                        state = fetch(feed, self.data)
                    self._states[feed.id] = state
                except Exception:  # a full disk: try again at the next check
                    log.exception("Calendar feed %s could not be fetched", feed.name)
            self._wake.wait(self.CHECK_SECONDS)
