"""Real git repositories on disk for `kiosk sync` tests: a work tree that commits, pushed to
a bare repository that kiosks fetch from over file://."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import SAMPLE_CONFIG

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Staff",
    "GIT_AUTHOR_EMAIL": "staff@example.org",
    "GIT_COMMITTER_NAME": "Staff",
    "GIT_COMMITTER_EMAIL": "staff@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


class ConfigRepo:
    """shared/ holds the sample config; buildings/<name>/kiosk.toml gives each its name."""

    def __init__(self, folder: Path, buildings: tuple[str, ...] = ("iroquois",)) -> None:
        self.bare = folder / "provider-config.git"
        self.work = folder / "work"
        folder.mkdir(parents=True, exist_ok=True)
        git("init", "--quiet", "--bare", "--initial-branch=main", str(self.bare), cwd=folder)
        git("init", "--quiet", "--initial-branch=main", str(self.work), cwd=folder)
        shutil.copytree(SAMPLE_CONFIG, self.work / "shared")
        for name in buildings:
            self.write(f"buildings/{name}/kiosk.toml", building_kiosk_toml(name))
        self.commit("First version")

    @property
    def url(self) -> str:
        return self.bare.as_uri()  # file://…

    def write(self, path: str, text: str) -> None:
        target = self.work / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def edit(self, path: str, old: str, new: str) -> None:
        target = self.work / path
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")

    def commit(self, message: str) -> str:
        git("add", "--all", cwd=self.work)
        git("commit", "--quiet", "--allow-empty", "-m", message, cwd=self.work)
        git("push", "--quiet", "--force", str(self.bare), "main", cwd=self.work)
        return git("rev-parse", "HEAD", cwd=self.work)


def building_kiosk_toml(name: str) -> str:
    """The sample kiosk.toml with the building's own name."""
    text = (SAMPLE_CONFIG / "kiosk.toml").read_text(encoding="utf-8")
    old = 'name.en = "Harm Reduction Group"'
    assert old in text
    return text.replace(old, f'name.en = "Harm Reduction Group at {name}"', 1)
