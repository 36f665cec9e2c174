"""`skillsite scores show|enter|compute`, `skillsite publicity start`, `skillsite export publicity|results`.

(`skillsite scores import BATCH FILE` will reuse the roster importer in app/services/importing/.)
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from app.cli.context import CliContext
from app.cli.options import command_group
from app.errors import UserInputError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效：请写成 YYYY-MM-DD，如 2026-10-09") from exc


def scores_show(ctx: CliContext) -> int:
    from app.services.batch_workflow import get_batch
    from app.services.score_rules import RESULT_NAMES, component_name, required_components
    from app.services.scores import candidate_scores

    actor = ctx.actor("会显示考生信息")
    with ctx.db.session() as s:
        batch = get_batch(s, ctx.args.batch)
        comps = required_components(batch)
        rows = candidate_scores(s, actor, batch.id)
        code = batch.code
    if ctx.args.json:
        ctx.json([r.as_dict() for r in rows])
        return 0
    ctx.out(f"批次 {code}：{len(rows)} 名考生")
    ctx.out("\t".join(["准考证号", "姓名", "证件号码", *(component_name(c) for c in comps), "结果"]))
    for r in rows:
        ctx.out("\t".join([r.admission_no, r.name, r.id_number, *(r.cells[c].text for c in comps),
                           RESULT_NAMES[r.result]]))
    return 0


def scores_enter(ctx: CliContext) -> int:
    from app.services.scores import enter_score, find_enrolment

    a = ctx.args
    if a.score is None and a.mark in (None, "normal"):
        raise UserInputError("请用 --score 填写成绩，或用 --mark absent/disqualified 标记缺考、违纪。")
    actor = ctx.actor()
    with ctx.db.session() as s:
        e = find_enrolment(s, a.batch, a.admission)
        done = enter_score(s, actor, e.id, a.component, a.score, a.mark, entry_round=a.round,
                           reason=a.reason or "")
    value = f"{done.score}" if done.score is not None else done.mark
    if not done.changed:
        ctx.out(f"{a.admission} {a.component}：与已录入的值相同（{value}），未修改。")
    else:
        ctx.out(f"已录入 {a.admission} {a.component}：{value}")
    return 0


def scores_compute(ctx: CliContext) -> int:
    from app.services.scores import compute_results

    actor = ctx.actor()
    with ctx.db.session() as s:
        r = compute_results(s, actor, ctx.args.batch)
    if ctx.args.json:
        ctx.json(r.__dict__)
    else:
        ctx.out(f"已计算结果：考生 {r.enrolled} 人，合格 {r.passed} 人，不合格 {r.failed} 人（本次变化 {r.changed} 人）。")
    return 0


def publicity_start(ctx: CliContext) -> int:
    from app.services.publicity import start_publicity

    actor = ctx.actor()
    with ctx.db.session() as s:
        r = start_publicity(s, actor, ctx.args.batch, ctx.args.start, ctx.args.end)
    verb = "重新公示" if r.restarted else "开始公示"
    ctx.out(f"已{verb}：{r.start} 至 {r.end}（最早可结束日 {r.min_end}）。")
    return 0


def export_publicity(ctx: CliContext) -> int:
    from app.services.publicity import export_publicity as export

    actor = ctx.actor()
    with ctx.db.session() as s:
        paths = export(s, actor, ctx.args.batch, Path(ctx.args.out), pdf=not ctx.args.no_pdf)
    for p in paths:
        ctx.out(str(p))
    return 0


def export_results(ctx: CliContext) -> int:
    from app.services.results_filing import export_results as export

    actor = ctx.actor()
    with ctx.db.session() as s:
        paths = export(s, actor, ctx.args.batch, Path(ctx.args.out), filled_on=ctx.args.date)
    for p in paths:
        ctx.out(str(p))
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    from app.cli.options import add_user_option

    scores = command_group(sub, "scores", "成绩")
    p = scores.add_parser("show", help="列出批次每名考生的成绩与结果（证件号码脱敏；需登录）")
    p.add_argument("batch", metavar="BATCH", help="批次编号（如 2026-02）或序号")
    p.add_argument("--json", action="store_true", help="以 JSON 数组输出")
    add_user_option(p)
    p.set_defaults(func=scores_show)

    p = scores.add_parser("enter", help="录入一名考生一个科目的成绩")
    p.add_argument("batch", metavar="BATCH")
    p.add_argument("--admission", required=True, metavar="NO", help="准考证号")
    p.add_argument("--component", required=True, choices=["theory", "skill", "review"],
                   help="科目：theory 理论知识、skill 技能操作、review 综合评审")
    p.add_argument("--score", help="成绩 0–100，最多一位小数")
    p.add_argument("--mark", choices=["normal", "absent", "disqualified"], help="absent 缺考、disqualified 违纪")
    p.add_argument("--round", type=int, default=1, choices=[1, 2], help="双人录入的轮次（1 或 2）")
    p.add_argument("--reason", help="公示开始后由管理员更正成绩时的理由")
    add_user_option(p)
    p.set_defaults(func=scores_enter)

    p = scores.add_parser("compute", help="计算认定结果")
    p.add_argument("batch", metavar="BATCH")
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=scores_compute)

    publicity = command_group(sub, "publicity", "成绩公示")
    p = publicity.add_parser("start", help="开始公示（检查最短公示期）")
    p.add_argument("batch", metavar="BATCH")
    p.add_argument("--start", required=True, type=_date, metavar="DATE", help="公示开始日 YYYY-MM-DD")
    p.add_argument("--end", required=True, type=_date, metavar="DATE", help="公示结束日 YYYY-MM-DD")
    add_user_option(p)
    p.set_defaults(func=publicity_start)

    export = command_group(sub, "export", "导出上报材料")
    p = export.add_parser("publicity", help="导出公示名单（xlsx 与 A4 PDF，证件号码脱敏）")
    p.add_argument("batch", metavar="BATCH")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    p.add_argument("--no-pdf", action="store_true", help="只导出 xlsx")
    add_user_option(p)
    p.set_defaults(func=export_publicity)

    p = export.add_parser("results", help="导出结果汇总表（附件4）与合格人员证书信息表（附件5）")
    p.add_argument("batch", metavar="BATCH")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    p.add_argument("--date", type=_date, metavar="DATE", help="填报日期（默认：结果报备日或今天）")
    add_user_option(p)
    p.set_defaults(func=export_results)
