"""The organisation's filing record (机构与备案): the 基本情况表, the filing code and validity,
机构级别. The filed scope is in `filed_scope`, the overview shown by `org show` in
`organisation_overview`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import Organisation
from app.rules.levels import check_scope_region, unknown_scope
from app.rules.profile_model import LevelScope, Profile
from app.services.actor import Actor
from app.services.audit import record
from app.services.permissions import Perm, require
from app.services.phone import check_phone


@dataclass
class OrgInput:
    name: str
    org_type: str = "S"
    profile_name: str = "national"
    scope_level: str = "city"
    filing_code: str | None = None
    credit_code: str | None = None
    address: str = ""
    registration_authority: str = ""
    nature: str = ""
    legal_representative: str = ""
    registered_capital: Decimal | None = None
    contact_person: str = ""
    contact_title: str = ""
    phone: str = ""
    mobile: str = ""  # 联系人手机 (Guizhou's 备案申请表, 001 附件1 一)
    email: str = ""
    website: str = ""  # 网站 (001 附件1 一)
    filed_on: dt.date | None = None
    filing_valid_until: dt.date | None = None


def get_organisation(session: Session) -> Organisation | None:
    """The organisation this installation serves (one per database)."""
    return session.scalar(select(Organisation).order_by(Organisation.id).limit(1))


# The seeds' wording for a rule they do not state (profile_model: sources "未规定/惯例…").
UNSTATED_RULE = "未规定/惯例"


def require_organisation(session: Session, action: str = "维护备案范围") -> Organisation:
    """The organisation, or a ValidationError saying to fill it in first, then do ``action``."""
    org = get_organisation(session)
    if org is None:
        raise ValidationError(
            f"尚未登记评价机构信息：请先在“机构与备案”中填写机构信息（名称、类型、省份规则），再{action}。"
        )
    return org


def _capital_limit() -> tuple[Decimal, int]:
    """(smallest value too large, decimal places) of the registered-capital column (Numeric(14, 2))."""
    column_type = Organisation.__table__.c.registered_capital.type
    precision, scale = column_type.precision, column_type.scale
    return Decimal(10) ** (precision - scale), scale


# 注册资金 as typed: 500, 123.45, 500., .5 (and -5, to be told a capital cannot be negative)
_PLAIN_NUMBER: Final = re.compile(r"-?(\d+(\.\d*)?|\.\d+)", re.ASCII)


def _amount(value: object) -> Decimal:
    """The amount of a Decimal, a number, or text of plain digits (full-width digits and
    thousands separators allowed; not 1e9, which Decimal would read as 1000000000, nor 500万)."""
    from app.rules._text import to_halfwidth

    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        plain = to_halfwidth(value).strip().replace(",", "")
        return Decimal(plain) if _PLAIN_NUMBER.fullmatch(plain) else Decimal("NaN")
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal("NaN")


def check_registered_capital(value: object) -> Decimal | None:
    """注册资金 in 万元: finite, not negative, within the column (no silent NULL, no rounding)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    amount = _amount(value)
    what = "请填写以万元为单位的金额，如 500 或 123.45；不知道的可留空。"
    if isinstance(value, bool) or not amount.is_finite():
        raise ValidationError(f"注册资金“{value}”不是有效金额：{what}", field="registered_capital")
    if amount < 0:
        raise ValidationError(
            f"注册资金不能为负数（填写的是 {amount:f} 万元）：{what}", field="registered_capital"
        )
    too_large, places = _capital_limit()
    if amount >= too_large:
        biggest = too_large - Decimal(1).scaleb(-places)
        raise ValidationError(
            f"注册资金 {amount:f} 万元超出可登记的范围（最多 {biggest:f} 万元）："
            "请核对金额，注意单位是万元。",
            field="registered_capital",
        )
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise ValidationError(
            f"注册资金 {amount:f} 万元的小数超过 {places} 位：请最多保留 {places} 位小数。",
            field="registered_capital",
        )
    return amount


def max_filing_years(profile: Profile) -> int | None:
    """The longest filing validity a seed states for ``profile``: Chongqing 不超过3年 (000 二(三);
    004 第十四条), Anhui 备案期限三年 (003 三(三)). None where the profile's years are practice
    ("未规定/惯例": national, Shandong) or the filing continues automatically (Guizhou, 001 五(二))."""
    rule = profile.filing_validity
    if rule.auto_renew or rule.source.startswith(UNSTATED_RULE):
        return None
    return rule.years


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 3, 1)


def _check_date_order(filed_on: dt.date | None, valid_until: dt.date | None) -> None:
    if filed_on is not None and valid_until is not None and valid_until <= filed_on:
        raise ValidationError(
            f"备案有效期至（{valid_until.isoformat()}）不晚于备案日期（{filed_on.isoformat()}）："
            "请按备案回执核对这两个日期。",
            field="filing_valid_until",
        )


EARLIEST_FILING: Final = dt.date(2000, 1, 1)  # a 备案日期 before this is a typing slip


def check_filed_on(filed_on: dt.date | None, today: dt.date | None = None) -> None:
    """备案日期 is a day that has come (the receipt's date), not a slip such as 1900-01-01."""
    today = today or dt.date.today()
    if filed_on is None:
        return
    if filed_on > today:
        raise ValidationError(
            f"备案日期 {filed_on.isoformat()} 晚于今天（{today.isoformat()}）：备案日期是备案回执上"
            "已经完成备案的日期，请按回执核对。",
            field="filed_on",
        )
    if filed_on < EARLIEST_FILING:
        raise ValidationError(
            f"备案日期 {filed_on.isoformat()} 早于 {EARLIEST_FILING.year} 年，多为录入错误："
            "请按备案回执核对年份。",
            field="filed_on",
        )


def check_filing_span(
    profile: Profile, filed_on: dt.date | None, valid_until: dt.date | None
) -> None:
    """备案有效期至 no later than the seed allows after 备案日期 (max_filing_years)."""
    if filed_on is None or valid_until is None:
        return
    years = max_filing_years(profile)
    if years is not None and valid_until > _years_after(filed_on, years):
        rule = profile.filing_validity
        raise ValidationError(
            f"备案有效期过长：备案日期 {filed_on.isoformat()} 至有效期至 {valid_until.isoformat()} "
            f"超过 {years} 年，而{profile.display_name}规定备案有效期不超过 {years} 年（依据：{rule.source}）。"
            "请按备案回执核对日期；已延续（延长）备案的，请填写新备案回执上的备案日期和有效期至。",
            field="filing_valid_until",
        )


def normalised_filing_code(raw: str | None, profile: Profile, org_type: str) -> str | None:
    """The filing code as stored: half-width, upper case, no spaces (what the serial counters and
    certificate numbers are keyed on), valid under ``profile`` and matching the organisation type.
    Blank: None. Raises the rule's ValidationError as it is (callers add what to do)."""
    from app.rules.codes import parse_filing_code

    if raw is None or not raw.strip():
        return None
    code = parse_filing_code(raw, profile).code
    if code[0] != org_type:
        raise ValidationError(
            f"备案编码第 1 位为「{code[0]}」，与机构类型「{org_type}」不一致："
            "请核对备案编码或机构类型（Y 用人单位，S 社会培训评价组织）。",
            field="filing_code",
        )
    return code


def _other_province_hint(raw: str, profile: Profile) -> str:
    """For a code filed in another province: how to switch (the profile and the code together)."""
    from app.rules._text import compact_upper
    from app.rules.profiles import list_profiles
    from app.rules.regions import PROVINCES

    code = compact_upper(raw)
    province = code[5:7] if len(code) == 13 else ""
    if profile.is_national or province == profile.province_code or province not in PROVINCES:
        return ""
    profiles = list_profiles()  # the province's own, else the national one (listed first)
    target = next((p for p in profiles if p.province_code == province), profiles[0])
    return (
        f"若本机构已改在{PROVINCES[province]}备案，请到“设置 › 省份规则”改选“{target.display_name}”规则，"
        "并在那里的“新备案编码”中同时填写这个编码，两项一起保存。"
    )


def _scope_level(profile: Profile, key: str) -> str:
    """The scope key stored for ``profile``: one of its level scopes. A profile with one scope
    (national, Shandong) has nothing to choose: its only key is stored whatever was passed."""
    rule = profile.levels
    if rule.scope(key) is not None:
        return key
    if len(rule.scopes) > 1:
        raise unknown_scope(profile, key)
    return rule.default_scope


_TEXT_FIELDS: Final = (
    "name", "address", "registration_authority", "nature", "legal_representative",
    "contact_person", "contact_title", "phone", "mobile", "email", "website",
)  # fmt: skip
_CODE_FIELDS: Final = frozenset({"phone", "mobile", "email", "website"})
_EMAIL: Final = re.compile(r"[^@\s]+@(?:[^@\s.]+\.)+[^@\s.]+")  # no empty domain label
# A mainland mobile number, optionally with +86, spaces or dashes between the groups.
_MOBILE: Final = re.compile(r"(?:\+?86[ -]?)?1\d{2}[ -]?\d{4}[ -]?\d{4}")
# A web address: an optional http(s)://, a host with at least one dot, an optional path.
_WEBSITE: Final = re.compile(r"(?:https?://)?[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:/\S*)?", re.ASCII)


def _folded(key: str, value: str) -> str:
    """A text field as stored: prose keeps its Chinese punctuation, a code-like field (phone,
    mobile, e-mail, website) is folded wholly to ASCII."""
    from app.rules._text import fold_prose, to_halfwidth

    return (to_halfwidth if key in _CODE_FIELDS else fold_prose)(value).strip()


def _check_texts(data: OrgInput) -> None:
    """Control characters refused with the field and position; the name, address … keep their
    Chinese punctuation and store full-width letters and digits half-width, the phone, mobile,
    e-mail and website are folded wholly to ASCII and checked for their shape."""
    from app.services.free_text import check_controls
    from app.services.text_limits import field_label

    for key in _TEXT_FIELDS:
        label = f"机构信息的“{field_label('organisation', key)}”"
        value = check_controls((getattr(data, key) or "").strip(), label=label, field=key)
        setattr(data, key, _folded(key, value))
    if data.email and not _EMAIL.fullmatch(data.email):
        raise ValidationError(
            f"电子邮箱“{data.email}”格式不对：应如 kaowu@example.cn（含 @ 和域名）。", field="email"
        )
    check_phone(data.phone)  # the rule a person's 联系电话 follows too
    if data.mobile and not _MOBILE.fullmatch(data.mobile):
        raise ValidationError(
            f"联系人手机“{data.mobile}”格式不对：应为 11 位手机号码，如 13812345678"
            "（座机请填在“联系电话”中）。",
            field="mobile",
        )
    if data.website and not _WEBSITE.fullmatch(data.website):
        raise ValidationError(
            f"网站“{data.website}”格式不对：应为网址，如 www.example.cn 或 https://www.example.cn"
            "（不含空格和中文）。",
            field="website",
        )


def check_nature(profile: Profile, nature: str, *, fix: str = "请改选其中之一。") -> None:
    """The 机构性质 must be one of the boxes of the province's 基本情况表 (blank: not filled in;
    a profile without boxes takes any text). `fix`: what the caller's user is to do ("" when
    the caller says it itself)."""
    rule = profile.organisation_form
    if nature and rule.natures and nature not in rule.natures:
        raise ValidationError(
            f"机构性质“{nature}”不是{profile.display_name}基本情况表中的选项：应为"
            f"{'、'.join(rule.natures)}之一（依据：{rule.source}）。{fix}",
            field="nature",
        )


def nature_mismatch(session: Session) -> str:
    """Why the stored 机构性质 is not one of the boxes of the profile in force ("" when it is, or
    is blank): after a switch of province the 基本情况表 export refuses it until it is chosen
    again."""
    from app.rules.profiles import load_profile

    org = get_organisation(session)
    if org is None:
        return ""
    try:
        check_nature(load_profile(org.profile_name), org.nature or "", fix="")
    except ValidationError as exc:
        return exc.message
    return ""


def _validated(data: OrgInput) -> OrgInput:
    from app.rules.profiles import load_profile
    from app.rules.uscc import validate_uscc

    name = data.name.strip()
    if not name:
        raise ValidationError("机构名称不能为空：请填写与备案一致的全称。", field="name")
    if data.org_type not in ("Y", "S"):
        raise ValidationError(
            "机构类型只能是 Y（用人单位）或 S（社会培训评价组织）。", field="org_type"
        )
    profile = load_profile(data.profile_name)
    data.name = name
    _check_texts(data)
    if data.credit_code:
        try:
            data.credit_code = validate_uscc(data.credit_code)
        except ValidationError as exc:  # the rule names it "uscc"; the form's field is credit_code
            raise ValidationError(exc.message, field="credit_code") from None
    try:
        data.filing_code = normalised_filing_code(data.filing_code, profile, data.org_type)
    except ValidationError as exc:
        hint = _other_province_hint(data.filing_code or "", profile)
        raise ValidationError(exc.message + hint, field="filing_code") from None
    data.scope_level = _scope_level(profile, data.scope_level)
    if data.filing_code and profile.filing_code.has_region:
        check_scope_region(profile, data.scope_level, data.filing_code[7:9])
    data.registered_capital = check_registered_capital(data.registered_capital)
    _check_date_order(data.filed_on, data.filing_valid_until)
    return data


def check_organisation(data: OrgInput) -> None:
    """The checks of the fields themselves (no database), as `save_organisation` makes them: a
    form refuses a bad field this way before asking anything (e.g. about a rename)."""
    _validated(replace(data))


def save_organisation(
    session: Session, actor: Actor, data: OrgInput, reason: str = ""
) -> Organisation:
    """Create the organisation, or update it (every change audited).

    A change of province profile or 机构级别 is refused while the filed scope breaks the new rule
    (levels, number of work types): the entries to remove are listed. Changing the profile (or
    creating the organisation under another than the default one) needs MANAGE_SETTINGS, as
    `settings.choose_profile` does. A new name is saved; when issued certificates carry the old
    one (their reprints will not match the content fixed at issue), the audit reason says so."""
    from app.rules.profiles import DEFAULT_PROFILE, load_profile

    require(session, actor, Perm.EDIT_ORGANISATION, what="保存机构信息")
    org = get_organisation(session)
    in_force = org.profile_name if org is not None else DEFAULT_PROFILE
    if data.profile_name != in_force:
        require(session, actor, Perm.MANAGE_SETTINGS, what="更换省份规则")
    data = _validated(data)
    profile = load_profile(data.profile_name)
    created = org is None
    profile_changed = org is not None and org.profile_name != data.profile_name
    if created or profile_changed or (org.filed_on, org.filing_valid_until) != (
        data.filed_on, data.filing_valid_until
    ):  # an unchanged record saved again is not refused for dates entered before this check
        check_filing_span(profile, data.filed_on, data.filing_valid_until)
    if created or org.filed_on != data.filed_on:
        check_filed_on(data.filed_on)
    if created or org.nature != data.nature:  # (the same for a 机构性质 stored before the check)
        check_nature(profile, data.nature)
    if org is not None and (profile_changed or org_scope_key(org) != data.scope_level):
        from app.services.filed_scope import refuse_scope_conflicts

        refuse_scope_conflicts(
            session, profile, data.scope_level, profile_changed=profile_changed,
            action="保存机构信息",
        )
    if org is not None and org.name != data.name:
        reason = _rename_reason(session, org.name, data.name, reason)
    if org is None:
        org = Organisation(name=data.name, org_type=data.org_type)
        session.add(org)
    changed: dict[str, dict[str, Any]] = {}
    for f in fields(OrgInput):
        value = getattr(data, f.name)
        old = None if created else getattr(org, f.name, None)
        if created or old != value:
            if not (created and value in (None, "")):
                changed[f.name] = {"from": old, "to": value}
            setattr(org, f.name, value)
    if created or changed:  # saving an unchanged form writes nothing
        record(
            session,
            actor,
            "organisation.create" if created else "organisation.update",
            org,
            summary={"changed": changed},  # what each field was and became
            reason=reason,
        )
    return org


def set_scope_level(
    session: Session, actor: Actor, scope_level: str, reason: str = ""
) -> Organisation:
    """Set 机构级别 (000 一(二)3: 全市 city / 区县 district) alone, as `skillsite org set-scope-level`."""
    from app.rules.profiles import load_profile
    from app.services.filed_scope import refuse_scope_conflicts

    require(session, actor, Perm.EDIT_ORGANISATION, what="修改机构级别")
    org = require_organisation(session, "修改机构级别")
    profile = load_profile(org.profile_name)
    if profile.levels.scope(scope_level) is None:
        raise unknown_scope(profile, scope_level)
    if org_scope_key(org) != scope_level:  # checked here to name this action in the message
        refuse_scope_conflicts(
            session, profile, scope_level, profile_changed=False, action="修改机构级别"
        )
    data = OrgInput(**{f.name: getattr(org, f.name) for f in fields(OrgInput)})
    data.scope_level = scope_level
    return save_organisation(session, actor, data, reason)


def org_scope_key(org: Organisation) -> str:
    """The organisation's level-scope key in its profile (000 一(二)3: 全市 city / 区县 district).

    Organisations keep the model default "city" until someone sets it; a profile without that
    key (national "all", Shandong "pilot") then applies its own default scope.
    """
    from app.rules.profiles import load_profile

    rule = load_profile(org.profile_name).levels
    return org.scope_level if rule.scope(org.scope_level) is not None else rule.default_scope


def effective_scope(profile: Profile, scope_level: str) -> LevelScope:
    """The level scope of an organisation stored with ``scope_level`` under ``profile``."""
    rule = profile.levels
    scope = rule.scope(scope_level) or rule.scope(rule.default_scope)
    assert scope is not None  # the profile loader checks that default_scope exists
    return scope


def issued_certificate_count(session: Session) -> int:
    """Issued (not voided) certificates: each was printed with the organisation's name at its
    issue, and a reprint after a rename no longer matches it (`certificate_printing.check_content`)."""
    from app.models import Certificate

    if get_organisation(session) is None:
        return 0
    stmt = select(func.count()).select_from(Certificate).where(Certificate.status == "issued")
    return int(session.scalar(stmt) or 0)


def rename_impact(session: Session, new_name: str) -> tuple[str, int] | None:
    """(current name, issued certificates) when saving ``new_name`` renames the organisation and
    certificates have been issued (their reprints will not match them); else None."""
    org = get_organisation(session)
    name = _folded("name", new_name.strip())  # as the save will store it
    if org is None or not name or name == org.name:  # (an empty name is refused, not a rename)
        return None
    count = issued_certificate_count(session)
    return (org.name, count) if count else None


def _rename_reason(session: Session, old: str, new: str, reason: str) -> str:
    """The audit reason of a rename, with how many issued certificates bear an earlier name."""
    count = issued_certificate_count(session)
    if not count:
        return reason
    fact = (
        f"机构名称由“{old}”改为“{new}”：已发放的 {count} 本证书印有改名前的名称，"
        "补打这些证书时内容将与发证时不一致（内容核对不通过）"
    )
    return f"{reason.strip()}；{fact}" if reason.strip() else fact
