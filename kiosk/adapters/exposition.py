"""`kiosk status --format prometheus`: the heartbeat's present state in the Prometheus text
exposition format (version 0.0.4), for node_exporter's textfile collector.

Only what the heartbeat and the calendar feeds' states hold, so nothing here changes when
a resident uses the screen or checks in. Written by hand: a few lines of a stable format
need no library on the kiosk.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kiosk.adapters.health import Status


def _label(value: object) -> str:
    text = str(value)
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _feed(feed: FeedHealth) -> str:
    return f'{{feed="{_label(feed.name)}"}}'


def _number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


def _family(name: str, kind: str, about: str, samples: Iterable[tuple[str, float]]) -> list[str]:
    lines = [f"# HELP {name} {about}", f"# TYPE {name} {kind}"]
    lines += [f"{name}{labels} {_number(value)}" for labels, value in samples]
    return lines


@dataclass(frozen=True)
class FeedHealth:
    name: str  # host and a short hash: never the address, which is a secret
    age_seconds: float | None  # since the last success; None: never
    ok: bool  # the last fetch worked


def exposition(
    status: Status, age_seconds: float | None, config_ok: bool, feeds: Sequence[FeedHealth] = ()
) -> str:
    """The metrics for one kiosk. `age_seconds` is None when there is no heartbeat;
    `config_ok` is the config as `kiosk status` checked it (files on disk now); `feeds`
    are the config's calendar feeds as their state files tell."""
    beat = status.heartbeat or {}
    info = {
        "commit": beat.get("config_commit", ""),
        "origin": beat.get("config_origin", ""),
        "version": beat.get("version", ""),
    }
    labels = "{" + ",".join(f'{k}="{_label(v)}"' for k, v in info.items()) + "}"
    up = age_seconds is not None and status.code != 2
    lines = [
        *_family("kiosk_up", "gauge", "1 if the kiosk's heartbeat is fresh.", [("", up)]),
        *_family(
            "kiosk_heartbeat_age_seconds",
            "gauge",
            "Seconds since the kiosk last wrote its heartbeat (NaN: none).",
            [("", math.nan if age_seconds is None else round(age_seconds))],
        ),
        *_family(
            "kiosk_config_ok",
            "gauge",
            "1 if the config folder passes kiosk check.",
            [("", config_ok)],
        ),
        *_family(
            "kiosk_config_info",
            "gauge",
            "The config in use: commit, origin and version.",
            [(labels, 1)],
        ),
        *_family(
            "kiosk_store_ok",
            "gauge",
            "1 if the last timed upkeep of the check-in data worked.",
            [("", beat.get("store_ok", False) is not False)] if beat else [],
        ),
        *_family(
            "kiosk_uptime_seconds",
            "gauge",
            "Seconds since the kiosk started.",
            [("", beat["uptime_seconds"])] if "uptime_seconds" in beat else [],
        ),
        *_family(
            "kiosk_calendar_feed_age_seconds",
            "gauge",
            "Seconds since each calendar feed last succeeded (+Inf: never).",
            [
                (_feed(f), math.inf if f.age_seconds is None else round(f.age_seconds))
                for f in feeds
            ],
        ),
        *_family(
            "kiosk_calendar_feed_ok",
            "gauge",
            "1 if the last fetch of each calendar feed worked.",
            [(_feed(f), f.ok) for f in feeds],
        ),
    ]
    return "\n".join(lines) + "\n"
