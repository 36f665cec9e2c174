"""What printing certificates needs: the template, fonts and signing key (`render_env`), each
certificate's printable data streamed from the database, the content check before a reprint
(the stored SHA-256 of the certificate's own PDF), the print log, and printers' 套打 offsets."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError, ValidationError
from app.models import (
    Batch,
    Certificate,
    CertificatePrint,
    Occupation,
    Organisation,
    Person,
    Photo,
    Setting,
    WorkType,
)
from app.printing.fonts import FontChain, resolve_chain
from app.printing.render import Offset, content_sha256
from app.printing.template import CertificateData, Template, load_template
from app.rules.id_types import id_type_name
from app.rules.idcard import mask_id
from app.rules.levels import level_name
from app.rules.profiles import load_profile
from app.services.actor import Actor
from app.services.audit import record
from app.services.batch_workflow import get_batch
from app.services.permissions import Perm, require
from app.services.signing import QrFields, Signer, load_signer

PrintKind = Literal["full", "overlay", "electronic"]


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


def batch_context(session: Session, batch: Batch) -> tuple[Organisation, str, str]:
    org = session.get(Organisation, batch.organisation_id)
    occ = session.get(Occupation, batch.occupation_id)
    wt = session.get(WorkType, batch.work_type_id) if batch.work_type_id else None
    assert org is not None and occ is not None
    return org, occ.name, wt.name if wt else ""


def certificate_data(cert: Certificate, person: Person, photo: bytes | None, org_name: str, occupation: str,
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
    org, occupation, work_type = batch_context(session, batch)
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
            yield cert, certificate_data(cert, person, photo, org.name, occupation, work_type, env.signer)
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
