"""Fuzz the config and calendar readers (tests/unit/fuzz_config.py), seeded, in a child
process capped at 500 MB of address space beyond the interpreter's own, so an input that
makes them exhaust memory fails the test instead of the machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.fuzz
ROOT = Path(__file__).resolve().parents[2]
CAP = (
    "import resource, runpy, sys\n"
    "soft = 1500 * 2**20\n"  # the interpreter, pydantic, icalendar and hypothesis need ~1 GB
    "resource.setrlimit(resource.RLIMIT_AS, (soft, soft))\n"
    "sys.argv = ['fuzz_config', *sys.argv[1:]]\n"
    "runpy.run_module('tests.unit.fuzz_config', run_name='__main__')\n"
)


@pytest.mark.parametrize(("kind", "examples"), [("config", 150), ("calendar", 120)])
def test_generated_inputs_give_a_clean_error_or_a_valid_config(
    kind: str, examples: int, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CAP, kind, str(examples), str(tmp_path / "config")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    assert f"{kind}: {examples} examples, all sound" in result.stdout
