"""Static material for the demo: names, occupations, rooms, synthetic portraits. No real people."""

from __future__ import annotations

import io
import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌宇浩凯鹏飞俊峰林欣怡佳琪梓涵子轩雨婷思远晨曦嘉豪婉清"
# Rare characters that fonts and PDFs must carry exactly (𠇔 is outside the BMP).
RARE_NAMES = ["王𠇔", "李堃", "陈燊", "阿依古丽·买买提", "张喆", "刘犇", "赵淼", "冉堃燊"]
# Chongqing districts' six-digit area codes (GB/T 2260) for realistic ID numbers.
AREAS = ["500101", "500102", "500103", "500104", "500105", "500106", "500107", "500108",
         "500112", "500113", "500115", "500117", "500118", "500120"]
CITIES = {"500101": "万州区", "500102": "涪陵区", "500103": "渝中区", "500104": "大渡口区",
          "500105": "江北区", "500106": "沙坪坝区", "500107": "九龙坡区", "500108": "南岸区",
          "500112": "渝北区", "500113": "巴南区", "500115": "长寿区", "500117": "合川区",
          "500118": "永川区", "500120": "璧山区"}
EMPLOYERS = ["重庆渝新机电有限公司", "重庆两江餐饮管理有限公司", "重庆市沙坪坝区阳光托育中心",
             "重庆江北嘉禾家政服务有限公司", "重庆长安工业服务公司", "自由职业", "待业"]
EDUCATION = ["初中", "高中", "中专", "大专", "本科", "硕士"]

# (code, name, is_new, [work types], levels filed)
OCCUPATIONS = [
    ("6-31-01-03", "电工", False, [], [1, 2, 3, 4, 5]),
    ("4-03-02-01", "中式烹调师", False, [], [3, 4, 5]),
    ("4-10-01-02", "育婴员", False, [], [3, 4, 5]),
    ("4-10-01-03", "保育师", False, [], [3, 4, 5]),
    ("6-18-02-04", "焊工", False, ["电焊工", "气焊工"], [3, 4, 5]),
]

STAFF_TITLES = ["高级技师", "技师", "高级工程师", "讲师", "高级讲师", "工程师"]


def portrait_jpeg(rng: random.Random, width: int = 295, height: int = 413) -> bytes:
    """A synthetic 2-inch portrait made of shapes (not a face) on a white background."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), (255, 255, 255))
    d = ImageDraw.Draw(img)
    skin = rng.choice([(241, 204, 170), (224, 180, 140), (198, 150, 110), (250, 220, 190)])
    hair = rng.choice([(30, 25, 20), (60, 40, 30), (20, 20, 20), (90, 60, 40)])
    cloth = rng.choice([(30, 60, 120), (40, 40, 40), (120, 30, 40), (50, 90, 60), (200, 200, 210)])
    cx = width // 2 + rng.randint(-8, 8)
    d.ellipse([cx - 120, int(height * 0.70), cx + 120, height + 120], fill=cloth)  # shoulders
    d.rectangle([cx - 28, int(height * 0.55), cx + 28, int(height * 0.74)], fill=skin)  # neck
    top = int(height * 0.16)
    d.ellipse([cx - 78, top - 12, cx + 78, top + 120], fill=hair)  # hair
    d.ellipse([cx - 66, top + 10, cx + 66, top + 190], fill=skin)  # head
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=82)
    return buf.getvalue()
