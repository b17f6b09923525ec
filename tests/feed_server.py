"""A real HTTPS server on 127.0.0.1 for calendar feed tests, with a throwaway certificate
authority (trustme): the kiosk trusts it only through SSL_CERT_FILE, as it would trust a
provider's private one. What it answers is set per test."""

from __future__ import annotations

import gzip
import ssl
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import trustme

Answer = Callable[[BaseHTTPRequestHandler], None]

EVENT_TEMPLATE = """BEGIN:VEVENT
UID:{uid}
SUMMARY:{summary}
DTSTART;TZID=America/Los_Angeles:{start}
DTEND;TZID=America/Los_Angeles:{end}
LOCATION:Community Room
END:VEVENT
"""


def calendar(*events: tuple[str, str, str]) -> bytes:
    """An .ics text with events of (uid, summary, 'YYYYMMDDTHHMMSS' start), an hour long."""
    parts = ["BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//feed//EN\n"]
    for uid, summary, start in events:
        hour = int(start[9:11]) + 1
        end = f"{start[:9]}{hour:02d}{start[11:]}"
        parts.append(EVENT_TEMPLATE.format(uid=uid, summary=summary, start=start, end=end))
    parts.append("END:VCALENDAR\n")
    return "".join(parts).replace("\n", "\r\n").encode()


class FeedServer:
    def __init__(self, folder: Path) -> None:
        self.ca = trustme.CA()
        self.ca_file = folder / "throwaway-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the standard library names it so
                owner.requests.append(dict(self.headers))
                owner.answer(self)

            def log_message(self, *_args) -> None:
                pass

        self.requests: list[dict[str, str]] = []
        self.answer: Answer = serve(calendar())
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str = "/private/basic.ics") -> str:
        return f"https://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Gone, as a server that is down: its port refuses connections."""
        self.httpd.shutdown()
        self.httpd.server_close()


# --- answers ---------------------------------------------------------------------------------


def serve(body: bytes, etag: str | None = None) -> Answer:
    """200 with `body`, or 304 when the kiosk already has this ETag."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        if etag is not None and h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        h.send_response(200)
        h.send_header("Content-Type", "text/calendar; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        if etag is not None:
            h.send_header("ETag", etag)
        h.end_headers()
        h.wfile.write(body)

    return answer


def status(code: int) -> Answer:
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(code)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return answer


def redirect(location: str) -> Answer:
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return answer


def endless(say_length: bool, megabytes: int = 50) -> Answer:
    """`megabytes` of calendar-looking text, sent as it is made (never held whole)."""
    line = b"DESCRIPTION:" + b"x" * 1010 + b"\r\n"

    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/calendar")
        if say_length:
            h.send_header("Content-Length", str(megabytes * 2**20))
        h.end_headers()
        try:
            h.wfile.write(b"BEGIN:VCALENDAR\r\n")
            for _ in range(megabytes * 2**20 // len(line)):
                h.wfile.write(line)
        except OSError:  # the kiosk hung up, as it should
            pass

    return answer


def gzip_bomb(megabytes: int = 200) -> Answer:
    """A small gzip answer that opens to `megabytes`."""
    body = gzip.compress(b"BEGIN:VCALENDAR\r\n" + b"\0" * (megabytes * 2**20), compresslevel=9)

    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/calendar")
        h.send_header("Content-Encoding", "gzip")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return answer


def drip(every_seconds: float, body: bytes) -> Answer:
    """A byte at a time, slowly: each read is quick, the whole is not."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        try:
            for i in range(len(body)):
                h.wfile.write(body[i : i + 1])
                h.wfile.flush()
                time.sleep(every_seconds)
        except OSError:
            pass

    return answer
