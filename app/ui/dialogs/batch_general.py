"""概况: occupation and work type from the filed scope, level, methods, name and code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import SkillSiteError
from app.rules.levels import level_name
from app.services.batches import (
    BatchInput,
    ScopeChoice,
    create_batch,
    profile_for,
    scope_choices,
    update_batch,
)
from app.ui.pages.table_page import note
from app.ui.widgets.count_box import CountBox

if TYPE_CHECKING:
    from app.ui.dialogs.batch_editor import BatchEditor


class GeneralTab(QWidget):
    def __init__(self, editor: BatchEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.choices: list[ScopeChoice] = []
        layout = QVBoxLayout(self)
        self.scope_note = note("")
        layout.addWidget(self.scope_note)
        form = QFormLayout()
        self.scope = QComboBox()
        self.scope.setObjectName("scope")
        self.level = QComboBox()
        self.level.setObjectName("level")
        self.theory = QCheckBox(self.tr("理论知识考试"))
        self.skill = QCheckBox(self.tr("技能操作考核"))
        self.review = QCheckBox(self.tr("综合评审"))
        methods = QHBoxLayout()
        for box in (self.theory, self.skill, self.review):
            methods.addWidget(box)
        methods.addStretch()
        self.review_note = QLabel(self.tr("一、二级须进行综合评审"))
        self.review_note.setStyleSheet("color: #7f8c8d;")
        methods.addWidget(self.review_note)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("如：2026年第6期电工四级认定"))
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("留空由系统生成（如 2026-06）"))
        self.code.setMaximumWidth(240)
        self.source = QLineEdit()
        self.source.setPlaceholderText(self.tr("如：社会考生、企业职工"))
        form.addRow(self.tr("职业（工种）(&O)："), self.scope)
        form.addRow(self.tr("认定等级(&L)："), self.level)
        form.addRow(self.tr("评价方式："), methods)
        form.addRow(self.tr("批次名称(&N)："), self.name)
        form.addRow(self.tr("批次编号(&C)："), self.code)
        form.addRow(self.tr("考生来源："), self.source)
        self.pass_mark = CountBox()
        self.pass_mark.setObjectName("pass_mark")
        self.pass_mark.setRange(0, 100)
        self.pass_mark.setValue(60)
        self.pass_mark.setSuffix(self.tr(" 分（每个必考科目）"))
        self.double_entry = QCheckBox(self.tr("双人录入：两名录分员分别录入，不一致时由第三人裁定"))
        self.double_entry.setObjectName("double_entry")
        form.addRow(self.tr("合格线(&P)："), self.pass_mark)
        form.addRow(self.tr("成绩录入："), self.double_entry)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addStretch()
        self.save_button = QPushButton(self.tr("保存(&S)"))
        self.save_button.setObjectName("save_general")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        layout.addStretch()
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.level.currentIndexChanged.connect(self._level_changed)
        self.theory.setChecked(True)
        self.skill.setChecked(True)

    # --- loading -------------------------------------------------------------------------
    def load(self) -> None:
        try:
            with self.editor.db.session() as s:
                self.choices = scope_choices(s)
        except SkillSiteError as exc:
            self.choices = []
            self.scope_note.setText(exc.message)
        else:
            self.scope_note.setText(
                self.tr("职业、工种和等级只能在本机构备案范围内选择。")
                if self.choices
                else self.tr("备案范围为空：请先在“机构与备案”中登记备案的职业（工种）和等级。")
            )
        self.scope.blockSignals(True)
        self.scope.clear()
        for c in self.choices:
            text = f"{c.occupation}（{c.work_type}）" if c.work_type else c.occupation
            self.scope.addItem(f"{text}  {c.occupation_code}")
        self.scope.blockSignals(False)
        info = self.editor.info
        if info is not None:
            index = next(
                (
                    i
                    for i, c in enumerate(self.choices)
                    if (c.occupation_id, c.work_type_id) == (info.occupation_id, info.work_type_id)
                ),
                -1,
            )
            self.scope.setCurrentIndex(index)
            self._scope_changed()
            self.level.setCurrentIndex(max(0, self.level.findData(info.level)))
            self.theory.setChecked(info.method_theory)
            self.skill.setChecked(info.method_skill)
            self.review.setChecked(info.method_review)
            self.name.setText(info.name)
            self.code.setText(info.code)
            self.source.setText(info.candidate_source)
            self.pass_mark.setValue(info.pass_mark)
            self.double_entry.setChecked(info.double_entry)
        else:
            self._scope_changed()
            with self.editor.db.session() as s:
                self.pass_mark.setValue(profile_for(s).scoring.pass_mark)
        editable = self.editor.can_edit
        for w in (
            self.scope,
            self.level,
            self.theory,
            self.skill,
            self.name,
            self.code,
            self.source,
            self.pass_mark,
            self.double_entry,
            self.save_button,
        ):
            w.setEnabled(editable)
        self._level_changed()

    def _scope_changed(self, *_args: object) -> None:
        current = self.level.currentData()
        self.level.blockSignals(True)
        self.level.clear()
        i = self.scope.currentIndex()
        if 0 <= i < len(self.choices):
            for lv in self.choices[i].levels:
                self.level.addItem(level_name(lv), lv)
        self.level.blockSignals(False)
        if current is not None and self.level.findData(current) >= 0:
            self.level.setCurrentIndex(self.level.findData(current))
        self._level_changed()

    def _level_changed(self, *_args: object) -> None:
        level = self.level.currentData()
        needs_review = level is not None and int(level) <= 2
        if needs_review:
            self.review.setChecked(True)
        self.review.setEnabled(self.editor.can_edit and not needs_review)
        self.review_note.setVisible(needs_review)

    # --- saving --------------------------------------------------------------------------
    def value(self) -> BatchInput:
        i = self.scope.currentIndex()
        choice = self.choices[i] if 0 <= i < len(self.choices) else None
        return BatchInput(
            name=self.name.text(),
            occupation_id=choice.occupation_id if choice else 0,
            work_type_id=choice.work_type_id if choice else None,
            level=int(self.level.currentData() or 0),
            method_theory=self.theory.isChecked(),
            method_skill=self.skill.isChecked(),
            method_review=self.review.isChecked(),
            code=self.code.text().strip() or None,
            candidate_source=self.source.text(),
            pass_mark=self.pass_mark.value(),
            double_entry=self.double_entry.isChecked(),
        )

    def save(self) -> bool:
        data = self.value()
        editor = self.editor
        if editor.info is None:
            ok, info = editor.run(lambda s: create_batch(s, editor.actor, data), reload=False)
        else:
            batch_id = editor.info.id
            ok, info = editor.run(
                lambda s: update_batch(s, editor.actor, batch_id, data), reload=False
            )
        if ok:
            editor.set_info(info)
        return ok
