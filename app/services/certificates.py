"""Issuing, replacing (换发) and voiding certificates (#8).

Numbers: 13-character filing code + 2-digit year + level + 6-digit serial in the profile's
serial scope (app.services.numbering). The serial is taken in the same transaction that stores
the certificate; on SQLite every transaction is BEGIN IMMEDIATE and on PostgreSQL the counter row
is locked, so two processes never get one number twice, and a rolled-back issue leaves no gap.
A number is never reused: a voided certificate keeps its number and stays listed; a replacement
gets a new number and names the certificate it replaces.

At issue the certificate's own full-page PDF is rendered (deterministic) and its SHA-256 kept
in `content_sha256` (app.services.certificate_printing checks it before a reprint).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError, ValidationError
from app.models import (
    Batch,
    Certificate,
    Enrolment,
    Person,
    Photo,
)
from app.models.enums import BATCH_STATUS_ORDER, BatchStatus
from app.printing.render import check_printable, content_sha256
from app.printing.template import CertificateData
from app.rules.codes import compose_certificate_number
from app.rules.id_types import id_type_name
from app.rules.levels import level_name
from app.rules.profiles import load_profile
from app.services.actor import Actor
from app.services.audit import record
from app.services.batch_workflow import get_batch, set_status, status_name
from app.services.certificate_printing import batch_context, certificate_data, render_env
from app.services.certificate_register import CertificateRow, query_rows
from app.services.numbering import next_serial, serial_scope_key
from app.services.permissions import Perm, require
from app.services.signing import Signer


@dataclass(frozen=True)
class IssuedCertificate:
    id: int
    number: str
    name: str
    enrolment_id: int


@dataclass(frozen=True)
class IssueResult:
    batch_id: int
    batch_code: str
    issued: list[IssuedCertificate]
    skipped: int  # passed candidates who already had a certificate
    remaining: int  # passed candidates still without one (blocked, or beyond `limit`)
    blocked: list[str] = field(default_factory=list)  # why some could not be issued
    batch_status: str = ""
    cancelled: bool = False  # stopped by the user; the ones issued so far are kept


class _Issuer:
    """Numbers and stores certificates of one batch: the checks, the serial and the audit entry
    shared by first issue and replacement (换发)."""

    def __init__(self, session: Session, actor: Actor, batch: Batch, *, draw: bool,
                 signer: Signer | None = None, fix_content: bool = True) -> None:
        self.session, self.actor, self.batch = session, actor, batch
        self.org, self.occupation, self.work_type = batch_context(session, batch)
        if not self.org.filing_code:
            raise ValidationError(
                f"机构“{self.org.name}”还没有备案编码：请先在机构信息中填写13位备案编码。")
        self.profile = load_profile(self.org.profile_name)
        self.fix_content = fix_content
        self.env = (render_env(session, actor, self.org, signer=signer, sign=fix_content)
                    if draw else None)

    def problems(self, person: Person, issue_date: dt.date) -> list[str]:
        """Why this person's certificate cannot be drawn (a character no font has …), if so."""
        if self.env is None:
            return []
        probe = CertificateData(person.name, id_type_name(person.id_type), person.id_number,
                                self.occupation, self.work_type, level_name(self.batch.level), "",
                                issue_date, self.org.name)
        return check_printable(probe, self.env.chain)

    def issue(self, enrolment: Enrolment, person: Person, issue_date: dt.date, *,
              replaces: Certificate | None = None, reason: str = "") -> Certificate:
        """The next number in the profile's serial scope, the certificate, its audit entry."""
        batch = self.batch
        key = serial_scope_key(self.profile.serial.scope, self.org.filing_code, issue_date.year,
                               batch.level)
        serial = next_serial(self.session, key)
        number = compose_certificate_number(self.profile, self.org.filing_code, issue_date.year,
                                            batch.level, serial)
        if self.session.scalar(select(Certificate.id).where(Certificate.number == number)):
            raise ValidationError(
                f"证书编号 {number} 已被使用过（流水号计数器 {key} 可能被改动）。"
                "证书编号不得重复使用：请联系管理员核对流水号。"
            )
        cert = Certificate(number=number, enrolment_id=enrolment.id, person_id=person.id,
                           batch_id=batch.id, level=batch.level, issue_date=issue_date,
                           replaces_id=replaces.id if replaces else None)
        if self.env is not None and self.fix_content:
            photo = self.session.get(Photo, person.id)
            data = certificate_data(cert, person, photo.data if photo else None, self.org.name,
                         self.occupation, self.work_type, self.env.signer)
            cert.content_sha256 = content_sha256(data, self.env.template, self.env.chain)
        self.session.add(cert)
        summary = {"number": number, "name": person.name, "serial_scope": key}
        if replaces is None:
            record(self.session, self.actor, "certificate.issue", cert, summary=summary)
        else:
            record(self.session, self.actor, "certificate.reissue", cert,
                   summary={**summary, "replaces": replaces.number}, reason=reason)
        return cert


def issue_certificates(
    session: Session,
    actor: Actor,
    batch_id: int | str,
    issue_date: dt.date | None = None,
    *,
    limit: int | None = None,
    signer: Signer | None = None,
    fix_content: bool = True,
    progress: Callable[[int, int], bool] | None = None,
) -> IssueResult:
    """Number and issue certificates to the batch's passed candidates who have none yet.

    The batch must be 结果已报备 or later; it becomes 已发证 once every passed candidate has a
    certificate. `limit` issues at most that many in this transaction (re-running continues).
    A candidate whose name or data a certificate font cannot draw is not issued (see `blocked`).
    `fix_content=False` skips rendering/signing at issue (content_sha256 stays empty).
    A candidate whose certificate was voided gets a new one only by `reissue_certificate`.
    `progress(done, total)` is called before each candidate; when it returns False issuing stops
    there and the certificates issued so far are kept (re-running continues after them).
    """
    batch = get_batch(session, batch_id)
    require(session, actor, Perm.ISSUE_CERTIFICATES, batch_id=batch.id, what=f"批次 {batch.code}")
    if BATCH_STATUS_ORDER.index(BatchStatus(batch.status)) < BATCH_STATUS_ORDER.index(
        BatchStatus.RESULTS_FILED
    ):
        raise ValidationError(
            f"批次「{batch.code}」当前为“{status_name(batch.status)}”：须先完成结果报备，才能发放证书。"
        )
    # Two PCs issuing the same batch at once (PostgreSQL) wait for each other here, so the
    # second sees the first one's certificates and nobody gets two.
    session.execute(select(Batch.id).where(Batch.id == batch.id).with_for_update())
    issue_date = issue_date or dt.date.today()
    if batch.results_filed_on and issue_date < batch.results_filed_on:
        raise ValidationError(
            f"发证日期 {issue_date:%Y-%m-%d} 早于批次结果报备日期 {batch.results_filed_on:%Y-%m-%d}，请核对。"
        )
    passed = session.execute(
        select(Enrolment, Person)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.batch_id == batch.id, Enrolment.result == "pass")
        .order_by(Enrolment.admission_no, Enrolment.id)
    ).all()
    if not passed:
        raise ValidationError(f"批次「{batch.code}」没有合格考生，无证书可发。")
    have = set(
        session.scalars(select(Certificate.enrolment_id).where(Certificate.batch_id == batch.id))
    )
    todo = [(e, p) for e, p in passed if e.id not in have]
    issuer = _Issuer(session, actor, batch, draw=bool(todo), signer=signer, fix_content=fix_content)
    issued: list[IssuedCertificate] = []
    blocked: list[str] = []
    cancelled = False
    for done, (enrolment, person) in enumerate(todo):
        if limit is not None and len(issued) >= limit:
            break
        if progress is not None and not progress(done, len(todo)):
            cancelled = True
            break
        problems = issuer.problems(person, issue_date)
        if problems:
            blocked += problems
            continue
        cert = issuer.issue(enrolment, person, issue_date)
        issued.append(IssuedCertificate(cert.id, cert.number, person.name, enrolment.id))
    remaining = len(todo) - len(issued)
    if remaining == 0 and batch.status == BatchStatus.RESULTS_FILED:
        set_status(session, actor, batch, BatchStatus.CERTIFIED,
                   reason=f"已发放证书 {len(have) + len(issued)} 本")
    if progress is not None and not cancelled:
        progress(len(todo), len(todo))
    return IssueResult(batch.id, batch.code, issued, len(have), remaining, blocked, batch.status,
                       cancelled)


def reissue_certificate(
    session: Session,
    actor: Actor,
    number: str,
    reason: str,
    issue_date: dt.date | None = None,
    *,
    signer: Signer | None = None,
) -> IssuedCertificate:
    """换发: a replacement for a voided certificate, with a new number (numbers are never reused).

    The replacement carries the holder's data as it is now (e.g. a corrected name), the issue
    date given (today by default) and names the certificate it replaces; a voided certificate is
    replaced at most once, and only while its holder still passed and has no valid certificate.
    """
    # Locked (PostgreSQL; SQLite serialises every write): two PCs replacing the same voided
    # certificate at once get one replacement and a clear message, not a constraint error.
    old = _get_by_number(session, number, for_update=True)
    batch = get_batch(session, old.batch_id)
    require(session, actor, Perm.ISSUE_CERTIFICATES, batch_id=batch.id, what=f"证书 {old.number}")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("换发证书必须填写理由（将记入审计日志）。", field="reason")
    if old.status != "voided":
        raise ValidationError(
            f"证书 {old.number} 仍然有效：须先将其作废（编号保留、不再使用），才能换发新证。")
    newer = session.scalar(select(Certificate.number).where(Certificate.replaces_id == old.id))
    if newer:
        raise ValidationError(
            f"证书 {old.number} 已换发为 {newer}，不能再次换发。如新证有误，请作废新证后对新证换发。")
    enrolment = session.get(Enrolment, old.enrolment_id)
    person = session.get(Person, old.person_id)
    assert enrolment is not None and person is not None
    if enrolment.result != "pass":
        raise ValidationError(
            f"{person.name}在批次「{batch.code}」的认定结果已不是合格，不能换发证书。")
    valid = session.scalar(select(Certificate.number).join(Batch, Certificate.batch_id == Batch.id)
                           .where(Certificate.person_id == person.id,
                                  Certificate.status == "issued",
                                  Certificate.level <= old.level,
                                  Batch.occupation_id == batch.occupation_id))
    if valid:  # this batch's, or one as high or higher from a later batch of the occupation
        raise ValidationError(
            f"{person.name}已持有本职业同级或更高等级的有效证书 {valid}，不能再换发。")
    issue_date = issue_date or dt.date.today()
    if issue_date < old.issue_date:
        raise ValidationError(
            f"换发日期 {issue_date:%Y-%m-%d} 早于原证书的发证日期 {old.issue_date:%Y-%m-%d}，请核对。")
    issuer = _Issuer(session, actor, batch, draw=True, signer=signer)
    problems = issuer.problems(person, issue_date)
    if problems:
        raise ValidationError("证书无法生成，未换发：\n" + "\n".join(problems))
    cert = issuer.issue(enrolment, person, issue_date, replaces=old, reason=reason)
    return IssuedCertificate(cert.id, cert.number, person.name, enrolment.id)


def _get_by_number(session: Session, number: str, *, for_update: bool = False) -> Certificate:
    q = select(Certificate).where(Certificate.number == number.strip().upper())
    cert = session.scalar(q.with_for_update() if for_update else q)
    if cert is None:
        raise NotFoundError(f"找不到证书编号为“{number}”的证书。")
    return cert


def void_certificate(session: Session, actor: Actor, number: str, reason: str) -> CertificateRow:
    """Void a certificate: it keeps its number (never reused) and stays listed."""
    cert = _get_by_number(session, number)
    require(session, actor, Perm.VOID_CERTIFICATE, batch_id=cert.batch_id, what=f"证书 {cert.number}")
    if not reason or not reason.strip():
        raise ValidationError("作废证书必须填写理由（将记入审计日志）。", field="reason")
    if cert.status == "voided":
        raise ValidationError(f"证书 {cert.number} 已于此前作废（理由：{cert.void_reason}）。")
    cert.status = "voided"
    cert.void_reason = reason.strip()
    record(session, actor, "certificate.void", cert, summary={"number": cert.number},
           reason=reason.strip())
    return query_rows(session, [cert.id])[0]
