"""A smaller copy of the Chinese font: the characters the kiosk can show, and no others.

The text engine opens the font afresh for each size it draws at. Measured (30 sizes,
Kivy's core label): the full Noto Sans CJK TC (65,000 glyphs) holds about 2.2 MB a size;
a copy with Big5's 5,401 common characters, its symbols, ASCII, the zh-Hant interface
and every config text holds 0.76 MB. fontTools makes it in a process of its own, at the
lowest priority (about 25 s), into DATA/cache/fonts. The full font serves until the copy
is there, and whenever a text needs a character the copy lacks (a new tip, say): a
character is never dropped for the copy's sake. No Kivy import."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from kiosk.core.text import LocalText
from kiosk.words import fonts
from kiosk.words.fonts import Face

log = logging.getLogger(__name__)

NAME = "BodyCJKSmall"  # registered apart from the full face: a switch re-draws every label
FORMAT = 1
RECORD = "subset.json"  # written last: which source files the copy was made from
WANTED = "wanted.txt"  # the characters the next build is to hold
LOCK = "build.lock"  # held by the process making a copy: one at a time

FAILED = "failed.json"  # the last build's error, for the source files it was made from
_in_use: Path | None = None  # the folder whose copy is in use, if any
_may_build = False  # a real run (not a preview or replay) may make a copy


def texts_of(config) -> list[str]:
    """What a copy must hold for `config`: every string of its files in every language
    (names, tips, addresses, alerts), each imported calendar's event names and places,
    and the interface of each language it offers."""
    from kiosk.words.offer import interface_texts

    found: list[str] = []
    for model in (config.kiosk, config.schedule, config.tips, config.resources, config.alerts):
        _strings(model, found)
    for calendar in config.calendars:
        for event in calendar.ical.walk("VEVENT"):
            found += (str(event.get(key, "")) for key in ("SUMMARY", "LOCATION"))
    for lang in config.languages:
        found += interface_texts(lang)
    return found


def _strings(value, found: list[str]) -> None:
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, LocalText):
        found += (text for _lang, text in value.values)
    elif isinstance(value, BaseModel):
        for item in vars(value).values():
            _strings(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _strings(item, found)


def common_characters() -> set[str]:
    """ASCII, Big5's symbols (lead bytes A1-A3) and level 1 characters (A4-C6), CJK
    punctuation and full-width forms: the Chinese most text is written in."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    chars |= {chr(c) for c in (*range(0x3000, 0x3040), *range(0xFF00, 0xFFF0))}
    # The spaces the line breaker ties words with; dashes, quotes, bullets, the ellipsis.
    chars |= set("\u00a0\u202f\u2010\u2011\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026")
    trails = (*range(0x40, 0x7F), *range(0xA1, 0xFF))
    for lead in range(0xA1, 0xC7):
        for trail in trails:
            char = bytes((lead, trail)).decode("cp950", errors="ignore")  # "": unassigned
            if char:
                chars.add(char)
    return chars


def _copy_path(folder: Path, source: Path) -> Path:
    return folder / f"{source.stem}.subset{source.suffix}"


def _record(full: Face) -> dict:
    return {"format": FORMAT, "sources": [fonts.signature(p) for p in full.files]}


def ready(folder: Path, full: Face) -> Face | None:
    """The copy in `folder`, when it was made from `full` as it is now."""
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record != _record(full):
        return None
    regular = _copy_path(folder, full.regular)
    bold = _copy_path(folder, full.bold) if full.bold else None
    if not regular.is_file() or (bold is not None and not bold.is_file()):
        return None
    return Face(NAME, regular, bold)


def settle(folder: Path, texts: Iterable[str], build: bool) -> Face | None:
    """Use the copy in `folder` when it draws every character of `texts` the full font
    draws; otherwise the full font, and (when `build`) a new copy made in the background
    for the next start. Returns the copy in use, or None."""
    global _in_use, _may_build
    full = fonts.full_cjk_face()
    if full is None:
        return None
    _may_build = build
    text = "".join(texts)
    copy = ready(folder, full)
    if copy is not None and _holds(copy, full, text):
        fonts.use_cjk(copy)
        _in_use = folder
        return copy
    fonts.use_cjk(None)
    _in_use = None
    if build and not _failed_before(folder, full):
        start_build(folder, text)
    return None


def _holds(copy: Face, full: Face, text: str) -> bool:
    """Whether the copy lacks nothing the full font has (an emoji neither draws does not
    count); a damaged copy holds nothing."""
    try:
        return not fonts.missing(text, copy) - fonts.missing(text, full)
    except Exception as exc:  # a truncated or damaged file: fontTools cannot read it
        log.warning("The smaller Chinese font is damaged (%s); the full one serves", exc)
        return False


def copy_in_use() -> bool:
    return _in_use is not None


def keep_covering(texts: Iterable[str]) -> bool:
    """A config changed while the copy is in use: when the copy lacks a character of
    `texts`, go back to the full font now and (in a real run) make a new copy for the next
    start. True when the face changed."""
    folder = _in_use
    if folder is None:
        return False
    return settle(folder, texts, build=_may_build) is None


def _building(folder: Path):
    """The build lock, held (an open file), or None when another process holds it."""
    handle = (folder / LOCK).open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def start_build(folder: Path, text: str) -> subprocess.Popen | None:
    """Make the copy in a process of its own, at the lowest priority; never waited for.
    None when one is being made already (a restart during a build starts no second)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = _building(folder)
        if lock is None:
            return None
        with lock:
            (folder / WANTED).write_text(text, encoding="utf-8")
        return subprocess.Popen(  # the child takes the lock: a restart meanwhile starts none
            [sys.executable, "-m", "kiosk.words.cjk_subset", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C at a terminal spares it (a service stop not)
        )
    except OSError as exc:
        log.info("No smaller Chinese font made in %s: %s", folder, exc)
        return None


def build(folder: Path, text: str) -> Face:
    """Make the copy of the full face holding `text` and the common characters."""
    from fontTools import subset  # heavy: only in the process that builds

    full = fonts.full_cjk_face()
    if full is None:
        raise LookupError("no Chinese font is installed")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RECORD).unlink(missing_ok=True)  # a half-made copy is never taken for done
    for left in folder.glob("*.tmp"):  # from a build stopped half-way
        left.unlink(missing_ok=True)
    wanted = {ord(c) for c in common_characters() | set(text)}
    options = subset.Options()
    options.hinting = False  # the text engine draws unhinted at these sizes
    options.layout_features = ["*"]  # vertical forms, locale forms, kerning: as the full font
    options.notdef_outline = True
    options.font_number = 0  # a collection (.ttc, as fontconfig may find): its first font
    for source in full.files:
        font = subset.load_font(str(source), options, lazy=True)
        try:
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=wanted)
            subsetter.subset(font)
            out = _copy_path(folder, source)
            with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as handle:
                written = Path(handle.name)
            try:
                subset.save_font(font, str(written), options)
                _sync(written)
                os.replace(written, out)
            finally:
                written.unlink(missing_ok=True)
        finally:
            font.close()
    _write(folder / RECORD, json.dumps(_record(full)))  # last, once the fonts are on disk
    copy = ready(folder, full)
    assert copy is not None
    return copy


def _sync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _write(path: Path, text: str) -> None:
    written = path.with_suffix(".tmp")
    written.write_text(text, encoding="utf-8")
    _sync(written)
    os.replace(written, path)


def _failed_before(folder: Path, full: Face) -> bool:
    """A build failed for these very font files: trying at each start would only fail
    again (the log said why once)."""
    try:
        failed = json.loads((folder / FAILED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(failed, dict) and failed.get("sources") == _record(full)["sources"]


def main(argv: list[str]) -> int:
    """`python -m kiosk.words.cjk_subset FOLDER`: make the copy FOLDER/wanted.txt asks for,
    at the lowest priority."""
    os.nice(19)
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    lock = _building(folder)
    if lock is None:
        return 0  # another process is making it
    with lock:
        wanted = folder / WANTED
        try:
            build(folder, wanted.read_text(encoding="utf-8") if wanted.exists() else "")
        except Exception as exc:  # said once, in the data folder and the kiosk's log
            full = fonts.full_cjk_face()
            sources = _record(full)["sources"] if full else []
            _write(folder / FAILED, json.dumps({"sources": sources, "error": repr(exc)}))
            print(f"The smaller Chinese font could not be made: {exc!r}", file=sys.stderr)
            return 1
        (folder / FAILED).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
