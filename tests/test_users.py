"""Users: first run, password policy and hashing, login, lockout and its expiry."""

from __future__ import annotations

import datetime as dt

import pytest

from app.errors import AuthenticationError, PermissionDenied, ValidationError
from app.models import AuditEntry, User
from app.services.passwords import hash_password, verify_password
from app.services.users import authenticate, create_first_admin, create_user, set_active, set_role
from tests.conftest import ADMIN_PASSWORD


def test_password_hash_is_salted_scrypt() -> None:
    a, b = hash_password("Secret#123"), hash_password("Secret#123")
    assert a != b and a.startswith("scrypt$")
    assert verify_password("Secret#123", a) and not verify_password("Secret#124", a)
    assert not verify_password("x", "garbage")


@pytest.mark.parametrize("pw", ["short1", "12345678901", " Spaces#123 "])
def test_password_policy(db, pw: str) -> None:
    with pytest.raises(ValidationError), db.session() as s:
        create_first_admin(s, "admin", pw)


def test_first_run_only_once(db, admin) -> None:
    with pytest.raises(ValidationError, match="已有用户"), db.session() as s:
        create_first_admin(s, "other", "Another#2026")


def test_lockout_after_five_failures_and_expiry(db, admin) -> None:
    now = dt.datetime(2026, 11, 23, 9, 0)
    for i in range(4):
        with pytest.raises(AuthenticationError, match=f"再错 {4 - i} 次"), db.session() as s:
            authenticate(s, "admin", "wrong-password", now=now)
    with pytest.raises(AuthenticationError, match="锁定 15 分钟"), db.session() as s:
        authenticate(s, "admin", "wrong-password", now=now)
    # Even the right password is refused while locked …
    with pytest.raises(AuthenticationError, match="已锁定"), db.session() as s:
        authenticate(s, "admin", ADMIN_PASSWORD, now=now + dt.timedelta(minutes=14))
    # … and accepted once the 15 minutes are over.
    with db.session() as s:
        assert authenticate(s, "admin", ADMIN_PASSWORD, now=now + dt.timedelta(minutes=16)).username == "admin"
    with db.session() as s:
        actions = [a for (a,) in s.query(AuditEntry.action).order_by(AuditEntry.id)]
    assert actions.count("auth.failure") == 5  # four wrong passwords, one refused while locked
    assert actions.count("auth.lockout") == 1


def test_disabled_user_cannot_log_in_and_is_kept(db, admin) -> None:
    with db.session() as s:
        create_user(s, admin, "zhangsan", "clerk", "Clerk#2026")
        set_active(s, admin, "zhangsan", False)
    with pytest.raises(AuthenticationError, match="停用"), db.session() as s:
        authenticate(s, "zhangsan", "Clerk#2026")
    with db.session() as s:
        assert s.query(User).filter_by(username="zhangsan").one().active is False


def test_only_admin_creates_users(db, admin) -> None:
    with db.session() as s:
        create_user(s, admin, "lufen", "scorer", "Scorer#2026")
    with db.session() as s:
        scorer = authenticate(s, "lufen", "Scorer#2026")
    with pytest.raises(PermissionDenied), db.session() as s:
        create_user(s, scorer, "sneaky", "admin", "Sneaky#2026")


def test_last_admin_cannot_be_disabled(db, admin) -> None:
    with db.session() as s:
        create_user(s, admin, "admin2", "admin", "Admin2#2026")
    with db.session() as s:
        other = authenticate(s, "admin2", "Admin2#2026")
    with db.session() as s:
        set_active(s, other, "admin", False)
    with pytest.raises(PermissionDenied, match="已被停用"), db.session() as s:
        set_active(s, admin, "admin2", False)  # a disabled administrator can no longer act
    with pytest.raises(ValidationError, match="最后一个"), db.session() as s:
        set_role(s, other, "admin2", "clerk")


def test_disabled_or_demoted_account_acts_as_it_is_now(db, admin) -> None:  # type: ignore[no-untyped-def]
    """An actor held since login (an open window, a long CLI run) is checked against the account
    as it is at each service call: disabled, it can do nothing; given another role, it has that
    role's rights — and each refusal is audited."""
    from sqlalchemy import select

    from app.services.catalogue import OccupationInput, create_occupation
    from app.services.users import list_users

    with db.session() as s:
        create_user(s, admin, "clerk1", "clerk", "Clerk#2026x")
    with db.session() as s:
        clerk = authenticate(s, "clerk1", "Clerk#2026x")
    with db.session() as s:  # as a clerk: may keep the occupation catalogue
        create_occupation(s, clerk, OccupationInput("6-31-01-03", "电工", False, []))
        set_role(s, admin, "clerk1", "scorer")
    with pytest.raises(PermissionDenied, match="录分员「clerk1」"), db.session() as s:
        create_occupation(s, clerk, OccupationInput("6-31-01-04", "钳工", False, []))
    with db.session() as s:
        assert [u.username for u in list_users(s, clerk)]  # reading is still a scorer's right
        set_active(s, admin, "clerk1", False)
    with pytest.raises(PermissionDenied, match="已被停用"), db.session() as s:
        list_users(s, clerk)
    with db.session() as s:
        denied = s.scalars(select(AuditEntry).where(AuditEntry.action == "permission.denied")).all()
    assert [d.username for d in denied] == ["clerk1", "clerk1"]
