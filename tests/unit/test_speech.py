"""Read-aloud through espeak-ng: a stand-in program records exactly what it is asked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.adapters.speech import Speaker, installed_voices
from tests.espeak import fake_espeak, wait_for


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
