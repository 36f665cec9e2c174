"""Shared pieces for command modules: the --user option and top-level command groups."""

from __future__ import annotations

import argparse

_GROUPS = "_skillsite_groups"


def add_user_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", metavar="NAME", help="操作人用户名（密码取自 SKILLSITE_PASSWORD 或交互输入）")


def command_group(sub: argparse._SubParsersAction, name: str, help_text: str) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    """The ACTION sub-parsers of top-level command `name` (e.g. `export`), created by the first
    module that asks and shared with every later one."""
    groups: dict[str, argparse._SubParsersAction] = sub.__dict__.setdefault(_GROUPS, {})  # type: ignore[type-arg]
    if name not in groups:
        groups[name] = sub.add_parser(name, help=help_text).add_subparsers(
            dest=f"{name}_cmd", metavar="ACTION", required=True
        )
    return groups[name]
