"""Check-in write latency with 1 and 5 years of data (prints numbers; not a test).

Simulated use: 6 group meetings a week and 50 check-ins a day, spread over the meetings,
each with its mood and first-time answers and, for the 18:00 group, after-group answers
over 10 of the 25 pairs of faces. Each write is what a real tap does: read, count, write
a temp file, fsync, replace, fsync the folder.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from kiosk.adapters.storage import DB_NAME, TABLE, CheckinStore, atomic_write
from kiosk.core.checkins import FIRST_FIELDS, MOOD_FIELDS, PAIR_FIELDS, PARTIAL_FIELD

GROUPS_PER_WEEK = 6
CHECKINS_PER_DAY = 50
WRITES = 200


def simulated_history(years: int, rng: random.Random) -> dict:
    docs = {}
    first = date(2026, 12, 7) - timedelta(weeks=52 * years)
    per_meeting = CHECKINS_PER_DAY * 7 // GROUPS_PER_WEEK
    for week in range(52 * years):
        monday = first + timedelta(weeks=week)
        for g in range(GROUPS_PER_WEEK):
            day = monday + timedelta(days=g)
            moods = [rng.randint(0, per_meeting // 5) for _ in range(6)]
            counts = dict(zip(MOOD_FIELDS, [per_meeting, *moods], strict=True))
            counts |= {k: rng.randint(1, per_meeting // 3) for k in FIRST_FIELDS}
            if g == 0:  # after-group answers: about 10 pairs of faces, and some partial
                counts |= {k: rng.randint(1, 4) for k in rng.sample(PAIR_FIELDS, 10)}
                counts[PARTIAL_FIELD] = rng.randint(0, 3)
            docs[str(len(docs) + 1)] = {"occurrence": f"group-{g}@{day.isoformat()}", **counts}
    return {TABLE: docs}


def measure(years: int) -> dict[str, float]:
    rng = random.Random(years)
    with tempfile.TemporaryDirectory() as folder:
        atomic_write(Path(folder) / DB_NAME, json.dumps(simulated_history(years, rng)).encode())
        store = CheckinStore(folder, today=date(2026, 12, 7))
        timings = []
        for n in range(WRITES):  # check-ins, and every fourth an after-group answer
            start = time.perf_counter()
            if n % 4 == 3:
                store.record_after("group-0@2026-12-07", rng.randint(1, 5), rng.randint(1, 5))
            else:
                mood = rng.choice([1, 2, 3, 4, 5, "skipped"])
                store.record("group-0@2026-12-07", mood, rng.choice(["yes", "no", "skipped"]))
            timings.append((time.perf_counter() - start) * 1000)
        size = (Path(folder) / DB_NAME).stat().st_size
        store.close()
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p99_ms": timings[int(len(timings) * 0.99) - 1],
        "size_kb": size / 1024,
        "records": 52 * years * GROUPS_PER_WEEK,
    }


def main() -> int:
    print(f"Check-in and after-group write latency ({WRITES} writes each, fsync'd)")
    print(f"{'data':>8} {'records':>8} {'median ms':>10} {'p99 ms':>8} {'file KB':>8}")
    for years in (1, 5):
        m = measure(years)
        print(
            f"{years:>6} y {m['records']:>8} {m['median_ms']:>10.2f} {m['p99_ms']:>8.2f}"
            f" {m['size_kb']:>8.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
