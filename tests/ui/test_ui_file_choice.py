"""Choosing where an export goes: the suffix is added when typed without it, the folder remembered."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from app.ui.file_choice import choose_save_file


def test_a_name_typed_without_suffix_gets_it_and_the_folder_is_offered_next_time(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    offered: list[str] = []
    answers = iter([str(tmp_path / "名册"), str(tmp_path / "key.PEM"), ""])

    def fake(_parent, _title, start, _filter):  # type: ignore[no-untyped-def]
        offered.append(start)
        return next(answers), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    assert choose_save_file(owner, "导出", "人员名册.xlsx") == tmp_path / "名册.xlsx"
    assert choose_save_file(owner, "导出", "k.pem", suffix=".pem") == tmp_path / "key.PEM"
    assert choose_save_file(owner, "导出", "a.xlsx") is None  # cancelled
    assert offered[1] == str(tmp_path / "k.pem") and offered[2] == str(tmp_path / "a.xlsx")
