"""`skillsite gui` (also the default with no command): open the desktop application."""

from __future__ import annotations

from app.cli.context import CliContext


def run_gui(ctx: CliContext) -> int:
    from app.ui.launch import main as gui_main

    return gui_main(ctx.data_dir)


def register(sub) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("gui", help="打开图形界面（默认）")
    p.set_defaults(func=run_gui)
