"""Texts longer than their column are refused before anything is written, on every database.

SQLite stores a text longer than its VARCHAR(n); PostgreSQL refuses it with a DataError that
would reach the user as a traceback. A `before_flush` check over every new or changed row makes
both behave the same: a ValidationError naming the table and the field in Chinese, and the
transaction is rolled back (nothing half-written). Forms and imports check the lengths they
know first, with the row and column; this is the net under everything else.
"""

from __future__ import annotations

import functools
from typing import Any, Final

from sqlalchemy import String, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapper, Session

from app.errors import ValidationError

TABLE_NAMES: Final = {
    "app_user": "用户", "calendar_override": "节假日", "occupation": "职业",
    "organisation": "机构信息", "person": "人员", "venue": "考场地点", "room": "考场",
    "staff_role": "人员角色", "work_type": "工种", "batch": "批次",
    "examiner_qualification": "考评资格", "archive_item": "档案", "enrolment": "报名",
    "certificate": "证书", "certificate_print": "打印记录", "setting": "设置",
}  # fmt: skip
COLUMN_NAMES: Final = {
    "name": "名称", "address": "地址", "code": "编码", "notes": "备注", "phone": "联系电话",
    "registration_authority": "注册登记机构", "nature": "机构性质", "credit_code": "统一社会信用代码",
    "legal_representative": "法定代表人", "contact_person": "联系人", "contact_title": "联系人职务",
    "email": "电子邮箱", "mobile": "联系人手机", "website": "网站", "filing_code": "备案编码",
    "username": "用户名", "display_name": "姓名", "standard": "职业标准或评价规范",
    "subsidised_training": "开展补贴性培训情况",
    "id_number": "证件号码", "employer": "工作单位", "education": "学历", "city": "所在地市",
    "title": "职称/职务", "duties": "工作职责", "specialty": "专业方向",
    "candidate_source": "考生来源", "certificate_no": "考评员证书号", "location": "存放位置",
    "admission_no": "准考证号", "seat": "座位号", "printer": "打印机", "key": "设置项",
    "number": "证书编号",
}  # fmt: skip
_OVERRIDES: Final = {("person", "name"): "姓名", ("batch", "code"): "批次编号",
                     ("batch", "name"): "批次名称", ("enrolment", "employer"): "所在单位",
                     ("archive_item", "title"): "题名"}  # fmt: skip


def field_label(table: str, column: str) -> str:
    return _OVERRIDES.get((table, column)) or COLUMN_NAMES.get(column, column)


@functools.cache
def _limits(mapper: Mapper[Any]) -> tuple[tuple[str, str, int], ...]:
    """(attribute, column, length) of the mapper's length-limited text columns."""
    out = []
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        length = getattr(column.type, "length", None)
        if isinstance(column.type, String) and length:
            out.append((attr.key, column.name, length))
    return tuple(out)


def check_lengths(obj: Any, *, changed_only: bool = False) -> None:
    """ValidationError if a text attribute of `obj` is longer than its column allows.

    `changed_only`: only the attributes set since the row was loaded — a row an older version
    stored with a longer text (SQLite allowed it) can still be changed in its other fields.
    """
    state = sa_inspect(obj)
    mapper = state.mapper
    table = mapper.local_table.name
    for key, column, limit in _limits(mapper):
        value = obj.__dict__.get(key)  # only what is loaded or set: no lazy loads here
        if not (isinstance(value, str) and len(value) > limit):
            continue
        if changed_only and not state.attrs[key].history.added:
            continue
        what = TABLE_NAMES.get(table, table)
        raise ValidationError(
            f"{what}的“{field_label(table, column)}”过长：{len(value)} 字，最多 {limit} 字。"
            "未保存任何修改，请缩短后重试。",
            field=key,
        )


@event.listens_for(Session, "before_flush")
def _check_before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.new:
        check_lengths(obj)
    for obj in session.dirty:
        check_lengths(obj, changed_only=True)
