"""Candidates (batch editor) and scores (score page) imported from Excel through the shared dialog."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.models import Batch, Enrolment, ScoreEntry
from app.rules.idcard import gb11643_check_char
from app.services.audit_verify import verify_audit
from app.ui.dialogs.batch_editor import BatchEditor
from tests.score_data import admin_of, demo_db, enrolment_ids, scoring_batch
from tests.ui.test_ui_scores import open_page


def _xlsx(path: Path, rows: list[list[object]]) -> str:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return str(path)


def _id(seq: int) -> str:
    first17 = f"50010620000101{seq:03d}"
    return first17 + gb11643_check_char(first17)


def test_candidates_import_from_the_batch_editor(qtbot: QtBot, tmp_path: Path) -> None:
    db = demo_db(tmp_path)
    admin = admin_of(db)
    with db.session() as s:
        bid = s.scalar(select(Batch.id).where(Batch.code == "2026-05"))
        before = s.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.batch_id == bid))
    editor = BatchEditor(db, admin, bid)
    qtbot.addWidget(editor)
    tab = editor.candidates
    assert tab.import_button.isEnabled()
    dialog = tab.import_dialog()
    assert not dialog.mode.isVisible()
    from PySide6.QtWidgets import QLabel

    assert [w.text() for w in dialog.findChildren(QLabel) if w.text() == "方式：" and not w.isHidden()] == []
    assert "导入方式" not in dialog.summary.text()  # (nothing to choose: not mentioned)
    bad = _xlsx(tmp_path / "bad.xlsx", [["姓名", "证件号码"], ["甲", "500106200001010041"]])
    dialog.path.setText(bad)
    dialog.run_preview()
    assert dialog.preview.has_errors and not dialog.commit_button.isEnabled()
    good = _xlsx(tmp_path / "good.xlsx", [["考生姓名", "身份证号"], ["新考生甲", _id(11)], ["新考生乙", _id(12)]])
    dialog.path.setText(good)
    dialog.run_preview()
    assert dialog.commit_button.isEnabled()
    dialog.commit()
    assert "报名 2 人" in dialog.result_info
    with db.session() as s:
        after = s.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.batch_id == bid))
        assert after == before + 2 and verify_audit(s).ok


def test_scores_import_from_the_score_page(qtbot: QtBot, tmp_path: Path) -> None:
    db = demo_db(tmp_path)
    admin = admin_of(db)
    scoring_batch(db, admin, "2026-04")
    page = open_page(qtbot, db, admin, "2026-04")
    panel = page.entry
    assert panel.import_button.isEnabled()
    (eid, adm), (_e2, adm2) = enrolment_ids(db, "2026-04")[:2]
    f = _xlsx(tmp_path / "s.xlsx", [["准考证号", "理论知识"], [adm, 91], [adm2, "缺考"]])
    dialog = panel.import_dialog()
    dialog.path.setText(f)
    dialog.run_preview()
    assert not dialog.preview.has_errors
    assert dialog.table.item(0, 4).text() == "理论知识 91.0"
    dialog.commit()
    assert dialog.result_info == "已导入 2 项成绩。"
    with db.session() as s:
        entry = s.scalars(select(ScoreEntry).where(ScoreEntry.enrolment_id == eid)).one()
        assert str(entry.score) == "91.0" and verify_audit(s).ok
