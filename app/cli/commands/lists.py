"""`skillsite people list` (as a user; ID numbers always masked). `batch list` is in batches.py."""

from __future__ import annotations

from app.cli.context import CliContext
from app.cli.options import add_user_option


def people_list(ctx: CliContext) -> int:
    from app.services.listing import people_search_note
    from app.services.reads import list_people

    actor = ctx.actor("会显示人员信息")
    with ctx.db.session() as s:
        rows = list_people(
            s, actor, search=ctx.args.search, role=ctx.args.role, limit=ctx.args.limit
        )
    note = people_search_note(ctx.args.search or "", actor, found=len(rows))
    if note:  # a masked or partial number, or a number searched without the right to see whole ones
        ctx.err(f"提示：{note}")
    if ctx.args.json:
        ctx.json(rows)
    else:
        for r in rows:
            roles = "、".join(r["role_names"])
            ctx.out(f"{r['id']:>6}  {r['name']}\t{r['id_type']} {r['id_number']}\t{roles}")
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    people = sub.add_parser("people", help="人员").add_subparsers(dest="people_cmd", metavar="ACTION", required=True)
    p = people.add_parser("list", help="列出人员（证件号码脱敏；需登录）")
    p.add_argument("--json", action="store_true", help="以 JSON 数组输出（出生日期仅对可查看完整证件号码的用户输出）")
    p.add_argument("--search", help="按姓名（包含）或完整证件号码筛选（后者需查看完整证件号码的权限）")
    p.add_argument("--role", choices=["fulltime", "expert", "examiner", "supervisor", "proctor"], help="按角色筛选")
    p.add_argument("--limit", type=int, default=None, help="最多输出多少条")
    add_user_option(p)
    p.set_defaults(func=people_list)
