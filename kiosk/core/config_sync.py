"""`kiosk sync`'s decisions, with no I/O: which files of a commit make the config, whether
the config folder was changed by hand, and which old versions to drop.

A repository holds a shared folder (tips, resources, settings every building uses) and a
folder per building; a building's file replaces the shared file of the same name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

MAX_FILES = 200
MAX_FILE_BYTES = 10 * 2**20  # as a calendar may be
MAX_TOTAL_BYTES = 50 * 2**20
MAX_DEPTH = 3  # folders below the config folder (calendars/2027/groups.ics)
KEEP_VERSIONS = 10  # previous versions kept in config-versions/, beside the one in use
MARKER = ".kiosk-sync.json"  # in each synced version: its commit and when it was applied


class TreeProblem(ValueError):
    """The commit cannot be a config folder (the message names the file)."""


@dataclass(frozen=True)
class TreeEntry:
    """One entry of `git ls-tree -r --long`: its mode, object id, size and path."""

    mode: str
    object_id: str
    size: int
    path: str


def config_files(
    entries: list[TreeEntry], shared: str | None, building: str | None
) -> dict[str, TreeEntry]:
    """The config folder a commit makes: {path in the config folder: entry}. The files of
    `shared`, then those of `building` over them; with neither, the top folder. Hidden
    files (.gitignore, .github/…) are left out; links and submodules are refused."""
    folders = [f for f in (shared, building) if f is not None] or [""]
    chosen: dict[str, TreeEntry] = {}
    for folder in folders:
        prefix = clean_folder(folder)
        found = False
        for entry in entries:
            if prefix and not entry.path.startswith(prefix + "/"):
                continue
            relative = entry.path[len(prefix) + 1 :] if prefix else entry.path
            found = True
            parts = PurePosixPath(relative).parts
            if any(p.startswith(".") for p in parts):
                continue
            if entry.mode == "120000":
                raise TreeProblem(f"{entry.path} is a symbolic link; put the file itself there")
            if entry.mode == "160000":
                raise TreeProblem(f"{entry.path} is a submodule; put the files themselves there")
            if len(parts) > MAX_DEPTH + 1:
                raise TreeProblem(f"{entry.path} is more than {MAX_DEPTH} folders deep")
            chosen[relative] = entry
        if prefix and not found:
            raise TreeProblem(f"the folder {prefix}/ is not in the repository (or is empty)")
    if not chosen:
        raise TreeProblem("it holds no config files")
    check_sizes(chosen)
    return chosen


def clean_folder(folder: str) -> str:
    """A folder inside the repository, as git names it ('buildings/iroquois')."""
    path = PurePosixPath(folder.strip().strip("/"))
    if folder.strip() in ("", ".", "/"):
        return ""
    if path.is_absolute() or ".." in path.parts:
        raise TreeProblem(f"{folder} must be a folder inside the repository, like buildings/one")
    return str(path)


def check_sizes(files: dict[str, TreeEntry]) -> None:
    if len(files) > MAX_FILES:
        raise TreeProblem(f"it has {len(files)} files; a config folder has far fewer")
    for path, entry in files.items():
        if entry.size > MAX_FILE_BYTES:
            raise TreeProblem(
                f"{path} is {entry.size / 2**20:.1f} MB, over the 10 MB a file may be"
            )
    total = sum(e.size for e in files.values())
    if total > MAX_TOTAL_BYTES:
        raise TreeProblem(f"its files come to {total / 2**20:.0f} MB, over 50 MB")


def changed_by_hand(applied: dict[str, str], now: dict[str, str]) -> list[str]:
    """The files whose content differs from what the last sync applied (by hash), or that
    were added or deleted since."""
    return sorted(
        name for name in applied.keys() | now.keys() if applied.get(name) != now.get(name)
    )


def versions_to_drop(names: list[str], in_use: str | None) -> list[str]:
    """Old versions beyond the newest KEEP_VERSIONS (names sort by when they were made);
    the one in use is never dropped."""
    older = sorted((n for n in names if n != in_use), reverse=True)
    return older[KEEP_VERSIONS:]
