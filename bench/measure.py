"""Reading a process's cost from /proc, and the statistics and report of `make bench`.

Plain functions on text, so the parsers are unit-tested without running anything.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _stat_fields(stat_text: str) -> list[str]:
    """Fields of /proc/PID/stat after the command name, which may hold spaces and ')'."""
    return stat_text[stat_text.rindex(")") + 2 :].split()


def cpu_seconds(stat_text: str) -> float:
    """User + system CPU time of one process, from /proc/PID/stat."""
    fields = _stat_fields(stat_text)  # fields[0] is field 3 (state)
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / CLK_TCK


def parent_pid(stat_text: str) -> int:
    return int(_stat_fields(stat_text)[1])


def start_since_boot(stat_text: str) -> float:
    """When the process started, in seconds since boot (CLOCK_BOOTTIME, to a clock tick)."""
    return int(_stat_fields(stat_text)[19]) / CLK_TCK


def pss_kib(smaps_rollup_text: str) -> int:
    """Proportional set size: shared pages split between the processes that share them."""
    for line in smaps_rollup_text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    raise ValueError("no Pss line in smaps_rollup")


def read(path: str) -> str | None:
    try:
        return Path(path).read_text()
    except OSError:  # the process has gone
        return None


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants alive now."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (text := read(f"/proc/{entry.name}/stat")):
            parents[int(entry.name)] = parent_pid(text)
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def tree_cpu_seconds(pid: int) -> float:
    return sum(cpu_seconds(t) for p in tree(pid) if (t := read(f"/proc/{p}/stat")))


def tree_pss_mib(pid: int) -> float:
    total = sum(pss_kib(t) for p in tree(pid) if (t := read(f"/proc/{p}/smaps_rollup")))
    return total / 1024


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Iterable[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p% of values at or below."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def figure(value: float, unit: str, budget: str, ok: bool, **extra) -> dict:
    return {"value": round(value, 3), "unit": unit, "budget": budget, "ok": bool(ok), **extra}


def table(figures: dict[str, dict]) -> str:
    """The figures as a plain-text table, one row each, with the ratios the budgets are on."""
    rows = [("figure", "value", "against", "budget", "ok")]
    for name, f in figures.items():
        value = f"{f['value']:g} {f['unit']}"
        rows.append((name, value, _against(f), f["budget"], "yes" if f["ok"] else "NO"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _against(figure: dict) -> str:
    parts = [
        f"{figure[key]:.2f} x {name}"
        for key, name in (("ratio_A", "A"), ("ratio_B", "B"))
        if figure.get(key) is not None
    ]
    if figure.get("p50") is not None:
        parts.append(f"p50 {figure['p50']:.3g}")
    if figure.get("after_warm_up") is not None:
        parts.append(f"{figure['after_warm_up']:.2f} after warm-up")
    return ", ".join(parts)


def write_report(path: Path, figures: dict[str, dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"figures": figures}, indent=1) + "\n", encoding="utf-8")
