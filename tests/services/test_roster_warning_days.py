"""The roster's expiry warnings on the last valid day say 今天到期, not "还有 0 天"."""

from __future__ import annotations

import datetime as dt

from app.services.roster import PersonInput, QualificationInput, RoleInput, add_person
from app.services.roster_queries import roster_warnings
from tests.services.conftest import make_id

TODAY = dt.date(2026, 5, 1)


def test_the_last_valid_day_is_today_not_zero_days_left(db, admin, roster_org) -> None:  # type: ignore[no-untyped-def]
    occ = roster_org["electrician"]
    with db.session() as s:
        add_person(s, admin, PersonInput("今天", make_id(61)), [RoleInput("examiner")],
                   [QualificationInput(occ, 3, valid_until=TODAY)])  # fmt: skip
        add_person(s, admin, PersonInput("明天", make_id(62)),
                   [RoleInput("expert", in_house=False, agreement_on_file=True,
                              agreement_until=TODAY + dt.timedelta(days=1))])  # fmt: skip
        add_person(s, admin, PersonInput("协议今天", make_id(63)),
                   [RoleInput("proctor", in_house=False, agreement_on_file=True, agreement_until=TODAY)])  # fmt: skip
    with db.session() as s:
        texts = {w.name: w.message for w in roster_warnings(s, TODAY, actor=admin)}
    assert "今天（2026-05-01）到期" in texts["今天"] and "还有 0 天" not in texts["今天"]
    assert "将于 2026-05-02 到期（还有 1 天）" in texts["明天"]
    assert "协议今天（2026-05-01）到期，请及时续签" in texts["协议今天"]
