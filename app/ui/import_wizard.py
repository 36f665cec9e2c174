"""The Excel import dialog (preview → confirm) shared by people, staff, candidates and scores,
and the photo import report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import SkillSiteError
from app.services.actor import Actor
from app.services.importing import (
    STATUS_NAMES,
    Progress,
    commit_import,
    mode_hint,
    preview_import,
    write_error_report,
)
from app.services.photos import PhotoReport, import_photos, photos_to_replace
from app.ui.busy import busy_cursor
from app.ui.errors import show_user_error
from app.ui.file_choice import choose_save_file, excel_filter
from app.ui.progress import ProgressTask

KIND_TITLES = {"people": "导入人员（考生）", "staff": "导入工作人员"}
MODE_LABELS = {
    "staff": (
        ("add", "仅新增（已存在的人员不改动）"),
        ("update", "更新已有（每行都须是已登记的人员）"),
        ("replace", "替换所选角色（新增、更新，并移除文件中未列出者的该角色）"),
    ),
    "people": (
        ("add", "仅新增（已存在的人员不改动）"),
        ("update", "更新已有（每行都须是已登记的人员）"),
        ("replace", "新增并更新（新增未登记者，更新已登记者）"),
    ),
}
ERROR_BRUSH = QBrush(QColor("#c62828"))
# Quotes a pasted path may come in: Windows' 复制为路径 gives "C:\…\名单.xlsx"; a chat or a
# document may have turned them curly (or full-width).
PATH_QUOTES = "\"'“”‘’＂＇"
STATUS_COLOURS = {"new": "#2e7d32", "update": "#1565c0", "error": "#c62828"}


@dataclass
class ImportJob:
    """What one import does: the dialog is the same for people, staff, candidates and scores."""

    title: str
    modes: tuple[tuple[str, str], ...]  # (key, label); empty: no choice to make
    # (session, path, mode, progress) -> preview; progress(stage, done, total) may be ignored
    preview: Callable[[Session, str, str, Progress | None], Any]
    # (session, preview, progress) -> summary shown to the user
    commit: Callable[[Session, Any, Progress | None], str]
    row_cells: Callable[[Any], tuple[tuple[str, str, str, str, str], bool, str]]


def unquoted_path(text: str) -> str:
    """A typed or pasted path, trimmed and without the quotes around it (straight or curly)."""
    text = text.strip()
    while len(text) >= 2 and text[0] in PATH_QUOTES and text[-1] in PATH_QUOTES:
        text = text[1:-1].strip()
    return text


def person_row_cells(row: Any) -> tuple[tuple[str, str, str, str, str], bool, str]:
    reasons = [
        f"{e.header or e.column}：{e.message}" if e.header else e.message for e in row.errors
    ]
    reasons += row.warnings + ([] if row.errors else row.changes)  # a refused row changes nothing
    text = "；".join(r.rstrip("。；") for r in reasons)  # (no "考生。；理论…")
    cells = (str(row.row), row.name, row.id_masked, STATUS_NAMES.get(row.status, row.status), text)
    return cells, bool(row.errors), row.status


def roster_job(actor: Actor, kind: str) -> ImportJob:
    def commit(s: Session, preview: Any, progress: Progress | None) -> str:
        return commit_import(s, actor, preview, progress=progress).summary_text()

    return ImportJob(
        KIND_TITLES[kind],
        MODE_LABELS[kind],
        lambda s, path, mode, progress: preview_import(
            s, actor, path, kind, mode, progress=progress
        ),
        commit,
        person_row_cells,
    )


class _Cancelled(Exception):
    """The user pressed 取消 in the progress dialog: the work stops, its transaction rolls back."""


_STAGES = {
    "校验": "正在检查第 {done}/{total} 行…",
    "写入": "正在写入第 {done}/{total} 行…",
    "报名": "正在为第 {done}/{total} 名考生报名…",  # (candidates: enrolled after they are written)
}


def _cancellable(task: ProgressTask) -> Progress:
    """The services' progress(stage, done, total) shown in `task`; raises _Cancelled on 取消."""

    def progress(stage: str, done: int, total: int) -> None:
        label = _STAGES.get(stage, stage + " {done}/{total}").format(done=done, total=total)
        task.dialog.setLabelText(label)
        if not task(done, total):
            raise _Cancelled

    return progress


class ImportDialog(QDialog):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        kind: str,
        parent: QWidget | None = None,
        *,
        job: ImportJob | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.actor, self.kind = db, actor, kind
        self.job = job or roster_job(actor, kind)
        self.preview: Any = None
        self.result_info: str | None = None  # the last import's summary (None after a new check)
        self.imported = False  # something was imported while the dialog was open
        self.setWindowTitle(self.tr(self.job.title))
        self.resize(980, 620)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("文件：")))
        self.path = QLineEdit()
        self.path.setObjectName("path")
        self.path.setPlaceholderText(self.tr("选择 Excel 文件（.xlsx / .xls）"))
        row.addWidget(self.path, 1)
        # Enter in the path runs 检查文件 (keyPressEvent keeps the dialog from also pressing a
        # default button); 检查文件 is the default button, not the first one (选择文件).
        self.path.returnPressed.connect(self.run_preview)
        self.choose_button = QPushButton(self.tr("选择文件(&F)…"))
        self.choose_button.setObjectName("choose")
        self.choose_button.clicked.connect(self.choose_file)
        row.addWidget(self.choose_button)
        layout.addLayout(row)
        row = QHBoxLayout()
        mode_label = QLabel(self.tr("方式："))
        mode_label.setVisible(bool(self.job.modes))  # (a candidate or score list has one way)
        row.addWidget(mode_label)
        self.mode = QComboBox()
        self.mode.setObjectName("mode")
        for mode, label in self.job.modes or (("", ""),):
            self.mode.addItem(self.tr(label), mode)
            if mode:
                self.mode.setItemData(
                    self.mode.count() - 1, mode_hint(kind, mode), Qt.ItemDataRole.ToolTipRole
                )
        self.mode.setVisible(bool(self.job.modes))
        self._show_mode_hint()
        self.mode.currentIndexChanged.connect(self._show_mode_hint)
        row.addWidget(self.mode, 1)
        if not self.job.modes:
            row.addStretch(1)
        self.preview_button = QPushButton(self.tr("检查文件(&P)"))
        self.preview_button.setObjectName("preview")
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.run_preview)
        row.addWidget(self.preview_button)
        layout.addLayout(row)
        self.summary = QLabel(
            self.tr("选择文件和导入方式后点“检查文件”：先逐行检查，不写入任何数据。")
            if self.job.modes
            else self.tr("选择文件后点“检查文件”：先逐行检查，不写入任何数据。")
        )
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.problems_only = QCheckBox(self.tr("只显示有错误或提醒的行(&E)"))
        self.problems_only.setObjectName("problems_only")
        self.problems_only.toggled.connect(self._filter_rows)
        layout.addWidget(self.problems_only)
        self._row_flagged: list[bool] = []
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("rows")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("行号"),
                self.tr("姓名"),
                self.tr("证件号码"),
                self.tr("状态"),
                self.tr("原因 / 变更"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        header = self.table.horizontalHeader()
        for i, width in enumerate((60, 100, 180, 120)):
            header.resizeSection(i, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        self.report_button = QPushButton(self.tr("导出错误报告(&R)…"))
        self.report_button.clicked.connect(self.export_report)
        self.commit_button = QPushButton(self.tr("确认导入(&C)"))
        self.commit_button.setObjectName("commit")
        self.commit_button.clicked.connect(self.commit)
        buttons.addButton(self.report_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.commit_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(buttons)
        # A preview belongs to one file and one mode: changing either withdraws it.
        self.path.textChanged.connect(self._invalidate)
        self.mode.currentIndexChanged.connect(self._invalidate)
        self._update_buttons()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in the path field has run 检查文件 (returnPressed): the line edit passes the key
        on, and QDialog would press the default button as well."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.path.hasFocus():
            event.accept()
            return
        super().keyPressEvent(event)

    def _invalidate(self, _arg: object = None, *, why: str | None = None) -> None:
        """Withdraw the preview: it no longer describes what 确认导入 would write."""
        if self.preview is None or self.result_info is not None:
            return
        self.preview = None
        self.table.setRowCount(0)
        self.summary.setStyleSheet("color: #b00020;" if why else "")
        self.summary.setText(
            why or self.tr("文件或导入方式已更改：请重新点“检查文件”，检查通过后才能导入。")
        )
        self._update_buttons()

    def _show_mode_hint(self) -> None:
        self.mode.setToolTip(self.mode.currentData(Qt.ItemDataRole.ToolTipRole) or "")

    def _fit_rows(self) -> None:
        if self.table.rowCount() <= 2000:  # wrapped reasons; a huge file keeps one-line rows
            self.table.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_rows()

    def _update_buttons(self) -> None:
        p = self.preview
        self.report_button.setEnabled(p is not None and p.has_errors)
        self.commit_button.setEnabled(
            p is not None and not p.has_errors and self.result_info is None
        )

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择导入文件"), "", excel_filter())
        if path:
            self.path.setText(path)
            self.run_preview()

    def run_preview(self) -> None:
        self.preview, self.result_info = None, None
        self.preview_button.setDefault(True)
        self.table.setRowCount(0)
        path = unquoted_path(self.path.text())
        if path != self.path.text():
            self.path.setText(path)  # (no preview to withdraw yet)
        if not path:
            self.summary.setText(self.tr("请先选择要导入的文件。"))
            self._update_buttons()
            return
        try:
            # (no wait cursor: it would stand over 取消 once the progress dialog shows)
            with (
                ProgressTask(self, self.tr("检查文件"), self.tr("正在读取文件…")) as task,
                self.db.session() as s,
            ):
                self.preview = self.job.preview(s, path, self.mode.currentData(), _cancellable(task))
        except _Cancelled:
            self.summary.setText(self.tr("已取消检查：未导入任何数据。"))
            self.summary.setStyleSheet("")
            self._update_buttons()
            return
        except SkillSiteError as exc:
            self.summary.setText(exc.message)
            self.summary.setStyleSheet("color: #c62828;")
            self._update_buttons()
            show_user_error(exc, self)
            return
        self._show_preview(self.preview)
        self._update_buttons()

    def _filter_rows(self) -> None:
        """With 只显示有错误或提醒的行 ticked, the rows with nothing to say are hidden."""
        only = self.problems_only.isChecked()
        for r, flagged in enumerate(self._row_flagged):
            self.table.setRowHidden(r, only and not flagged)

    def _show_preview(self, p: Any) -> None:
        self.table.setRowCount(len(p.rows))
        self._row_flagged = [
            bool(getattr(row, "errors", None) or getattr(row, "warnings", None)) for row in p.rows
        ]
        for r, row in enumerate(p.rows):
            cells, has_error, status = self.job.row_cells(row)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if has_error:
                    item.setForeground(ERROR_BRUSH)
                elif c == 3 and status in STATUS_COLOURS:
                    item.setForeground(QBrush(QColor(STATUS_COLOURS[status])))
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self._filter_rows()
        self._fit_rows()
        text = p.summary_text()
        removals = getattr(p, "removals", None)
        blocked = [x for x in removals or () if getattr(x, "blocked", False)]
        movable = [x for x in removals or () if not getattr(x, "blocked", False)]
        if blocked:
            shown = "、".join(
                f"{x.name}（{x.role_name}，仍在批次 {'、'.join(x.batches)}）" for x in blocked[:20]
            )
            more = self.tr("…等共 {n} 项").format(n=len(blocked)) if len(blocked) > 20 else ""
            text += (
                self.tr(" 不能移除的角色：")
                + shown
                + more
                + self.tr("。请先在这些批次的“人员安排”中换人，或在文件中保留这些人的角色。")
            )
        if movable:
            shown = "、".join(f"{x.name}（{x.role_name}）" for x in movable[:20])
            more = self.tr("…等共 {n} 项").format(n=len(movable)) if len(movable) > 20 else ""
            text += self.tr(" 将移除角色：") + shown + more
        if getattr(p, "unknown_headers", None):
            text += self.tr(" 未识别的列（忽略）：") + "、".join(p.unknown_headers)
        if p.has_errors:
            text += self.tr(
                " 未通过检查：改正错误行（红色）和上述问题后重新检查；可导出错误报告逐条核对。"
            )
            self.summary.setStyleSheet("color: #c62828;")
        else:
            text += self.tr(" 检查通过：点“确认导入”写入。")
            self.summary.setStyleSheet("")
        self.summary.setText(text)

    def export_report(self) -> None:
        if self.preview is None:
            return
        default = f"{Path(self.preview.file_name).stem}-错误报告.xlsx"
        path = choose_save_file(self, self.tr("导出错误报告"), default)
        if path is None:
            return
        try:
            written = write_error_report(self.preview, path)
        except (SkillSiteError, OSError) as exc:
            message = exc.message if isinstance(exc, SkillSiteError) else str(exc)
            QMessageBox.warning(self, self.tr("无法完成操作"), message)
            return
        QMessageBox.information(
            self, self.tr("导出错误报告"), self.tr("错误报告已保存到：\n{p}").format(p=written)
        )

    def commit(self) -> None:
        if self.preview is None or self.preview.has_errors or not self._removals_confirmed():
            return
        cancelled = self.tr("已取消导入：未写入任何数据，可再次点“确认导入”。")
        checked = self.summary.text().removeprefix(cancelled + "\n")  # (cancelled before)
        try:
            with (
                ProgressTask(self, self.tr("导入"), self.tr("正在写入…")) as task,
                self.db.session() as s,
            ):
                self.result_info = self.job.commit(s, self.preview, _cancellable(task))
        except _Cancelled:  # (the transaction rolled back: the preview still holds, 确认导入 again)
            self.summary.setText(f"{cancelled}\n{checked}")  # the check's findings still hold
            self._update_buttons()
            return
        except SkillSiteError as exc:
            show_user_error(exc, self)
            # nothing was written; the data changed since the check (or the file did): check again
            self._invalidate(why=self._refusal_text(exc.message))
            return
        self.imported = True
        self.summary.setStyleSheet("color: #2e7d32;")
        self.summary.setText(self.result_info)
        self._update_buttons()
        self.close_button.setDefault(True)  # done: Enter now closes, it does not check again

    def _refusal_text(self, message: str) -> str:
        """A refused commit's message for the summary line: that nothing was written and that
        the file is to be checked again — each said once, whether or not the service's
        message (the file changed, the data changed since the check) says it already."""
        if "未导入任何数据" not in message:
            message = self.tr("未导入任何数据：{m}").format(m=message)
        if "重新检查" not in message:
            message += "\n" + self.tr("请点“检查文件”重新检查后再导入。")
        return message

    def _removals_confirmed(self) -> bool:
        """替换 mode takes roles away: say how many. (A role still assigned in an unfinished batch
        cannot be removed: such a preview has errors and never gets here.)"""
        removals = getattr(self.preview, "removals", None) or []
        if not removals:
            return True
        text = self.tr("本次导入将移除 {n} 项人员角色（详见检查结果上方的列表）。").format(
            n=len(removals)
        )
        answer = QMessageBox.question(self, self.tr("确认替换"), text + self.tr("\n\n确定导入吗？"))
        return answer == QMessageBox.StandardButton.Yes


class PhotoReportDialog(QDialog):
    """The photo import report: the same texts as the CLI prints (PhotoReport's methods)."""

    def __init__(self, report: PhotoReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("照片导入结果"))
        self.resize(720, 480)
        layout = QVBoxLayout(self)
        self.summary = QLabel(
            "\n".join(filter(None, [report.summary_text(), report.left_text(), report.note_text()]))
        )
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.lists: dict[str, QListWidget] = {}
        for title, lines in report.sections():
            # lines run to 150 characters (a file name and why it was not imported): wrapped
            # to the width of the list, each also its own tooltip
            view = QListWidget()
            view.setWordWrap(True)
            view.setTextElideMode(Qt.TextElideMode.ElideNone)
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setResizeMode(QListWidget.ResizeMode.Adjust)
            view.setAlternatingRowColors(True)
            view.setSpacing(2)
            for line in lines:
                item = QListWidgetItem(line)
                item.setToolTip(line)
                view.addItem(item)
            self.lists[title] = view
            self.tabs.addTab(view, f"{title}（{len(lines)}）")
        if report.left:  # open on what was not imported: it is what needs doing
            first = next(i for i, (t, lines) in enumerate(report.sections()) if i and lines)
            self.tabs.setCurrentIndex(first)
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def _tr(text: str) -> str:
    return QCoreApplication.translate("PhotoImport", text)


def _replacement_confirmed(replacing: list[str], parent: QWidget | None) -> bool:
    """Ask before an import replaces photos people have; `replacing` names them (masked)."""
    names = "、".join(replacing[:5]) + (_tr("等") if len(replacing) > 5 else "")
    text = _tr(
        "文件夹中有 {n} 人的照片与系统中已有的照片不同：{names}。\n"
        "导入将替换这 {n} 人现有的照片，原照片不保留。\n\n"
        "点“是”替换并导入；点“取消”不导入任何照片（可先把这些文件移出文件夹再导入）。"
    ).format(n=len(replacing), names=names)
    answer = QMessageBox.question(
        parent,
        _tr("确认替换照片"),
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def run_photo_import(
    db: Database, actor: Actor, folder: str, parent: QWidget | None = None, *, show: bool = True
) -> PhotoReport | None:
    """Import a folder of photos named by ID number, then show the report. When the folder
    would replace photos people have, ask first; None when cancelled or on an error."""
    folder = unquoted_path(folder)
    try:
        with busy_cursor(), db.session() as s:
            replacing = photos_to_replace(s, actor, folder)
        if replacing and not _replacement_confirmed(replacing, parent):
            return None
        with busy_cursor(), db.session() as s:
            report = import_photos(s, actor, folder)
    except SkillSiteError as exc:
        show_user_error(exc, parent)
        return None
    if show:
        PhotoReportDialog(report, parent).exec()
    return report
