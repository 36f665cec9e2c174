"""The plan filing document as a printable A4 PDF (same content as the xlsx, app/reports/plan.py)."""

from __future__ import annotations

from pathlib import Path

from app.errors import ConfigurationError
from app.output_file import atomic_output
from app.paths import resources_dir
from app.reports.plan import PlanDocument, PlanStaff

FONT_NAME = "SkillSitePlanKai"
_FONT_FILE = "LXGWWenKai-Regular.ttf"
_SYSTEM_FONT = Path("/usr/share/fonts/truetype/lxgw-wenkai") / _FONT_FILE


def plan_font_path() -> Path:
    """The CJK font for the plan: the bundled LXGW WenKai, else the system copy.

    (To be replaced by the shared font resolver of app/printing.)"""
    for candidate in (resources_dir() / "fonts" / _FONT_FILE, _SYSTEM_FONT):
        if candidate.is_file():
            return candidate
    raise ConfigurationError(
        f"找不到打印认定计划所需的中文字体“{_FONT_FILE}”：请重新安装 SkillSite（字体应位于 resources/fonts 目录）。"
    )


def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(plan_font_path())))
    return FONT_NAME


def write_plan_pdf(doc: PlanDocument, path: Path) -> Path:
    """A4 portrait; the roster and staff tables repeat their header row on every page."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus.tables import TableStyle

    font = _register_font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=4 * mm)
    head = ParagraphStyle("head", fontName=font, fontSize=12, leading=16, spaceBefore=5 * mm, spaceAfter=2 * mm)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")

    def p(text: object) -> Paragraph:
        return Paragraph(escape("" if text is None else str(text)), cell)

    width = A4[0] - 30 * mm

    def table(header: list[str], rows: list[list[object]], widths: list[float]) -> LongTable:
        total = sum(widths)
        data = [[p(h) for h in header]] + [[p(v) for v in r] for r in rows]
        if not rows:
            data.append([p("（无）")] + [p("") for _ in header[1:]])
        t = LongTable(data, colWidths=[width * w / total for w in widths], repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return t

    def staff(people: list[PlanStaff]) -> LongTable:
        return table(
            ["序号", "姓名", "证件号码", "考评员证书号", "考评资格", "职称/职务", "工作单位", "本单位", "安排场次"],
            [[i, s.name, s.id_number, s.certificate_no, s.qualification, s.title, s.employer, s.in_house, s.sessions]
             for i, s in enumerate(people, 1)],
            [5, 7, 12, 11, 11, 9, 13, 6, 19],
        )

    venues = list(dict.fromkeys((s.venue, s.address) for s in doc.sessions))
    story = [
        Paragraph(escape(doc.title), title),
        Paragraph("一、批次概况", head),
        table(["项目", "内容"], [list(r) for r in doc.overview()], [22, 78]),
        Paragraph("二、场次安排（时间、地点、科目）", head),
        *[Paragraph(escape(f"考点：{v}（{a or '地址未填写'}）"), cell) for v, a in venues],
        Spacer(1, 2 * mm),
        table(
            ["序号", "日期", "时间", "科目", "考场", "容量", "考生", "视频", "考评员", "监考员"],
            [[i, s.day.isoformat(), s.time_text, s.subject, s.room, s.capacity, s.candidates,
              "有" if s.video else "无", "、".join(s.examiners), "、".join(s.proctors)]
             for i, s in enumerate(doc.sessions, 1)],
            [5, 12, 12, 6, 16, 8, 5, 5, 16, 15],
        ),
        Paragraph(f"三、考生名册（共 {len(doc.candidates)} 人）", head),
        table(
            ["序号", "准考证号", "姓名", "性别", "证件类型", "证件号码", "所在单位", "考场/座位"],
            [[c.seq, c.admission_no, c.name, c.gender, c.id_type, c.id_number, c.employer,
              f"{c.room} {c.seat}".strip()] for c in doc.candidates],
            [5, 12, 9, 6, 10, 19, 21, 18],
        ),
        Paragraph("四、考评人员", head),
        staff(doc.examiners),
        Paragraph("五、监考人员", head),
        staff(doc.proctors),
        Paragraph("六、内部质量督导人员", head),
        staff(doc.supervisors),
        Spacer(1, 10 * mm),
        Paragraph(escape(f"评价机构（盖章）：{doc.organisation}　　　　填报日期：{doc.prepared_on.isoformat()}"), cell),
    ]

    def footer(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"{doc.batch_code}　第 {document.page} 页")
        canvas.restoreState()

    path = Path(path)
    with atomic_output(path) as tmp:
        pdf = SimpleDocTemplate(
            str(tmp), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
            bottomMargin=18 * mm, title=doc.title, author=doc.organisation,
        )
        pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return path
