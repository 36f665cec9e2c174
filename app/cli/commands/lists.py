"""`skillsite batch list` and `skillsite people list` (ID numbers always masked)."""

from __future__ import annotations

from app.cli.context import CliContext


def batch_list(ctx: CliContext) -> int:
    from app.services.reads import list_batches

    with ctx.db.session() as s:
        rows = list_batches(s)
    if ctx.args.json:
        ctx.json(rows)
    else:
        ctx.out(f"{'编号':<10}{'状态':<8}名称")
        for r in rows:
            ctx.out(f"{r['code']:<10}{r['status_name']:<8}{r['name']}（考生 {r['candidates']} 人）")
    return 0


def people_list(ctx: CliContext) -> int:
    from app.services.reads import list_people

    with ctx.db.session() as s:
        rows = list_people(s, search=ctx.args.search, role=ctx.args.role, limit=ctx.args.limit)
    if ctx.args.json:
        ctx.json(rows)
    else:
        for r in rows:
            roles = "、".join(r["role_names"])
            ctx.out(f"{r['id']:>6}  {r['name']}\t{r['id_type']} {r['id_number']}\t{roles}")
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    batch = sub.add_parser("batch", help="认定批次").add_subparsers(dest="batch_cmd", metavar="ACTION", required=True)
    p = batch.add_parser("list", help="列出批次")
    p.add_argument("--json", action="store_true", help="以 JSON 数组输出")
    p.set_defaults(func=batch_list)

    people = sub.add_parser("people", help="人员").add_subparsers(dest="people_cmd", metavar="ACTION", required=True)
    p = people.add_parser("list", help="列出人员（证件号码脱敏）")
    p.add_argument("--json", action="store_true", help="以 JSON 数组输出")
    p.add_argument("--search", help="按姓名或证件号码前缀筛选")
    p.add_argument("--role", choices=["fulltime", "expert", "examiner", "supervisor", "proctor"], help="按角色筛选")
    p.add_argument("--limit", type=int, default=None, help="最多输出多少条")
    p.set_defaults(func=people_list)
