"""考评员证书号: one number belongs to one examiner. The person form and the staff import both
ask `certificate_clashes` whether a number may be registered for a person."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ExaminerQualification, Person
from app.rules._text import compact_upper
from app.rules.id_types import id_type_name
from app.rules.idcard import mask_id


@dataclass(frozen=True)
class CertificateHolder:
    """A registered person whose examiner qualification carries a certificate number."""

    person_id: int
    name: str
    id_type: str
    id_number: str


@dataclass(frozen=True)
class CertificateClaim:
    """A certificate number about to be registered for a person: `person_id` if registered,
    `person_key` (ID type, number) as the form or the file gives it; `where` names the claim in
    a message about a later claim ("第 5 行")."""

    number: str
    person_id: int | None = None
    person_key: tuple[str, str] | None = None
    where: str = ""

    def is_by(self, holder: CertificateHolder) -> bool:
        return (self.person_id is not None and holder.person_id == self.person_id) or (
            self.person_key == (holder.id_type, holder.id_number)
        )

    def same_person(self, other: CertificateClaim) -> bool:
        if self.person_id is not None and self.person_id == other.person_id:
            return True
        return self.person_key is not None and self.person_key == other.person_key


def certificate_key(number: str) -> str:
    """The form two certificate numbers are compared in: half-width, no spaces, upper case."""
    return compact_upper(number or "")


def certificate_holders(
    session: Session, numbers: Iterable[str], chunk: int = 400
) -> dict[str, list[CertificateHolder]]:
    """The people holding each of `numbers` (by `certificate_key`), in id order."""
    keys = sorted({certificate_key(n) for n in numbers} - {""})
    stored = func.upper(func.replace(ExaminerQualification.certificate_no, " ", ""))
    out: dict[str, list[CertificateHolder]] = {}
    for i in range(0, len(keys), chunk):
        stmt = (
            select(stored, Person.id, Person.name, Person.id_type, Person.id_number)
            .join(Person, Person.id == ExaminerQualification.person_id)
            .where(stored.in_(keys[i : i + chunk]))
            .distinct()
            .order_by(Person.id)
        )
        for key, person_id, name, id_type, id_number in session.execute(stmt):
            holder = CertificateHolder(person_id, name, id_type, id_number)
            if holder not in out.setdefault(key, []):
                out[key].append(holder)
    return out


def certificate_taken(number: str, holder: CertificateHolder) -> str:
    return (
        f"考评员证书号“{number}”已登记在“{holder.name}”"
        f"（{id_type_name(holder.id_type)} {mask_id(holder.id_number)}）名下："
        "一个证书号只属于一位考评员。请核对证书号；如是同一人，请修改已登记的人员，不要重复登记"
    )


def certificate_clashes(session: Session, claims: Sequence[CertificateClaim]) -> list[str | None]:
    """Per claim, why its certificate number cannot be registered for that person (None: it can).

    A number belongs to one person: refused when somebody else holds it in the database, or,
    for a number not registered yet, when an earlier claim gives it to somebody else. A number
    the claimant already holds stays allowed even if another person holds it too (registered
    before this rule): editing that person's phone must not be blocked by it. Messages end
    without a full stop (the import's style).
    """
    holders = certificate_holders(session, (c.number for c in claims))
    first: dict[str, CertificateClaim] = {}
    out: list[str | None] = []
    for claim in claims:
        key = certificate_key(claim.number)
        problem = None
        held = holders.get(key, [])
        if held:  # registered: its holder may claim it again, nobody else
            if not any(claim.is_by(h) for h in held):
                problem = certificate_taken(claim.number, held[0])
        elif key:  # new: the first claim takes it
            earlier = first.setdefault(key, claim)
            if not earlier.same_person(claim):
                problem = (
                    f"考评员证书号“{claim.number}”已在{earlier.where or '前面'}填写给另一人员："
                    "一个证书号只属于一位考评员。请核对证书号"
                )
        out.append(problem)
    return out
