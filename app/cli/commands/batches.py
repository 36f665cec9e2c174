"""`skillsite batch list|check|file-plan|advance` and `skillsite export plan`."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from app.cli.context import CliContext
from app.cli.options import command_group


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不对，应为 YYYY-MM-DD（如 2026-10-09）") from None


def _deadline_fields(s, batch_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from app.errors import ValidationError
    from app.services.plan_filing import plan_deadline

    try:
        d = plan_deadline(s, batch_id)
    except ValidationError as exc:
        return {"plan_deadline": None, "deadline_problem": exc.message}
    return {"plan_deadline": d.date.isoformat() if d else None, "deadline_problem": None}


def batch_list(ctx: CliContext) -> int:
    from app.services.reads import list_batches

    if ctx.args.user:  # (optional: the list holds no personal data)
        from app.services.permissions import Perm, require

        actor = ctx.actor("会显示批次")
        with ctx.db.session() as s:
            require(s, actor, Perm.READ, what="查看批次")
    with ctx.db.session() as s:
        rows = list_batches(s)
        for r in rows:
            r.update(_deadline_fields(s, r["id"]))
            from app.models import Batch

            b = s.get(Batch, r["id"])
            r["plan_filed_on"] = b.plan_filed_on.isoformat() if b and b.plan_filed_on else None
    if ctx.args.json:
        ctx.json(rows)
    else:
        ctx.out(f"{'编号':<10}{'状态':<8}{'最迟报备日':<12}名称")
        for r in rows:
            due = r["plan_deadline"] or ("（缺节假日表）" if r["deadline_problem"] else "——")
            ctx.out(f"{r['code']:<10}{r['status_name']:<8}{due:<12}{r['name']}（考生 {r['candidates']} 人）")
    return 0


def batch_check(ctx: CliContext) -> int:
    from app.services.batch_checks import check_batch
    from app.services.batch_workflow import get_batch

    with ctx.db.session() as s:
        batch = get_batch(s, ctx.args.batch)
        code = batch.code
        report = check_batch(s, batch.id)
        deadline = _deadline_fields(s, batch.id)
    if ctx.args.json:
        ctx.json(
            {
                "batch": code,
                "can_file": report.can_file,
                **deadline,
                "errors": [i.__dict__ for i in report.errors],
                "warnings": [i.__dict__ for i in report.warnings],
                "acknowledged": [i.__dict__ for i in report.acknowledged],
            }
        )
    else:
        ctx.out(f"批次「{code}」计划检查：{len(report.errors)} 个错误，"
                f"{len(report.warnings)} 个待确认警告，{len(report.acknowledged)} 个已确认警告。")
        for i in report.errors:
            ctx.out(f"  [错误] {i.message}")
        for i in report.warnings:
            ctx.out(f"  [警告] {i.message}（标识：{i.key}）")
        for i in report.acknowledged:
            ctx.out(f"  [已确认] {i.message}（理由：{i.ack_reason}）")
        if deadline["plan_deadline"]:
            ctx.out(f"最迟报备日：{deadline['plan_deadline']}")
        elif deadline["deadline_problem"]:
            ctx.out(f"最迟报备日无法计算：{deadline['deadline_problem']}")
        if report.errors:
            ctx.out("有错误，不能报备计划。")
        elif report.warnings:
            ctx.out("无错误；警告须确认并填写理由后才能报备。")
        else:
            ctx.out("检查通过，可以报备计划。")
    return 1 if report.errors else 0


def batch_file_plan(ctx: CliContext) -> int:
    from app.services.plan_filing import file_plan

    actor = ctx.actor()
    with ctx.db.session() as s:
        r = file_plan(s, actor, ctx.args.batch, ctx.args.date, reason=ctx.args.reason or "")
    late = "（逾期报备，已记录理由）" if r.late else ""
    ctx.out(f"批次「{r.code}」计划已于 {r.filed_on.isoformat()} 报备{late}；最迟报备日为 {r.deadline.isoformat()}。")
    return 0


def batch_advance(ctx: CliContext) -> int:
    from app.services.batch_workflow import advance, status_name

    actor = ctx.actor()
    with ctx.db.session() as s:
        b = advance(s, actor, ctx.args.batch, ctx.args.status, reason=ctx.args.reason or "")
        code, status = b.code, b.status
    ctx.out(f"批次「{code}」已进入“{status_name(status)}”。")
    return 0


def export_plan_cmd(ctx: CliContext) -> int:
    from app.services.plan_filing import export_plan

    actor = ctx.actor()
    with ctx.db.session() as s:
        r = export_plan(s, actor, ctx.args.batch, Path(ctx.args.out))
    ctx.out(f"已导出认定计划报备表：\n  {r.xlsx}\n  {r.pdf}")
    ctx.out("注意：考生名册含完整证件号码，请妥善保管，仅用于向主管部门报备。")
    return 0


def _statuses() -> list[str]:
    from app.models.enums import BatchStatus

    return [s.value for s in BatchStatus]


def register(sub) -> None:  # type: ignore[no-untyped-def]
    from app.cli.options import add_user_option

    batch = command_group(sub, "batch", "认定批次")
    p = batch.add_parser("list", help="列出批次（含状态与最迟报备日）")
    p.add_argument("--json", action="store_true", help="以 JSON 数组输出")
    add_user_option(p)
    p.set_defaults(func=batch_list)

    p = batch.add_parser("check", help="检查认定计划；有错误时退出码为 1")
    p.add_argument("batch", metavar="BATCH", help="批次编号（如 2026-05）或序号")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=batch_check)

    p = batch.add_parser("file-plan", help="计划报备（逾期须管理员并填写理由）")
    p.add_argument("batch", metavar="BATCH")
    p.add_argument("--date", type=_date, required=True, metavar="YYYY-MM-DD", help="报备日期")
    p.add_argument("--reason", help="理由（逾期报备时必填）")
    add_user_option(p)
    p.set_defaults(func=batch_file_plan)

    p = batch.add_parser("advance", help="推进批次状态（已报备→实施中→成绩录入）")
    p.add_argument("batch", metavar="BATCH")
    p.add_argument("status", metavar="STATUS", choices=_statuses(), help="目标状态，如 in_progress、scoring")
    p.add_argument("--reason", help="说明")
    add_user_option(p)
    p.set_defaults(func=batch_advance)

    export = command_group(sub, "export", "导出上报材料")
    p = export.add_parser("plan", help="导出认定计划报备表（xlsx 与 A4 PDF；含完整证件号码，记入审计）")
    p.add_argument("batch", metavar="BATCH")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    add_user_option(p)
    p.set_defaults(func=export_plan_cmd)

