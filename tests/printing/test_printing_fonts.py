"""Font chain resolution, glyph fallback, blocked names, and the ToUnicode fix (pdftotext)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest
import reportlab

from app.printing.fonts import (
    bundled_fonts_dir,
    default_chain,
    font_dirs,
    resolve_chain,
    to_unicode_cmap,
    utf16_hex,
)
from app.printing.render import CertificateRenderer, PrintBlocked, check_printable
from app.printing.template import load_template
from app.rules.profile_model import FontCandidate
from tests.printing.certfactory import have_tools, pdftotext, sample_data

LXGW = bundled_fonts_dir() / "LXGWWenKai-Regular.ttf"
VERA_DIR = Path(reportlab.__file__).parent / "fonts"  # reportlab ships Vera.ttf (Latin only)
RARE = ["王𠇔", "李堃", "陈燊", "冉堃燊", "张喆", "刘犇", "赵淼", "阿依古丽·买买提"]
needs_poppler = pytest.mark.skipif(not have_tools("pdftotext"), reason="poppler-utils not installed")


def test_bundled_font_and_licence_are_present() -> None:
    assert LXGW.is_file() and LXGW.stat().st_size > 1_000_000
    licence = (bundled_fonts_dir() / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "lxgw" in licence.lower()


def test_chain_prefers_stkaiti_then_kaiti_then_bundled(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SKILLSITE_FONT_DIRS", raising=False)
    empty = tmp_path / "none"
    empty.mkdir()
    assert default_chain("chongqing", dirs=[empty]).main.path == LXGW
    # the system KaiTi, found through %WINDIR%\Fonts (case-insensitive file names)
    windir = tmp_path / "Windows"
    (windir / "Fonts").mkdir(parents=True)
    shutil.copy(LXGW, windir / "Fonts" / "SIMKAI.TTF")
    monkeypatch.setenv("WINDIR", str(windir))
    assert windir / "Fonts" in font_dirs()
    chain = default_chain("chongqing", dirs=font_dirs())
    assert chain.main.family == "楷体" and chain.main.path.name == "SIMKAI.TTF"
    # 华文楷体 in the user's own font folder wins
    local = tmp_path / "Local"
    (local / "Microsoft" / "Windows" / "Fonts").mkdir(parents=True)
    shutil.copy(LXGW, local / "Microsoft" / "Windows" / "Fonts" / "STKAITI.TTF")
    monkeypatch.setenv("LOCALAPPDATA", str(local))
    chain = default_chain("chongqing", dirs=font_dirs())
    assert [f.family for f in chain.fonts] == ["华文楷体", "楷体", "霞鹜文楷"]


def _latin_first_chain():
    """A chain whose main font has no Chinese at all: every Chinese character falls back."""
    return resolve_chain(
        [FontCandidate("Vera", (), ("Vera.ttf",), False),
         FontCandidate("霞鹜文楷", (), ("LXGWWenKai-Regular.ttf",), True)],
        dirs=[VERA_DIR],
    )


def test_runs_split_text_per_font() -> None:
    chain = _latin_first_chain()
    vera, kai = (f.name for f in chain.fonts)
    assert chain.runs("No. 王𠇔 A1") == [(vera, "No. "), (kai, "王𠇔"), (vera, " A1")]
    assert chain.missing("王𠇔") == []
    assert [m.code for m in chain.missing("王\U0010fffd")] == ["U+10FFFD"]


@needs_poppler
def test_fallback_glyphs_print_and_read_back_exactly(tmp_path: Path) -> None:
    chain = _latin_first_chain()
    out = tmp_path / "fallback.pdf"
    datas = [sample_data(name, payload="") for name in RARE]
    CertificateRenderer(load_template(), chain).render(datas, out)
    with pdfplumber.open(out) as pdf:
        fonts = {c["fontname"].split("+", 1)[1] for c in pdf.pages[0].chars}
    assert {"BitstreamVeraSans-Roman", "LXGWWenKai-Regular"} <= fonts
    pages = pdftotext(out).split("\f")
    for name, page in zip(RARE, pages, strict=False):
        assert name in "".join(page.split()), name


@needs_poppler
@pytest.mark.parametrize("name", RARE)
def test_rare_names_copy_out_exactly(tmp_path: Path, name: str) -> None:
    out = tmp_path / "rare.pdf"
    CertificateRenderer(load_template(), default_chain("chongqing")).render([sample_data(name)], out)
    lines = [ln.strip() for ln in pdftotext(out).splitlines()]
    assert any(ln.endswith(name) for ln in lines), lines


def test_to_unicode_cmap_writes_surrogate_pairs() -> None:
    assert utf16_hex(0x5803) == "5803"
    assert utf16_hex(0x201D4) == "D840DDD4"
    cmap = to_unicode_cmap("AAAAAA+Kai", [0, 0x738B, 0x201D4])
    assert "<01> <738B>" in cmap and "<02> <D840DDD4>" in cmap
    assert "<201D4>" not in cmap


def test_unprintable_name_blocks_with_a_clear_message(tmp_path: Path) -> None:
    chain = default_chain("chongqing")
    bad = sample_data("张\U0010fffd")
    problems = check_printable(bad, chain)
    assert len(problems) == 1
    assert "张\U0010fffd" in problems[0] and "U+10FFFD" in problems[0] and "无法打印" in problems[0]
    out = tmp_path / "x.pdf"
    with pytest.raises(PrintBlocked) as info:
        CertificateRenderer(load_template(), chain).render([sample_data(), bad], out)
    assert "U+10FFFD" in info.value.message
    assert not out.exists()  # nothing printed, not even the good certificate of the job
