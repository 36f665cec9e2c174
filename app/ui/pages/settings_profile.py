"""设置 › 省份规则: choose the province profile in force and read its rules with their sources."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import SkillSiteError
from app.rules.profile_model import Profile
from app.rules.profiles import list_profiles, load_profile
from app.services.actor import Actor
from app.services.organisation import get_organisation, nature_mismatch
from app.services.permissions import Perm, allowed
from app.services.settings import choose_profile
from app.ui.errors import show_user_error
from app.ui.pages.table_page import note

CTX = "ProfileRules"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def _levels(levels: tuple[int, ...]) -> str:
    """(1, 2, 3, 4, 5) → "1–5级"; (2, 4) → "2、4级"."""
    ordered = sorted(levels)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}–{ordered[-1]}级"
    return "、".join(str(n) for n in ordered) + "级"


def profile_rules(p: Profile) -> list[tuple[str, str, str]]:
    """(项目, 规定, 依据) rows for the rules a site works by."""
    rf = p.results_filing
    if rf.anchor is None or rf.working_days is None:
        results = _tr("未规定时限")
    else:
        anchor = _tr("考核结束后") if rf.anchor == "assessment_end" else _tr("公示期满后")
        results = _tr("{anchor} {n} 个工作日内").format(anchor=anchor, n=rf.working_days)
    scopes = "；".join(
        f"{s.label}：{_levels(s.levels)}"
        + (_tr("（默认）") if s.key == p.levels.default_scope else "")
        for s in p.levels.scopes
    )
    fv = p.filing_validity
    validity = _tr("{y} 年").format(y=fv.years)
    if fv.renewal_notice_days:
        validity += _tr("；届满 {d} 日前申请延续").format(d=fv.renewal_notice_days)
    if fv.renewal_reminder_days:
        validity += _tr("；提前 {d} 天提醒（{source}）").format(
            d=fv.renewal_reminder_days, source=fv.renewal_reminder_source
        )
    if fv.auto_renew:
        validity += _tr("；自动延续")
    st = p.staffing
    fonts = "、".join(f.family for f in p.certificate.fonts) or _tr("（未指定）")
    work_types = (
        _tr("不限")
        if p.work_types.max_work_types is None
        else _tr("最多 {n} 个").format(n=p.work_types.max_work_types)
    )
    return [
        (
            _tr("计划报备提前工作日"),
            _tr("考核开始前至少 {n} 个工作日").format(n=p.plan_filing.working_days),
            p.plan_filing.source,
        ),
        (_tr("公示期最短"), f"{p.publicity.days} {p.publicity.unit_label}", p.publicity.source),
        (_tr("结果报备时限"), results, rf.source),
        (
            _tr("证书流水号范围"),
            _tr("000001–999999，{scope}").format(scope=p.serial.label),
            p.serial.source,
        ),
        (_tr("等级范围"), scopes, p.levels.source),
        (_tr("工种数上限"), work_types, p.work_types.source),
        (_tr("备案有效期/续期提醒"), validity, fv.source),
        (
            _tr("档案保管年限"),
            _tr("纸质 {p} 年，电子 {e} 年").format(
                p=p.retention.paper_years, e=p.retention.electronic_years
            ),
            p.retention.source,
        ),
        (
            _tr("合格线"),
            _tr("{p} 分（满分 {f} 分）").format(p=p.scoring.pass_mark, f=p.scoring.full_mark),
            p.scoring.source,
        ),
        (
            _tr("人员配备最低数"),
            _tr(
                "考评组至少 {a} 名考评员；理论考场至少 {b} 名监考员；每批次至少 {c} 名督导员"
            ).format(a=st.skill_examiners, b=st.theory_proctors, c=st.supervisors_per_batch),
            st.source,
        ),
        (_tr("证书字体"), fonts, p.certificate.source),
    ]


class ProfileTab(QWidget):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.current_name = "national"
        self.current_scope_level = ""
        layout = QVBoxLayout(self)
        layout.addWidget(
            note(
                self.tr(
                    "省份规则决定报备时限、公示期、证书编号等。下表列出每条规则及其依据（文件编号与条款）。"
                )
            )
        )
        row = QHBoxLayout()
        label = QLabel(self.tr("省份规则(&R)："))
        self.combo = QComboBox()
        self.combo.setObjectName("profile_combo")
        self.combo.setMinimumWidth(180)
        label.setBuddy(self.combo)
        for p in list_profiles():
            self.combo.addItem(p.display_name, p.name)
        self.apply_button = QPushButton(self.tr("设为当前规则(&A)"))
        self.apply_button.setObjectName("apply_profile")
        self.apply_button.clicked.connect(self.apply)
        can = allowed(actor, Perm.MANAGE_SETTINGS)
        self.apply_button.setVisible(can)
        row.addWidget(label)
        row.addWidget(self.combo)
        # Moving to another province brings a new filing code: both change in one step.
        code_label = QLabel(self.tr("新备案编码(&F)："))
        self.filing_code = QLineEdit()
        self.filing_code.setObjectName("new_filing_code")
        self.filing_code.setPlaceholderText(self.tr("改用其他省份时填写；不填则保留现有编码"))
        self.filing_code.setMinimumWidth(220)
        code_label.setBuddy(self.filing_code)
        self.scope_label = QLabel(self.tr("机构级别(&L)："))
        self.scope_level = QComboBox()
        self.scope_level.setObjectName("profile_scope_level")
        self.scope_label.setBuddy(self.scope_level)
        for widget in (code_label, self.filing_code, self.scope_label, self.scope_level):
            widget.setVisible(can)
            row.addWidget(widget)
        self._can = can
        row.addWidget(self.apply_button)
        row.addStretch()
        layout.addLayout(row)
        self.current_label = QLabel()
        self.current_label.setObjectName("current_profile")
        layout.addWidget(self.current_label)
        if not can:
            layout.addWidget(note(self.tr("只有管理员可以更换省份规则。")))
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("rules")
        self.table.setHorizontalHeaderLabels([self.tr("项目"), self.tr("规定"), self.tr("依据")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)  # long sources: full text in the tooltip
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.combo.currentIndexChanged.connect(lambda _i: self.show_rules())
        self.refresh()

    def refresh(self) -> None:
        with self._db.session() as s:
            org = get_organisation(s)
            self.current_name = org.profile_name if org else "national"
            self.current_scope_level = org.scope_level if org else ""
        i = self.combo.findData(self.current_name)
        if i >= 0:
            self.combo.setCurrentIndex(i)
        self.current_label.setText(
            self.tr("当前生效：{name}").format(name=load_profile(self.current_name).display_name)
        )
        self.show_rules()

    def show_rules(self) -> None:
        name = self.combo.currentData()
        if not name:
            return
        profile = load_profile(name)
        self._fill_scope_levels(profile)
        rows = profile_rules(profile)
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(r, c, item)

    def _fill_scope_levels(self, profile: Profile) -> None:
        """机构级别 of the chosen profile, shown only where it has several (Chongqing 全市/区县)."""
        rule = profile.levels
        self.scope_level.clear()
        for scope in rule.scopes:
            self.scope_level.addItem(f"{scope.label}（{_levels(scope.levels)}）", scope.key)
        keep = self.current_scope_level
        if rule.scope(keep) is None:
            keep = rule.default_scope
        self.scope_level.setCurrentIndex(max(0, self.scope_level.findData(keep)))
        show = self._can and len(rule.scopes) > 1
        self.scope_label.setVisible(show)
        self.scope_level.setVisible(show)

    def apply(self) -> None:
        name = self.combo.currentData()
        code = self.filing_code.text().strip() or None
        scope = self.scope_level.currentData() if self.scope_level.count() > 1 else None
        try:
            with self._db.session() as s:
                choose_profile(s, self._actor, name, filing_code=code, scope_level=scope)
                nature_note = nature_mismatch(s)
        except SkillSiteError as exc:
            show_user_error(exc, self)
            if getattr(exc, "field", None) != "filing_code":
                self.refresh()
            else:  # keep the choice and the typed code to correct
                self.filing_code.setFocus()
            return
        self.filing_code.clear()
        self.refresh()
        QMessageBox.information(
            self,
            self.tr("省份规则"),
            self.tr("已改用“{name}”规则。").format(name=load_profile(name).display_name)
            + (  # the 基本情况表 export refuses it until chosen again: say so now
                "\n\n"
                + self.tr("注意：{note}请到“机构与备案”页面重新选择机构性质并保存。").format(
                    note=nature_note
                )
                if nature_note
                else ""
            ),
        )
