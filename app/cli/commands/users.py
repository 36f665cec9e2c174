"""`skillsite users list|add|disable|passwd` (administrators, via --user)."""

from __future__ import annotations

import getpass
import os
import sys

from app.cli.context import CliContext
from app.errors import UserInputError

ENV_NEW_PASSWORD = "SKILLSITE_NEW_PASSWORD"


def _new_password(ctx: CliContext, name: str) -> str:
    pw = os.environ.get(ENV_NEW_PASSWORD)
    if pw is not None:
        return pw
    if not sys.stdin or not sys.stdin.isatty():
        raise UserInputError("未提供新密码：请设置环境变量 SKILLSITE_NEW_PASSWORD，或在终端中运行以便输入。")
    first = getpass.getpass(f"用户 {name} 的新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise UserInputError("两次输入的密码不一致。")
    return first


def list_cmd(ctx: CliContext) -> int:
    from app.services.users import list_users

    actor = ctx.actor("会显示用户账号")
    with ctx.db.session() as s:
        users = list_users(s, actor)
    rows = [{"username": u.username, "display_name": u.display_name, "role": u.role,
             "role_name": u.role_name, "active": u.active} for u in users]
    if ctx.args.json:
        ctx.json(rows)
    else:
        for r in rows:
            ctx.out(f"{r['username']:<16}{r['role_name']:<6}{'' if r['active'] else '（已停用）'}{r['display_name']}")
    return 0


def add_cmd(ctx: CliContext) -> int:
    from app.services.users import create_user

    actor = ctx.actor()
    pw = _new_password(ctx, ctx.args.name)
    with ctx.db.session() as s:
        u = create_user(s, actor, ctx.args.name, ctx.args.role, pw, ctx.args.display_name or "")
    ctx.out(f"已新增用户 {u.username}（{u.role_name}）。")
    return 0


def disable_cmd(ctx: CliContext) -> int:
    from app.services.users import set_active

    actor = ctx.actor()
    with ctx.db.session() as s:
        set_active(s, actor, ctx.args.name, False)
    ctx.out(f"已停用用户 {ctx.args.name}（账号保留，审计记录仍可追溯）。")
    return 0


def passwd_cmd(ctx: CliContext) -> int:
    from app.services.users import reset_password

    actor = ctx.actor()
    pw = _new_password(ctx, ctx.args.name)
    with ctx.db.session() as s:
        reset_password(s, actor, ctx.args.name, pw)
    ctx.out(f"已重置用户 {ctx.args.name} 的密码。")
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    from app.cli.options import add_user_option

    users = sub.add_parser("users", help="用户管理").add_subparsers(dest="users_cmd", metavar="ACTION", required=True)
    p = users.add_parser("list", help="列出用户（需登录）")
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=list_cmd)
    p = users.add_parser("add", help="新增用户（新密码取自 SKILLSITE_NEW_PASSWORD 或交互输入）")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=["admin", "clerk", "scorer", "supervisor", "certifier"])
    p.add_argument("--display-name")
    add_user_option(p)
    p.set_defaults(func=add_cmd)
    p = users.add_parser("disable", help="停用用户（不删除）")
    p.add_argument("name")
    add_user_option(p)
    p.set_defaults(func=disable_cmd)
    p = users.add_parser("passwd", help="重置用户密码")
    p.add_argument("name")
    add_user_option(p)
    p.set_defaults(func=passwd_cmd)
