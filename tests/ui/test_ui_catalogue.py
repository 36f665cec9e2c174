"""职业目录 dialog: add, edit, delete (refused while in use), import and export, from the
机构与备案 page; read-only for users who may not edit the organisation."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import AuditEntry, Occupation
from app.services.actor import Actor
from app.services.audit_verify import verify_audit
from app.services.catalogue import OccupationInput, create_occupation, split_work_types
from app.ui.dialogs import catalogue
from app.ui.dialogs.catalogue import CatalogueDialog, OccupationDialog
from app.ui.pages.organisation import OrganisationPage
from tests.ui.test_ui_people_data import insert_audited_data


@pytest.fixture
def audited_db(db: Database, admin: Actor) -> Database:
    db.ids = insert_audited_data(db, admin)  # type: ignore[attr-defined]
    return db


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"warning": [], "information": []}
    for kind in out:
        monkeypatch.setattr(
            QMessageBox, kind, lambda _p, _t, text, *a, kind=kind: out[kind].append(text)
        )
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    return out


def _rows(dialog: CatalogueDialog) -> list[tuple[str, ...]]:
    t = dialog.table
    return [tuple(t.item(r, c).text() for c in range(4)) for r in range(t.rowCount())]


def _fill(dialog: OccupationDialog, code: str, name: str, work_types: str, new: bool = False) -> None:
    dialog.code.setText(code)
    dialog.name.setText(name)
    dialog.work_types.setPlainText(work_types)
    dialog.is_new.setChecked(new)


def test_split_work_types() -> None:
    assert split_work_types("维修电工\n 安装电工 、维修电工，\n\n弱电工") == ["维修电工", "安装电工", "弱电工"]
    assert split_work_types("  \n") == []


def test_add_edit_delete_through_the_dialogs(
    qtbot: QtBot, audited_db: Database, admin: Actor, shown, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    dialog = CatalogueDialog(audited_db, admin)
    qtbot.addWidget(dialog)
    assert _rows(dialog) == [("6-31-01-03", "电工", "", "维修电工")]

    # 新增: a full-width code is accepted, the work types one per line
    def add(d: OccupationDialog) -> int:
        _fill(d, "４-01-02-01", "汽车维修工", "汽车机械维修工\n汽车电器维修工", new=True)
        return QDialog.DialogCode.Accepted if d.save() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(OccupationDialog, "exec", add)
    dialog.add_button.click()
    assert ("4-01-02-01", "汽车维修工", "是", "汽车机械维修工、汽车电器维修工") in _rows(dialog)
    assert dialog.changed and dialog.selected_id() is not None

    # 修改: the form is prefilled; a work type removed, the name changed
    def edit(d: OccupationDialog) -> int:
        assert d.code.text() == "4-01-02-01" and d.is_new.isChecked()
        assert d.work_types.toPlainText() == "汽车机械维修工\n汽车电器维修工"
        d.name.setText("汽车维修工（新）")
        d.work_types.setPlainText("汽车机械维修工")
        d.reason.setText("按新大典更正")
        return QDialog.DialogCode.Accepted if d.save() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(OccupationDialog, "exec", edit)
    dialog.edit_button.click()
    assert ("4-01-02-01", "汽车维修工（新）", "是", "汽车机械维修工") in _rows(dialog)  # as typed

    # a bad code: the message names it, the dialog stays open, nothing written
    bad = OccupationDialog(audited_db, admin, None, dialog)
    _fill(bad, "4-1-2-1", "某职业", "")
    assert not bad.save() and "格式不对" in shown["warning"][-1]
    assert bad.occupation_id is None

    # 删除: refused while the occupation is in the scope or a qualification; allowed otherwise
    dialog.table.selectRow(dialog.ids.index(audited_db.ids["occupation"]))  # type: ignore[attr-defined]
    dialog.delete_button.click()
    assert "不能删除" in shown["warning"][-1] and len(_rows(dialog)) == 2
    new_id = next(i for i, r in zip(dialog.ids, _rows(dialog), strict=True) if r[0] == "4-01-02-01")
    dialog.table.selectRow(dialog.ids.index(new_id))
    dialog.delete_button.click()
    assert [r[0] for r in _rows(dialog)] == ["6-31-01-03"]
    with audited_db.session() as s:
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity.in_(
            ("occupation", "work_type")))))  # fmt: skip
        assert "occupation.update" in actions and "work_type.delete" in actions
        assert actions.count("occupation.delete") == 1
        reasons = set(s.scalars(select(AuditEntry.reason).where(AuditEntry.action == "occupation.update")))
        assert "按新大典更正" in reasons
        assert verify_audit(s).ok


def test_export_then_import_round_trip(
    qtbot: QtBot, audited_db: Database, admin: Actor, shown, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    dialog = CatalogueDialog(audited_db, admin)
    qtbot.addWidget(dialog)
    out = tmp_path / "目录"  # typed without the suffix
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    dialog.export_button.click()
    written = tmp_path / "目录.xlsx"
    sheet = load_workbook(written).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows == [["职业编码", "职业名称", "是否新职业", "工种"], ["6-31-01-03", "电工", "否", "维修电工"]]
    assert sheet.title == "职业目录" and "导出" not in shown["warning"]

    # add a row to the exported file and import it back: one new occupation, the old unchanged
    wb = load_workbook(written)
    wb.worksheets[0].append(["4-03-02-01", "中式烹调师", "否", ""])
    wb.save(written)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(written), ""))
    dialog.import_button.click()
    assert "新增职业 1 个" in shown["information"][-1] and "无变化 1 个" in shown["information"][-1]
    assert [r[0] for r in _rows(dialog)] == ["4-03-02-01", "6-31-01-03"]

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not an excel file")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    dialog.import_button.click()
    assert len(shown["warning"]) == 1 and len(_rows(dialog)) == 2


def test_the_organisation_page_opens_it_and_refreshes(
    qtbot: QtBot, audited_db: Database, admin: Actor, shown, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    wb.active.append(["职业编码", "职业名称", "是否新职业", "工种"])
    wb.active.append(["4-03-02-01", "中式烹调师", "否", ""])
    good = tmp_path / "目录.xlsx"
    wb.save(good)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))

    def run(d: CatalogueDialog) -> int:
        d.import_button.click()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CatalogueDialog, "exec", run)
    page = OrganisationPage(audited_db, admin)
    qtbot.addWidget(page)
    assert page.scope.occupation.count() == 1
    page.scope.catalogue_button.click()
    assert page.scope.occupation.count() == 2  # the new occupation can be filed at once
    with audited_db.session() as s:
        assert s.scalar(select(Occupation).where(Occupation.code == "4-03-02-01")) is not None


def test_read_only_without_the_right_to_edit(
    qtbot: QtBot, audited_db: Database, admin: Actor
) -> None:
    from app.services.users import authenticate, create_user

    with audited_db.session() as s:
        create_user(s, admin, "scorer1", "scorer", "Scorer#2026", "录分员")
    with audited_db.session() as s:
        scorer = authenticate(s, "scorer1", "Scorer#2026")
    page = OrganisationPage(audited_db, scorer)
    qtbot.addWidget(page)
    assert not page.scope.catalogue_button.isHidden()  # everyone may look it up
    dialog = CatalogueDialog(audited_db, scorer)
    qtbot.addWidget(dialog)
    assert len(_rows(dialog)) == 1
    for button in (dialog.add_button, dialog.edit_button, dialog.delete_button, dialog.import_button):
        assert button.isHidden()
    assert not dialog.export_button.isHidden()
    dialog.table.selectRow(0)
    dialog.edit()  # Enter / double-click on a row: nothing for a reader
    assert catalogue.OccupationDialog is OccupationDialog


def test_the_delete_key_deletes_the_selected_occupation_after_asking(
    qtbot: QtBot, audited_db: Database, admin: Actor, shown, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question",
        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes,
    )  # fmt: skip
    with audited_db.session() as s:
        create_occupation(s, admin, OccupationInput("4-13-01-02", "网约配送员", True, []))
    dialog = CatalogueDialog(audited_db, admin)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.table.setFocus()
    dialog.table.selectRow([r[0] for r in _rows(dialog)].index("4-13-01-02"))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert len(asked) == 1 and "网约配送员" in asked[0]
    assert [r[0] for r in _rows(dialog)] == ["6-31-01-03"]


def test_renaming_an_occupation_of_the_scope_asks_and_wants_a_reason(
    qtbot: QtBot, audited_db: Database, admin: Actor, shown, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from app.services.filed_scope import add_scope_entry

    occ_id = audited_db.ids["occupation"]  # type: ignore[attr-defined]  (电工)
    with audited_db.session() as s:
        add_scope_entry(s, admin, occ_id, 4)
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text) or answer[0]
    )
    dialog = OccupationDialog(audited_db, admin, occ_id)
    qtbot.addWidget(dialog)
    assert dialog.code.isReadOnly() and "编码不能修改" in dialog.code.toolTip()

    def stored_name() -> str:
        with audited_db.session() as s:
            return s.get(Occupation, occ_id).name  # type: ignore[union-attr]

    dialog.name.setText("电工（新）")
    assert not dialog.save() and "备案范围中" in asked[-1] and stored_name() == "电工"
    answer[0] = QMessageBox.StandardButton.Yes
    assert not dialog.save() and "写明改名的依据" in shown["information"][-1]
    assert stored_name() == "电工"
    dialog.reason.setText("职业分类大典修订")
    assert dialog.save() and stored_name() == "电工（新）" and len(asked) == 3
    with audited_db.session() as s:
        assert verify_audit(s).ok
