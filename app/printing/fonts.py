"""The certificate font chain, glyph fallback, and a ToUnicode fix for characters beyond U+FFFF.

The profile lists the fonts in order (华文楷体 STKAITI.TTF → 楷体 simkai.ttf → the bundled
霞鹜文楷 LXGWWenKai-Regular.ttf, see resources/rules/*.toml). The chain is every listed font found
on this PC, in that order: the first is the main font, and a character the main font lacks is
drawn with the next font that has it (text is split into runs per font). A character no font
has is never drawn as an empty box: `check_text` reports it and the certificate is blocked.

ToUnicode fix (`UnicodeTTFont`): reportlab 5.1 writes each subset's ToUnicode CMap with
``"<%02X> <%04X>" % (code, unicode)`` (reportlab/pdfbase/ttfonts.py, makeToUnicodeCMap), so a
character beyond the Basic Multilingual Plane such as 𠇔 U+201D4 becomes ``<201D4>`` — five hex
digits, which a reader takes as the two bytes 0x20 0x1D (“”” U+201D), and copying or searching
the name in the PDF fails. A CMap destination string is UTF-16BE (PDF 32000-1 9.10.3), so the
correct entry is the surrogate pair ``<D840DDD4>``. `UnicodeTTFont.addObjects` lets reportlab
build the font objects, then rewrites the content of each subset's CMap stream that maps a
character beyond U+FFFF with `to_unicode_cmap`, which writes every destination as UTF-16BE.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

from app.errors import ConfigurationError
from app.paths import resources_dir
from app.rules.profile_model import FontCandidate

# Characters that are layout, not ink: never looked up in a font.
_SPACES = frozenset(" \u3000\u00a0\t")


def utf16_hex(codepoint: int) -> str:
    """The UTF-16BE hex string of one code point: 4 digits, or 8 (a surrogate pair) above U+FFFF."""
    return chr(codepoint).encode("utf-16-be", "surrogatepass").hex().upper()


def to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's makeToUnicodeCMap, with destinations written as UTF-16BE (surrogate pairs)."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{code:02X}> <{utf16_hex(uni)}>" for code, uni in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


class UnicodeTTFont(TTFont):
    """A reportlab TTFont whose ToUnicode CMaps are right for characters beyond U+FFFF."""

    def addObjects(self, doc) -> None:  # type: ignore[no-untyped-def]
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)  # builds the font, descriptor and (faulty) CMap objects
        for n, subset in enumerate(subsets):
            if all(uni <= 0xFFFF for uni in subset):
                continue  # reportlab's entries are right for the BMP
            base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX)).decode(
                "pdfdoc"
            )
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = to_unicode_cmap(base, subset)


# --- finding font files ----------------------------------------------------------------------


def font_dirs() -> list[Path]:
    """Where installed fonts live on this PC (Windows, then per-user, then Linux/macOS dirs)."""
    dirs: list[Path] = []
    extra = os.environ.get("SKILLSITE_FONT_DIRS")
    if extra:
        dirs += [Path(p) for p in extra.split(os.pathsep) if p]
    for var in ("WINDIR", "SystemRoot"):
        if os.environ.get(var):
            dirs.append(Path(os.environ[var]) / "Fonts")
    if os.environ.get("LOCALAPPDATA"):
        dirs.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    home = Path.home()
    if sys.platform == "darwin":
        dirs += [home / "Library" / "Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    elif not sys.platform.startswith("win"):
        data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
        dirs += [data_home / "fonts", home / ".fonts", Path("/usr/local/share/fonts"),
                 Path("/usr/share/fonts")]
    seen: set[Path] = set()
    return [d for d in dirs if not (d in seen or seen.add(d))]  # type: ignore[func-returns-value]


@lru_cache(maxsize=8)
def _index(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Lower-cased file name → path, the first directory winning (subfolders searched)."""
    found: dict[str, Path] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _subdirs, files in os.walk(d):
            for name in files:
                found.setdefault(name.lower(), Path(root) / name)
    return found


def bundled_fonts_dir() -> Path:
    return resources_dir() / "fonts"


def find_font_file(candidate: FontCandidate, dirs: Sequence[Path] | None = None) -> Path | None:
    """The first file of `candidate` found (bundled fonts in resources/fonts first)."""
    search = tuple(dirs) if dirs is not None else tuple(font_dirs())
    if candidate.bundled:
        search = (bundled_fonts_dir(), *search)
    index = _index(search)
    for name in candidate.files:
        path = index.get(name.lower())
        if path is not None:
            return path
    return None


@lru_cache(maxsize=16)
def _load_font(path: Path) -> UnicodeTTFont:
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    font = UnicodeTTFont(f"SkillSite-{path.stem}-{digest}", str(path))
    pdfmetrics.registerFont(font)
    return font


# --- the chain --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainFont:
    family: str
    path: Path
    font: UnicodeTTFont

    @property
    def name(self) -> str:
        """The name to pass to canvas.setFont."""
        return self.font.fontName

    def has(self, ch: str) -> bool:
        return ord(ch) in self.font.face.charToGlyph


@dataclass(frozen=True)
class MissingChar:
    char: str

    @property
    def code(self) -> str:
        return f"U+{ord(self.char):04X}"


@dataclass(frozen=True)
class FontChain:
    fonts: tuple[ChainFont, ...]

    @property
    def main(self) -> ChainFont:
        return self.fonts[0]

    @property
    def description(self) -> str:
        return " → ".join(f"{f.family}（{f.path.name}）" for f in self.fonts)

    def font_for(self, ch: str) -> ChainFont | None:
        if ch in _SPACES:
            return self.main
        for f in self.fonts:
            if f.has(ch):
                return f
        return None

    def missing(self, text: str) -> list[MissingChar]:
        """Characters of `text` no font of the chain can draw (each once, in order)."""
        out: list[MissingChar] = []
        for ch in dict.fromkeys(text):
            if self.font_for(ch) is None:
                out.append(MissingChar(ch))
        return out

    def runs(self, text: str) -> list[tuple[str, str]]:
        """`text` split into (reportlab font name, piece) runs, each drawn by one font.

        A character no font has stays with the main font (callers check `missing` first).
        """
        runs: list[tuple[str, str]] = []
        for ch in text:
            f = self.font_for(ch) or self.main
            if runs and runs[-1][0] == f.name:
                runs[-1] = (f.name, runs[-1][1] + ch)
            else:
                runs.append((f.name, ch))
        return runs

    def width(self, text: str, size: float) -> float:
        """Width in points of `text` drawn with the chain at `size`."""
        return sum(pdfmetrics.stringWidth(piece, name, size) for name, piece in self.runs(text))


def resolve_chain(
    candidates: Iterable[FontCandidate], dirs: Sequence[Path] | None = None
) -> FontChain:
    """The fonts of `candidates` found on this PC, in order; ConfigurationError if none is."""
    fonts: list[ChainFont] = []
    tried: list[str] = []
    for c in candidates:
        tried.append(f"{c.family}（{'、'.join(c.files)}）")
        path = find_font_file(c, dirs)
        if path is None:
            continue
        fonts.append(ChainFont(c.family, path, _load_font(path)))
    if not fonts:
        raise ConfigurationError(
            "找不到证书字体：" + "、".join(tried) + "均未安装，附带的字体文件也缺失"
            f"（应在 {bundled_fonts_dir()}）。请重新安装 SkillSite。"
        )
    return FontChain(tuple(fonts))


def default_chain(profile_name: str = "national", dirs: Sequence[Path] | None = None) -> FontChain:
    """The chain of a province profile's certificate fonts."""
    from app.rules.profiles import load_profile

    return resolve_chain(load_profile(profile_name).certificate.fonts, dirs)
