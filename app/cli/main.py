"""Entry point of `skillsite` and `python -m app`. Exit 0 ok, 1 invalid/refused/failed check, 2 usage."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from app import __version__
from app.cli.context import CliContext
from app.cli.options import (  # noqa: F401  (add_user_option re-exported for command modules)
    ChineseArgumentParser,
    add_user_option,
)
from app.errors import SkillSiteError

# Each module exposes register(subparsers); handlers are `func(ctx) -> int`.
COMMAND_MODULES = (
    "app.cli.commands.gui",
    "app.cli.commands.demo",
    "app.cli.commands.lists",
    "app.cli.commands.audit",
    "app.cli.commands.users",
    "app.cli.commands.check",
    "app.cli.commands.batches",
    "app.cli.commands.scores",
    "app.cli.commands.roster",
    "app.cli.commands.certificates",
    "app.cli.commands.batch_imports",
)

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="skillsite",
        description="SkillSite 职业技能等级认定考点管理。不带命令时打开图形界面。",
    )
    parser.add_argument("--data-dir", metavar="DIR", help="数据目录（默认取环境变量 SKILLSITE_HOME 或系统用户数据目录）")
    parser.add_argument(
        "--version", action="version", version=f"SkillSite {__version__}", help="显示版本号并退出"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ChineseArgumentParser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")  # Windows consoles
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        from app.cli.commands.gui import run_gui

        args.func = run_gui
    ctx = CliContext(args)
    try:
        from app.logging_setup import setup_logging

        setup_logging(ctx.data_dir)
        return int(args.func(ctx) or 0)
    except SkillSiteError as exc:
        ctx.err(f"错误：{exc.message}")
        return 1
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except KeyboardInterrupt:
        ctx.err("已取消。")
        return 1
    except Exception as exc:  # never a bare traceback for the user; the log has the details
        log.exception("unexpected error in CLI command %s", getattr(args, "command", None))
        ctx.err(f"意外错误：{type(exc).__name__}。详情已写入数据目录下 logs/skillsite.log。")
        return 1
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
