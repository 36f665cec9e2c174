"""People: personal data access. Issue #5 adds the roster editing and imports here."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.errors import NotFoundError
from app.models import Person
from app.services.actor import Actor
from app.services.audit import record
from app.services.permissions import Perm, require


def reveal_id_number(session: Session, actor: Actor, person_id: int, purpose: str = "") -> str:
    """The full ID number, for roles that need it; every viewing is audited (who, whose, why)."""
    require(session, actor, Perm.VIEW_FULL_ID, what="查看完整证件号码")
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"找不到编号为 {person_id} 的人员。")
    record(session, actor, "person.reveal_id", entity="person", entity_id=person.id, person_id=person.id,
           summary={"name": person.name}, reason=purpose)
    return person.id_number
