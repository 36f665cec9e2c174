"""Shared pieces for command modules: the --user option, top-level command groups, and argparse's
usage errors and help headings in Chinese."""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Callable

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


# --- argparse in Chinese ----------------------------------------------------------------------
# argparse's messages are English gettext strings; the ones a user can cause are matched here
# (in the wording of Python 3.11–3.14) and said in Chinese. An unknown one is shown as it is.

USAGE_PREFIX = "用法："
_TYPE_NAMES = {"int": "整数", "float": "数字"}


def _value(text: str) -> str:
    """'x' (argparse shows values with repr) → “x”."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        value = text
    return f"“{value}”"


def _choices(text: str) -> str:
    """Choices as argparse lists them ("'a', 'b'" in 3.11, "a, b" later) → "a、b"."""
    try:
        items = ast.literal_eval(f"[{text}]")
    except (ValueError, SyntaxError):
        items = text.split(", ")
    return "、".join(str(i) for i in items)


def _invalid_value(m: re.Match[str]) -> str:
    kind = _TYPE_NAMES.get(m["type"])
    return f"{_value(m['value'])}不是有效的{kind}" if kind else f"取值{_value(m['value'])}无效"


def _nargs(m: re.Match[str]) -> str:
    return f"需要 {m['n']} 个值"


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _rules(*pairs: tuple[str, Callable[[re.Match[str]], str]]) -> tuple[_Rule, ...]:
    return tuple((re.compile(p, re.DOTALL), f) for p, f in pairs)


# What follows "argument --limit: "
_ARGUMENT_RULES = _rules(
    (r"expected one argument", lambda m: "需要一个值"),
    (r"expected at most one argument", lambda m: "最多只能跟一个值"),
    (r"expected at least one argument", lambda m: "至少需要一个值"),
    (r"expected (?P<n>\d+) arguments?", _nargs),
    (
        r"invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)",
        lambda m: f"无效的选择{_value(m['value'])}（可选：{_choices(m['choices'])}）",
    ),
    (
        r"invalid choice: (?P<value>.*?), maybe you meant (?P<guess>.*)\?",
        lambda m: f"无效的选择{_value(m['value'])}，是否想输入{_value(m['guess'])}？",
    ),
    (r"invalid (?P<type>\S+) value: (?P<value>.*)", _invalid_value),
    (r"not allowed with argument (?P<other>.*)", lambda m: f"不能与参数 {m['other']} 同时使用"),
    (r"ignored explicit argument (?P<value>.*)", lambda m: f"不接受取值{_value(m['value'])}"),
    (
        r"can't open '(?P<file>.*)': (?P<error>.*)",
        lambda m: f"无法打开文件“{m['file']}”：{m['error']}",
    ),
)

_MESSAGE_RULES = _rules(
    (
        r"unrecognized arguments: (?P<args>.*)",
        lambda m: f"无法识别的参数：{m['args']}（用 -h 查看此命令可用的参数）",
    ),
    (r"the following arguments are required: (?P<args>.*)", lambda m: f"缺少必需的参数：{m['args']}"),
    (r"one of the arguments (?P<args>.*) is required", lambda m: f"以下参数必须提供其中一个：{m['args']}"),
    (
        r"ambiguous option: (?P<option>.*?) could match (?P<matches>.*)",
        lambda m: f"选项 {m['option']} 不明确，可能是：{m['matches']}",
    ),
    (r"unexpected option string: (?P<option>.*)", lambda m: f"意外的选项：{m['option']}"),
)

_ARGUMENT = re.compile(r"argument (?P<name>.+?): (?P<message>.*)", re.DOTALL)


def _apply(rules: tuple[_Rule, ...], message: str) -> str | None:
    for pattern, say in rules:
        m = pattern.fullmatch(message)
        if m:
            return say(m)
    return None


def translate_usage_error(message: str) -> str:
    """argparse's error message in Chinese; a message already in Chinese (ours, from a type
    function) or one not known here is returned unchanged."""
    said = _apply(_MESSAGE_RULES, message)
    if said is not None:
        return said
    m = _ARGUMENT.fullmatch(message)
    if m:
        inner = m["message"]
        return f"参数 {m['name']}：{_apply(_ARGUMENT_RULES, inner) or inner}"
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Says "用法：" where argparse says "usage: "."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors, usage line and help headings are in Chinese; its
    sub-parsers are of the same class. Usage errors still exit with code 2."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = "显示此帮助并退出"

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 用法错误：{translate_usage_error(message)}\n")
