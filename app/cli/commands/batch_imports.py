"""`skillsite batch import-candidates` and `skillsite scores import`: preview, then all or nothing."""

from __future__ import annotations

from pathlib import Path

from app.cli.context import CliContext
from app.cli.options import add_user_option, command_group


def _report(ctx: CliContext, preview, errors_out: Path | None, *, people: bool = False) -> int:  # type: ignore[no-untyped-def]
    from app.services.importing import write_error_report

    ctx.out(preview.summary_text())
    for r in preview.rows if people else ():  # (an already-certified candidate, …)
        for w in r.warnings:
            ctx.out(f"  提示：第 {r.row} 行（{r.name}）：{w}")
    if not preview.has_errors:
        if getattr(ctx.args, "dry_run", False):
            ctx.out("试运行（--dry-run）：未写入任何数据。")
        return 0
    for e in preview.errors:
        ctx.out(f"  {e}")
    if errors_out:
        write_error_report(preview, errors_out)
        ctx.out(f"错误报告已写入 {errors_out}")
    ctx.err("文件中有错误，未写入任何数据。请改正后重新导入。")
    return 1


def import_candidates(ctx: CliContext) -> int:
    from app.services.candidate_import import commit_candidates, preview_candidates

    actor = ctx.actor()
    with ctx.db.session() as s:
        preview = preview_candidates(s, actor, ctx.args.batch, ctx.args.file)
        code = _report(ctx, preview, ctx.args.errors, people=True)
        if code or ctx.args.dry_run:
            return code
        result = commit_candidates(s, actor, ctx.args.batch, preview)
    ctx.out(f"{result.people_summary} 报名 {result.enrolled} 人（已在本批次 {result.already_enrolled} 人）。")
    for w in result.warnings:
        ctx.out(f"  注意：{w}")
    return 0


def import_scores(ctx: CliContext) -> int:
    from app.services.score_import import commit_scores, preview_scores

    actor = ctx.actor()
    with ctx.db.session() as s:
        preview = preview_scores(s, actor, ctx.args.batch, ctx.args.file)
        code = _report(ctx, preview, ctx.args.errors)
        if code or ctx.args.dry_run:
            return code
        n = commit_scores(s, actor, ctx.args.batch, preview)
    ctx.out(f"已导入 {n} 项成绩。")
    return 0


def _options(p) -> None:  # type: ignore[no-untyped-def]
    p.add_argument("batch", metavar="BATCH", help="批次编号（如 2026-05）或序号")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.add_argument("--errors", type=Path, metavar="OUT.xlsx", help="有错误时把错误报告写入此文件")
    add_user_option(p)


def register(sub) -> None:  # type: ignore[no-untyped-def]
    p = command_group(sub, "batch", "认定批次").add_parser("import-candidates", help="从 Excel 导入考生并报名（全部成功才写入）")
    _options(p)
    p.set_defaults(func=import_candidates)
    p = command_group(sub, "scores", "成绩").add_parser("import", help="从 Excel 导入成绩（按准考证号或证件号码对应）")
    _options(p)
    p.set_defaults(func=import_scores)
