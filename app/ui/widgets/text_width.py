"""A line edit's minimum width from the text it must show, instead of a fixed pixel width.

A fixed width (setMinimumWidth(300)) is too wide for a 1024-px window and too narrow for a large
font; with no minimum at all a squeezed layout cuts a date down to "…"."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QStyle


def fit_text(edit: QLineEdit, *samples: str) -> None:
    """Never narrower than the widest of `samples` (the placeholder when none is given)."""
    texts = samples or (edit.placeholderText(),)
    text = max(edit.fontMetrics().horizontalAdvance(t) for t in texts)
    frame = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, edit)
    margins = edit.contentsMargins().left() + edit.contentsMargins().right()
    margins += edit.textMargins().left() + edit.textMargins().right()
    edit.setMinimumWidth(text + 2 * frame + margins + 8)  # 8: QLineEdit's own side margins, a caret
