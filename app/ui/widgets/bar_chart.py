"""A small horizontal bar chart drawn with QPainter (PySide6-Essentials has no QtCharts)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR_COLOR = QColor("#3b7dd8")
TRACK_COLOR = QColor("#e8edf3")


class BarChart(QWidget):
    """Bars of values 0–1 (shown as percentages); None draws an empty track with “—”."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bar_chart")
        self.title = ""
        self.bars: list[tuple[str, float | None]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_data(self, title: str, bars: Sequence[tuple[str, float | None]]) -> None:
        self.title = title
        self.bars = list(bars)
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 12

    def sizeHint(self) -> QSize:
        return QSize(420, self._row_height() * (len(self.bars) + 1) + 16)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self._row_height() * 2)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            fm = self.fontMetrics()
            row_h = self._row_height()
            y = 4.0
            if self.title:
                p.setPen(self.palette().windowText().color())
                p.drawText(QRectF(8, y, self.width() - 16, row_h), Qt.AlignmentFlag.AlignVCenter, self.title)
                y += row_h
            if not self.bars:
                return
            label_w = max(fm.horizontalAdvance(label) for label, _ in self.bars) + 16
            value_w = fm.horizontalAdvance("100.0%") + 12
            track_w = max(self.width() - label_w - value_w - 16, 20)
            for label, value in self.bars:
                p.setPen(self.palette().windowText().color())
                p.drawText(
                    QRectF(8, y, label_w - 8, row_h),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                    label,
                )
                track = QRectF(label_w + 4, y + 4, track_w, row_h - 8)
                p.fillRect(track, TRACK_COLOR)
                if value is not None:
                    bar = QRectF(track.left(), track.top(), track.width() * min(max(value, 0.0), 1.0), track.height())
                    p.fillRect(bar, BAR_COLOR)
                text = "—" if value is None else f"{value * 100:.1f}%"
                p.drawText(
                    QRectF(track.right() + 6, y, value_w, row_h), Qt.AlignmentFlag.AlignVCenter, text
                )
                y += row_h
        finally:
            p.end()
