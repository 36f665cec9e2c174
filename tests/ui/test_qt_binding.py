"""The Qt binding the app runs on must not corrupt Python's reference counts.

PySide6 6.12.0 returns None from every void Qt method without taking a reference to it. On
Python 3.11, where None is an ordinary object, each call (setEnabled, setText, setItem …) drops
its count by one until Python aborts ("none_dealloc: deallocating None"): filling a 10,000-row
import preview was enough. Python 3.12+ makes None immortal, which hides the bug there.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem


def test_void_qt_calls_leave_none_s_reference_count_alone(qapp) -> None:  # type: ignore[no-untyped-def]
    label, table = QLabel(), QTableWidget(1, 1)
    before = sys.getrefcount(None)
    for i in range(2000):
        label.setText(str(i))
        table.setItem(0, 0, QTableWidgetItem(str(i)))
    lost = before - sys.getrefcount(None)
    assert lost < 100, f"{lost} references to None lost in 4,000 void Qt calls"
