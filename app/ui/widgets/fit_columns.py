"""Column widths of a table from its header and texts, kept readable in a narrow window.

A header in Stretch mode shares out whatever the viewport has: at 1024 px a text column ends up
a few characters wide, its header clipped. Here every column is as wide as its header and its
texts, long-text columns at most `cap` pixels (they elide; their cells carry a tooltip), and the
table scrolls sideways when that is wider than the window. Room to spare goes first to the long
texts that were capped, then to the last column, so a wide window shows no empty strip.

With `shrink_to_fit` the long-text columns give up more, down to their header's width, before
the table scrolls: for a table whose every column should be in view at 1024 px (人员).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

PADDING = 12  # px beside a column's widest text: the texts do not touch the grid lines


class ColumnFitter(QObject):
    """Fits `view`'s columns now (`fit()`, after the rows change) and when its viewport resizes."""

    def __init__(
        self,
        view: QTableView,
        long_columns: Sequence[int],
        cap: int,
        *,
        shrink_to_fit: bool = False,
    ) -> None:
        super().__init__(view)
        self._view, self._long, self._cap = view, tuple(long_columns), cap
        self._shrink = shrink_to_fit
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)

    def needed(self) -> list[int]:
        """Each column's width for its whole header and texts, padded (before any cap)."""
        view, header = self._view, self._view.horizontalHeader()
        return [
            max(view.sizeHintForColumn(c), header.sectionSizeHint(c)) + PADDING
            for c in range(header.count())
        ]

    def fit(self) -> None:
        header = self._view.horizontalHeader()
        full = self.needed()
        widths = [min(w, self._cap) if c in self._long else w for c, w in enumerate(full)]
        spare = self._view.viewport().width() - sum(widths)
        if spare < 0 and self._shrink:
            spare = self._shrink_long(widths, -spare)
        capped = [c for c in self._long if c < len(widths) and widths[c] < full[c]]
        while spare > 0 and capped:  # the elided texts first, shared evenly
            share = max(1, spare // len(capped))
            for c in list(capped):
                grow = min(share, full[c] - widths[c], spare)
                widths[c] += grow
                spare -= grow
                if widths[c] >= full[c]:
                    capped.remove(c)
        if spare > 0 and widths:
            widths[-1] += spare
        for c, width in enumerate(widths):
            if header.sectionSize(c) != width:
                header.resizeSection(c, width)

    def _shrink_long(self, widths: list[int], over: int) -> int:
        """Take `over` pixels from the long-text columns, evenly, none below its header's width
        (the header stays readable; the cells elide, their tooltips whole). Returns the spare
        room left: negative when even that does not fit, and the table scrolls."""
        header = self._view.horizontalHeader()
        floor = {c: header.sectionSizeHint(c) + PADDING for c in self._long if c < len(widths)}
        shrinking = [c for c, least in floor.items() if widths[c] > least]
        while over > 0 and shrinking:
            share = -(-over // len(shrinking))  # rounded up: the last pixels are taken too
            for c in list(shrinking):
                cut = min(share, widths[c] - floor[c], over)
                widths[c] -= cut
                over -= cut
                if widths[c] <= floor[c]:
                    shrinking.remove(c)
        return -over

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._viewport:
            self.fit()
        return super().eventFilter(watched, event)
