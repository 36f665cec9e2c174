"""`skillsite export org-form`: the organisation's 基本情况表 laid out as the active province's
form (000/002/003 附件1, 001 附件1 备案申请表; the profile's [organisation] table), from the record
and the filed scope (audited)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.reports.org_form import FormLayout, ScopeLine, nature_boxes, org_form_sheets
from app.rules.profile_model import OrganisationFormRule
from app.services.actor import Actor
from app.services.audit import record
from app.services.filed_scope import ScopeRow
from app.services.organisation import check_nature, require_organisation
from app.services.organisation_overview import OrgOverview, organisation_overview
from app.services.permissions import Perm, require


def scope_lines(rows: list[ScopeRow]) -> list[ScopeLine]:
    """The filed entries gathered per occupation and work type, in the scope's order: the levels
    highest first, the earliest start date, the people assessed over all its levels."""
    groups: dict[tuple[int, int | None], list[ScopeRow]] = {}
    for row in rows:
        groups.setdefault((row.occupation_id, row.work_type_id), []).append(row)
    lines = []
    for entries in groups.values():
        first = entries[0]
        entries = sorted(entries, key=lambda r: r.level)  # 1 = 一级/高级技师, the highest
        started = [r.started_on for r in entries if r.started_on is not None]
        lines.append(
            ScopeLine(
                occupation=first.occupation_name,
                work_type=first.work_type or "",
                code=first.occupation_code,
                is_new=first.is_new,
                levels=[r.level_name for r in entries],
                started_on=min(started) if started else None,
                assessed_count=sum(r.assessed_count for r in entries),
                standards=list(dict.fromkeys(r.standard for r in entries if r.standard)),
                subsidised_training=list(
                    dict.fromkeys(r.subsidised_training for r in entries if r.subsidised_training)
                ),
            )
        )
    return lines


def filing_lines(o: OrgOverview) -> list[tuple[str, str]]:
    """The organisation's filing as it stands (not part of the form; shown for checking)."""
    return [
        ("机构类型", f"{o.org_type} {o.org_type_name}"),
        ("评价范围", f"{o.scope_label}（可认定 {'、'.join(map(str, o.allowed_levels))} 级）"),
        ("备案编码", o.filing_code or ""),
        ("备案日期", o.filed_on.isoformat() if o.filed_on else ""),
        ("备案有效期至", o.filing_valid_until.isoformat() if o.filing_valid_until else ""),
    ]


def form_layout(rule: OrganisationFormRule) -> FormLayout:
    return FormLayout(
        rule.title, rule.basics, rule.scope_title, rule.scope_columns, rule.pledge_title,
        rule.pledge, rule.source, rule.form_note,
    )  # fmt: skip


def export_org_form(session: Session, actor: Actor, out_xlsx: str | Path, reason: str = "") -> Path:
    """Write the 基本情况表 as the active profile's form lays it out (基本信息, 职业（工种）情况
    and, where the form has one, 承诺 sheets) to `out_xlsx`."""
    from app.reports.xlsx import write_workbook
    from app.rules.profiles import load_profile

    require(session, actor, Perm.EXPORT, what="导出机构基本情况表")
    require_organisation(session, "导出基本情况表")
    o = organisation_overview(session, actor=actor)
    profile = load_profile(o.profile_name)
    rule = profile.organisation_form
    try:  # a 机构性质 saved under another province's boxes: no box of this form to tick
        check_nature(profile, o.nature, fix="")
    except ValidationError as exc:
        raise ValidationError(
            exc.message + "请先在“机构与备案”页面重新选择机构性质并保存，再导出基本情况表。",
            field="nature",
        ) from None
    lines = scope_lines(o.scope)
    values = o.form_values() | {"nature": nature_boxes(o.nature, rule.natures)}
    capital_label = dict(rule.basics).get("registered_capital", "")
    if values["registered_capital"] and "万元" not in capital_label:  # the seeds' 注册资金
        values["registered_capital"] += " 万元"  # (the unit goes with the value, once)
    sheets = org_form_sheets(form_layout(rule), values, lines, filing_lines(o))
    path = write_workbook(Path(out_xlsx), sheets)
    record(
        session, actor, "organisation.export", entity="organisation",
        summary={"file": path.name, "occupations": len(lines), "scope_entries": len(o.scope)},
        reason=reason,
    )  # fmt: skip
    return path
