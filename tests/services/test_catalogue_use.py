"""An occupation in use keeps its code; one filed in a batch plan or printed on certificates
keeps its name; one in the filed scope is renamed only after a question and with a reason —
never by a catalogue import, which says which row would have renamed what. Two occupations
may not share a name (a staff file's 考评职业 could not tell them apart)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied, ValidationError
from app.models import AuditEntry, Occupation
from app.models.enums import BatchStatus
from app.services.batch_workflow import get_batch, set_status
from app.services.catalogue import (
    OccupationInput,
    create_occupation,
    delete_occupation,
    rename_question,
    update_occupation,
)
from app.services.catalogue_file import import_catalogue
from tests.services.test_batch_support import World, assert_audit_ok, make_batch, world

__all__ = ["world"]


def _occ(world: World, occ_id: int) -> Occupation:
    with world.db.session() as s:
        occ = s.get(Occupation, occ_id)
        assert occ is not None
        s.expunge(occ)
        return occ


def _spare(world: World, code: str = "4-10-01-03", name: str = "保育师") -> int:
    """An occupation used nowhere."""
    with world.db.session() as s:
        occ = create_occupation(s, world.admin, OccupationInput(code, name))
        s.flush()
        return occ.id


def _update(world: World, occ_id: int, code: str, name: str, **kw) -> None:  # type: ignore[no-untyped-def]
    with world.db.session() as s:
        update_occupation(s, world.admin, occ_id, OccupationInput(code, name), **kw)


def test_a_used_occupation_keeps_its_code(world: World) -> None:
    with pytest.raises(ValidationError, match=r"已用于备案范围 \d+ 项.*编码不能修改") as exc:
        _update(world, world.electrician, "6-31-01-99", "电工")
    assert exc.value.field == "code"
    assert _occ(world, world.electrician).code == "6-31-01-03"
    spare = _spare(world)
    _update(world, spare, "4-10-01-04", "保育师")  # used nowhere: a typo in the code is mended
    assert _occ(world, spare).code == "4-10-01-04"


def test_a_filed_batch_keeps_the_name(world: World) -> None:
    spare = _spare(world)
    bid = make_batch(world, candidates=("c1",))  # an electrician batch (in the scope)
    with world.db.session() as s:
        set_status(s, world.admin, get_batch(s, bid), BatchStatus.PLAN_FILED)
    with pytest.raises(ValidationError, match=r"已报备的认定批次 2026-10（已报备）.*名称不能修改"):
        _update(world, world.electrician, "6-31-01-03", "电气设备安装工", rename_confirmed=True)
    _update(world, spare, "4-10-01-03", "保育员")  # used nowhere: renamed freely
    assert _occ(world, spare).name == "保育员"
    assert_audit_ok(world.db)


def test_a_scope_rename_needs_the_question_answered_and_a_reason(world: World) -> None:
    data = OccupationInput("6-31-01-03", "电工（新）")
    with world.db.session() as s:
        question = rename_question(s, world.admin, world.electrician, data)
        assert question is not None and "备案范围中" in question and "备案变更" in question
        assert (
            rename_question(
                s, world.admin, world.electrician, OccupationInput("6-31-01-03", "电工")
            )
            is None
        )
    with pytest.raises(PermissionDenied), world.db.session() as s:
        rename_question(s, world.scorer, world.electrician, data)
    with pytest.raises(ValidationError, match="改名须先确认"):
        _update(world, world.electrician, "6-31-01-03", "电工（新）")
    with pytest.raises(ValidationError, match="写明依据") as exc:
        _update(world, world.electrician, "6-31-01-03", "电工（新）", rename_confirmed=True)
    assert exc.value.field == "reason"
    assert _occ(world, world.electrician).name == "电工"
    with world.db.session() as s:
        update_occupation(
            s, world.admin, world.electrician, data, "大典修订", rename_confirmed=True
        )
    assert _occ(world, world.electrician).name == "电工（新）"
    with world.db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "occupation.update")).all()[
            -1
        ]
        assert entry.reason == "大典修订"
        assert '"values":{"name":["电工","电工（新）"]}' in entry.summary  # what it was and became
    assert_audit_ok(world.db)


def test_two_occupations_may_not_share_a_name(world: World) -> None:
    with pytest.raises(ValidationError, match="“电工”已用于职业编码 6-31-01-03"):
        with world.db.session() as s:
            create_occupation(s, world.admin, OccupationInput("6-31-01-99", "电工"))
    spare = _spare(world)
    with pytest.raises(ValidationError, match="已用于职业编码 6-31-01-03"):
        _update(world, spare, "4-10-01-03", "电工")


def test_deleting_a_used_occupation_names_every_use(world: World) -> None:
    make_batch(world, candidates=())
    with pytest.raises(
        ValidationError, match=r"已用于备案范围 \d+ 项、考评员资格 \d+ 条、认定批次 1 个"
    ):
        with world.db.session() as s:
            delete_occupation(s, world.admin, world.electrician)


# --- the catalogue import ------------------------------------------------------------------------
HEADER = ["职业编码", "职业名称", "是否新职业", "工种"]


def _import(world: World, make_xlsx, rows: list[list[object]]):  # type: ignore[no-untyped-def]
    path = make_xlsx([HEADER, *rows], name="目录.xlsx")
    with world.db.session() as s:
        return import_catalogue(s, world.admin, path)


def _refused(world: World, make_xlsx, rows: list[list[object]]) -> str:  # type: ignore[no-untyped-def]
    names = _names(world)
    with pytest.raises(ValidationError) as exc:
        _import(world, make_xlsx, rows)
    assert _names(world) == names  # nothing written
    return exc.value.message


def _names(world: World) -> dict[str, tuple[str, bool]]:
    with world.db.session() as s:
        return {o.code: (o.name, o.is_new) for o in s.scalars(select(Occupation))}


def test_the_import_never_renames_an_occupation_of_the_scope(world: World, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    message = _refused(world, make_xlsx, [["4-13-01-02", "网约配送员", "是", ""],
                                          ["6-31-01-03", "电工（新）", "否", ""]])  # fmt: skip
    assert "第 3 行 B 列（职业名称）" in message
    assert "在本机构的备案范围中" in message and "职业目录 › 修改" in message


def test_the_import_says_where_a_filed_or_certified_name_would_change(
    world: World, make_xlsx
) -> None:  # type: ignore[no-untyped-def]
    bid = make_batch(world, candidates=())
    with world.db.session() as s:
        set_status(s, world.admin, get_batch(s, bid), BatchStatus.PLAN_FILED)
    message = _refused(world, make_xlsx, [["6-31-01-03", "电气工", "", ""]])
    assert "第 2 行 B 列（职业名称）" in message and "已报备的认定批次 2026-10" in message


def test_the_import_renames_an_unused_occupation_and_says_so(world: World, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    _spare(world)
    result = _import(world, make_xlsx, [["4-10-01-03", "保育员", "", ""]])
    assert "改名：4-10-01-03 保育师→保育员" in result.summary_text()
    with world.db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "catalogue.import")).one()
        assert '"renamed":["4-10-01-03 保育师→保育员"]' in entry.summary
    assert _names(world)["4-10-01-03"] == ("保育员", False)


def test_the_import_refuses_a_second_occupation_of_the_same_name(world: World, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    message = _refused(world, make_xlsx, [["6-31-01-99", "电工", "", ""]])
    assert "第 2 行 B 列（职业名称）" in message and "已用于职业编码 6-31-01-03" in message
    message = _refused(world, make_xlsx, [["4-10-01-05", "育婴员", "", ""],
                                          ["4-10-01-06", "育婴员", "", ""]])  # fmt: skip
    assert "第 3 行 B 列" in message and "已用于职业编码 4-10-01-05" in message
    _spare(world, "4-10-01-03", "保育员")
    _import(world, make_xlsx, [["4-10-01-07", "保育员", "", ""],  # the name 4-10-01-03 gives up
                               ["4-10-01-03", "保育师", "", ""]])  # fmt: skip
    assert _names(world)["4-10-01-07"][0] == "保育员" and _names(world)["4-10-01-03"][0] == "保育师"
    assert_audit_ok(world.db)


def test_the_import_refuses_two_answers_to_new_or_not(world: World, make_xlsx) -> None:  # type: ignore[no-untyped-def]
    message = _refused(world, make_xlsx, [["4-88-88-01", "测试职业", "否", ""],
                                          ["4-88-88-01", "测试职业", "是", "甲"]])  # fmt: skip
    assert (
        "第 3 行 C 列（是否新职业）" in message and "第 2 行 C 列（是否新职业）填为“否”" in message
    )
    result = _import(world, make_xlsx, [["4-88-88-01", "测试职业", "是", ""],
                                        ["4-88-88-01", "测试职业", "", "甲"]])  # fmt: skip
    assert result.created == 1 and _names(world)["4-88-88-01"] == ("测试职业", True)


def test_rows_of_a_new_occupation_name_a_work_type_once_in_either_width(
    world: World, make_xlsx
) -> None:  # type: ignore[no-untyped-def]
    result = _import(world, make_xlsx, [["4-88-88-02", "测试职业乙", "", "热菜(初级)、面点"],
                                        ["4-88-88-02", "测试职业乙", "", "热菜（初级）"]])  # fmt: skip
    assert (result.created, result.work_types_added) == (1, 2)
    with world.db.session() as s:
        occ = s.scalars(select(Occupation).where(Occupation.code == "4-88-88-02")).one()
        assert sorted(w.name for w in occ.work_types) == ["热菜(初级)", "面点"]
        actions = list(
            s.scalars(select(AuditEntry.action).where(AuditEntry.reason == "导入目录.xlsx"))
        )
        assert actions.count("work_type.create") == 2 and actions.count("occupation.create") == 1
    assert_audit_ok(world.db)


def test_the_question_is_not_asked_for_a_rename_the_save_would_refuse(world: World) -> None:
    bid = make_batch(world, candidates=())
    with world.db.session() as s:
        set_status(s, world.admin, get_batch(s, bid), BatchStatus.PLAN_FILED)
    spare = _spare(world)
    with world.db.session() as s:
        with pytest.raises(ValidationError, match="已报备的认定批次"):  # filed: refused, not asked
            rename_question(
                s, world.admin, world.electrician, OccupationInput("6-31-01-03", "电气工")
            )
        with pytest.raises(ValidationError, match="已用于职业编码 6-31-01-03"):
            rename_question(s, world.admin, spare, OccupationInput("4-10-01-03", "电工"))


def test_one_code_written_in_either_width_and_every_error_on_its_own_line(
    world: World, make_xlsx
) -> None:  # type: ignore[no-untyped-def]
    result = _import(world, make_xlsx, [["4-88-88-03", "热菜师(初级)", "", ""],
                                        ["4-88-88-03", "热菜师（初级）", "", "甲"]])  # fmt: skip
    assert result.created == 1
    message = _refused(world, make_xlsx, [["4-88-88-04", "甲职业", "", ""],
                                          ["4-88-88-04", "乙职业", "", ""],
                                          ["4-8-8-5", "丙职业", "", ""]])  # fmt: skip
    lines = message.splitlines()
    assert lines[0].startswith("“目录.xlsx”工作表") and "2 处错误" in lines[0]
    assert (
        lines[1].startswith("· 第 3 行 B 列（职业名称）")
        and "在第 2 行 B 列（职业名称）的名称为“甲职业”" in lines[1]
    )
    assert lines[2].startswith("· 第 4 行 A 列（职业编码）")
