"""The publicity list (公示名单) as an A4 portrait PDF for posting. ID numbers arrive masked.

Columns: 序号, 姓名, 证件号码, 职业/工种, 等级, 结果; the header row repeats on every page,
and every page carries the publicity period and "第 n 页".
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from app.errors import ConfigurationError
from app.output_file import atomic_output
from app.paths import resources_dir

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus.doctemplate import BaseDocTemplate

    from app.services.publicity import PublicityList

FONT_FILE = "LXGWWenKai-Regular.ttf"
SYSTEM_FONT = Path("/usr/share/fonts/truetype/lxgw-wenkai") / FONT_FILE
FONT_NAME = "SkillSitePublicityKai"
HEADERS = ("序号", "姓名", "证件号码", "职业/工种", "等级", "结果")
COL_WIDTHS = (14 * mm, 30 * mm, 44 * mm, 52 * mm, 28 * mm, 18 * mm)  # 186 mm of 210


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register the bundled 霞鹜文楷 (resources/fonts), else the system copy; return its name."""
    for path in (resources_dir() / "fonts" / FONT_FILE, SYSTEM_FONT):
        if path.is_file():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
            return FONT_NAME
    raise ConfigurationError(
        f"找不到中文字体 {FONT_FILE}：请重新安装 SkillSite（字体应在 resources/fonts 中）。"
    )


def write_publicity_pdf(path: Path, data: PublicityList) -> Path:
    from app.reports.publicity import period_text, publicity_title

    font = cjk_font()
    title_style = ParagraphStyle("t", fontName=font, fontSize=16, leading=22, alignment=1)
    info_style = ParagraphStyle("i", fontName=font, fontSize=10.5, leading=15)
    cell_style = ParagraphStyle("c", fontName=font, fontSize=10, leading=13)
    note = (
        f"以下为{data.organisation}{data.batch_name}（{data.occupation}，{data.level}）认定结果，"
        f"共{len(data.rows)}人，合格{data.passed}人。{period_text(data)}。"
        "公示期间如有异议，请向本机构考务部门实名反映。"
    )
    table_rows: list[list[object]] = [list(HEADERS)]
    for r in data.rows:
        table_rows.append(
            [str(r.seq), Paragraph(_esc(r.name), cell_style), r.id_number,
             Paragraph(_esc(r.occupation), cell_style), r.level, r.result]
        )
    table = LongTable(table_rows, colWidths=COL_WIDTHS, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 10),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    footer = period_text(data)

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawString(12 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 12 * mm, 10 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    path = Path(path)
    with atomic_output(path) as tmp:
        doc = SimpleDocTemplate(
            str(tmp), pagesize=A4, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=15 * mm,
            bottomMargin=18 * mm, title=publicity_title(data), author=data.organisation,
        )
        doc.build(
            [Paragraph(_esc(publicity_title(data)), title_style), Spacer(1, 4 * mm),
             Paragraph(_esc(note), info_style), Spacer(1, 4 * mm), table],
            onFirstPage=on_page, onLaterPages=on_page,
        )
    return path


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
