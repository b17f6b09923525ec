"""Replay scripts (see the CLI contract): parsed here, run by the driver."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.screens import NAMES as SCREENS  # the screens a script may `expect`

# verb -> names of its arguments
VERBS: dict[str, tuple[str, ...]] = {
    "tap": ("target",),
    "press": ("target", "seconds"),
    "wait": ("seconds",),
    "advance": ("seconds",),
    "shot": ("name",),
    "expect": ("screen",),
}

MAX_BYTES = 2**20  # a script is typed by hand or generated for a test: a megabyte is plenty
MAX_STEPS = 20_000

_SHOT_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
_TARGET = re.compile(r"^[A-Za-z0-9._@-]+$")


class ScriptError(ValueError):
    """A line of a replay script that cannot be run."""


@dataclass(frozen=True)
class Step:
    line: int
    verb: str
    args: tuple[str, ...]

    @property
    def seconds(self) -> float:
        return float(self.args[-1])

    def __str__(self) -> str:
        return f"line {self.line}: {self.verb} {' '.join(self.args)}"


def _seconds(text: str, line: int) -> None:
    try:
        value = float(text)
    except ValueError:
        raise ScriptError(f"line {line}: {text!r} is not a number of seconds") from None
    if not 0 <= value <= 7 * 24 * 3600 or value != value:
        raise ScriptError(f"line {line}: {text} seconds is out of range (0 to one week)")


def parse(text: str, source: str = "script") -> list[Step]:
    steps = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        verb, *args = line.split()
        where = f"{source}, line {number}"
        if verb not in VERBS:
            raise ScriptError(f"{where}: unknown action {verb!r}; use one of {', '.join(VERBS)}")
        names = VERBS[verb]
        if len(args) != len(names):
            usage = " ".join(f"<{n}>" for n in names)
            raise ScriptError(f"{where}: write it as `{verb} {usage}`")
        for name, value in zip(names, args, strict=True):
            if name == "seconds":
                _seconds(value, number)
            elif name == "name" and not _SHOT_NAME.match(value):
                raise ScriptError(
                    f"{where}: screenshot name {value!r} may use letters, digits, . _ - only"
                )
            elif name == "target" and not _TARGET.match(value):
                raise ScriptError(f"{where}: {value!r} is not a target name")
            elif name == "screen" and value not in SCREENS:
                raise ScriptError(
                    f"{where}: unknown screen {value!r}; screens are {', '.join(SCREENS)}"
                )
        steps.append(Step(number, verb, tuple(args)))
        if len(steps) > MAX_STEPS:
            raise ScriptError(f"{where}: a script has at most {MAX_STEPS} steps")
    return steps
