"""Issuing, voiding, listing and printing certificates (#8).

Numbers: 13-character filing code + 2-digit year + level + 6-digit serial in the profile's
serial scope (app.services.numbering). The serial is taken in the same transaction that stores
the certificate; on SQLite every transaction is BEGIN IMMEDIATE and on PostgreSQL the counter row
is locked, so two processes never get one number twice, and a rolled-back issue leaves no gap.
A number is never reused: a voided certificate keeps its number and stays listed.

At issue the certificate's own full-page PDF is rendered (deterministic) and its SHA-256 kept
in `content_sha256`; `check_content` re-renders from stored data and compares before a reprint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.errors import NotFoundError, ValidationError
from app.models import (
    Batch,
    Certificate,
    CertificatePrint,
    Enrolment,
    Occupation,
    Organisation,
    Person,
    Photo,
    Setting,
    WorkType,
)
from app.models.enums import BATCH_STATUS_ORDER, CERTIFICATE_STATUS_NAMES, BatchStatus
from app.printing.fonts import FontChain, resolve_chain
from app.printing.render import Offset, check_printable, content_sha256
from app.printing.template import CertificateData, Template, load_template
from app.rules.codes import compose_certificate_number
from app.rules.id_types import id_type_name
from app.rules.idcard import mask_id
from app.rules.levels import level_name
from app.rules.profiles import load_profile
from app.services.actor import Actor
from app.services.audit import record
from app.services.batch_workflow import get_batch, set_status, status_name
from app.services.numbering import next_serial, serial_scope_key
from app.services.permissions import Perm, require
from app.services.signing import QrFields, Signer, load_signer

PrintKind = Literal["full", "overlay", "electronic"]


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
class RenderEnv:
    """What drawing a certificate needs: the template, the font chain and the signing key."""

    template: Template
    chain: FontChain
    signer: Signer | None


def render_env(session: Session, actor: Actor, org: Organisation, *, signer: Signer | None = None,
               sign: bool = True) -> RenderEnv:
    """The organisation profile's template and font chain; the signing key (created on first use)."""
    from app.services.signing import data_dir_of

    profile = load_profile(org.profile_name)
    site_templates = data_dir_of(session) / "templates"
    template = load_template(profile.certificate.template, extra_dirs=(site_templates,))
    chain = resolve_chain(profile.certificate.fonts)
    if sign and signer is None:
        signer = load_signer(session, actor)
    return RenderEnv(template, chain, signer)


def _batch_context(session: Session, batch: Batch) -> tuple[Organisation, str, str]:
    org = session.get(Organisation, batch.organisation_id)
    occ = session.get(Occupation, batch.occupation_id)
    wt = session.get(WorkType, batch.work_type_id) if batch.work_type_id else None
    assert org is not None and occ is not None
    return org, occ.name, wt.name if wt else ""


def _data(cert: Certificate, person: Person, photo: bytes | None, org_name: str, occupation: str,
          work_type: str, signer: Signer | None) -> CertificateData:
    payload = ""
    if signer is not None:
        payload = signer.sign(QrFields(cert.number, person.name, cert.level, occupation, work_type,
                                       cert.issue_date, mask_id(person.id_number)))
    return CertificateData(
        name=person.name,
        id_type_name=id_type_name(person.id_type),
        id_number=person.id_number,
        occupation=occupation,
        work_type=work_type,
        level_name=level_name(cert.level),
        number=cert.number,
        issue_date=cert.issue_date,
        org_name=org_name,
        photo=photo,
        qr_payload=payload,
    )


class _Issuer:
    """Numbers and stores certificates of one batch: the checks, the serial and the audit entry
    shared by first issue and replacement (换发)."""

    def __init__(self, session: Session, actor: Actor, batch: Batch, *, draw: bool,
                 signer: Signer | None = None, fix_content: bool = True) -> None:
        self.session, self.actor, self.batch = session, actor, batch
        self.org, self.occupation, self.work_type = _batch_context(session, batch)
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
            data = _data(cert, person, photo.data if photo else None, self.org.name,
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
    return _rows(session, [cert.id])[0]


def _rows(session: Session, ids: Sequence[int] | None = None, batch_id: int | None = None,
          *, offset: int = 0, limit: int | None = None, search: str | None = None,
          ) -> list[CertificateRow]:
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
    q = _search(q, search)
    if offset or limit is not None:
        q = q.offset(offset).limit(limit)
    return [
        CertificateRow(c.id, c.number, p.name, id_type_name(p.id_type), mask_id(p.id_number),
                       c.level, level_name(c.level), c.issue_date, c.status,
                       CERTIFICATE_STATUS_NAMES.get(c.status, c.status), c.void_reason, c.content_sha256, n or 0,
                       old or "", new or "")
        for c, p, n, old, new in session.execute(q).all()
    ]


def _search(q, search: str | None):  # type: ignore[no-untyped-def]
    term = (search or "").strip()
    if not term:
        return q
    return q.where(Certificate.number.startswith(term.upper(), autoescape=True)
                   | Person.name.startswith(term, autoescape=True))


def certificate_rows(session: Session, batch_id: int | None, offset: int, limit: int,
                     search: str | None = None) -> list[CertificateRow]:
    """One page of certificates by number (a batch's, or all when `batch_id` is None), for lazy
    lists; `search` matches the start of the number or the holder's name."""
    return _rows(session, batch_id=batch_id, offset=offset, limit=limit, search=search)


def certificate_count(session: Session, batch_id: int | None, search: str | None = None) -> int:
    q = select(func.count()).select_from(Certificate).join(Person, Person.id == Certificate.person_id)
    if batch_id is not None:
        q = q.where(Certificate.batch_id == batch_id)
    return int(session.scalar(_search(q, search)) or 0)


def list_certificates(session: Session, batch_id: int | str) -> list[CertificateRow]:
    """Every certificate of the batch, voided ones included, by number (ID numbers masked)."""
    return _rows(session, batch_id=get_batch(session, batch_id).id)


def _certificate_ids(session: Session, batch_id: int, include_voided: bool,
                     numbers: Sequence[str] | None) -> list[int]:
    q = select(Certificate.id).where(Certificate.batch_id == batch_id).order_by(Certificate.number)
    if not include_voided:
        q = q.where(Certificate.status == "issued")
    if numbers is not None:
        q = q.where(Certificate.number.in_([n.strip().upper() for n in numbers]))
    return list(session.scalars(q))


def printable_count(session: Session, batch_id: int | str,
                    numbers: Sequence[str] | None = None) -> int:
    """How many certificates `iter_certificate_data` will give (for a progress bar)."""
    return len(_certificate_ids(session, get_batch(session, batch_id).id, False, numbers))


def iter_certificate_data(
    session: Session, batch_id: int | str, env: RenderEnv, *, include_voided: bool = False,
    numbers: Sequence[str] | None = None, chunk: int = 200,
) -> Iterator[tuple[Certificate, CertificateData]]:
    """The batch's certificates with their printable data, read `chunk` at a time (photos too),
    so a batch of any size streams in flat memory."""
    batch = get_batch(session, batch_id)
    org, occupation, work_type = _batch_context(session, batch)
    ids = _certificate_ids(session, batch.id, include_voided, numbers)
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        rows = session.execute(
            select(Certificate, Person, Photo.data)
            .join(Person, Person.id == Certificate.person_id)
            .outerjoin(Photo, Photo.person_id == Person.id)
            .where(Certificate.id.in_(part))
            .order_by(Certificate.number)
        ).all()
        for cert, person, photo in rows:
            yield cert, _data(cert, person, photo, org.name, occupation, work_type, env.signer)
        session.expunge_all()  # keep the identity map (and the photos) from growing


@dataclass(frozen=True)
class ContentCheck:
    number: str
    expected: str
    actual: str

    @property
    def ok(self) -> bool:
        return not self.expected or self.expected == self.actual

    @property
    def message(self) -> str:
        if not self.expected:
            return f"证书 {self.number} 发证时未固定内容摘要，无法比对。"
        if self.ok:
            return f"证书 {self.number} 与发证时内容一致。"
        return (f"证书 {self.number} 按现存数据重新生成的 PDF 与发证时不一致（SHA-256 不同）："
                "证书数据在发证后被改动，或本机证书字体/模板与发证时不同。请核对后再补打。")


def check_content(cert: Certificate, data: CertificateData, env: RenderEnv) -> ContentCheck:
    """Re-render the certificate from stored data and compare with the SHA-256 kept at issue."""
    return ContentCheck(cert.number, cert.content_sha256, content_sha256(data, env.template, env.chain))


def record_print(
    session: Session,
    actor: Actor,
    certificate_ids: Sequence[int],
    printer: str,
    copies: int = 1,
    kind: PrintKind = "full",
    reason: str = "",
) -> list[CertificatePrint]:
    """Log a print of each certificate (audited). A reprint — a certificate printed before —
    needs a reason; a voided certificate is never printed."""
    require(session, actor, Perm.PRINT_CERTIFICATES, what="打印证书")
    if kind not in ("full", "overlay", "electronic"):
        raise ValidationError(f"打印方式“{kind}”无效：应为 full、overlay 或 electronic。")
    if copies < 1:
        raise ValidationError("打印份数至少为 1。")
    certs = session.scalars(select(Certificate).where(Certificate.id.in_(list(certificate_ids)))).all()
    missing = set(certificate_ids) - {c.id for c in certs}
    if missing:
        raise NotFoundError(f"找不到证书（序号 {'、'.join(map(str, sorted(missing)))}）。")
    voided = [c.number for c in certs if c.status == "voided"]
    if voided:
        raise ValidationError(f"证书 {'、'.join(voided)} 已作废，不能打印。")
    printed = set(session.scalars(
        select(CertificatePrint.certificate_id).where(
            CertificatePrint.certificate_id.in_([c.id for c in certs]))
    ))
    reprints = [c.number for c in certs if c.id in printed]
    if reprints and not reason.strip():
        raise ValidationError(
            f"证书 {'、'.join(reprints[:5])}{' 等' if len(reprints) > 5 else ''}已打印过，补打须填写理由。",
            field="reason",
        )
    out = []
    # The pages are already printed: the log must be written, so an over-long printer name
    # (the column holds 200 characters) is shortened rather than refused.
    printer = printer if len(printer) <= 200 else printer[:199] + "…"
    for c in sorted(certs, key=lambda c: c.number):
        row = CertificatePrint(certificate_id=c.id, user_id=actor.user_id, printer=printer,
                               copies=copies, kind=kind, reason=reason.strip())
        session.add(row)
        record(session, actor, "certificate.reprint" if c.id in printed else "certificate.print",
               row, summary={"number": c.number, "printer": printer, "copies": copies, "kind": kind},
               reason=reason.strip(), batch_id=c.batch_id, person_id=c.person_id)
        out.append(row)
    return out


# --- printer offsets (套打) --------------------------------------------------------------------

_OFFSET_PREFIX = "printer_offset:"
_SETTING_KEY_MAX = 80  # setting.key's length


def _offset_key(printer: str) -> str:
    """The setting that holds a printer's offset; a name too long for the key (network printers
    can have long names) is stored under a digest of the name instead."""
    key = _OFFSET_PREFIX + printer.strip()
    if len(key) <= _SETTING_KEY_MAX:
        return key
    return _OFFSET_PREFIX + "sha256:" + hashlib.sha256(printer.strip().encode()).hexdigest()[:48]


def printer_offset(session: Session, printer: str) -> Offset:
    row = session.get(Setting, _offset_key(printer))
    if row is None and len(_OFFSET_PREFIX + printer) > _SETTING_KEY_MAX:
        # saved by an older version under the full name (SQLite stored the long key)
        row = session.get(Setting, _OFFSET_PREFIX + printer) or session.get(
            Setting, _OFFSET_PREFIX + printer.strip())
    if row is None or not row.value:
        return Offset()
    dx, _, dy = row.value.partition(",")
    return Offset(int(dx), int(dy))


def set_printer_offset(session: Session, actor: Actor, printer: str, dx_tenths: int,
                       dy_tenths: int) -> Offset:
    """Store a printer's overlay offset (0.1 mm steps, at most ±20 mm) — audited."""
    require(session, actor, Perm.MANAGE_SETTINGS, what="设置套打偏移")
    if not printer.strip():
        raise ValidationError("请填写打印机名称。")
    for v in (dx_tenths, dy_tenths):
        if isinstance(v, bool) or not isinstance(v, int) or abs(v) > 200:
            raise ValidationError("套打偏移应为 -20.0 至 +20.0 毫米（以 0.1 毫米为单位的整数）。")
    key = _offset_key(printer)
    row = session.get(Setting, key)
    old = row.value if row else None
    value = f"{dx_tenths},{dy_tenths}"
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    session.flush()
    record(session, actor, "setting.set", entity="setting",
           summary={"key": key, "printer": printer.strip(), "from": old, "to": value})
    return Offset(dx_tenths, dy_tenths)
