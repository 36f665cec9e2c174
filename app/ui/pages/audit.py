"""审计日志: the audit log with filters, Excel export and the chain check (督导员, 管理员)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import SkillSiteError
from app.services import listing
from app.services.actor import Actor
from app.services.audit_query import (
    ACTION_NAMES,
    AuditFilter,
    audit_count,
    audit_page,
    audit_usernames,
    export_audit,
)
from app.services.audit_verify import VerifyReport, verify_audit
from app.services.permissions import Perm, allowed
from app.ui.busy import busy_cursor
from app.ui.errors import show_user_error
from app.ui.file_choice import choose_save_file
from app.ui.models import Column, PagedQueryModel
from app.ui.pages.table_page import TablePage, database_model, heading, note
from app.ui.pages.tables import local_time

C = "Column"
NO_DATE = QDate(2000, 1, 1)  # the minimum date of the date boxes stands for 不限
ACTION_GROUPS = {
    "auth.": "登录与退出（全部）",
    "user.": "用户管理（全部）",
    "person.": "人员（全部）",
    "batch.": "批次（全部）",
    "score.": "成绩（全部）",
    "certificate.": "证书（全部）",
    "calendar.": "节假日（全部）",
    "audit.": "审计（全部）",
}
MAX_PROBLEMS_SHOWN = 15

AUDIT_COLUMNS = (
    Column(QT_TRANSLATE_NOOP(C, "时间"), lambda r: local_time(r.at), width=150),
    Column(QT_TRANSLATE_NOOP(C, "用户"), lambda r: r.username, width=90),
    Column(QT_TRANSLATE_NOOP(C, "操作"), lambda r: r.action_name, width=120),
    Column(
        QT_TRANSLATE_NOOP(C, "对象"),
        lambda r: f"{r.entity} #{r.entity_id}" if r.entity_id is not None else r.entity,
        width=130,
    ),
    Column(QT_TRANSLATE_NOOP(C, "摘要"), lambda r: r.summary, width=380),
    Column(QT_TRANSLATE_NOOP(C, "理由"), lambda r: r.reason),
)


def local_day_start(day: dt.date) -> dt.datetime:
    """Local midnight of `day` as the naive UTC the log stores."""
    return dt.datetime(day.year, day.month, day.day).astimezone(dt.UTC).replace(tzinfo=None)


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(QCoreApplication.translate("AuditLog", "不限"))
    edit.setDate(NO_DATE)
    return edit


class AuditLog(TablePage):
    """The filter bar above a TablePage of the log, newest first."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        box = [AuditFilter()]  # the filter in force; the model's queries read it
        model: PagedQueryModel = database_model(
            db,
            AUDIT_COLUMNS,
            lambda s, offset, limit, _search: audit_page(s, actor, box[0], offset, limit),
            lambda s, _search: audit_count(s, actor, box[0]),
        )
        super().__init__(
            self.tr("审计日志"),
            model,
            explanation=self.tr(
                "全程留痕：每项操作一条记录，最新的在前。时间为本机时间。"
                "“校验审计链”检查日志是否被删改、数据是否在软件之外被改动。"
            ),
            parent=parent,
        )
        self._db = db
        self._actor = actor
        self._box = box
        self._build_filters()
        self.layout().insertWidget(2, self.filters)

    @property
    def filter(self) -> AuditFilter:
        return self._box[0]

    @filter.setter
    def filter(self, value: AuditFilter) -> None:
        self._box[0] = value

    def _build_filters(self) -> None:
        self.filters = QWidget()
        grid = QGridLayout(self.filters)
        grid.setContentsMargins(0, 0, 0, 0)
        self.since = _date_edit("since")
        self.until = _date_edit("until")
        self.user = QComboBox()
        self.user.setObjectName("user")
        self.action = QComboBox()
        self.action.setObjectName("action")
        self.action.setMinimumWidth(170)
        self.batch = QComboBox()
        self.batch.setObjectName("batch")
        self.batch.setMinimumWidth(120)
        self.person = QLineEdit()
        self.person.setObjectName("person")
        self.person.setPlaceholderText(self.tr("姓名（任意部分）或完整证件号码"))
        self.person.returnPressed.connect(self.apply_filters)
        self.person_id: int | None = None
        fields = (
            (self.tr("从(&F)："), self.since),
            (self.tr("到(&T)："), self.until),
            (self.tr("用户(&U)："), self.user),
            (self.tr("操作(&O)："), self.action),
            (self.tr("批次(&B)："), self.batch),
            (self.tr("人员(&P)："), self.person),
        )
        for i, (text, widget) in enumerate(fields):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, i // 3, (i % 3) * 2)
            grid.addWidget(widget, i // 3, (i % 3) * 2 + 1)
        for col in (1, 3, 5):
            grid.setColumnStretch(col, 1)
        buttons = QHBoxLayout()
        self.apply_button = QPushButton(self.tr("查询(&Q)"))
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply_filters)
        self.clear_button = QPushButton(self.tr("清除条件(&C)"))
        self.clear_button.clicked.connect(self.clear_filters)
        self.export_button = QPushButton(self.tr("导出 Excel(&E)…"))
        self.export_button.clicked.connect(self.export)
        self.verify_button = QPushButton(self.tr("校验审计链(&V)"))
        self.verify_button.clicked.connect(self.verify)
        self.verify_label = QLabel()
        self.verify_label.setObjectName("verify_result")
        for b in (self.apply_button, self.clear_button, self.export_button, self.verify_button):
            buttons.addWidget(b)
        buttons.addWidget(self.verify_label, 1)
        grid.addLayout(buttons, 2, 0, 1, 6)
        self.load_choices()

    def load_choices(self) -> None:
        with self._db.session() as s:
            users = audit_usernames(s)
            batches = [(b.id, b.code) for b in listing.batches_page(s, 0, 1000)]
        for combo, everything, items in (
            (self.user, self.tr("全部用户"), [(u, u) for u in users]),
            (self.batch, self.tr("全部批次"), [(code, bid) for bid, code in batches]),
        ):
            current = combo.currentData()
            combo.clear()
            combo.addItem(everything, None)
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
        if self.action.count() == 0:
            self.action.addItem(self.tr("全部操作"), None)
            for prefix, name in ACTION_GROUPS.items():
                self.action.addItem(name, prefix)
            for code, name in ACTION_NAMES.items():
                self.action.addItem(f"{name}（{code}）", code)

    # --- filtering -------------------------------------------------------------------------

    def _resolve_person(self) -> bool:
        """The person box → a person id; False (with a message) when nothing or nothing chosen."""
        term = self.person.text().strip()
        if not term:
            self.person_id = None
            return True
        with self._db.session() as s:
            found = listing.people_page(s, 0, 50, term, actor=self._actor)
        if not found:
            QMessageBox.information(
                self,
                self.tr("人员"),
                (
                    self.tr("找不到姓名含“{t}”、或证件号码为“{t}”的人员（证件号码须输入完整）。")
                    if listing.sees_full_ids(self._actor)
                    else self.tr("找不到姓名含“{t}”的人员（按证件号码查找需要查看完整证件号码的权限）。")
                ).format(t=term),
            )
            return False
        if len(found) == 1:
            self.person_id = found[0].id
            return True
        labels = [f"{p.name}  {p.id_number_masked}  {p.employer}" for p in found]
        choice, ok = QInputDialog.getItem(
            self, self.tr("选择人员"), self.tr("有多人符合，请选择："), labels, 0, False
        )
        if not ok:
            return False
        self.person_id = found[labels.index(choice)].id
        return True

    def current_filter(self) -> AuditFilter:
        since = self.since.date()
        until = self.until.date()
        return AuditFilter(
            since=None if since == NO_DATE else local_day_start(since.toPython()),
            until=None
            if until == NO_DATE
            else local_day_start(until.toPython() + dt.timedelta(days=1)),
            username=self.user.currentData(),
            action=self.action.currentData(),
            batch_id=self.batch.currentData(),
            person_id=self.person_id,
        )

    def apply_filters(self) -> None:
        if not self._resolve_person():
            return
        self.filter = self.current_filter()
        self.refresh()

    def clear_filters(self) -> None:
        self.since.setDate(NO_DATE)
        self.until.setDate(NO_DATE)
        for combo in (self.user, self.action, self.batch):
            combo.setCurrentIndex(0)
        self.person.clear()
        self.person_id = None
        self.filter = AuditFilter()
        self.refresh()

    # --- export and verify -----------------------------------------------------------------

    def export(self) -> None:
        name = f"审计日志_{dt.date.today():%Y%m%d}.xlsx"
        target = choose_save_file(self, self.tr("导出审计日志"), name)
        if target is None:
            return
        try:
            with busy_cursor(), self._db.session() as s:
                rows = export_audit(s, self._actor, self.filter, target)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            return
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("无法导出"),
                self.tr("无法写入文件“{path}”：{why}").format(path=target, why=exc.strerror or exc),
            )
            return
        self.refresh()
        QMessageBox.information(
            self,
            self.tr("导出完成"),
            self.tr("已导出 {n} 条审计记录到：\n{path}").format(n=rows, path=target),
        )

    def verify(self) -> VerifyReport:
        with busy_cursor(), self._db.session() as s:
            report = verify_audit(s)
        if report.ok:
            text = self.tr("审计链完整：{e} 条审计记录、{r} 行数据均未发现改动。").format(
                e=report.entries, r=report.rows
            )
            self.verify_label.setText(self.tr("审计链完整"))
            self.verify_label.setStyleSheet("color: #1b7f3b;")
            QMessageBox.information(self, self.tr("校验审计链"), text)
            return report
        shown = [f"• {p.message}" for p in report.problems[:MAX_PROBLEMS_SHOWN]]
        if len(report.problems) > MAX_PROBLEMS_SHOWN:
            shown.append(
                self.tr("……另有 {n} 项").format(n=len(report.problems) - MAX_PROBLEMS_SHOWN)
            )
        self.verify_label.setText(self.tr("发现 {n} 项问题").format(n=len(report.problems)))
        self.verify_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.problems_text = "\n".join(shown)
        QMessageBox.warning(
            self,
            self.tr("校验审计链"),
            self.tr("审计链校验发现 {n} 项问题，请立即报告督导员或管理员：\n\n{list}").format(
                n=len(report.problems), list=self.problems_text
            ),
        )
        return report

    def refresh(self) -> None:
        if hasattr(self, "filters"):
            self.load_choices()
        super().refresh()


class AuditPage(QWidget):
    """The audit log for roles that may read it; a short explanation for everyone else."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table_page: AuditLog | None = None
        if allowed(actor, Perm.VIEW_AUDIT):
            self.table_page = AuditLog(db, actor, self)
            layout.addWidget(self.table_page)
        else:
            inner = QVBoxLayout()
            inner.addWidget(heading(self.tr("审计日志")))
            inner.addWidget(
                note(
                    self.tr(
                        "您的角色（{role}）不能查看审计日志。需要时请联系管理员或督导员。"
                    ).format(role=actor.role_name)
                )
            )
            inner.addStretch()
            layout.addLayout(inner)

    def refresh(self) -> None:
        if self.table_page is not None:
            self.table_page.refresh()
