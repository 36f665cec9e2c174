"""`skillsite audit verify`: exit 1 and name the first break when the trail was tampered with."""

from __future__ import annotations

from app.cli.context import CliContext


def verify(ctx: CliContext) -> int:
    from app.services.audit_verify import verify_audit

    with ctx.db.session() as s:
        report = verify_audit(s)
    if ctx.args.json:
        ctx.json({"ok": report.ok, "entries": report.entries, "rows": report.rows,
                  "problems": [p.__dict__ for p in report.problems]})
    elif report.ok:
        ctx.out(f"审计链完整：{report.entries} 条审计记录，{report.rows} 行业务数据与审计摘要一致。")
    else:
        ctx.out(f"发现 {len(report.problems)} 处问题（已检查 {report.entries} 条审计记录、{report.rows} 行数据）：")
        for p in report.problems[:50]:
            ctx.out(f"  - {p.message}")
        if len(report.problems) > 50:
            ctx.out(f"  …… 另有 {len(report.problems) - 50} 处")
    return 0 if report.ok else 1


def register(sub) -> None:  # type: ignore[no-untyped-def]
    audit = sub.add_parser("audit", help="审计日志").add_subparsers(dest="audit_cmd", metavar="ACTION", required=True)
    p = audit.add_parser("verify", help="校验审计链与业务数据是否被改动")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=verify)
