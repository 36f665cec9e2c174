"""Drawing certificates to PDF: full pages, overlay (套打) pages, electronic certificates with
the seal, and the calibration page. Everything is placed by the template; text goes through
the font chain (glyph fallback, and no certificate prints with a character no font has).

Output is deterministic (reportlab invariant mode: fixed dates and document id), so a
certificate's PDF can be rebuilt byte for byte from stored data; `content_sha256` is what the
certificate row stores at issue time.

Big batches are written in chunks (`render_batch`): at most `chunk_size` certificates are held
at once and each chunk is its own PDF file, so memory stays flat however big the batch.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO, Literal

from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen import canvas as rl_canvas

from app.errors import ValidationError
from app.printing.fonts import FontChain
from app.printing.qr import draw_qr
from app.printing.template import MM, Box, CertificateData, Template

rl_config.useA85 = 0  # binary streams: ASCII85 only makes files bigger and slower

Mode = Literal["full", "overlay", "electronic"]
Progress = Callable[[int, int], bool]  # (done, total) -> go on?


class RenderCancelled(Exception):
    """The user stopped a long rendering: no further file was written; `written` were before."""

    def __init__(self, written: Sequence[Path] = ()) -> None:
        super().__init__("cancelled")
        self.written = list(written)


def step(progress: Progress | None, done: int, total: int, written: Sequence[Path] = ()) -> None:
    """Report progress; RenderCancelled when the user asked to stop."""
    if progress is not None and not progress(done, total):
        raise RenderCancelled(written)
FIELD_LABELS = {
    "name": "姓名",
    "id_type_name": "证件类型",
    "id_number": "证件号码",
    "occupation": "职业名称",
    "work_type": "工种名称",
    "level_name": "职业技能等级",
    "number": "证书编号",
    "org_name": "机构名称",
}
_NO_LINE_START = set("，。、；：！？）》」』”’…—,.;:!?)")


@dataclass(frozen=True)
class Offset:
    """A printer's overlay offset in 0.1 mm steps: +x moves right, +y moves down the paper."""

    dx_tenths: int = 0
    dy_tenths: int = 0

    @property
    def dx_mm(self) -> float:
        return self.dx_tenths / 10

    @property
    def dy_mm(self) -> float:
        return self.dy_tenths / 10

    def describe(self) -> str:
        return f"X {self.dx_mm:+.1f} mm，Y {self.dy_mm:+.1f} mm"


class PrintBlocked(ValidationError):
    """One or more certificates contain characters no certificate font can draw."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("以下证书无法打印：\n" + "\n".join(problems))
        self.problems = list(problems)


def check_printable(data: CertificateData, chain: FontChain) -> list[str]:
    """Messages (Chinese) for every character of the certificate no font of the chain has."""
    problems = []
    values = data.placeholders()
    for key, label in FIELD_LABELS.items():
        for m in chain.missing(values[key]):
            who = f"{data.name}（证书编号 {data.number}）" if data.number else data.name
            problems.append(
                f"{who}的{label}“{values[key]}”中的字“{m.char}”（{m.code}）在证书字体"
                f"（{chain.description}）中都没有，无法打印。请核对该字是否录入正确；"
                "确为生僻字时，请安装含该字的字体后重试，切勿以空白方框打印。"
            )
    return problems


def require_printable(datas: Iterable[CertificateData], chain: FontChain) -> None:
    problems = [p for d in datas for p in check_printable(d, chain)]
    if problems:
        raise PrintBlocked(problems)


def wrap_text(text: str, chain: FontChain, size: float, width: float, indent: float = 0) -> list[str]:
    """Greedy line breaking for Chinese text (no punctuation at a line start)."""
    lines: list[str] = []
    line, used, limit = "", 0.0, width - indent
    for ch in text:
        w = chain.width(ch, size)
        if line and used + w > limit:
            if ch in _NO_LINE_START and len(line) > 1:  # carry the last character down with it
                lines.append(line[:-1])
                line = line[-1]
            else:
                lines.append(line)
                line = ""
            used, limit = chain.width(line, size), width
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines


class CertificateRenderer:
    """Draws certificate pages of one template with one font chain."""

    def __init__(
        self,
        template: Template,
        chain: FontChain,
        *,
        mode: Mode = "full",
        offset: Offset | None = None,
        seal: bytes | None = None,
    ) -> None:
        self.t, self.chain, self.mode = template, chain, mode
        self.offset = offset or Offset()
        self.seal = seal

    # --- primitives ---------------------------------------------------------------------------
    def _text(self, c, text: str, x: float, y: float, size: float, align: str = "left") -> None:  # type: ignore[no-untyped-def]
        if align != "left":
            w = self.chain.width(text, size)
            x -= w if align == "right" else w / 2
        obj = c.beginText(x, y)
        for name, piece in self.chain.runs(text):
            obj.setFont(name, size)
            obj.textOut(piece)
        c.drawText(obj)

    def _fit(self, text: str, size: float, max_width_mm: float | None, min_size: float) -> float:
        if max_width_mm is None:
            return size
        limit = max_width_mm * MM
        width = self.chain.width(text, size)
        if width <= limit:
            return size
        return max(min_size, size * limit / width)

    def _image(self, c, data: bytes, box: Box, mask: str | None = None) -> None:  # type: ignore[no-untyped-def]
        x, y, w, h = self.t.rect_pt(box)
        if data[:2] == b"\xff\xd8" and _draw_jpeg(c, data, x, y, w, h):
            return
        c.drawImage(ImageReader(io.BytesIO(data)), x, y, w, h, mask=mask,
                    preserveAspectRatio=True, anchor="c")

    # --- the page ------------------------------------------------------------------------------
    def draw_page(self, c, data: CertificateData) -> None:  # type: ignore[no-untyped-def]
        t, overlay = self.t, self.mode == "overlay"
        values = data.placeholders()
        c.saveState()
        if overlay and (self.offset.dx_tenths or self.offset.dy_tenths):
            c.translate(self.offset.dx_mm * MM, -self.offset.dy_mm * MM)
        if not overlay:
            b = t.border_box()
            c.setLineWidth(t.border.line_width_pt)
            c.rect(*t.rect_pt(b), stroke=1, fill=0)
        for item in t.texts:
            if overlay and not item.overlay:
                continue
            text = item.text.format_map(values)
            x, y = t.to_pt(item.x_mm, item.y_mm)
            if item.wrap_mm:
                size = item.size_pt
                indent = item.first_indent_chars * size
                leading = item.leading_pt or size * 1.5
                for i, line in enumerate(wrap_text(text, self.chain, size, item.wrap_mm * MM, indent)):
                    self._text(c, line, x + (indent if i == 0 else 0), y - i * leading, size)
            else:
                size = self._fit(text, item.size_pt, item.max_width_mm, item.min_size_pt)
                self._text(c, text, x, y, size, item.align)
        for f in t.fields:
            _, y = t.to_pt(f.x_mm, f.y_mm)
            if not overlay:
                self._text(c, f.label, f.x_mm * MM, y, f.size_pt)
            if overlay and not f.overlay:
                continue
            value = f.value.format_map(values)
            self._text(c, value, f.value_x_mm * MM, y,
                       self._fit(value, f.size_pt, f.max_width_mm, f.min_size_pt))
        if data.photo:
            self._image(c, data.photo, t.photo)
        if not overlay and t.photo.frame_line_pt:
            c.setLineWidth(t.photo.frame_line_pt)
            c.rect(*t.rect_pt(t.photo), stroke=1, fill=0)
            if not data.photo and t.photo.placeholder:
                cx = (t.photo.x_mm + t.photo.width_mm / 2) * MM
                cy = t.to_pt(0, t.photo.y_mm + t.photo.height_mm / 2)[1]
                self._text(c, t.photo.placeholder, cx, cy, 12, "center")
        if data.qr_payload:
            x, y, size, _ = t.rect_pt(t.qr)
            draw_qr(c, data.qr_payload, x, y, size)
        if self.mode == "electronic" and self.seal:
            self._image(c, self.seal, t.seal, mask="auto")
        c.restoreState()

    def new_canvas(self, out: str | BinaryIO, title: str = "职业技能等级证书"):  # type: ignore[no-untyped-def]
        c = rl_canvas.Canvas(out, pagesize=self.t.page_size, invariant=1, pageCompression=1)
        c.setTitle(title)
        c.setCreator("SkillSite")
        c.setAuthor("")
        return c

    def render(self, datas: Iterable[CertificateData], out: str | Path | BinaryIO,
               progress: Progress | None = None) -> int:
        """Write one page per certificate to `out` (a path or binary file); returns the pages.

        Every certificate is checked first: PrintBlocked lists every unprintable character.
        `progress(done, total)` is called before each page and at the end; when it returns
        False, RenderCancelled is raised and nothing is written.
        """
        datas = list(datas)
        require_printable(datas, self.chain)
        target = str(out) if isinstance(out, Path) else out
        c = self.new_canvas(target)
        for done, d in enumerate(datas):
            step(progress, done, len(datas))
            self.draw_page(c, d)
            c.showPage()
        step(progress, len(datas), len(datas))
        c.save()  # reportlab writes only here: a cancelled rendering leaves no file behind
        return len(datas)

    def render_bytes(self, datas: Iterable[CertificateData]) -> bytes:
        buf = io.BytesIO()
        self.render(datas, buf)
        return buf.getvalue()


def _draw_jpeg(c, data: bytes, x: float, y: float, w: float, h: float) -> bool:  # type: ignore[no-untyped-def]
    """Embed a JPEG as-is (DCTDecode), fitted and centred in the box.

    canvas.drawImage would decode the JPEG to RGB just to name it, then re-compress it; this
    passes the file through (the same registration steps as drawImage). False if not a JPEG
    reportlab can read.
    """
    name = "jpeg-" + hashlib.sha1(data).hexdigest()
    doc = c._doc
    reg = doc.getXObjectName(name)
    img = doc.idToObject.get(reg)
    if img is None:
        img = pdfdoc.PDFImageXObject(name)
        if not img.loadImageFromJPEG(io.BytesIO(data)):
            return False
        img.name = name
        c._setXObjects(img)
        doc.Reference(img, reg)
        doc.addForm(name, img)
    scale = min(w / img.width, h / img.height)
    dw, dh = img.width * scale, img.height * scale
    c._currentPageHasImages = 1
    c.saveState()
    c.translate(x + (w - dw) / 2, y + (h - dh) / 2)
    c.scale(dw, dh)
    c._code.append(f"/{reg} Do")
    c.restoreState()
    c._formsinuse.append(name)
    return True


# --- whole documents --------------------------------------------------------------------------


def certificate_pdf(data: CertificateData, template: Template, chain: FontChain,
                    *, seal: bytes | None = None) -> bytes:
    """One certificate as its own PDF: the full page, or the electronic certificate with a seal."""
    mode: Mode = "electronic" if seal else "full"
    return CertificateRenderer(template, chain, mode=mode, seal=seal).render_bytes([data])


def content_sha256(data: CertificateData, template: Template, chain: FontChain) -> str:
    """SHA-256 of the certificate's own full-page PDF: stored at issue, checked on reprint."""
    return hashlib.sha256(certificate_pdf(data, template, chain)).hexdigest()


def _chunks(items: Iterable[CertificateData], size: int) -> Iterator[list[CertificateData]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def render_batch(
    datas: Iterable[CertificateData],
    out: Path,
    renderer: CertificateRenderer,
    *,
    chunk_size: int = 500,
) -> list[Path]:
    """Render many certificates, `chunk_size` per PDF file, holding one chunk at a time.

    One chunk: written to `out`. More: `out` stem + -001, -002 … (print jobs of a sensible size).
    Every certificate of a chunk is checked before that chunk is written.
    """
    out = Path(out)
    paths: list[Path] = []
    chunks = _chunks(datas, chunk_size)
    first = next(chunks, [])
    second = next(chunks, None)
    if second is None:
        renderer.render(first, out)
        return [out]
    for i, chunk in enumerate(_prepend([first, second], chunks), start=1):
        path = out.with_name(f"{out.stem}-{i:03d}{out.suffix}")
        renderer.render(chunk, path)
        paths.append(path)
    return paths


def _prepend(head: list[list[CertificateData]], rest: Iterator[list[CertificateData]]
             ) -> Iterator[list[CertificateData]]:
    yield from head
    yield from rest


def render_electronic(
    datas: Iterable[CertificateData], out_dir: Path, template: Template, chain: FontChain,
    *, seal: bytes | None = None, progress: Progress | None = None, total: int = 0,
) -> list[Path]:
    """One electronic-certificate PDF per person (`<证书编号>.pdf`), with the seal if given.

    `progress(done, total)` before each file; on cancel the files already written stay.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    renderer = CertificateRenderer(template, chain, mode="electronic", seal=seal)
    paths = []
    for d in datas:
        step(progress, len(paths), total, paths)
        path = out_dir / f"{d.number}.pdf"
        renderer.render([d], path)
        paths.append(path)
    step(progress, len(paths), total, paths)
    return paths


def render_calibration(out: str | Path | BinaryIO, template: Template, chain: FontChain,
                       offset: Offset | None = None) -> None:
    """A page with a millimetre grid and the template's anchor marks, shifted by `offset`.

    Print it on plain paper, lay it over the pre-printed stock against the light, and read off
    how far the marks miss their places: that is the printer's offset, in 0.1 mm steps.
    """
    offset = offset or Offset()
    t = template
    pw, ph = t.page_width_mm, t.page_height_mm
    c = CertificateRenderer(t, chain).new_canvas(str(out) if isinstance(out, Path) else out,
                                                 "套打校准页")
    c.saveState()
    c.translate(offset.dx_mm * MM, -offset.dy_mm * MM)
    for step, width, grey in ((1, 0.1, 0.8), (5, 0.25, 0.55), (10, 0.5, 0.2)):
        c.setLineWidth(width)
        c.setStrokeGray(grey)
        for i in range(0, int(pw) + 1, step):
            c.line(i * MM, 0, i * MM, ph * MM)
        for j in range(0, int(ph) + 1, step):
            y = (ph - j) * MM
            c.line(0, y, pw * MM, y)
    c.setFillGray(0.2)
    for i in range(10, int(pw), 10):
        c.setFont(chain.main.name, 6)
        c.drawString(i * MM + 0.5 * MM, (ph - 4) * MM, str(i))
    for j in range(10, int(ph), 10):
        c.drawString(1 * MM, (ph - j) * MM + 0.5 * MM, str(j))
    c.setStrokeColorRGB(0.85, 0, 0)
    c.setLineWidth(0.3)
    marks = [(f.value_x_mm, f.y_mm) for f in t.fields]
    marks += [(i.x_mm, i.y_mm) for i in t.texts if i.overlay]
    marks += [(t.photo.x_mm, t.photo.y_mm), (t.qr.x_mm, t.qr.y_mm)]
    for x_mm, y_mm in marks:
        x, y = t.to_pt(x_mm, y_mm)
        c.line(x - 3 * MM, y, x + 3 * MM, y)
        c.line(x, y - 3 * MM, x, y + 3 * MM)
    c.rect(*t.rect_pt(t.photo), stroke=1, fill=0)
    c.rect(*t.rect_pt(t.qr), stroke=1, fill=0)
    c.restoreState()
    c.setFillColorRGB(0.85, 0, 0)
    obj = c.beginText(20 * MM, (ph - 100) * MM)
    for name, piece in chain.runs(f"套打校准页（{t.title}）　当前偏移：{offset.describe()}"):
        obj.setFont(name, 12)
        obj.textOut(piece)
    c.drawText(obj)
    c.showPage()
    c.save()
