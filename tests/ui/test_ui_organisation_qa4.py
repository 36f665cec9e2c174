"""机构与备案 page, QA round 4: the read-only page is laid out whole (nothing squashed or drawn over
the scope table), a save asks for no more than it needs and records why."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.actor import Actor
from app.services.filed_scope import add_scope_entry
from app.services.users import authenticate, create_user
from tests.ui.test_ui_organisation_qa3 import _page, audited_db  # noqa: F401 (fixture)


def _user(db: Database, admin: Actor, role: str) -> Actor:
    with db.session() as s:
        create_user(s, admin, f"{role}1", role, "Someone#2026", "某人")
    with db.session() as s:
        return authenticate(s, f"{role}1", "Someone#2026")


@pytest.mark.parametrize("role", ["scorer", "supervisor", "clerk"])
def test_page_not_squashed_for_any_role(
    qtbot: QtBot, audited_db: Database, admin: Actor, role: str  # noqa: F811
) -> None:
    with audited_db.session() as s:  # a scope table with rows, as a real organisation has
        occ = audited_db.ids["occupation"]  # type: ignore[attr-defined]
        for level in (3, 4, 5):
            add_scope_entry(s, admin, occ, level)
    page = _page(qtbot, audited_db, _user(audited_db, admin, role))
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    body = page.findChild(QScrollArea).widget()
    qtbot.waitUntil(lambda: body.height() >= body.minimumSizeHint().height())
    widgets = {k: e for k, e in page.fields.items() if k != "nature"}  # (inside its combo box)
    widgets |= {"nature": page.nature, "org_type": page.org_type}
    for key, widget in widgets.items():
        assert widget.height() >= widget.minimumSizeHint().height(), key
    scope = page.scope
    table_bottom = scope.scope_table.geometry().bottom()
    assert scope.catalogue_button.geometry().top() > table_bottom  # below the table, not over it


def test_save_records_why_and_each_fields_old_and_new_value(
    qtbot: QtBot, audited_db: Database, admin: Actor  # noqa: F811
) -> None:
    import json

    from sqlalchemy import select

    from app.models import AuditEntry

    page = _page(qtbot, audited_db, admin)
    old_address = page.fields["address"].text()
    page.fields["address"].setText("重庆市沙坪坝区大学城中路 99 号")
    page.fields["filing_valid_until"].setText("2030-03-17")
    page.reason.setText("延续备案后更新有效期")
    assert page.save()
    assert page.reason.text() == ""  # a reason belongs to one save
    with audited_db.session() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.action == "organisation.update" and last.reason == "延续备案后更新有效期"
    changed = json.loads(last.summary)["changed"]
    assert changed["address"] == {"from": old_address, "to": "重庆市沙坪坝区大学城中路 99 号"}
    assert changed["filing_valid_until"]["to"] == "2030-03-17" and len(changed) == 2
