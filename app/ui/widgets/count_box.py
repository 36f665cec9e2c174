"""A whole-number spin box that also takes full-width digits (typed with a Chinese IME)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QSpinBox, QWidget

from app.rules._text import to_halfwidth


class CountBox(QSpinBox):
    """QSpinBox reads only ASCII digits and silently drops "１２０"; this one reads it as 120."""

    def __init__(
        self, maximum: int | None = None, suffix: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        if maximum is not None:
            self.setRange(0, maximum)
        if suffix:
            self.setSuffix(suffix)

    def validate(self, text: str, pos: int) -> Any:  # (state, text, pos): the text is folded
        return super().validate(to_halfwidth(text), pos)

    def valueFromText(self, text: str) -> int:
        return super().valueFromText(to_halfwidth(text))
