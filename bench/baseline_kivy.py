"""Baseline A for `make bench`: the least a Kivy kiosk can be, one Label in the same
window, environment and settings as the kiosk, stamped by the same probe."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from kiosk.shell import env as shell_env

    width, height = (int(v) for v in os.environ.get("BENCH_SIZE", "1920x1080").split("x"))
    shell_env.prepare(Path(os.environ["BENCH_DATA"]), size=(width, height), headless=True)

    import signal

    from kivy.app import App
    from kivy.clock import Clock
    from kivy.core.window import Window
    from kivy.uix.label import Label

    from kiosk.testing.bench_probe import BenchProbe

    probe = BenchProbe.from_env()

    class Minimal(App):
        def build(self) -> Label:
            if probe:
                Window.bind(on_flip=probe.flipped)
            return Label(text="Harm Reduction Group", font_size=52)

        def on_stop(self) -> None:
            if probe:
                probe.close()

    app = Minimal()
    signal.signal(signal.SIGTERM, lambda *_: Clock.schedule_once(lambda _dt: app.stop(), 0))
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
