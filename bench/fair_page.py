"""Baseline B's page: the kiosk's home screen as a web page doing the same work, built
from the same config with the kiosk's own rules (see README, "Benchmark").

The same tips in the kiosk's order (a round dealt drug, set, setting, from the same
seeded shuffle), each up as long as the kiosk keeps it with nobody in front of the screen
(`TipPace`: the config's pace, a slow reader's time, 30 s for a tip with a QR code), the
same 0.2 s cross-fade between two faces, the QR code of each linked tip, the schedule as
home shows it, and the clock's minute. No network, no framework: a few lines of script.
"""

from __future__ import annotations

import base64
import html
import io
import json
import random
from pathlib import Path

from kiosk.config.loader import Config
from kiosk.core import qr
from kiosk.core.tips import LINKED_SECONDS, interleave, reading_seconds
from kiosk.shell import theme

ROUNDS = 3  # tips dealt ahead: more than an hour of rotation


def tip_sequence(config: Config, seed: int = 0) -> list[dict]:
    """The tips the kiosk shows, in order, with how long each stays up (idle home)."""
    lang = config.default_language
    pace = config.kiosk.timing.tip_seconds
    rng = random.Random(seed)
    shown = []
    for _ in range(ROUNDS):
        for tip in interleave(config.tips.tip, rng):
            text = tip.text.get(lang, lang)
            dwell = max(pace, reading_seconds(text), LINKED_SECONDS if tip.link else 0.0)
            shown.append({"text": text, "seconds": dwell, "qr": _qr_uri(tip.link)})
    return shown


def _qr_uri(link: str | None) -> str:
    if not link:
        return ""
    buffer = io.BytesIO()
    qr.image(link, 6).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def page(config: Config, schedule_lines: list[str]) -> str:
    p = theme.DEFAULT
    name = html.escape(config.kiosk.name.get(config.default_language, config.default_language))
    rows = "".join(f"<li>{html.escape(line)}</li>" for line in schedule_lines)
    tips = json.dumps(tip_sequence(config))
    fade = f"{theme.TIP_FADE_SECONDS}s"
    return f"""<!doctype html>
<html lang="{config.default_language}">
<head>
<meta charset="utf-8">
<title>{name}</title>
<style>
  body {{ margin: 0; font: 32px/1.3 sans-serif; background: {p.background}; color: {p.text};
         height: 100vh; display: flex; flex-direction: column; }}
  header {{ display: flex; justify-content: space-between; padding: 12px 40px;
           background: {p.header}; }}
  h1 {{ margin: 0; font-size: 52px; }}
  main {{ display: flex; gap: 36px; padding: 36px; flex: 1; }}
  section {{ flex: 56; }}
  .card {{ flex: 44; position: relative; background: {p.tip_surface}; color: {p.tip_text};
          border-radius: 28px; }}
  .face {{ position: absolute; inset: 0; padding: 40px; font-size: 42px;
          transition: opacity {fade} ease-in-out; }}
  .face img {{ display: block; margin-top: 24px; width: 210px; image-rendering: pixelated; }}
  li {{ margin: 12px 0; }}
  button {{ font-size: 44px; padding: 24px 48px; border-radius: 24px; margin-right: 24px;
           background: {p.live}; border: 0; }}
</style>
</head>
<body>
<header><h1>{name}</h1><div id="clock"></div></header>
<main>
  <section><h2>Next 7 days</h2><ul>{rows}</ul>
    <button>Check in</button><button>Resources</button></section>
  <div class="card"><div class="face" id="a"></div><div class="face" id="b"
    style="opacity: 0"></div></div>
</main>
<script>
  const tips = {tips};
  const faces = [document.getElementById("a"), document.getElementById("b")];
  let n = 0, front = 0;
  function fill(face, tip) {{
    face.textContent = tip.text;
    if (tip.qr) {{ const img = new Image(); img.src = tip.qr; face.appendChild(img); }}
  }}
  function next() {{
    n = (n + 1) % tips.length;
    const back = faces[1 - front];
    fill(back, tips[n]);
    back.style.opacity = 1;
    faces[front].style.opacity = 0;
    front = 1 - front;
    setTimeout(next, tips[n].seconds * 1000);
  }}
  fill(faces[0], tips[0]);
  setTimeout(next, tips[0].seconds * 1000);
  // The minute, as home shows it: looked at each second, drawn when it changes.
  let shown = "";
  function tick() {{
    const now = new Date().toLocaleTimeString([], {{hour: "numeric", minute: "2-digit"}});
    if (now !== shown) {{ shown = now; document.getElementById("clock").textContent = now; }}
  }}
  tick();
  setInterval(tick, 1000);
</script>
</body>
</html>
"""


def write(config: Config, schedule_lines: list[str], path: Path) -> Path:
    path.write_text(page(config, schedule_lines), encoding="utf-8")
    return path
