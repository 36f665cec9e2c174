"""`skillsite check id|uscc|certno|filing-code` and `skillsite deadlines`: the rules engine at the prompt."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.context import CliContext

if TYPE_CHECKING:
    from app.rules.profile_model import Profile


def _segments(ctx: CliContext, segments) -> None:  # type: ignore[no-untyped-def]
    for seg in segments:
        ctx.out(f"  第 {seg.positions} 位\t{seg.label}\t{seg.value}\t{seg.meaning}")


def check_id(ctx: CliContext) -> int:
    from app.rules.id_types import ID_TYPES
    from app.rules.idcard import mask_id, validate_id

    info = validate_id(ctx.args.type, ctx.args.number)
    shown = info.number if ctx.args.full else mask_id(info.number)
    ctx.out(f"有效：{ID_TYPES.get(info.id_type, info.id_type)}（{info.id_type}）{shown}")
    if info.birth_date:
        ctx.out(f"  出生日期 {info.birth_date.isoformat()}，性别 {info.gender}")
    if info.converted_from_15:
        ctx.out("  注意：这是 15 位一代身份证号码，已按国家标准转换为 18 位。")
    for w in info.warnings:
        ctx.out(f"  注意：{w}")
    return 0


def check_uscc(ctx: CliContext) -> int:
    from app.rules.uscc import validate_uscc

    ctx.out(f"有效：统一社会信用代码 {validate_uscc(ctx.args.code)}")
    return 0


def _organisation_profile(ctx: CliContext) -> tuple[str | None, str]:
    """The data directory's organisation's profile, or None and why not. The database is only
    read: never created, written, migrated, locked or waited for (a SQLite file is opened
    read-only, outside the app's engine, whose sessions take the write lock) — a rule check
    works on any folder, offline, beside a busy GUI and on a database of another version."""
    import sqlite3

    from sqlalchemy import create_engine, make_url, text
    from sqlalchemy.exc import SQLAlchemyError

    from app.db import engine

    if not ctx.has_database():
        return None, "本数据目录尚未登记机构"
    query = "SELECT profile_name FROM organisation LIMIT 1"
    url = engine.database_url(ctx.data_dir)
    try:
        if url.startswith("sqlite"):
            con = sqlite3.connect(_read_only_uri(make_url(url).database or ""), uri=True, timeout=2)
            try:
                row = con.execute(query).fetchone()
            finally:
                con.close()
        else:
            options = "-c statement_timeout=5000 -c default_transaction_read_only=on"
            plain = create_engine(url, connect_args={"connect_timeout": 5, "options": options})
            try:
                with plain.connect() as con:
                    row = con.execute(text(query)).fetchone()
            finally:
                plain.dispose()
    except (sqlite3.Error, SQLAlchemyError):
        return None, "无法读取本数据目录的机构信息"
    name = row[0] if row else None
    return (name, "") if name else (None, "本数据目录尚未登记机构")


def _read_only_uri(database: str) -> str:
    """A SQLite URI opening `database` read-only: file:///C:/… on a drive, file:////server/share/…
    for a network path (file://server/… would name a URI authority, which SQLite refuses)."""
    from urllib.parse import quote

    path = Path(database).absolute()
    text = path.as_posix()
    if text.startswith("//"):
        return "file:////" + quote(text.lstrip("/")) + "?mode=ro"
    return path.as_uri() + "?mode=ro"


def _profile(ctx: CliContext) -> Profile:
    """`--profile`, else the organisation's own (a site checks its own codes: the national rule
    would pass a code its province refuses), else national. Which one, and why, is said first
    when not given, so a result is never read against the wrong province's rule."""
    from app.rules.profiles import DEFAULT_PROFILE, load_profile

    if ctx.args.profile:
        return load_profile(ctx.args.profile)
    name, why_not = _organisation_profile(ctx)
    profile = load_profile(name or DEFAULT_PROFILE)
    if name is not None:
        ctx.out(f"未指定 --profile：按本机构所用的{profile.display_name}规则校验。")
    else:
        ctx.out(
            f"未指定 --profile，{why_not}：按{profile.display_name}规则校验"
            "（可用 --profile 指定省份规则）。"
        )
    return profile


def check_certno(ctx: CliContext) -> int:
    from app.rules.codes import parse_certificate_number

    profile = _profile(ctx)
    cn = parse_certificate_number(ctx.args.code, profile)
    ctx.out(f"有效：证书编号 {cn.code}（按{profile.display_name}规则）")
    _segments(ctx, cn.segments)
    return 0


def check_filing(ctx: CliContext) -> int:
    from app.rules.codes import parse_filing_code

    profile = _profile(ctx)
    fc = parse_filing_code(ctx.args.code, profile)
    ctx.out(f"有效：机构备案编码 {fc.code}（按{profile.display_name}规则）")
    _segments(ctx, fc.segments)
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不对，应为 YYYY-MM-DD，例如 2026-10-12") from None


def deadlines(ctx: CliContext) -> int:
    from app.rules import deadlines as dl
    from app.rules.profiles import load_profile
    from app.services.calendar import load_calendar

    profile = load_profile(ctx.args.profile)
    with ctx.db.session() as s:
        cal = load_calendar(s)
    a = ctx.args
    items = [dl.plan_filing_deadline(profile, cal, a.first_session)]
    if a.publicity_start:
        items.append(dl.publicity_min_end(profile, cal, a.publicity_start))
    if a.assessment_end or a.publicity_end:
        r = dl.results_filing_deadline(profile, cal, assessment_end=a.assessment_end, publicity_end=a.publicity_end)
        if r is not None:
            items.append(r)
    if ctx.args.json:
        ctx.json([{"kind": d.kind, "date": d.date.isoformat(), "label": d.label, "source": d.source} for d in items])
        return 0
    ctx.out(f"{profile.display_name}规则：")
    for d in items:
        ctx.out(f"  {d.label}：{d.date.isoformat()}（依据：{d.source}）")
    return 0


def calendar_import(ctx: CliContext) -> int:
    from app.services.calendar import import_calendar

    actor = ctx.actor()
    with ctx.db.session() as s:
        r = import_calendar(s, actor, ctx.args.file)
    ctx.out(f"已导入节假日安排：新增 {r.added} 天，修改 {r.changed} 天，未变 {r.unchanged} 天；"
            f"覆盖年份 {'、'.join(map(str, r.years))}。")
    return 0


def calendar_years(ctx: CliContext) -> int:
    from app.services.calendar import load_calendar

    with ctx.db.session() as s:
        years = load_calendar(s).covered_years()
    ctx.out("已有法定节假日安排的年份：" + "、".join(map(str, years)))
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    check = sub.add_parser("check", help="校验证件号码、信用代码、证书编号、备案编码")
    cs = check.add_subparsers(dest="check_cmd", metavar="WHAT", required=True)
    p = cs.add_parser("id", help="校验证件号码")
    p.add_argument("number")
    p.add_argument("--type", default="201", metavar="CODE", help="证件类型代码，默认 201 居民身份证")
    p.add_argument("--full", action="store_true", help="显示完整号码（默认脱敏）")
    p.set_defaults(func=check_id)
    p = cs.add_parser("uscc", help="校验统一社会信用代码")
    p.add_argument("code")
    p.set_defaults(func=check_uscc)
    for name, func, what in (("certno", check_certno, "证书编号"), ("filing-code", check_filing, "机构备案编码")):
        p = cs.add_parser(name, help=f"校验{what}并逐段说明")
        p.add_argument("code")
        p.add_argument(
            "--profile",
            help="省份规则：national/chongqing/guizhou/shandong/anhui；"
            "默认为本数据目录中机构所用的规则，尚未登记机构时为 national",
        )
        p.set_defaults(func=func)

    p = sub.add_parser("deadlines", help="按省份规则计算报备与公示期限")
    p.add_argument("--profile", required=True)
    p.add_argument("--first-session", required=True, type=_date, metavar="DATE")
    p.add_argument("--assessment-end", type=_date, metavar="DATE")
    p.add_argument("--publicity-start", type=_date, metavar="DATE")
    p.add_argument("--publicity-end", type=_date, metavar="DATE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=deadlines)

    from app.cli.options import add_user_option

    cal = sub.add_parser("calendar", help="法定节假日安排").add_subparsers(dest="cal_cmd", metavar="ACTION", required=True)
    p = cal.add_parser("import", help="导入节假日表（csv/xlsx：日期、类型 休/班、名称）")
    p.add_argument("file", type=Path)
    add_user_option(p)
    p.set_defaults(func=calendar_import)
    p = cal.add_parser("years", help="列出已覆盖的年份")
    p.set_defaults(func=calendar_years)


