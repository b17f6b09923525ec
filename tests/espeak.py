"""A stand-in `espeak-ng` program on PATH, for read-aloud tests."""

from __future__ import annotations

import time
from pathlib import Path

VOICES = """Pty Language       Age/Gender VoiceName          File                 Other Languages
 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  es-419          --/M      Spanish_(Latin_America) roa/es-419           (es-mx 6)(es 6)
 5  yue             --/M      Chinese_(Cantonese) sit/yue              (zh-yue 5)(zh 8)
"""


def fake_espeak(folder: Path) -> Path:
    """An `espeak-ng` that lists three voices and writes what it was told to say."""
    program = folder / "espeak-ng"
    program.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--voices" ]; then cat <<"END"\n' + VOICES + "END\n"
        "exit 0; fi\n"
        f'echo "$@" > "{folder}/args"; cat > "{folder}/said"\n'
    )
    program.chmod(0o755)
    return program


def wait_for(path: Path) -> str:
    for _ in range(200):
        if path.exists() and path.stat().st_size:
            return path.read_text()
        time.sleep(0.01)
    raise AssertionError(f"{path} was not written")
