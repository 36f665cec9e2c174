"""The columns an import understands, with the header aliases people actually use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from app.rules._text import to_halfwidth

Kind = Literal["staff", "people"]
# The example row of the downloadable template (GB 11643's own example number, and a name with a
# rare character): a row with both is the example left in place, never a real person.
EXAMPLE_ID_NUMBER: Final = "11010519491231002X"
EXAMPLE_NAME: Final = "王𠇔"

KIND_NAMES: Final = {"staff": "工作人员", "people": "人员（考生）"}
# The template's sheet of notes: never taken for a second sheet of data left unread.
NOTES_SHEET: Final = "填写说明"


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    title: str  # the header written in the template
    aliases: tuple[str, ...]
    kinds: tuple[str, ...] = ("staff", "people")
    required: tuple[str, ...] = ()  # kinds for which the column must be present
    hint: str = ""  # shown in the template's 说明 sheet


COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    ColumnSpec(
        "name",
        "姓名",
        ("姓名", "考生姓名", "名字", "人员姓名"),
        required=("staff", "people"),
        hint="必填；与证件一致，生僻字照录",
    ),
    ColumnSpec(
        "id_type",
        "证件类型",
        ("证件类型", "证件类别", "证件种类"),
        hint="可填代码或名称，如 201 或 居民身份证；不填按居民身份证",
    ),
    ColumnSpec(
        "id_number",
        "证件号码",
        ("证件号码", "身份证号", "身份证号码", "公民身份号码", "证件号", "身份证件号码"),
        required=("staff", "people"),
        hint="必填；该列须设为“文本”格式，勿以数字保存",
    ),
    ColumnSpec("gender", "性别", ("性别",), hint="男/女；不填时按身份证号码推算"),
    ColumnSpec(
        "birth_date",
        "出生日期",
        ("出生日期", "出生年月日", "生日"),
        hint="如 1990-01-05；不填时按身份证号码推算",
    ),
    ColumnSpec("phone", "联系电话", ("联系电话", "手机", "手机号", "手机号码", "联系方式", "电话")),
    ColumnSpec("employer", "工作单位", ("工作单位", "所在单位", "单位", "单位名称")),
    ColumnSpec("education", "学历", ("学历", "文化程度", "最高学历")),
    ColumnSpec("city", "所在地市", ("所在地市", "地市", "考生所在地市", "所在城市")),
    ColumnSpec(
        "title",
        "职称/职务",
        ("职称/职务", "职称", "职务", "职称/职务/技能等级", "职称职务"),
        hint="职称、职务或技能等级",
    ),
    ColumnSpec(
        "roles",
        "角色",
        ("角色", "人员类别", "人员类型", "岗位类别"),
        kinds=("staff",),
        required=("staff",),
        hint="必填；专职工作人员、专家、考评员、内部督导员、监考员，多个用“、”分隔",
    ),
    ColumnSpec("duties", "工作职责", ("工作职责", "职责"), kinds=("staff",)),
    ColumnSpec("specialty", "专业方向", ("专业方向", "专业"), kinds=("staff",)),
    ColumnSpec(
        "certificate_no",
        "考评员证书号",
        ("考评员证书号", "考评员证号", "考评员证书编号"),
        kinds=("staff",),
    ),
    ColumnSpec(
        "occupations",
        "考评职业",
        ("考评职业", "考评职业(工种)", "可考评职业", "考评职业名称"),
        kinds=("staff",),
        hint="职业编码或名称，如 4-12-01-01 或 电工；多个用“、”分隔（每个一条考评资格）",
    ),
    ColumnSpec(
        "work_type",
        "考评工种",
        ("考评工种", "工种"),
        kinds=("staff",),
        hint="只填一个考评职业时可填该职业的工种名称；同一职业的多个工种用“、”分隔（每个工种一条考评资格）",
    ),
    ColumnSpec(
        "max_level",
        "最高等级",
        ("最高等级", "最高考评等级", "考评等级"),
        kinds=("staff",),
        hint="1–5 或 三级/高级工 等",
    ),
    ColumnSpec(
        "valid_from", "资格有效期起", ("资格有效期起", "资格生效日期", "发证日期"), kinds=("staff",)
    ),
    ColumnSpec(
        "valid_until", "资格有效期至", ("资格有效期至", "资格有效期", "有效期至"), kinds=("staff",)
    ),
    ColumnSpec(
        "in_house",
        "是否本单位人员",
        ("是否本单位人员", "是否本单位", "本单位人员"),
        kinds=("staff",),
        hint="是/否；不填按“是”",
    ),
    ColumnSpec(
        "agreement_on_file",
        "是否签订协议",
        ("是否签订协议", "协议在档", "已签协议", "承诺书或协议", "是否签订承诺书或协议"),
        kinds=("staff",),
        hint="非本单位人员须有承诺书或合作协议",
    ),
    ColumnSpec(
        "agreement_until",
        "协议有效期至",
        ("协议有效期至", "协议有效期", "协议到期日"),
        kinds=("staff",),
    ),
)
BY_KEY: Final = {c.key: c for c in COLUMNS}


def header_key(text: object) -> str:
    """A header cell reduced for matching: half-width, no spaces, marks and trailing notes removed."""
    s = to_halfwidth(str(text or "")).strip()
    s = re.sub(r"[\s*:：]", "", s)
    s = re.sub(r"[(（][^)）]*[)）]$", "", s) or s  # 证件号码（必填）
    return s.replace("（", "(").replace("）", ")").lower()


def alias_map(kind: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in COLUMNS:
        if kind in col.kinds:
            for alias in col.aliases:
                out[header_key(alias)] = col.key
    return out


def columns_for(kind: str) -> list[ColumnSpec]:
    return [c for c in COLUMNS if kind in c.kinds]
