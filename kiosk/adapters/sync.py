"""`kiosk sync`: the config from a git repository, checked, then applied all at once.

git itself does the transport (anything `git clone` accepts). The commit's files are read
out of a bare mirror in DATA/sync/ (no work tree, no hooks, nothing of the repository
runs), written to a staging folder, and checked with `kiosk check`'s own checks. Only a
valid config is applied: it becomes a new folder in DATA/config-versions/, and --config is
a symbolic link switched to it in one step, so a reader sees the old or the new version,
never half of one. The ten versions before it stay in config-versions/.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.adapters import data_folder
from kiosk.adapters.files import atomic_write, fsync_dir, read_capped
from kiosk.config.loader import load
from kiosk.core import config_sync
from kiosk.core.config_sync import MARKER, TreeEntry, TreeProblem

VERSIONS = data_folder.CONFIG_VERSIONS
SYNC = "sync"  # in the data folder: the mirror, the lock and what was applied last
GIT_TIMEOUT = 300  # seconds for one git command (a first fetch on a slow line)
EXIT_APPLIED, EXIT_KEPT, EXIT_UNREACHABLE = 0, 1, 2
MAX_STATE_BYTES = 256 * 1024  # what was applied: a manifest of at most a few hundred files


@dataclass(frozen=True)
class Outcome:
    code: int  # 0 applied or unchanged, 1 kept (invalid, or hand edits), 2 unreachable
    line: str  # `applied <commit>`, `unchanged <commit>` or `kept <commit>: <why>`
    details: tuple[str, ...] = ()  # every problem, for standard error


@dataclass(frozen=True)
class Request:
    source: str
    config: Path
    data: Path
    branch: str | None = None
    path: str | None = None
    shared: str | None = None
    force: bool = False


class Unreachable(Exception):
    """The source cannot be reached (exit 2): offline is normal, the old config stays."""


class Busy(Exception):
    """Another sync holds the data folder."""


def sync(request: Request) -> Outcome:
    folder = request.data / SYNC
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with _locked(folder / "sync.lock"):
            return _sync(request, folder)
    except Busy as exc:
        return Outcome(EXIT_KEPT, f"kept {read_state(request.data).get('commit') or 'none'}: {exc}")


def _sync(request: Request, folder: Path) -> Outcome:
    state = read_state(request.data)
    in_use = state.get("commit") or "none"
    mirror = folder / "mirror.git"
    try:
        commit = _fetch(mirror, request.source, request.branch)
    except Unreachable as exc:
        return Outcome(EXIT_UNREACHABLE, f"kept {in_use}: the source cannot be reached",
                       (str(exc),))  # fmt: skip
    except TreeProblem as exc:
        return Outcome(EXIT_KEPT, f"kept {in_use}: {exc}")
    try:
        files = config_sync.config_files(_tree(mirror, commit), request.shared, request.path)
    except TreeProblem as exc:
        return Outcome(EXIT_KEPT, f"kept {in_use}: commit {commit}: {exc}")
    staging = folder / f"staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        try:
            wanted = _write_files(mirror, files, staging)
        except TreeProblem as exc:
            return Outcome(EXIT_KEPT, f"kept {in_use}: commit {commit}: {exc}")
        current = manifest(request.config) if request.config.exists() else {}
        if state.get("files") == wanted and current == wanted:
            _record_check(request.data, state, commit)
            return Outcome(EXIT_APPLIED, f"unchanged {commit}")
        result = load(staging, request.data)  # exactly `kiosk check`'s checks
        if result.config is None:
            problems = tuple(str(i) for i in result.errors)
            first = problems[0].splitlines()[0] if problems else "it does not load"
            return Outcome(
                EXIT_KEPT,
                f"kept {in_use}: commit {commit} is not valid: {first}",
                problems,
            )
        edited = config_sync.changed_by_hand(state["files"], current) if "files" in state else []
        if edited and not request.force:
            return Outcome(
                EXIT_KEPT,
                f"kept {in_use}: {', '.join(edited[:5])} in {request.config} changed"
                " by hand since the last sync; put the change in the repository, or run"
                " kiosk sync --force to replace it (the hand-edited version is then kept in"
                f" {request.data / VERSIONS})",
            )
        try:
            _apply(request, staging, commit, wanted)
        except OSError as exc:
            return Outcome(
                EXIT_KEPT,
                f"kept {in_use}: cannot switch {request.config} to the new version"
                f" ({exc.strerror or exc}); --config must be a folder or link that kiosk sync"
                " may replace (deploy/install.sh --sync-source sets one up)",
            )
        return Outcome(EXIT_APPLIED, f"applied {commit}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --- git -------------------------------------------------------------------------------------


def _git(*args: str, mirror: Path | None = None, data: bool = False) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",  # a missing password fails at once, never waits
        "GIT_ASKPASS": "/bin/false",
        "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "LC_ALL": "C",
    }
    command = ["git", *(["--git-dir", str(mirror)] if mirror else []), *args]
    try:
        return subprocess.run(command, capture_output=True, env=env, timeout=GIT_TIMEOUT,
                              check=False, text=not data)  # fmt: skip
    except FileNotFoundError:
        raise Unreachable("git is not installed (sudo apt install git)") from None
    except subprocess.TimeoutExpired:
        raise Unreachable(f"git took over {GIT_TIMEOUT} s") from None


def _fetch(mirror: Path, source: str, branch: str | None) -> str:
    """The newest commit of `branch` (or the source's default branch), fetched into the
    mirror with no history."""
    if not (mirror / "HEAD").is_file():
        shutil.rmtree(mirror, ignore_errors=True)
        made = _git("init", "--bare", "--quiet", str(mirror))
        if made.returncode:
            raise Unreachable(f"cannot make {mirror}: {made.stderr.strip()[:300]}")
    ref = branch or "HEAD"
    if ref.startswith("-") or any(c.isspace() for c in ref):
        raise TreeProblem(f"--branch {ref!r} is not a branch name")
    got = _git("fetch", "--quiet", "--no-tags", "--depth=1", "--force", "--", source,
               f"+{ref}:refs/kiosk/latest", mirror=mirror)  # fmt: skip
    if got.returncode:
        why = " ".join(got.stderr.split())[:400]
        if "couldn't find remote ref" in why:
            raise TreeProblem(f"the repository has no branch {ref}")
        raise Unreachable(why or f"git fetch exited {got.returncode}")
    head = _git("rev-parse", "--verify", "refs/kiosk/latest^{commit}", mirror=mirror)
    if head.returncode:
        raise Unreachable("the fetched branch has no commit")
    return head.stdout.strip()


def _tree(mirror: Path, commit: str) -> list[TreeEntry]:
    listed = _git("ls-tree", "-r", "-z", "--long", "--full-tree", commit, mirror=mirror)
    if listed.returncode:
        raise TreeProblem(f"its files cannot be listed ({listed.stderr.strip()[:200]})")
    entries = []
    for record in listed.stdout.split("\0"):
        if not record:
            continue
        meta, path = record.split("\t", 1)
        mode, _kind, object_id, size = meta.split()
        entries.append(TreeEntry(mode, object_id, int(size) if size.isdigit() else 0, path))
        if len(entries) > 20 * config_sync.MAX_FILES * 50:
            raise TreeProblem("the repository has far too many files")
    return entries


def _write_files(mirror: Path, files: dict[str, TreeEntry], staging: Path) -> dict[str, str]:
    """Write the chosen files into `staging`; their manifest (path: sha256)."""
    staging.mkdir(parents=True)
    wanted = {}
    for relative, entry in sorted(files.items()):
        blob = _git("cat-file", "blob", entry.object_id, mirror=mirror, data=True)
        if blob.returncode or len(blob.stdout) > config_sync.MAX_FILE_BYTES:
            raise TreeProblem(f"{relative} cannot be read from the repository")
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
        wanted[relative] = hashlib.sha256(blob.stdout).hexdigest()
    return wanted


# --- the config folder -----------------------------------------------------------------------


def manifest(folder: Path) -> dict[str, str]:
    """{path: sha256} of every file in the config folder but hidden ones (as synced)."""
    found = {}
    root = folder.resolve()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(p.startswith(".") for p in relative.parts) or not path.is_file():
            continue
        if len(found) >= config_sync.MAX_FILES * 2:
            break
        found[relative.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _apply(request: Request, staging: Path, commit: str, wanted: dict[str, str]) -> None:
    versions = request.data / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    applied_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    (staging / MARKER).write_text(json.dumps({"commit": commit, "applied": applied_at}))
    config = request.config
    first = config.exists() and not config.is_symlink()  # a folder: the first sync
    if first:  # keep what was there, as the version before this one
        kept = versions / f"{_next_number(versions):06d}-{stamp}-before-sync"
        shutil.copytree(config, kept, symlinks=True)
    target = versions / f"{_next_number(versions):06d}-{stamp}-{commit[:12]}"
    staging.rename(target)
    _fsync_tree(target)
    if first:
        aside = config.with_name(f"{config.name}.before-sync-{os.getpid()}")
        config.rename(aside)
        _point(config, target)
        shutil.rmtree(aside, ignore_errors=True)
    else:
        _point(config, target)
    state = {
        "commit": commit,
        "applied": applied_at,
        "checked": applied_at,
        "version": target.name,
        "files": wanted,
    }
    atomic_write(request.data / SYNC / "state.json", json.dumps(state, indent=1).encode())
    for name in config_sync.versions_to_drop([p.name for p in versions.iterdir()], target.name):
        shutil.rmtree(versions / name, ignore_errors=True)


def _next_number(versions: Path) -> int:
    """Versions are numbered in the order they were made (names then sort that way)."""
    numbers = [int(p.name[:6]) for p in versions.iterdir() if p.name[:6].isdigit()]
    return max(numbers, default=0) + 1


def _point(link: Path, target: Path) -> None:
    """Make `link` a symbolic link to `target` in one step (rename over the old link)."""
    link.parent.mkdir(parents=True, exist_ok=True)
    fresh = link.with_name(f".{link.name}.new-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        fresh.unlink()
    fresh.symlink_to(target.resolve(), target_is_directory=True)
    os.replace(fresh, link)
    fsync_dir(link.parent)


def _fsync_tree(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _record_check(data: Path, state: dict, commit: str) -> None:
    state = {**state, "checked": datetime.now(UTC).replace(microsecond=0).isoformat(),
             "checked_commit": commit}  # fmt: skip
    atomic_write(data / SYNC / "state.json", json.dumps(state, indent=1).encode())


def read_state(data: Path) -> dict:
    try:
        state = json.loads(read_capped(data / SYNC / "state.json", MAX_STATE_BYTES))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


@contextlib.contextmanager
def _locked(path: Path, wait_seconds: float = 120.0):
    """One sync at a time per data folder (the timer and a person may overlap)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise Busy("another kiosk sync has been running for 2 minutes") from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)
