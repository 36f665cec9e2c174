"""`skillsite people list` (ID numbers always masked). `batch list` is in batches.py."""

from __future__ import annotations

from app.cli.context import CliContext


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
    people = sub.add_parser("people", help="人员").add_subparsers(dest="people_cmd", metavar="ACTION", required=True)
    p = people.add_parser("list", help="列出人员（证件号码脱敏）")
    p.add_argument("--json", action="store_true", help="以 JSON 数组输出")
    p.add_argument("--search", help="按姓名或证件号码前缀筛选")
    p.add_argument("--role", choices=["fulltime", "expert", "examiner", "supervisor", "proctor"], help="按角色筛选")
    p.add_argument("--limit", type=int, default=None, help="最多输出多少条")
    p.set_defaults(func=people_list)
