"""What QA found in the occupation catalogue: work types split differently by the import and the
dialog, control characters and overlong names, and renaming an occupation on issued certificates."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.errors import ValidationError
from app.models import AuditEntry, Batch, Certificate, Occupation
from app.services.catalogue import (
    OccupationInput,
    normalise_code,
    split_work_types,
    update_occupation,
)
from app.services.catalogue_file import import_catalogue
from tests.score_data import admin_of


def test_one_splitter_for_the_import_and_the_dialog(db, admin, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    assert split_work_types("甲,乙；丙/丁 戊") == ["甲", "乙", "丙/丁 戊"]
    path = make_xlsx([["职业编码", "职业名称", "工种"], ["4-12-01-01", "电子商务师", "甲,乙；丙/丁 戊"]])
    with db.session() as s:
        import_catalogue(s, admin, path)
    with db.session() as s:
        occ = s.scalar(select(Occupation).where(Occupation.code == "4-12-01-01"))
        stored = [wt.name for wt in occ.work_types]
        assert sorted(stored) == sorted(["甲", "乙", "丙/丁 戊"])
        audits = s.scalar(select(func.count()).select_from(AuditEntry))
        # the dialog's text of the same work types, saved unchanged: nothing changes
        update_occupation(s, admin, occ.id, OccupationInput(occ.code, occ.name, occ.is_new,
                                                            split_work_types("\n".join(stored))))  # fmt: skip
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audits


@pytest.mark.parametrize(
    ("name", "work_type", "expected"),
    [
        ("坏\t名", "", "第 2 行 B 列（职业名称）：职业名称第 2 个字符是制表符"),
        ("第一行\n第二行", "", "第 2 行 B 列（职业名称）：职业名称第 4 个字符是换行符"),
        ("长" * 101, "", "第 2 行 B 列（职业名称）：职业名称“长长长长长长长长长长长长长长长长长长长长…”过长：101 字"),
        ("电工", "维修\x9f电工", "第 2 行 C 列（工种）：工种“维修\x9f电工”第 3 个字符是不可见的控制字符"),
    ],
)
def test_catalogue_names_are_checked_where_they_are(db, admin, make_xlsx, name, work_type, expected) -> None:  # type: ignore[no-untyped-def]
    path = make_xlsx([["职业编码", "职业名称", "工种"], ["6-31-01-03", name, work_type]])
    with pytest.raises(ValidationError) as info, db.session() as s:
        import_catalogue(s, admin, path)
    assert expected in info.value.message and "未导入任何数据" in info.value.message
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Occupation)) == 0


def test_dashes_from_autocorrect_are_read_as_hyphens() -> None:
    assert normalise_code("4–12‐01−01") == "4-12-01-01"


def _certified(demo):  # type: ignore[no-untyped-def]
    with demo.session() as s:
        occ = s.scalar(
            select(Occupation)
            .join(Batch, Batch.occupation_id == Occupation.id)
            .join(Certificate, Certificate.batch_id == Batch.id)
            .where(Certificate.status == "issued")
        )
        assert occ is not None, "the demo has issued certificates"
        return occ.id, occ.code, occ.name, occ.is_new, [wt.name for wt in occ.work_types]


def test_an_occupation_on_issued_certificates_keeps_its_name(demo) -> None:  # type: ignore[no-untyped-def]
    admin = admin_of(demo)
    occ_id, code, name, is_new, wts = _certified(demo)
    with pytest.raises(ValidationError, match="已发证的职业名称不能修改") as info, demo.session() as s:
        update_occupation(s, admin, occ_id, OccupationInput(code, name + "（新）", is_new, wts))
    assert "已发放证书" in info.value.message and info.value.field == "name"
    with demo.session() as s:  # the 新职业 flag is not printed: it may change
        update_occupation(s, admin, occ_id, OccupationInput(code, name, not is_new, wts))
    with demo.session() as s:
        assert s.get(Occupation, occ_id).name == name


def test_the_catalogue_import_cannot_rename_it_either(demo, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    admin = admin_of(demo)
    occ_id, code, name, _is_new, _wts = _certified(demo)
    path = make_xlsx([["职业编码", "职业名称"], ["2-99-01-01", "测试职业"], [code, name + "师"]])
    with pytest.raises(ValidationError, match=r"(?s)未导入任何数据.*已发证的职业名称不能修改"), demo.session() as s:
        import_catalogue(s, admin, path)
    with demo.session() as s:  # all or nothing: the new occupation was not added either
        assert s.get(Occupation, occ_id).name == name
        assert s.scalar(select(Occupation).where(Occupation.code == "2-99-01-01")) is None


def test_a_work_type_in_use_cannot_be_renamed_and_the_message_says_so(db, admin, roster_org) -> None:  # type: ignore[no-untyped-def]
    """The dialog edits work types as a list, so a rename is the old name gone and a new one
    added: for a work type in the filed scope the message names both, not only "不能删除"."""
    from app.services.catalogue import OccupationInput, create_occupation, update_occupation
    from app.services.filed_scope import add_scope_entry

    with db.session() as s:
        occ = create_occupation(s, admin, OccupationInput("6-18-02-04", "焊工", False, ["电焊工"]))
        add_scope_entry(s, admin, occ.id, 4, occ.work_types[0].id)
        occ_id = occ.id
    with pytest.raises(ValidationError) as info, db.session() as s:
        update_occupation(s, admin, occ_id, OccupationInput("6-18-02-04", "焊工", False, ["焊接工"]))
    assert "不能删除，也不能改名" in info.value.message and "请在工种中保留“电焊工”" in info.value.message
    with db.session() as s:
        assert [w.name for w in update_occupation(
            s, admin, occ_id, OccupationInput("6-18-02-04", "焊工", False, ["电焊工", "焊接工"])
        ).work_types] == ["电焊工", "焊接工"]  # keeping it and adding another is fine
