"""机构与备案 page: edit and save the 基本情况表, filing code explained, scope add/remove."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import AuditEntry, Occupation, ScopeEntry
from app.services.actor import Actor
from app.services.audit_verify import verify_audit
from app.services.filed_scope import remove_scope_entry
from app.services.organisation import get_organisation
from app.ui.pages.organisation import OrganisationPage
from tests.ui.test_ui_people_data import insert_audited_data


@pytest.fixture
def audited_db(db: Database, admin: Actor) -> Database:
    db.ids = insert_audited_data(db, admin)  # type: ignore[attr-defined]
    return db


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    return shown


def _page(qtbot: QtBot, db: Database, actor: Actor) -> OrganisationPage:
    page = OrganisationPage(db, actor)
    qtbot.addWidget(page)
    return page


def test_edit_and_save_organisation(
    qtbot: QtBot, audited_db: Database, admin: Actor, warnings: list[str]
) -> None:
    page = _page(qtbot, audited_db, admin)
    assert page.fields["name"].text() == "重庆市测试职业技能评价中心"
    page.fields["address"].setText("重庆市渝中区测试路 1 号")
    page.fields["legal_representative"].setText("张三")
    page.fields["registered_capital"].setText("500")
    page.fields["filing_code"].setText("S000050000017")
    page.fields["filed_on"].setText("2024-03-18")
    page.fields["filing_valid_until"].setText("2027-03-17")
    assert "机构序列码" in page.code_explained.text()
    assert "0017" in page.code_explained.text()
    assert page.save()
    assert warnings == []
    with audited_db.session() as s:
        org = get_organisation(s)
        assert org is not None
        assert org.address == "重庆市渝中区测试路 1 号"
        assert org.legal_representative == "张三"
        assert org.filing_code == "S000050000017"
        assert str(org.filing_valid_until) == "2027-03-17"
        assert int(org.registered_capital) == 500
        assert verify_audit(s).ok
    assert "2027-03-17" in page.validity.text()


def test_bad_filing_code_shown_and_nothing_saved(
    qtbot: QtBot, audited_db: Database, admin: Actor, warnings: list[str]
) -> None:
    page = _page(qtbot, audited_db, admin)
    page.fields["filing_code"].setText("S12")
    page.fields["address"].setText("不应保存")
    assert "color:#c62828" in page.code_explained.text().replace(" ", "")
    assert not page.save()
    assert len(warnings) == 1 and "备案编码" in warnings[0]
    assert page.form_error.text() == warnings[0]
    with audited_db.session() as s:
        org = get_organisation(s)
        assert org is not None and org.filing_code is None and org.address == ""

    page.fields["filing_code"].setText("")
    page.fields["filed_on"].setText("2024-13-45")
    assert not page.save()
    assert "备案日期" in warnings[-1]


def test_scope_add_duplicate_and_remove(
    qtbot: QtBot, audited_db: Database, admin: Actor, warnings: list[str], monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, audited_db, admin)
    scope = page.scope
    assert scope.occupation.count() == 1 and scope.level.count() > 0
    level = scope.level.currentData()
    scope.add_scope()
    with audited_db.session() as s:
        entries = list(s.scalars(select(ScopeEntry)))
        assert [(e.level, e.work_type_id) for e in entries] == [(level, None)]
    assert scope.scope_table.rowCount() == 1
    assert scope.scope_table.item(0, 1).text() == "电工"

    scope.add_scope()  # the service refuses a duplicate: its message is shown, nothing added
    assert len(warnings) == 1 and "已有" in warnings[0]

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))  # cancelled
    scope.scope_table.selectRow(0)
    scope.remove_scope()
    with audited_db.session() as s:
        assert s.scalar(select(ScopeEntry)) is not None
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("备案范围变更", True))
    scope.remove_scope()
    with audited_db.session() as s:
        assert s.scalar(select(ScopeEntry)) is None
        assert verify_audit(s).ok
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.action == "scope.remove" and last.reason == "备案范围变更"
    assert scope.scope_table.rowCount() == 0


def test_read_only_for_scorer(qtbot: QtBot, audited_db: Database, admin: Actor) -> None:
    from app.services.users import authenticate, create_user

    with audited_db.session() as s:
        create_user(s, admin, "scorer1", "scorer", "Scorer#2026", "录分员")
    with audited_db.session() as s:
        scorer = authenticate(s, "scorer1", "Scorer#2026")
    page = _page(qtbot, audited_db, scorer)
    assert page.fields["name"].isReadOnly()
    assert page.save_button.isHidden()


def test_full_width_code_and_bad_values_from_the_form(
    qtbot: QtBot, audited_db: Database, admin: Actor, warnings: list[str]
) -> None:
    page = _page(qtbot, audited_db, admin)
    page.fields["filing_code"].setText("S0000500000１７")  # what a Chinese IME gives
    assert page.save() and warnings == []
    with audited_db.session() as s:
        assert get_organisation(s).filing_code == "S000050000017"
    assert page.fields["filing_code"].text() == "S000050000017"

    for capital, expected in (("NaN", "不是有效金额"), ("-5", "不能为负数"), ("10000000000000", "超出")):
        page.fields["registered_capital"].setText(capital)
        assert not page.save()
        assert expected in warnings[-1] and page.form_error.text() == warnings[-1]
    page.fields["registered_capital"].setText("500")
    page.fields["filed_on"].setText("2024-03-18")
    page.fields["filing_valid_until"].setText("2023-03-17")
    assert not page.save()
    assert "不晚于备案日期" in warnings[-1]
    with audited_db.session() as s:
        org = get_organisation(s)
        assert org.registered_capital is None and org.filed_on is None
        assert verify_audit(s).ok


def test_scope_level_combo(
    qtbot: QtBot, audited_db: Database, admin: Actor, warnings: list[str]
) -> None:
    page = _page(qtbot, audited_db, admin)  # a Chongqing organisation: 全市 / 区县
    combo = page.scope_level
    assert not combo.isHidden() and combo.isEnabled()
    assert combo.currentData() == "city"
    assert combo.itemText(combo.findData("district")) == "区县范围（3–5级：高级工、中级工、初级工）"
    scope = page.scope
    scope.level.setCurrentIndex(scope.level.findData(1))
    scope.add_scope()  # level 1: allowed city-wide

    combo.setCurrentIndex(combo.findData("district"))
    assert not page.save()  # level 1 is filed: refused, the entry named
    assert "区县范围" in warnings[-1] and "一级/高级技师" in warnings[-1]
    with audited_db.session() as s:
        assert get_organisation(s).scope_level == "city"

    with audited_db.session() as s:
        remove_scope_entry(s, admin, s.scalar(select(ScopeEntry.id)))
    page.refresh()
    combo.setCurrentIndex(combo.findData("district"))
    assert page.save(), warnings
    with audited_db.session() as s:
        assert get_organisation(s).scope_level == "district"
        assert verify_audit(s).ok
    assert combo.currentData() == "district"
    assert [scope.level.itemData(i) for i in range(scope.level.count())] == [3, 4, 5]


def test_scope_problems_flagged(qtbot: QtBot, audited_db: Database, admin: Actor) -> None:
    from app.services.audit import record
    from app.services.filed_scope import add_scope_entry

    with audited_db.session() as s:
        occ = s.scalar(select(Occupation.id))
        add_scope_entry(s, admin, occ, 2)
        org = get_organisation(s)
        org.scope_level = "district"  # as an older version let it be saved
        record(s, admin, "organisation.update", org)
    page = _page(qtbot, audited_db, admin)
    assert not page.scope.scope_problems.isHidden()
    assert "二级/技师" in page.scope.scope_problems.text()


def test_scope_level_hidden_without_a_choice(
    qtbot: QtBot, audited_db: Database, admin: Actor
) -> None:
    from app.services.settings import choose_profile

    with audited_db.session() as s:
        choose_profile(s, admin, "guizhou")
    page = _page(qtbot, audited_db, admin)
    assert page.scope_level.isHidden()
    assert page.save()
    with audited_db.session() as s:
        assert get_organisation(s).scope_level == "all"
