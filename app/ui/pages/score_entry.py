"""成绩录入 tab: component and round, the grid, the 不一致 panel and 计算结果."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import SkillSiteError
from app.models.enums import BatchStatus
from app.services import score_rules, scores
from app.services.actor import Actor
from app.services.permissions import Perm, allowed
from app.ui.pages.score_common import BatchInfo, ask_text, run_service
from app.ui.pages.score_grid import SCORE_COLUMN, GridRow, ScoreGrid, ScoreSheetModel
from app.ui.pages.score_mismatch import MismatchPanel
from app.ui.pages.table_page import note

OPEN_FOR_ENTRY = (BatchStatus.IN_PROGRESS.value, BatchStatus.SCORING.value)


class ScoreEntryPanel(QWidget):
    changed = Signal()  # something was saved: the page refreshes the batch info

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.batch: BatchInfo | None = None
        self.can_enter = allowed(actor, Perm.ENTER_SCORES)
        self.can_correct = allowed(actor, Perm.OVERRIDE)

        self.component = QComboBox()
        self.component.setObjectName("component")
        self.entry_round = QComboBox()
        self.entry_round.setObjectName("entry_round")
        self.compute_button = QPushButton(self.tr("计算结果(&J)"))
        self.compute_button.setObjectName("compute")
        self.compute_button.clicked.connect(self.compute)
        self.import_button = QPushButton(self.tr("从 Excel 导入(&I)…"))
        self.import_button.setObjectName("import_scores")
        self.import_button.clicked.connect(self.on_import)
        bar = QHBoxLayout()
        for label, w in ((self.tr("科目(&K)："), self.component), (self.tr("录入轮次(&L)："), self.entry_round)):
            lab = QLabel(label)
            lab.setBuddy(w)
            bar.addWidget(lab)
            bar.addWidget(w)
        bar.addStretch()
        bar.addWidget(self.import_button)
        bar.addWidget(self.compute_button)

        self.banner = QLabel()
        self.banner.setObjectName("lock_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #fff4e5; color: #8a4b00; border: 1px solid #f0c080; padding: 6px;"
        )
        self.banner.hide()
        self.hint = note(
            self.tr("输入成绩后按回车保存并跳到下一位考生；输入“缺考”“违纪”或按 Q / W 标记。")
        )
        self.model = ScoreSheetModel(self)
        self.grid = ScoreGrid(self.model, self)
        self.grid.submit = self.submit
        self.status = QLabel()
        self.status.setObjectName("entry_status")
        self.status.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("compute_summary")
        self.summary.setWordWrap(True)
        self.mismatch = MismatchPanel(db, actor, self)
        self.mismatch.resolved.connect(self._after_change)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.grid, 1)
        lv.addWidget(self.status)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.mismatch)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.hint)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)
        self.component.currentIndexChanged.connect(self.load)
        self.entry_round.currentIndexChanged.connect(self.load)

    # --- loading ---------------------------------------------------------------------------------
    def set_batch(self, batch: BatchInfo | None) -> None:
        same = batch is not None and self.batch is not None and batch.id == self.batch.id
        keep = (self.component.currentIndex(), self.entry_round.currentIndex()) if same else (0, 0)
        self.batch = batch
        for combo in (self.component, self.entry_round):
            combo.blockSignals(True)
            combo.clear()
        if batch is not None:
            for comp, name in batch.components:
                self.component.addItem(name, comp)
            self.entry_round.addItem(self.tr("第一遍"), 1)
            if batch.double_entry:
                self.entry_round.addItem(self.tr("第二遍"), 2)
        self.entry_round.setEnabled(batch is not None and batch.double_entry)
        for combo, i in zip((self.component, self.entry_round), keep, strict=True):
            combo.setCurrentIndex(min(max(i, 0), combo.count() - 1))
            combo.blockSignals(False)
        if not same:
            self.summary.clear()
        self.load()

    def current_component(self) -> str | None:
        data = self.component.currentData()
        return str(data) if data else None

    def current_round(self) -> int:
        return int(self.entry_round.currentData() or 1)

    def _banner_text(self, b: BatchInfo) -> str:
        if b.locked:
            if b.status == BatchStatus.PUBLICITY.value and self.can_correct:
                return self.tr(
                    "公示已开始，成绩已锁定：您是管理员，可以更正成绩，但每次更正都须填写理由（记入审计日志），"
                    "更正后须重新公示。"
                )
            return self.tr(
                "公示已开始，成绩已锁定（只读）。如需更正，须由管理员办理并填写理由，更正后重新公示。"
            )
        if not self.can_enter:
            return self.tr("您的角色（{role}）不能录入成绩，这里只显示已计入的成绩。").format(
                role=self.actor.role_name
            )
        if b.double_entry and self.current_round() == 2:
            return self.tr("双人录入第二遍：不显示第一遍的录入值，请按原始评分表独立录入。")
        return ""

    def load(self) -> None:
        b, comp = self.batch, self.current_component()
        self.status.clear()
        if b is None or comp is None:
            self.model.set_rows([])
            self.import_button.setEnabled(False)
            self.banner.hide()
            self.mismatch.set_batch(None)
            return
        text = self._banner_text(b)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.compute_button.setEnabled(self.can_enter and b.status == BatchStatus.SCORING.value)
        self.import_button.setEnabled(self.can_enter and b.status in OPEN_FOR_ENTRY)
        rows = run_service(self, self.db, self._rows) or []
        self.model.set_rows(rows)
        self.mismatch.set_batch(b if b.double_entry and self.can_enter else None)
        self.grid.start()

    def _rows(self, s: Session) -> list[GridRow]:
        assert self.batch is not None
        comp = self.current_component()
        assert comp is not None
        b = self.batch
        correcting = b.status == BatchStatus.PUBLICITY.value and self.can_correct
        if self.can_enter and not (b.locked and correcting):
            sheet = scores.score_sheet(s, self.actor, b.id, comp, self.current_round())
            return [
                GridRow(r.enrolment_id, r.admission_no, r.name, r.text, r.editable, r.note) for r in sheet
            ]
        rows = []
        for c in scores.candidate_scores(s, self.actor, b.id):
            cell = c.cells.get(comp)
            rows.append(
                GridRow(c.enrolment_id, c.admission_no, c.name, cell.text if cell else "", correcting)
            )
        return rows

    # --- saving ----------------------------------------------------------------------------------
    def ask_reason(self, row: GridRow, text: str) -> str | None:
        return ask_text(
            self,
            self.tr("更正已锁定的成绩"),
            self.tr("准考证号 {no}（{name}）改为“{value}”。请填写更正理由（记入审计日志）：").format(
                no=row.admission_no, name=row.name, value=text
            ),
        )

    def submit(self, row_no: int, text: str) -> bool:
        """Save one typed value; False (and the message shown inline) when refused."""
        b, comp = self.batch, self.current_component()
        if b is None or comp is None or not 0 <= row_no < self.model.rowCount():
            return False
        row = self.model.rows[row_no]
        if not row.editable:
            self._refuse(row_no, row.note or self.tr("这一行不能录入。"))
            return False
        try:
            value, mark = score_rules.parse_entry(text)
        except SkillSiteError as exc:
            self._refuse(row_no, exc.message)
            return False
        reason = ""
        if b.locked:
            reason = self.ask_reason(row, text) or ""
            if not reason:
                self._refuse(row_no, self.tr("未填写更正理由，成绩没有修改。"))
                return False
        try:
            with self.db.session() as s:
                if b.locked:
                    done = scores.correct_score(s, self.actor, row.enrolment_id, comp, value, mark, reason=reason)
                else:
                    done = scores.enter_score(
                        s, self.actor, row.enrolment_id, comp, value, mark, entry_round=self.current_round()
                    )
        except SkillSiteError as exc:
            self._refuse(row_no, exc.message)
            return False
        shown = score_rules.display_value(done.score, done.mark)
        self.model.set_text(row_no, shown, self.tr("已更正") if b.locked else None)
        self.status.setStyleSheet("color: #1b5e20;")
        self.status.setText(
            self.tr("已保存：{no} {name} {value}").format(no=row.admission_no, name=row.name, value=shown)
            if done.changed
            else self.tr("未改变：{no} {name} 仍为 {value}").format(no=row.admission_no, name=row.name, value=shown)
        )
        if b.locked and done.changed:
            self._after_change()
        elif b.double_entry:
            self.mismatch.reload()
        return True

    def _refuse(self, row_no: int, message: str) -> None:
        self.model.set_error(row_no, message)
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(message)
        index = self.model.index(row_no, SCORE_COLUMN)
        self.grid.setCurrentIndex(index)

    def _after_change(self) -> None:
        self.changed.emit()

    # --- results ---------------------------------------------------------------------------------
    def import_dialog(self) -> QWidget:
        from app.ui.batch_import_jobs import scores_job
        from app.ui.import_wizard import ImportDialog

        assert self.batch is not None
        return ImportDialog(self.db, self.actor, "people", self, job=scores_job(self.actor, self.batch.id))

    def on_import(self) -> None:
        if self.batch is None:
            return
        dialog = self.import_dialog()
        dialog.exec()  # type: ignore[attr-defined]
        if dialog.result_info is not None:  # type: ignore[attr-defined]
            self.load()

    def compute(self) -> None:
        if self.batch is None:
            return
        bid = self.batch.id
        done = run_service(self, self.db, lambda s: scores.compute_results(s, self.actor, bid))
        if done is None:
            return
        self.summary.setText(
            self.tr(
                "已计算认定结果：共 {n} 人，合格 {p} 人，不合格 {f} 人（合格线 {mark} 分，本次变化 {c} 人）。"
            ).format(n=done.enrolled, p=done.passed, f=done.failed, mark=done.pass_mark, c=done.changed)
        )
        self.changed.emit()
