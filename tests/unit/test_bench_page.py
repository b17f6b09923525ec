"""Baseline B does the kiosk's own work: the same tips, order, pace and cross-fade."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bench import fair_page
from kiosk.config.loader import load
from kiosk.core.tips import TipPace
from kiosk.shell import theme


def test_the_page_rotates_every_tip_at_the_kiosks_pace_with_its_fade(config_dir: Path) -> None:
    config = load(config_dir).config
    assert config is not None
    shown = fair_page.tip_sequence(config)
    texts = {t.text.get("en", "en") for t in config.tips.tip}
    assert {s["text"] for s in shown} == texts, "every tip, in each round"
    pace = TipPace(config.kiosk.timing.tip_seconds, config.kiosk.timing.idle_seconds)
    for tip in shown:
        linked = bool(tip["qr"])
        # The kiosk with nobody there: the tip goes exactly when its dwell is over.
        before, at = tip["seconds"] - 0.01, tip["seconds"]
        assert not pace.may_change(tip["text"], linked, "normal", before, float("inf"))
        assert pace.may_change(tip["text"], linked, "normal", at, float("inf"))
    assert any(s["qr"].startswith("data:image/png;base64,") for s in shown)
    page = fair_page.page(config, ["Today 6:00 PM · Harm Reduction Group"])
    assert f"transition: opacity {theme.TIP_FADE_SECONDS}s" in page
    embedded = json.loads(re.search(r"const tips = (\[.*?\]);\n", page).group(1))
    assert embedded == shown
