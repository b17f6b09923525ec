"""Writing files so a power cut never leaves half of one, and reading them within bounds.

Every write goes to a temporary file, is fsync'd, replaces the old file with os.replace,
and the folder is fsync'd; a failed write leaves the old file and no temporary one.
Files written for privacy's sake carry a fixed time (STAMP), so their times never tell
when a resident used the kiosk.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

# Every file and folder time the check-in data touches is set to this (2000-01-01 UTC).
STAMP = 946_684_800


def stamp(path: Path) -> None:
    """Set a file's (or folder's) access and modify times to the fixed STAMP."""
    os.utime(path, (STAMP, STAMP))


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that after a power cut it holds the old or the new
    content, whole. Returns only when the new content is on the disk. A failed write
    (a full disk) leaves the old content and no temporary file."""
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        stamp(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        with contextlib.suppress(OSError):
            stamp(path.parent)
        raise
    stamp(path.parent)
    fsync_dir(path.parent)


def read_quietly(path: Path, limit: int | None = None) -> bytes:
    """Read without leaving a read time on the file: all of it, or its first `limit` bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOATIME", 0))
        noatime = hasattr(os, "O_NOATIME")
    except PermissionError:  # O_NOATIME needs to own the file
        fd = os.open(path, os.O_RDONLY)
        noatime = False
    try:
        chunks = []
        left = limit
        while left is None or left > 0:
            chunk = os.read(fd, 1 << 20 if left is None else min(1 << 20, left))
            if not chunk:
                break
            chunks.append(chunk)
            if left is not None:
                left -= len(chunk)
    finally:
        os.close(fd)
    if not noatime:
        with contextlib.suppress(PermissionError):  # not our file (a report run by staff)
            stamp(path)
    return b"".join(chunks)


def read_capped(path: Path, limit: int) -> bytes:
    """A file's bytes, refusing (OSError EFBIG) one over `limit` without reading it all."""
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"the file is larger than {limit // 2**20} MB")
    return data
