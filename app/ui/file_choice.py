"""Choosing files: the Excel filter of every import, and where an export goes — the folder last
used for an export is offered again, and a file name typed without its suffix gets it (a roster
saved as "名册" is still "名册.xlsx")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

EXPORT_DIR_KEY = "exports/last_dir"


def excel_filter() -> str:
    """The open-file filter for every Excel import: the suffixes the reader takes."""
    from app.services.importing.reader import SUPPORTED_SUFFIXES

    patterns = " ".join(f"*{suffix}" for suffix in SUPPORTED_SUFFIXES)
    return QCoreApplication.translate("file_choice", "Excel 文件") + f" ({patterns})"


def _last_dir() -> Path:
    return Path(str(QSettings().value(EXPORT_DIR_KEY, str(Path.home()))))


def choose_folder(parent: QWidget, title: str) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, title, str(_last_dir()))
    if not folder:
        return None
    QSettings().setValue(EXPORT_DIR_KEY, folder)
    return Path(folder)


def choose_save_file(
    parent: QWidget, title: str, name: str, *, suffix: str = ".xlsx", kind: str = "Excel"
) -> Path | None:
    """A path to write, starting in the last export folder with `name`; `suffix` added if the
    user typed the name without it. None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(
        parent, title, str(_last_dir() / name), f"{kind} (*{suffix})"
    )
    if not path:
        return None
    QSettings().setValue(EXPORT_DIR_KEY, str(Path(path).parent))
    return Path(path) if path.lower().endswith(suffix) else Path(path + suffix)
