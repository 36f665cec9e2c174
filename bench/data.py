"""Synthetic input files for the benchmarks (deterministic: the same seed gives the same file)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from openpyxl import Workbook

from app.rules.idcard import gb11643_check_char

AREAS = ("500106", "500107", "500108", "500112", "110105", "320102", "440305", "510104")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力林斌宇浩凯鹏飞堃燊𠇔"
EDUCATION = ("初中", "高中", "中专", "大专", "大学本科", "研究生")
EMPLOYERS = ("重庆某机械有限公司", "重庆某餐饮管理有限公司", "某电子科技有限公司", "个体", "待业")

PEOPLE_HEADER = [
    "姓名",
    "证件类型",
    "证件号码",
    "性别",
    "出生日期",
    "联系电话",
    "工作单位",
    "学历",
    "所在地市",
]


def people_rows(n: int, seed: int = 20260501) -> list[list[object]]:
    rng = random.Random(seed)
    used: set[str] = set()
    rows: list[list[object]] = []
    while len(rows) < n:
        born = dt.date(rng.randint(1966, 2006), rng.randint(1, 12), rng.randint(1, 28))
        first17 = f"{rng.choice(AREAS)}{born:%Y%m%d}{rng.randint(1, 999):03d}"
        number = first17 + gb11643_check_char(first17)
        if number in used:
            continue
        used.add(number)
        name = rng.choice(SURNAMES) + "".join(
            rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))
        )
        rows.append(
            [
                name,
                "201",
                number,
                "男" if int(number[16]) % 2 else "女",
                born,
                f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
                rng.choice(EMPLOYERS),
                rng.choice(EDUCATION),
                "重庆市",
            ]
        )
    return rows


def write_people_xlsx(path: Path, n: int) -> Path:
    """A people import file: a title row, the header, n rows; ID numbers as text cells."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("考生名册")
    ws.append(["2026年第一批考生名册（基准测试数据）"])
    ws.append(PEOPLE_HEADER)
    for row in people_rows(n):
        ws.append(row)
    wb.save(path)
    return path
