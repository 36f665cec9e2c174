"""The one Excel importer for staff and people: `preview_import` → `commit_import`.

`write_template(kind, out)` gives the blank template, `write_error_report(preview, out)` the
problems of a rejected file. See `engine` for the modes and `reader` for what files are read.
"""

from app.services.importing.engine import commit_import, preview_import
from app.services.importing.results import (
    MODE_NAMES,
    MODES,
    STATUS_NAMES,
    ImportPreview,
    ImportResult,
    ImportRow,
    Progress,
    RoleRemoval,
    RowIssue,
    mode_hint,
)
from app.services.importing.sheets import write_error_report, write_template

__all__ = [
    "MODES",
    "MODE_NAMES",
    "STATUS_NAMES",
    "ImportPreview",
    "ImportResult",
    "ImportRow",
    "Progress",
    "RoleRemoval",
    "RowIssue",
    "commit_import",
    "mode_hint",
    "preview_import",
    "write_error_report",
    "write_template",
]
