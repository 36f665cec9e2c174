"""`skillsite demo --admin-password PW`: fill a fresh data directory with a realistic demo."""

from __future__ import annotations

from app.cli.context import CliContext


def run(ctx: CliContext) -> int:
    from app.services.demo import build_demo

    summary = build_demo(ctx.db, ctx.args.admin_password, progress=lambda msg: ctx.err(msg))
    ctx.out(
        f"演示数据已生成：机构「{summary.organisation}」，{summary.people} 人"
        f"（工作人员 {summary.staff}，考生 {summary.candidates}），{summary.batches} 个批次，"
        f"{summary.scores} 条成绩，{summary.certificates} 张证书。管理员用户名：admin"
    )
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("demo", help="在空数据目录中生成演示数据（含管理员 admin）")
    p.add_argument("--admin-password", required=True, metavar="PW", help="演示管理员 admin 的密码（至少 8 位，不能全是数字）")
    p.set_defaults(func=run)
