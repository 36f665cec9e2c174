"""QA round 11 (E): a refused import counts its rows as the rest of the messages do (“有 6 行错误”,
a space either side of the number), and the demo's external examiners work somewhere else than
the organisation that hires them (otherwise the roster contradicts their 非本单位 role)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import ValidationError
from app.models import Person, StaffRoleEntry
from app.services.actor import Actor
from app.services.demo import EXTERNAL_EMPLOYERS
from app.services.importing import commit_import, preview_import
from app.services.importing.results import ImportPreview, ImportRow, RoleRemoval, RowIssue
from app.services.organisation import get_organisation
from tests.services.conftest import XlsxMaker, make_id


def _bad_row(row: int) -> ImportRow:
    issue = RowIssue("名单", row, "B", "证件号码", "号码为空")
    return ImportRow(row, "甲", "201", "", status="error", errors=[issue])


def test_the_refusal_puts_a_space_before_the_number() -> None:
    preview = ImportPreview(Path("名单.xlsx"), "staff", "replace", "名单", 1, {}, [],
                            [_bad_row(r) for r in range(2, 8)])  # fmt: skip
    assert preview.refusal_text() == "有 6 行错误：未导入任何数据。"
    preview.removals = [RoleRemoval(1, "乙", "110105**********2X", "proctor", ("2026-05",))]
    assert preview.refusal_text() == (
        "有 6 行错误、1 项角色不能移除（人员仍在未结束的批次中）：未导入任何数据。"
    )
    preview.rows = []
    assert preview.refusal_text().startswith("有 1 项角色不能移除")


def test_a_refused_import_says_it_the_same_way(
    db: Database, admin: Actor, make_xlsx: XlsxMaker
) -> None:
    path = make_xlsx([["姓名", "证件号码"], ["甲", make_id(1)], ["乙", ""], ["丙", "123"]])
    with db.session() as s:
        preview = preview_import(s, admin, path, "people", "add")
    with db.session() as s, pytest.raises(ValidationError) as caught:
        commit_import(s, admin, preview)
    assert "有 2 行错误：未导入任何数据" in caught.value.message


def test_the_demos_external_examiners_have_another_employer(demo: Database) -> None:
    with demo.session() as s:
        org = get_organisation(s).name
        roles = s.execute(
            select(Person.name, Person.employer, StaffRoleEntry.in_house).join(
                StaffRoleEntry, StaffRoleEntry.person_id == Person.id
            )
        ).all()
    external = {name: employer for name, employer, in_house in roles if not in_house}
    assert {"侯强梓", "丁婉文"} <= external.keys()
    assert set(external.values()) <= set(EXTERNAL_EMPLOYERS)
    assert org not in external.values()
    # the organisation's own staff still work for it
    assert {employer for _name, employer, in_house in roles if in_house} == {org}
