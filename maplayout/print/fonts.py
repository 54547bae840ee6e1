"""Fonts for the print figures: the bundled CJK subset, a user's choice, system fallbacks.

maplayout ships "Maplayout Sans CJK" (``maplayout/_fontdata/``), a subset of Noto Sans CJK
SC Regular and Bold (SIL Open Font License 1.1, made by ``scripts/make_font.py``), and
draws figures with it by default, so a figure's bytes do not depend on the fonts a machine
happens to have. Every font file used is registered with matplotlib by path
(``fontManager.addfont``): matplotlib's cached font list, which may predate a font
installed later, is never relied on. A font for characters the chosen one lacks is looked up
through fontconfig (``fc-list``) or in the usual font folders, never through that cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from maplayout.errors import BuildError, DependencyMissingError, closest

__all__ = [
    "BUNDLED_FAMILY",
    "FontChoice",
    "bundled_font_files",
    "choose_font",
    "system_font_for",
    "uncovered",
]

BUNDLED_FAMILY = "Maplayout Sans CJK"
# The font stays in ``maplayout/_fontdata/``: build manifests record that path.
FONT_DIR = Path(__file__).resolve().parent.parent / "_fontdata"
#: matplotlib's own font, last in every family list (it ships with matplotlib).
LAST_RESORT = "DejaVu Sans"
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
_SYSTEM_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
)


@dataclass(frozen=True)
class FontChoice:
    """The fonts a figure is drawn with: ``family`` first, then ``fallbacks``, then DejaVu."""

    family: str
    files: tuple[Path, ...]  # the files of ``family`` (empty: matplotlib's own)
    fallbacks: tuple[tuple[str, Path], ...] = ()

    @property
    def families(self) -> list[str]:
        """The ``font.family`` list for matplotlib (per-glyph fallback in that order)."""
        return [self.family, *(f for f, _ in self.fallbacks), LAST_RESORT]

    @property
    def bundled(self) -> bool:
        return self.family == BUNDLED_FAMILY

    def with_fallback(self, path: Path) -> FontChoice:
        family = register(path)
        return replace(self, fallbacks=(*self.fallbacks, (family, path)))

    def record(self) -> dict[str, object]:
        """What the build manifest says about the figure fonts."""
        out: dict[str, object] = {"family": self.family}
        if self.bundled:
            out["files"] = [f"maplayout/_fontdata/{p.name}" for p in self.files]
            out["licence"] = "SIL Open Font License 1.1 (maplayout/_fontdata/OFL.txt)"
            out["source"] = "subset of Noto Sans CJK SC 2.004 (scripts/make_font.py)"
        else:
            out["files"] = [str(p) for p in self.files]
        if self.fallbacks:
            out["fallbacks"] = [str(p) for _, p in self.fallbacks]
        return out


def bundled_font_files() -> tuple[Path, ...]:
    """The bundled subset's files (Regular, Bold).

    Raises
    ------
    DependencyMissingError
        A file is missing (a broken installation).
    """
    files = (FONT_DIR / "MaplayoutSansCJK-Regular.ttf", FONT_DIR / "MaplayoutSansCJK-Bold.ttf")
    for path in files:
        if not path.is_file():
            raise DependencyMissingError(f"the bundled figure font is missing: {path}")
    return files


def register(path: Path) -> str:
    """Add ``path`` to matplotlib's font list (once) and return its family name."""
    from matplotlib import font_manager

    name = str(path)
    known = {f.fname: f.name for f in font_manager.fontManager.ttflist}
    if name not in known:
        font_manager.fontManager.addfont(name)
        known = {f.fname: f.name for f in font_manager.fontManager.ttflist}
    return known[name]


def choose_font(spec: str | Path | None = None) -> FontChoice:
    """The figure font for ``spec``: ``None`` (bundled), a font file, or a family name.

    A family is looked up through fontconfig (every file of it is registered) or among
    matplotlib's own fonts.

    Raises
    ------
    BuildError
        ``spec`` is neither a font file nor an installed family (closest families named).
    """
    if spec is None or str(spec) == BUNDLED_FAMILY:
        files = bundled_font_files()
        for path in files:
            register(path)
        return FontChoice(BUNDLED_FAMILY, files)
    path = Path(spec).expanduser()
    if path.suffix.lower() in _FONT_SUFFIXES or os.sep in str(spec):
        if not path.is_file():
            raise BuildError(f"font file not found: {spec}")
        return FontChoice(register(path.resolve()), (path.resolve(),))
    from matplotlib import font_manager

    files = tuple(Path(p) for p in _fc_lines(f":family={spec}", "%{file}\\n"))
    for p in files:
        register(p)
    names = {f.name for f in font_manager.fontManager.ttflist if Path(f.fname) in files}
    if spec in names:  # a collection (.ttc) holds several families
        return FontChoice(str(spec), files)

    own = {f.name for f in font_manager.fontManager.ttflist if "matplotlib" in f.fname}
    if spec in own:
        return FontChoice(str(spec), ())
    known = own | set(_fc_lines(":", "%{family[0]}\\n")) | {BUNDLED_FAMILY}
    near = closest(str(spec), sorted(known), n=3)
    hint = f"; closest: {', '.join(near)}" if near else ""
    raise BuildError(f"unknown font {str(spec)!r}: not a font file nor an installed family{hint}")


@lru_cache(maxsize=64)
def _cmap(path: Path) -> frozenset[int]:
    """The characters the font file (its first face) maps, read by FreeType as matplotlib
    reads them: ~1 ms, where parsing the bundled font's tables with fontTools took ~70 ms."""
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(str(path)).get_charmap())


def _matplotlib_file(family: str) -> Path:
    from matplotlib import font_manager

    return Path(font_manager.findfont(font_manager.FontProperties(family=family)))


def uncovered(text: str, choice: FontChoice) -> str:
    """The characters of ``text`` that no font of ``choice`` has, sorted, without spaces."""
    wanted = {ord(c) for c in text if not c.isspace() and c.isprintable()}
    files = [*choice.files, *(p for _, p in choice.fallbacks), _matplotlib_file(LAST_RESORT)]
    if not choice.files:
        files.append(_matplotlib_file(choice.family))
    for path in files:
        wanted -= _cmap(path)
        if not wanted:
            break
    return "".join(chr(cp) for cp in sorted(wanted))


def _fc_lines(pattern: str, fmt: str, tool: str = "fc-list") -> list[str]:
    """Lines of ``fc-list PATTERN --format FMT`` (sorted, unique; ``[]`` without fontconfig);
    with ``tool="fc-match"``, ``fc-match -s``: best match first (regular sans before bold)."""
    exe = shutil.which(tool)
    if exe is None:
        return []
    cmd = [exe, "--format", fmt, pattern] if tool == "fc-list" else [exe, "-s", "--format", fmt]
    if tool == "fc-match":
        cmd.append(pattern)
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return []
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    return sorted(set(lines)) if tool == "fc-list" else list(dict.fromkeys(lines))


def system_font_for(chars: str) -> Path | None:
    """A system font file that has every character of ``chars`` (fontconfig, else a scan).

    The choice is deterministic on a machine: fontconfig's best match (``fc-match -s``, a
    regular sans face first), else the first such file in sorted path order.
    """
    if not chars:
        return None
    if shutil.which("fc-match"):
        charset = " ".join(f"{ord(c):x}" for c in chars)
        found = _fc_lines(f"sans-serif:charset={charset}", "%{file}\\n", "fc-match")
        candidates = [Path(p) for p in found]
    else:
        candidates = sorted(
            p
            for d in _SYSTEM_DIRS
            if Path(d).expanduser().is_dir()
            for p in Path(d).expanduser().rglob("*")
            if p.suffix.lower() in _FONT_SUFFIXES
        )
    wanted = {ord(c) for c in chars}
    for path in candidates:
        if path.suffix.lower() in _FONT_SUFFIXES and path.is_file():
            try:
                if wanted <= _cmap(path):
                    return path
            except Exception:  # an unreadable font is just not a candidate
                continue
    return None
