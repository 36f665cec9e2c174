"""A scrolled page body that is never squeezed below its layout's minimum height.

QScrollArea (widgetResizable) sizes its body when the body or the viewport is resized, not when
the body's layout grows later (texts filled in, parts hidden for a read-only role, a table
given its rows): the body then stays shorter than its own minimum, the line edits are squashed
and buttons are drawn over tables. This body grows itself after each layout pass, and the scroll
area, seeing it resized, updates its scroll bars.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QScrollArea, QWidget


class ScrollBody(QWidget):
    def event(self, e: QEvent) -> bool:
        handled = super().event(e)
        if e.type() == QEvent.Type.LayoutRequest:
            need = self.minimumSizeHint().height()
            if self.layout() is not None and self.layout().hasHeightForWidth():
                need = max(need, self.layout().totalHeightForWidth(self.width()))
            if self.height() < need:
                self.resize(self.width(), need)
        return handled


def scrolled(body: ScrollBody) -> QScrollArea:
    """``body`` in a frameless scroll area that gives it the whole width."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(body)
    return scroll
