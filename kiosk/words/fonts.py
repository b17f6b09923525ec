"""Which font draws which language, and whether it really can: no tofu boxes, ever.

Latin text uses Atkinson Hyperlegible (built with the Braille Institute for low-vision
readers). Chinese needs a CJK font: Noto Sans CJK TC from PyPI, or one that fontconfig
finds on the machine. A font "covers" a text when its character map has every
character in it; we read the maps with fontTools, so this is a fact about the file, not
a guess. No Kivy import: the shell registers the faces this module picks.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import tempfile
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fontpkg_atkinson_hyperlegible as atkinson

log = logging.getLogger(__name__)

try:  # the CJK font ships as packages; without them, fontconfig may still find one
    import cvttf_NotoSansCJK_Regular as noto_cjk
except ImportError:  # pragma: no cover - depends on the install
    noto_cjk = None
try:
    import cvttf_NotoSansCJK_Bold as noto_cjk_bold
except ImportError:  # pragma: no cover - depends on the install
    noto_cjk_bold = None


@dataclass(frozen=True)
class Face:
    """A font family as the shell registers it: `name` is what labels ask for."""

    name: str
    regular: Path
    bold: Path | None = None  # None: the renderer emboldens the regular face

    @property
    def label(self) -> str:
        """For people: 'AtkinsonHyperlegible', 'NotoSansCJKtc'."""
        return self.regular.stem.removesuffix("-Regular")

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.regular,) if self.bold is None else (self.regular, self.bold)


def latin_face() -> Face:
    folder = Path(atkinson.ROOT) / "files"
    return Face(
        "Body",
        folder / "AtkinsonHyperlegible-Regular.ttf",
        folder / "AtkinsonHyperlegible-Bold.ttf",
    )


_cjk_choice: Face | None = None  # a smaller copy in use instead (kiosk.words.cjk_subset)


def use_cjk(face: Face | None) -> None:
    """Draw Chinese with `face` (a copy of the full font), or with the full font (None)."""
    global _cjk_choice
    if face != _cjk_choice:
        _cjk_choice = face
        available_faces.cache_clear()
        from kiosk.words import offer  # (it imports this module)

        offer.language_face.cache_clear()


def cjk_face() -> Face | None:
    """The Chinese face in use: the smaller copy when one is chosen, else the full one."""
    return _cjk_choice or full_cjk_face()


@cache  # fontconfig's answer can take seconds: asked once
def full_cjk_face() -> Face | None:
    """Noto Sans CJK TC (Traditional Chinese forms, with Latin too), or a Traditional
    Chinese font from fontconfig, or None."""
    if noto_cjk is not None:
        path = Path(noto_cjk.get_TTF_path())
        bold = Path(noto_cjk_bold.get_TTF_path()) if noto_cjk_bold is not None else None
        if path.is_file():
            return Face("BodyCJK", path, bold if bold and bold.is_file() else None)
    found = _fontconfig_file(":lang=zh-tw")
    return Face("BodyCJK", found) if found else None


def _fontconfig_file(pattern: str) -> Path | None:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        out = subprocess.run(
            [fc_list, pattern, "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(Path(line.split(":")[0].strip()) for line in out.splitlines() if line.strip())
    # Prefer Noto/Source Han Sans (clear at a distance) over whatever else is installed.
    files.sort(key=lambda p: not any(k in p.name.lower() for k in ("notosanscjk", "sourcehansans")))
    return next((p for p in files if p.is_file()), None)


@cache
def available_faces() -> tuple[Face, ...]:
    """Every face this machine has, most legible first."""
    cjk = cjk_face()
    return (latin_face(), *([cjk] if cjk else []))


class Coverage:
    """The code points a font has glyphs for, held as sorted ranges: a CJK font's 44,000
    characters are a few thousand ranges, not a set of 44,000 numbers in memory."""

    def __init__(self, code_points: Iterable[int]) -> None:
        starts: list[int] = []
        ends: list[int] = []
        for point in sorted(set(code_points)):
            if ends and point == ends[-1] + 1:
                ends[-1] = point
            else:
                starts.append(point)
                ends.append(point)
        self._starts, self._ends = starts, ends

    def __contains__(self, point: int) -> bool:
        at = bisect_right(self._starts, point) - 1
        return at >= 0 and point <= self._ends[at]

    def __len__(self) -> int:
        return sum(end - start + 1 for start, end in zip(self._starts, self._ends, strict=True))

    @property
    def ranges(self) -> int:
        return len(self._starts)

    def as_ranges(self) -> list[list[int]]:
        return [[start, end] for start, end in zip(self._starts, self._ends, strict=True)]

    @classmethod
    def from_ranges(cls, ranges: Iterable[Iterable[int]]) -> Coverage:
        coverage = cls(())
        for start, end in sorted((int(a), int(b)) for a, b in ranges):
            coverage._starts.append(start)
            coverage._ends.append(end)
        return coverage


_remembered: Path | None = None  # a JSON file of maps already read, or None


def remember_maps_in(file: Path | None) -> None:
    """Keep font maps across starts in `file` (in the kiosk's data folder). Reading a CJK
    font's map takes about 45 ms per file; reading it back as ranges, well under 1 ms."""
    global _remembered
    _remembered = file
    charmap.cache_clear()


@cache
def charmap(path: Path) -> Coverage:
    """The code points a font file has glyphs for."""
    stored = _load_remembered()
    key = signature(path)
    try:
        return Coverage.from_ranges(stored[key])
    except (KeyError, TypeError, ValueError):
        pass  # not remembered, or not in a shape this version wrote: read the font
    coverage = _read_map(path)
    if _remembered is not None:
        same_file = key.rsplit("|", 2)[0] + "|"
        kept = {
            k: v
            for k, v in stored.items()
            if not k.startswith(same_file) and Path(k.rsplit("|", 2)[0]).is_file()
        }
        _save_remembered({**kept, key: coverage.as_ranges()})
    return coverage


def _read_map(path: Path) -> Coverage:
    from fontTools.ttLib import TTFont  # not needed at all once the maps are remembered

    font = TTFont(str(path), lazy=True, fontNumber=0)
    try:
        # The map only needs glyph numbers. Naming 65,000 CJK glyphs (fontTools reads
        # them from the CFF table) was most of the kiosk's start-up time.
        font.setGlyphOrder([f"g{n}" for n in range(font["maxp"].numGlyphs)])
        return Coverage(font.getBestCmap() or {})
    finally:
        font.close()


def signature(path: Path) -> str:
    """A font file as it is now: a replaced or updated file is read again."""
    stat = path.stat()
    return f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"


MAPS_FORMAT = 1  # bumped when the file's shape changes; other shapes are read again


def _load_remembered() -> dict[str, list[list[int]]]:
    if _remembered is None:
        return {}
    try:
        stored = json.loads(_remembered.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or damaged: read the fonts again
    if not isinstance(stored, dict) or stored.get("format") != MAPS_FORMAT:
        return {}
    maps = stored.get("maps")
    return maps if isinstance(maps, dict) else {}


def _save_remembered(maps: dict[str, list[list[int]]]) -> None:
    assert _remembered is not None
    written: Path | None = None
    try:
        _remembered.parent.mkdir(parents=True, exist_ok=True)
        # A temporary file of its own, then an atomic rename: a second process (a preview
        # beside the kiosk) never reads half a file.
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=_remembered.parent, suffix=".tmp", delete=False
        ) as handle:
            written = Path(handle.name)
            json.dump({"format": MAPS_FORMAT, "maps": maps}, handle)
        os.replace(written, _remembered)
    except OSError as exc:  # a read-only data folder only costs start-up time
        if written is not None:
            written.unlink(missing_ok=True)
        log.info("Font maps not remembered in %s: %s", _remembered, exc.strerror)


def _needs_glyph(char: str) -> bool:
    # Line breaks, tabs and other controls are layout, not glyphs.
    return unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp")


def missing(text: str, face: Face) -> set[str]:
    """Characters of `text` that some file of `face` has no glyph for."""
    wanted = {c for c in text if _needs_glyph(c)}
    gaps: set[str] = set()
    for path in face.files:
        cmap = charmap(path)
        gaps |= {c for c in wanted if ord(c) not in cmap}
    return gaps


def face_for(texts: Iterable[str], faces: Iterable[Face] | None = None) -> Face | None:
    """The first (most legible) face that covers all of `texts`, or None."""
    joined = "".join(texts)
    for face in available_faces() if faces is None else faces:
        if not missing(joined, face):
            return face
    return None


def drop_missing(text: str, face: Face) -> str:
    """`text` without the characters `face` cannot draw (an emoji in a tip, say): a gap
    reads better than a box. `kiosk check` warns about each one."""
    gaps = missing(text, face)
    return "".join(c for c in text if c not in gaps) if gaps else text


def describe(chars: Iterable[str]) -> str:
    """'"💊" (U+1F48A), "✓" (U+2713)' for messages."""
    return ", ".join(f'"{c}" (U+{ord(c):04X})' for c in sorted(chars))
