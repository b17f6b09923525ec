"""Optional read-aloud through espeak-ng: off unless staff turn it on, and only offered in
languages the installed espeak-ng has a voice for. No Kivy import.

Speaking runs in its own process, so the screen never waits for it; a new request, a
language change or the idle return stops what is being said.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Callable, Mapping
from functools import cache

from kiosk.words.languages import LANGUAGES

log = logging.getLogger(__name__)

PROGRAM = "espeak-ng"

# espeak-ng voices by kiosk language (see kiosk.words.languages; staff may name others).
DEFAULT_VOICES = {code: lang.voice for code, lang in LANGUAGES.items() if lang.voice}
WORDS_PER_MINUTE = 150  # a little slower than espeak-ng's 175: easier to follow


@cache
def installed_voices(program: str) -> frozenset[str]:
    """The voice names (and their language codes) an espeak-ng binary knows."""
    try:
        out = subprocess.run(
            [program, "--voices"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    names: set[str] = set()
    for line in out.splitlines()[1:]:
        # "Pty Language Age/Gender VoiceName File Other Languages"
        parts = line.split()
        if len(parts) >= 5:
            names |= {parts[1], parts[4].rsplit("/", 1)[-1].lower()}
    return frozenset(names)


class Speaker:
    """Says text in a language's voice, one thing at a time."""

    def __init__(
        self,
        voices: Mapping[str, str] | None = None,
        program: str | None = None,
        spawn: Callable[..., subprocess.Popen] = subprocess.Popen,
    ) -> None:
        self.program = program or shutil.which(PROGRAM)
        known = installed_voices(self.program) if self.program else frozenset()
        wanted = {**DEFAULT_VOICES, **(voices or {})}
        self.voices = {lang: v for lang, v in wanted.items() if v and v.lower() in known}
        self._spawn = spawn
        self._process: subprocess.Popen | None = None

    def can_speak(self, lang: str) -> bool:
        return lang in self.voices

    @property
    def speaking(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def say(self, text: str, lang: str) -> bool:
        """Start saying `text`; False if this language has no voice or espeak-ng fails."""
        self.stop()
        if not self.program or not self.can_speak(lang) or not text.strip():
            return False
        command = [
            self.program,
            "-v",
            self.voices[lang],
            "-s",
            str(WORDS_PER_MINUTE),
            "--stdin",  # the text goes in on stdin, so nothing in it can read as an option
        ]
        try:
            process = self._spawn(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            assert process.stdin is not None
            process.stdin.write(text.encode("utf-8"))
            process.stdin.close()
        except (OSError, ValueError, AssertionError):
            log.warning("Read-aloud could not start %s", self.program, exc_info=True)
            return False
        self._process = process
        return True

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                process.kill()
