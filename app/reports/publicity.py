"""The publicity list (公示名单) as xlsx: 序号, 姓名, 证件号码 (masked), 职业/工种, 等级, 结果."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.reports.xlsx import Column, Sheet, write_workbook

if TYPE_CHECKING:
    from app.services.publicity import PublicityList

PUBLICITY_COLUMNS = (
    Column("序号", 8),
    Column("姓名", 14),
    Column("证件号码", 24),
    Column("职业/工种", 26),
    Column("等级", 16),
    Column("结果", 10),
)


def publicity_title(data: PublicityList) -> str:
    return f"{data.organisation}职业技能等级认定结果公示（{data.batch_code} {data.batch_name}）"


def period_text(data: PublicityList) -> str:
    if data.start and data.end:
        return f"公示期：{data.start.isoformat()} 至 {data.end.isoformat()}"
    return "公示期：未开始"


def write_publicity_xlsx(path: Path, data: PublicityList) -> Path:
    """ID numbers arrive masked (the service masks them); every text cell stays text."""
    rows = ((r.seq, r.name, r.id_number, r.occupation, r.level, r.result) for r in data.rows)
    return write_workbook(
        Path(path),
        [
            Sheet(
                "公示名单",
                PUBLICITY_COLUMNS,
                rows,
                title_rows=[publicity_title(data), period_text(data)],
            )
        ],
    )
