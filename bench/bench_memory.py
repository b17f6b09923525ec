"""Memory over long use: RSS before and after 1,000 tip rotations (QR codes included)
and 200 config reloads, in the real app on a simulated clock (prints numbers).

The window is small (960x540): the app does the same work at any size, and the software
renderer on a machine without a GPU draws a small window four times faster."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (960, 540)


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    config = work / "config"
    shutil.copytree(ROOT / "config", config)
    os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
    sys.path.insert(0, str(ROOT))
    from kiosk import shell_env

    shell_env.prepare(work / "data", size=SIZE, headless=True)
    from tests.ui import start_app

    # Frames of 1/10 s: every cross-fade still runs through, in 8 steps rather than 48.
    driver = start_app(config, work / "data", at="2026-12-01T17:45", size=SIZE, frame_seconds=0.1)
    kiosk_toml = config / "kiosk.toml"

    def rotate(n: int) -> None:
        for _ in range(n):
            driver.tap("tip")
            driver.wait(0.1)

    def reload(n: int) -> None:
        for i in range(n):
            old, new = ("12", "13") if i % 2 == 0 else ("13", "12")
            text = kiosk_toml.read_text()
            kiosk_toml.write_text(text.replace(f"tip_seconds = {old}", f"tip_seconds = {new}"))
            st = kiosk_toml.stat()
            os.utime(kiosk_toml, ns=(st.st_atime_ns, st.st_mtime_ns + (i + 1) * 1_000_000_000))
            driver.advance(2.5)

    # Warm up until fonts, textures and the software renderer's compiled shaders have
    # reached their working size (Mesa's llvmpipe compiles lazily, per drawing state).
    rotate(200)
    reload(20)
    gc.collect()
    before = rss_kib()
    rotate(1000)
    reload(200)
    gc.collect()
    after = rss_kib()
    driver.stop()
    shutil.rmtree(work, ignore_errors=True)
    growth = (after - before) / before * 100
    print(f"Memory over 1,000 tip rotations and 200 config reloads ({SIZE[0]}x{SIZE[1]})")
    print(f"  RSS before {before / 1024:.1f} MiB, after {after / 1024:.1f} MiB,"
          f" growth {growth:+.1f}% (target < 5%)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
