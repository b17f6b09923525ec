"""Read-aloud through espeak-ng: a stand-in program records exactly what it is asked."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from kiosk.adapters.speech import Speaker, installed_voices

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


def test_voices_are_read_from_the_program(tmp_path: Path) -> None:
    voices = installed_voices(str(fake_espeak(tmp_path)))
    assert {"en-us", "es-419", "yue"} <= voices


def test_speaks_the_text_on_stdin_in_the_language_voice(tmp_path: Path) -> None:
    speaker = Speaker(program=str(fake_espeak(tmp_path)))
    assert speaker.can_speak("en") and speaker.can_speak("zh-Hant")
    assert not speaker.can_speak("tl")  # espeak-ng has no Filipino voice
    assert speaker.say("-v is not an option here\n下午6:00", "zh-Hant")
    assert wait_for(tmp_path / "said") == "-v is not an option here\n下午6:00"
    assert wait_for(tmp_path / "args").split() == ["-v", "yue", "-s", "150", "--stdin"]


def test_staff_can_choose_a_voice_but_not_one_that_is_not_installed(tmp_path: Path) -> None:
    program = str(fake_espeak(tmp_path))
    assert Speaker({"zh-Hant": "cmn"}, program=program).can_speak("zh-Hant") is False
    assert Speaker({"tl": "en-us"}, program=program).voices["tl"] == "en-us"


def test_without_espeak_nothing_is_offered(monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    speaker = Speaker()
    assert speaker.program is None and not speaker.can_speak("en")
    assert speaker.say("hello", "en") is False


def test_a_new_request_stops_the_one_before(tmp_path: Path) -> None:
    started = []

    class Slow:
        def __init__(self, *_args, **_kwargs) -> None:
            self.stdin = open(tmp_path / "stdin", "wb")  # noqa: SIM115
            self.ended = False
            started.append(self)

        def poll(self):
            return 0 if self.ended else None

        def terminate(self) -> None:
            self.ended = True

        def wait(self, timeout=None) -> int:
            return 0

    speaker = Speaker(program=str(fake_espeak(tmp_path)), spawn=Slow)
    speaker.say("one", "en")
    speaker.say("two", "en")
    assert [p.ended for p in started] == [True, False]
    speaker.stop()
    assert started[1].ended


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_the_real_espeak_ng_has_the_default_voices() -> None:
    speaker = Speaker()
    assert speaker.can_speak("en") and speaker.can_speak("es") and speaker.can_speak("zh-Hant")
