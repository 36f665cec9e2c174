"""机构与备案 page, QA round 3: the validity says what the dashboard says (colour included), the
credit code's error focuses its field, the scope table's start date / count / 是否新职业 columns
and their entry and editing, and the question before a rename with issued certificates."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import AuditEntry, ScopeEntry
from app.services.actor import Actor
from app.services.audit import record
from app.services.audit_verify import verify_audit
from app.services.certificates import issue_certificates
from app.services.dashboard import upcoming_deadlines
from app.services.organisation import get_organisation
from app.ui.pages.organisation import OrganisationPage
from app.ui.pages.organisation_scope import SCOPE_COLUMNS, ScopeHistoryDialog
from tests.printing.certfactory import small_db
from tests.ui.test_ui_people_data import insert_audited_data

TODAY = dt.date.today()


@pytest.fixture
def audited_db(db: Database, admin: Actor) -> Database:
    db.ids = insert_audited_data(db, admin)  # type: ignore[attr-defined]
    return db


def _page(qtbot: QtBot, db: Database, actor: Actor) -> OrganisationPage:
    page = OrganisationPage(db, actor)
    qtbot.addWidget(page)
    return page


def _dates(db: Database, admin: Actor, profile: str, valid_until: dt.date) -> None:
    with db.session() as s:
        org = get_organisation(s)
        org.profile_name, org.scope_level = profile, "city" if profile == "chongqing" else "all"
        org.filed_on = valid_until - dt.timedelta(days=3 * 365)
        org.filing_valid_until = valid_until
        record(s, admin, "organisation.update", org)


def _dashboard_line(db: Database):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return next(i for i in upcoming_deadlines(s, TODAY) if i.target_page == "organisation")


def test_renewal_deadline_passed_is_red_as_on_the_dashboard(
    qtbot: QtBot, audited_db: Database, admin: Actor
) -> None:
    _dates(audited_db, admin, "chongqing", TODAY + dt.timedelta(days=10))  # deadline 20 days ago
    page = _page(qtbot, audited_db, admin)
    text = page.validity.text()
    assert text.startswith("提醒：") and "已过" in text and "应在到期 30 日前申请延续" not in text
    assert "#c62828" in page.validity.styleSheet()
    assert _dashboard_line(audited_db).level == "overdue"


def test_guizhou_after_expiry_is_continued_not_expired(
    qtbot: QtBot, audited_db: Database, admin: Actor
) -> None:
    _dates(audited_db, admin, "guizhou", TODAY - dt.timedelta(days=5))
    page = _page(qtbot, audited_db, admin)
    text = page.validity.text()
    assert "自动延续" in text and "不得开展认定" not in text and not text.startswith("提醒：")
    assert "#2e7d32" in page.validity.styleSheet()
    assert _dashboard_line(audited_db).title == "机构备案已自动延续"


def test_expiry_day_says_today(qtbot: QtBot, audited_db: Database, admin: Actor) -> None:
    _dates(audited_db, admin, "anhui", TODAY)
    page = _page(qtbot, audited_db, admin)
    assert "今天" in page.validity.text() and "还有 0 天" not in page.validity.text()
    assert "#b26a00" in page.validity.styleSheet()  # amber, as the dashboard's “soon”


def test_bad_credit_code_focuses_its_field(
    qtbot: QtBot, audited_db: Database, admin: Actor, messages: list[tuple[str, str]]
) -> None:
    page = _page(qtbot, audited_db, admin)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.fields["address"].setFocus()
    page.fields["credit_code"].setText("91500000MA5U123456")
    focused: list[str] = []
    for key, edit in page.fields.items():
        edit.setFocus = lambda *_a, key=key: focused.append(key)  # type: ignore[method-assign]
    assert not page.save()
    assert focused == ["credit_code"]
    assert messages and messages[-1][0] == "warning"


def test_scope_table_columns_and_history_entry(
    qtbot: QtBot, audited_db: Database, admin: Actor, messages: list[tuple[str, str]]
) -> None:
    page = _page(qtbot, audited_db, admin)
    scope = page.scope
    table = scope.scope_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == list(SCOPE_COLUMNS) and "是否新职业" in headers
    assert "培训评价起始日期" in headers and "已培训评价人数（人）" in headers

    scope.started_on.setText(f"{TODAY.year + 1}-01-01")  # in the future: refused, nothing added
    scope.assessed_count.setValue(35)
    scope.add_scope()
    assert "晚于今天" in messages[-1][1]
    with audited_db.session() as s:
        assert s.scalar(select(ScopeEntry)) is None

    scope.started_on.setText("2021-05-01")
    scope.add_scope()
    with audited_db.session() as s:
        e = s.scalar(select(ScopeEntry))
        assert (e.started_on, e.assessed_count) == (dt.date(2021, 5, 1), 35)
    cells = [table.item(0, c).text() for c in range(table.columnCount())]
    assert cells[2] == "否" and cells[5] == "2021-05-01" and cells[6] == "35"
    assert scope.started_on.text() == "" and scope.assessed_count.value() == 0


def test_history_edited_in_the_dialog(
    qtbot: QtBot, audited_db: Database, admin: Actor, messages: list[tuple[str, str]], monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, audited_db, admin)
    scope = page.scope
    scope.add_scope()
    table = scope.scope_table
    assert table.item(0, 5).text() == "未填写" and table.item(0, 6).text() == "0"

    def fill(dialog: ScopeHistoryDialog, date: str, count: int) -> int:
        dialog.started_on.setText(date)
        dialog.assessed_count.setValue(count)
        dialog.reason.setText("按年度统计更新")
        return QDialog.DialogCode.Accepted if dialog.submit() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(ScopeHistoryDialog, "exec", lambda d: fill(d, "2030-13-01", 5))
    table.selectRow(0)
    assert not scope.edit_history()  # not a date: the message names the field
    assert "培训评价起始日期" in messages[-1][1]
    monkeypatch.setattr(ScopeHistoryDialog, "exec", lambda d: fill(d, "2020-09-01", 120))
    table.selectRow(0)
    assert scope.edit_history()
    assert table.item(0, 5).text() == "2020-09-01" and table.item(0, 6).text() == "120"
    with audited_db.session() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.entity == "scope_entry" and last.reason == "按年度统计更新"
        assert verify_audit(s).ok


def test_history_read_only_without_the_edit_right(
    qtbot: QtBot, audited_db: Database, admin: Actor
) -> None:
    from app.services.users import authenticate, create_user

    with audited_db.session() as s:
        create_user(s, admin, "scorer1", "scorer", "Scorer#2026", "录分员")
    with audited_db.session() as s:
        scorer = authenticate(s, "scorer1", "Scorer#2026")
    page = _page(qtbot, audited_db, scorer)
    assert not page.scope.edit_history_button.isVisibleTo(page)


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
def test_rename_with_issued_certificates_asks_first(
    qtbot: QtBot, db: Database, admin: Actor, monkeypatch, answer
) -> None:  # type: ignore[no-untyped-def]
    small_db(db, batches=(("T-1", 3, 2),))
    with db.session() as s:
        issue_certificates(s, admin, "T-1", dt.date(2026, 3, 1), fix_content=False)
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a, **k: asked.append(text) or answer
    )
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    page = _page(qtbot, db, admin)
    page.fields["address"].setText("重庆市沙坪坝区")
    assert page.save() and asked == []  # no rename: no question
    page.fields["name"].setText("重庆巴渝职业培训学院")
    saved = page.save()
    assert len(asked) == 1 and "2 本证书" in asked[0] and "重庆巴渝职业技能培训学校" in asked[0]
    assert "补打" in asked[0] and "不一致" in asked[0]
    with db.session() as s:
        name = get_organisation(s).name
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    if answer == QMessageBox.StandardButton.Yes:
        assert saved and name == "重庆巴渝职业培训学院"
        assert "确认改名" in last.reason and "2 本证书印有改名前的名称" in last.reason
    else:
        assert not saved and name == "重庆巴渝职业技能培训学校"
        assert "已取消" in page.form_error.text()
        assert page.fields["name"].text() == "重庆巴渝职业培训学院"  # the typing is kept


def test_profile_changed_elsewhere_is_not_saved_back(
    qtbot: QtBot, audited_db: Database, admin: Actor, messages: list[tuple[str, str]]
) -> None:
    from app.services.settings import choose_profile

    page = _page(qtbot, audited_db, admin)  # filled under chongqing
    with audited_db.session() as s:
        choose_profile(s, admin, "guizhou")  # e.g. on another PC, or the settings page
    page.fields["address"].setText("贵阳市观山湖区")
    assert not page.save()  # the older profile would have been saved back
    assert messages[-1][0] == "information" and "贵州省" in messages[-1][1]
    assert page.fields["address"].text() == "贵阳市观山湖区" and page.scope_level.isHidden()
    with audited_db.session() as s:
        assert get_organisation(s).profile_name == "guizhou"
    assert page.save()  # a second click saves, under the profile in force
    with audited_db.session() as s:
        org = get_organisation(s)
        assert (org.profile_name, org.address) == ("guizhou", "贵阳市观山湖区")


# --- edits not yet saved -------------------------------------------------------------------------
def test_coming_back_to_the_page_keeps_edits_not_yet_saved(
    qtbot: QtBot, audited_db: Database, admin: Actor
) -> None:
    page = _page(qtbot, audited_db, admin)
    assert not page.has_unsaved_changes()
    page.fields["address"].setText("重庆市渝中区新地址 9 号")
    assert page.has_unsaved_changes()
    page.refresh()  # what the main window does when the page is shown again
    assert page.fields["address"].text() == "重庆市渝中区新地址 9 号"
    assert "尚未保存的修改（已保留）" in page.form_error.text()
    assert page.save()
    assert not page.has_unsaved_changes() and page.form_error.text() == ""
    with audited_db.session() as s:
        assert get_organisation(s).address == "重庆市渝中区新地址 9 号"


def test_closing_or_switching_user_asks_before_losing_them(
    qtbot: QtBot, audited_db: Database, admin: Actor, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from app.ui.main_window import NAV, MainWindow

    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text) or answer[0])
    window = MainWindow(audited_db, admin)
    qtbot.addWidget(window)
    window.show()
    window.go_to(next(i for i, entry in enumerate(NAV) if entry.key == "organisation"))
    page = window.page_by_key("organisation")
    assert window.unsaved_pages() == []
    page.fields["phone"].setText("023-88886666")
    assert window.unsaved_pages() == ["机构与备案"]
    assert window.close() is False and window.isVisible()  # "No": the window stays, the edit too
    assert "“机构与备案”中有尚未保存的修改，退出后这些修改将丢失" in asked[-1]
    window.switch_user()
    assert "切换用户后这些修改将丢失" in asked[-1] and window.isVisible()
    assert page.fields["phone"].text() == "023-88886666"


def test_nature_offers_the_provinces_boxes(
    qtbot: QtBot, audited_db: Database, admin: Actor, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    page = _page(qtbot, audited_db, admin)
    choices = [page.nature.itemText(i) for i in range(page.nature.count())]
    assert choices == ["企事业单位", "院校", "社会组织"]  # Chongqing (000 附件1)
    assert "000 附件1" in page.nature.toolTip()
    page.nature.setCurrentIndex(1)
    assert page.fields["nature"].text() == "院校" and page.has_unsaved_changes()
    assert page.save()
    with audited_db.session() as s:
        assert get_organisation(s).nature == "院校"
    page.fields["nature"].setText("某某性质")
    assert not page.save() and "不是重庆市基本情况表中的选项" in page.form_error.text()
    assert shown and "请改选其中之一" in shown[-1]


def test_a_save_elsewhere_meanwhile_is_not_undone(qtbot: QtBot, audited_db: Database, admin: Actor) -> None:
    """Another PC renews the filing while this page holds an unsaved phone number: coming back
    shows the renewal, and saving keeps both."""
    page = _page(qtbot, audited_db, admin)
    page.fields["phone"].setText("023-88886666")
    with audited_db.session() as s:
        org = get_organisation(s)
        org.filed_on, org.filing_valid_until = dt.date(2027, 3, 18), dt.date(2030, 3, 17)
        record(s, admin, "organisation.update", org, reason="另一台电脑：备案延续")
    page.refresh()
    assert page.fields["filing_valid_until"].text() == "2030-03-17"
    assert page.fields["phone"].text() == "023-88886666" and page.has_unsaved_changes()
    with audited_db.session() as s:  # and once more without coming back to the page
        org = get_organisation(s)
        org.address = "重庆市两江新区新址 1 号"
        record(s, admin, "organisation.update", org, reason="另一台电脑：地址")
    assert page.save()
    with audited_db.session() as s:
        org = get_organisation(s)
        assert (org.phone, org.filing_valid_until, org.address) == (
            "023-88886666", dt.date(2030, 3, 17), "重庆市两江新区新址 1 号"
        )


def test_the_page_shows_a_record_stored_before_the_rules(
    qtbot: QtBot, audited_db: Database, admin: Actor
) -> None:
    with audited_db.session() as s:
        org = get_organisation(s)
        org.profile_name, org.nature = "chongqing", "民营培训学校"
        record(s, admin, "organisation.update", org)
    page = _page(qtbot, audited_db, admin)
    assert "机构信息与现行规则不符：机构性质“民营培训学校”" in page.form_error.text()
