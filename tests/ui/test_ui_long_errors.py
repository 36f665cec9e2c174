"""A refusal listing many errors (a catalogue import with 20) shows its first lines and the
whole list under 显示详细信息, so the box fits a 768-pixel screen; a short one is a plain box."""

from __future__ import annotations

from pytestqt.qtbot import QtBot


def test_a_long_list_of_errors_keeps_its_box_on_the_screen(qtbot: QtBot, messages) -> None:  # type: ignore[no-untyped-def]
    from app.errors import ValidationError
    from app.ui.errors import SHOWN_LINES, show_user_error

    show_user_error(ValidationError("短消息"))
    assert messages[-1] == ("warning", "短消息")
    long = "\n".join(["有 20 处错误："] + [f"· 第 {i} 行 B 列：名称不一致" for i in range(2, 22)])
    show_user_error(ValidationError(long))
    kind, text = messages[-1]
    assert kind == "box" and len(text.splitlines()) == SHOWN_LINES + 1
    assert "另有 11 行" in text
