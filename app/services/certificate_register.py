"""The certificate register: lists of certificates (a batch's, or all, paged and searched) and
what the register says of one number — valid, voided, replaced by which."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.models import (
    Certificate,
    CertificatePrint,
    Person,
)
from app.models.enums import CERTIFICATE_STATUS_NAMES
from app.rules.id_types import id_type_name
from app.rules.idcard import mask_id
from app.rules.levels import level_name
from app.services.actor import Actor
from app.services.batch_workflow import get_batch
from app.services.listing import person_search, sees_full_ids
from app.services.permissions import Perm, require


@dataclass(frozen=True)
class CertificateRow:
    id: int
    number: str
    name: str
    id_type: str
    id_number: str  # masked
    level: int
    level_name: str
    issue_date: dt.date
    status: str
    status_name: str
    void_reason: str
    content_sha256: str
    prints: int
    replaces: str = ""  # the voided certificate this one replaces (换发自)
    replaced_by: str = ""  # the certificate that replaced this voided one (已换发为)

    @property
    def replacement_note(self) -> str:
        if self.replaced_by:
            return f"已换发为 {self.replaced_by}"
        return f"换发自 {self.replaces}" if self.replaces else ""

    def as_dict(self) -> dict[str, object]:
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class RegisterEntry:
    """What this site's own records say of a certificate number. A QR signature proves the
    content was issued; only the register knows whether the certificate was voided since."""

    number: str
    status: str
    void_reason: str
    replaced_by: str  # the replacement's number (换发), if any

    @property
    def voided(self) -> bool:
        return self.status == "voided"

    def voided_message(self) -> str:
        text = f"签名正确，但本机构已将证书 {self.number} 作废（理由：{self.void_reason}）"
        if self.replaced_by:
            text += f"，已换发为 {self.replaced_by}"
        return text + "。该证书不再有效。"


def register_entry(session: Session, number: str) -> RegisterEntry | None:
    """The certificate's status in this database; None when it was not issued here."""
    cert = session.scalar(select(Certificate).where(Certificate.number == number.strip().upper()))
    if cert is None:
        return None
    newer = session.scalar(select(Certificate.number).where(Certificate.replaces_id == cert.id))
    return RegisterEntry(cert.number, cert.status, cert.void_reason, newer or "")


def query_rows(session: Session, ids: Sequence[int] | None = None, batch_id: int | None = None,
          *, offset: int = 0, limit: int | None = None, search: str | None = None,
          actor: Actor | None = None) -> list[CertificateRow]:
    prints = (
        select(CertificatePrint.certificate_id, func.count().label("n"))
        .group_by(CertificatePrint.certificate_id)
        .subquery()
    )
    replaced, replacement = aliased(Certificate), aliased(Certificate)
    q = (
        select(Certificate, Person, prints.c.n, replaced.number, replacement.number)
        .join(Person, Person.id == Certificate.person_id)
        .outerjoin(prints, prints.c.certificate_id == Certificate.id)
        .outerjoin(replaced, replaced.id == Certificate.replaces_id)
        .outerjoin(replacement, replacement.replaces_id == Certificate.id)
        .order_by(Certificate.number)
    )
    if ids is not None:
        q = q.where(Certificate.id.in_(list(ids)))
    if batch_id is not None:
        q = q.where(Certificate.batch_id == batch_id)
    q = _search(q, search, actor)
    if offset or limit is not None:
        q = q.offset(offset).limit(limit)
    return [
        CertificateRow(c.id, c.number, p.name, id_type_name(p.id_type), mask_id(p.id_number),
                       c.level, level_name(c.level), c.issue_date, c.status,
                       CERTIFICATE_STATUS_NAMES.get(c.status, c.status), c.void_reason, c.content_sha256, n or 0,
                       old or "", new or "")
        for c, p, n, old, new in session.execute(q).all()
    ]


def _search(q, search: str | None, actor: Actor | None = None):  # type: ignore[no-untyped-def]
    """The start of the certificate number, or the holder by the one people search (any part of
    the name, or the whole ID number for an actor who `sees_full_ids`)."""
    term = (search or "").strip()
    holder = person_search(term, by_id=sees_full_ids(actor))
    if holder is None:
        return q
    return q.where(Certificate.number.startswith(term.upper(), autoescape=True) | holder)


def certificate_rows(session: Session, batch_id: int | None, offset: int, limit: int,
                     search: str | None = None, actor: Actor | None = None) -> list[CertificateRow]:
    """One page of certificates by number (a batch's, or all when `batch_id` is None), for lazy
    lists; `search` as in `_search`."""
    return query_rows(session, batch_id=batch_id, offset=offset, limit=limit, search=search,
                      actor=actor)


def certificate_count(session: Session, batch_id: int | None, search: str | None = None,
                      actor: Actor | None = None) -> int:
    q = select(func.count()).select_from(Certificate).join(Person, Person.id == Certificate.person_id)
    if batch_id is not None:
        q = q.where(Certificate.batch_id == batch_id)
    return int(session.scalar(_search(q, search, actor)) or 0)


def list_certificates(session: Session, actor: Actor, batch_id: int | str) -> list[CertificateRow]:
    """Every certificate of the batch, voided ones included, by number (ID numbers masked);
    the actor needs READ."""
    require(session, actor, Perm.READ)
    return query_rows(session, batch_id=get_batch(session, batch_id).id)
