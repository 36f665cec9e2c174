"""The free texts of a person, a staff role and a qualification: checked and stored alike by
the person dialogs, the roster services and the Excel import (`check_text`).

Names and other prose keep their Chinese punctuation and store full-width letters and digits
half-width (`fold_prose`); a phone or certificate number folds all full-width ASCII. Control
characters are refused (line breaks only in notes), a name holds no symbol and writes its
middle dot as the ID card does (U+00B7), and each text keeps within its column.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from app.errors import ValidationError
from app.rules._text import fold_prose, to_halfwidth
from app.services.phone import check_phone

# The person's own texts and their column lengths (the fields the dialogs and import fill).
PERSON_TEXT_LIMITS: Final = {
    "name": 100,
    "phone": 40,
    "employer": 200,
    "education": 40,
    "city": 60,
    "title": 100,
}
# The other free texts of a person, a role and a qualification (their column lengths). SQLite
# stores a longer text anyway; PostgreSQL refuses it with a DataError, so check it here.
_OTHER_MAX_LEN: Final = {"notes": 200, "duties": 200, "specialty": 200, "certificate_no": 60}
# Texts that are numbers or codes: every full-width ASCII character folded (０２３－６８…).
_CODE_KEYS: Final = frozenset({"phone", "certificate_no"})
FIELD_NAMES: Final = {
    "name": "姓名", "gender": "性别", "birth_date": "出生日期", "phone": "联系电话",
    "employer": "工作单位", "education": "学历", "city": "所在地市", "title": "职称/职务",
    "duties": "工作职责", "specialty": "专业方向", "in_house": "是否本单位人员",
    "agreement_on_file": "是否签订协议", "agreement_until": "协议有效期至",
    "max_level": "最高等级", "certificate_no": "考评员证书号", "valid_from": "资格有效期起",
    "valid_until": "资格有效期至", "notes": "备注",
}  # fmt: skip


def _check_controls(key: str, value: str) -> str:
    """Refuse control characters (and line breaks in a name); other fields get breaks as spaces."""
    from app.services.free_text import check_controls

    return check_controls(
        value,
        label=FIELD_NAMES.get(key, key),
        field=key,
        no_breaks=key == "name",
        multiline=key == "notes",
    )


# the middle dots typed for the one in minority and foreign names (阿卜杜·热合曼): an ID card
# has U+00B7, and so must the record, or the name matches no certificate check
_NAME_DOTS: Final = str.maketrans(dict.fromkeys("•・‧･∙⋅", "·"))


def _check_name(value: str) -> str:
    if not value:
        raise ValidationError("姓名不能为空。", field="name")
    value = value.translate(_NAME_DOTS)
    symbol = next((c for c in value if unicodedata.category(c) == "So"), None)
    if symbol is not None:  # an emoji, ☆ …: no name on an ID document holds one
        raise ValidationError(
            f"姓名“{value}”中有符号“{symbol}”：姓名只能由文字组成（间隔号用“·”）。请按证件上的姓名填写。",
            field="name",
        )
    return value


def check_text(key: str, value: str) -> str:
    value = (value or "").strip()
    if not value.isprintable():  # rare: only then look for what is wrong
        value = _check_controls(key, value)
    if key in _CODE_KEYS:  # full-width ASCII and the ideographic space: as the import stores them
        value = to_halfwidth(value).strip()
    elif key != "notes":  # prose keeps its Chinese punctuation: 重庆某某（集团）有限公司
        value = fold_prose(value).strip()
    if key == "name":
        value = _check_name(value)
    limit = PERSON_TEXT_LIMITS.get(key) or _OTHER_MAX_LEN.get(key)
    if limit and len(value) > limit:
        raise ValidationError(
            f"{FIELD_NAMES[key]}过长（{len(value)} 字，最多 {limit} 字）。", field=key
        )
    if key == "phone":  # the organisation's 联系电话 follows the same rule
        check_phone(value, label=FIELD_NAMES[key], field=key)
    return value
