"""The first-run wizard: a new organisation (administrator + filing record) or the demo data."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.db import Database
from app.errors import SkillSiteError, ValidationError
from app.services.organisation import OrgInput, save_organisation
from app.services.passwords import check_policy
from app.services.users import authenticate, create_first_admin
from app.ui.busy import busy_cursor
from app.ui.widgets.scope_level import fill_scope_levels

log = logging.getLogger(__name__)

PAGE_WELCOME, PAGE_ADMIN, PAGE_ORGANISATION = range(3)
DEMO_USERNAME = "admin"
FALLBACK_PROFILES = [
    ("national", "全国通用"),
    ("chongqing", "重庆市"),
    ("guizhou", "贵州省"),
    ("shandong", "山东省"),
    ("anhui", "安徽省"),
]


def available_profiles() -> list[tuple[str, str]]:
    """(name, display name) of every province profile; a fixed list if the rules are missing."""
    try:
        from app.rules.profiles import list_profiles

        return [(p.name, p.display_name) for p in list_profiles()] or FALLBACK_PROFILES
    except Exception:  # missing or broken profile files must not block the first run
        log.warning("province profiles unavailable, using the built-in list", exc_info=True)
        return FALLBACK_PROFILES


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


class WelcomePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("欢迎使用 SkillSite"))
        self.setSubTitle(self.tr("职业技能等级认定考点管理。请选择如何开始。"))
        self.new_org = QRadioButton(self.tr("新建机构(&N)：录入本机构的管理员和备案信息，正式使用"))
        self.demo = QRadioButton(self.tr("加载演示数据(&D)：用于培训和试用，数据均为虚构"))
        self.new_org.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.new_org)
        group.addButton(self.demo)
        note = QLabel(
            self.tr(
                "演示数据会生成一个虚构的评价机构、人员和五个不同阶段的认定批次。"
                "正式使用时请另建一个数据目录。"
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.new_org)
        layout.addWidget(self.demo)
        layout.addSpacing(12)
        layout.addWidget(note)
        layout.addStretch()

    def nextId(self) -> int:
        return PAGE_ADMIN


class AdminPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("系统管理员"))
        self.setSubTitle(self.tr("设置第一个管理员账号。密码由您自己设定，系统没有默认密码。"))
        self.username = QLineEdit("admin")
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText(self.tr("例如：张三"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        policy = QLabel(self.tr("密码要求：至少 8 个字符，不能全部是数字，首尾不能有空格。"))
        policy.setWordWrap(True)
        self.demo_note = QLabel(self.tr("演示模式下管理员用户名固定为 admin。"))
        self.error = _error_label()
        form = QFormLayout()
        form.addRow(self.tr("用户名(&U)："), self.username)
        form.addRow(self.tr("姓名(&M)："), self.display_name)
        form.addRow(self.tr("密码(&P)："), self.password)
        form.addRow(self.tr("确认密码(&C)："), self.confirm)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(policy)
        layout.addWidget(self.demo_note)
        layout.addWidget(self.error)
        layout.addStretch()

    def wizard_(self) -> FirstRunWizard:
        wizard = self.wizard()
        assert isinstance(wizard, FirstRunWizard)
        return wizard

    def initializePage(self) -> None:
        demo = self.wizard_().demo_mode
        if demo:
            self.username.setText(DEMO_USERNAME)
        self.username.setReadOnly(demo)
        self.demo_note.setVisible(demo)
        self.setFinalPage(demo)

    def nextId(self) -> int:
        return -1 if self.wizard_().demo_mode else PAGE_ORGANISATION

    def validatePage(self) -> bool:
        self.error.hide()
        if self.password.text() != self.confirm.text():
            return self._fail(self.tr("两次输入的密码不一致，请重新输入。"))
        try:
            check_policy(self.password.text())
        except ValidationError as exc:
            return self._fail(exc.message)
        if not self.username.text().strip():
            return self._fail(self.tr("用户名不能为空。"))
        if self.wizard_().demo_mode:
            return self.wizard_().build_demo(self)
        return True

    def _fail(self, message: str) -> bool:
        self.error.setText(message)
        self.error.show()
        return False


class OrganisationPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("机构与备案"))
        self.setSubTitle(self.tr("填写与备案一致的机构信息。以后可在「机构与备案」中补充和修改。"))
        self.name = QLineEdit()
        self.org_type = QComboBox()
        self.org_type.addItem(self.tr("S — 社会培训评价组织"), "S")
        self.org_type.addItem(self.tr("Y — 用人单位"), "Y")
        self.profile = QComboBox()
        for name, display in available_profiles():
            self.profile.addItem(display, name)
        # 机构级别 (000 一(二)3: Chongqing 全市/区县): only for a profile with several level scopes.
        self.scope_level = QComboBox()
        self.scope_level_label = QLabel(self.tr("机构级别(&L)："))
        self.scope_level_label.setBuddy(self.scope_level)
        self.profile.currentIndexChanged.connect(lambda _i: self._fill_scope_levels())
        self.filing_code = QLineEdit()
        self.filing_code.setPlaceholderText(self.tr("可暂不填写，例如 S000050000001"))
        # Room for "S 0000 50 00 0017" as written on a receipt: stored without the spaces.
        self.filing_code.setMaxLength(40)
        self.error = _error_label()
        form = QFormLayout()
        form.addRow(self.tr("机构名称(&N)："), self.name)
        form.addRow(self.tr("机构类型(&T)："), self.org_type)
        form.addRow(self.tr("省份配置(&P)："), self.profile)
        form.addRow(self.scope_level_label, self.scope_level)
        form.addRow(self.tr("备案编码(&F)："), self.filing_code)
        self._fill_scope_levels()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch()

    def nextId(self) -> int:
        return -1

    def _fill_scope_levels(self) -> None:
        try:
            from app.rules.profiles import load_profile

            rule = load_profile(str(self.profile.currentData())).levels
        except SkillSiteError:  # a missing profile is reported when the organisation is saved
            rule = None
        fill_scope_levels(self.scope_level, self.scope_level_label, rule, None)

    def org_input(self) -> OrgInput:
        data = OrgInput(
            name=self.name.text(),
            org_type=str(self.org_type.currentData()),
            profile_name=str(self.profile.currentData()),
            filing_code=self.filing_code.text().strip() or None,
        )
        if self.scope_level.currentData():
            data.scope_level = str(self.scope_level.currentData())
        return data

    def validatePage(self) -> bool:
        self.error.hide()
        wizard = self.wizard()
        assert isinstance(wizard, FirstRunWizard)
        try:
            wizard.create_organisation()
        except SkillSiteError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return False
        return True


class FirstRunWizard(QWizard):
    """On success `username` holds the administrator's user name for the login that follows."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.username: str | None = None
        self.setWindowTitle(self.tr("首次使用设置 — SkillSite"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(620, 440)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步(&N) >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< 上一步(&B)"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成(&F)"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("取消"))
        self.welcome = WelcomePage()
        self.admin = AdminPage()
        self.organisation = OrganisationPage()
        self.setPage(PAGE_WELCOME, self.welcome)
        self.setPage(PAGE_ADMIN, self.admin)
        self.setPage(PAGE_ORGANISATION, self.organisation)

    @property
    def demo_mode(self) -> bool:
        return self.welcome.demo.isChecked()

    def create_organisation(self) -> None:
        """Administrator and organisation in one transaction: nothing is half-created."""
        username = self.admin.username.text().strip()
        password = self.admin.password.text()
        with busy_cursor(), self._db.session() as s:
            create_first_admin(s, username, password, self.admin.display_name.text().strip())
            s.flush()
            actor = authenticate(s, username, password)
            save_organisation(s, actor, self.organisation.org_input())
        self.username = username
        log.info("first run: organisation created")

    def build_demo(self, page: AdminPage) -> bool:
        try:
            from app.services.demo import build_demo
        except ImportError:
            return page._fail(self.tr("此版本未包含演示数据，请选择「新建机构」。"))
        progress = QProgressDialog(self.tr("正在生成演示数据…"), "", 0, 0, self)
        progress.setWindowTitle(self.tr("请稍候"))
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.show()

        def say(message: str) -> None:
            progress.setLabelText(message)
            QApplication.processEvents()

        try:
            with busy_cursor():
                build_demo(self._db, self.admin.password.text(), say)
        except SkillSiteError as exc:
            return page._fail(exc.message)
        finally:
            progress.close()
        self.username = DEMO_USERNAME
        log.info("first run: demo data built")
        return True
