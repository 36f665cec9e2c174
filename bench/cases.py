"""Benchmark cases. Each case has an untimed `setup(ctx)` and a timed `run(ctx, state)`.

Every case loads its libraries in `setup`: the timed part is the work itself, as in the app,
where the modules are loaded before anybody imports a file (openpyxl alone takes 0.15 s to
load, the app's import modules 0.35 s — as much as a fifth of the import being measured).

Add a case (Excel export, certificate rendering …) by writing the two functions and appending
a `Case` to CASES; `ratios` in run.py compares any two cases by name.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import floor as _floor


@dataclass
class BenchContext:
    workdir: Path
    rows: int
    inputs: dict[str, Path] = field(default_factory=dict)  # shared input files by name


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    run: Callable[[BenchContext, Any], dict[str, Any] | None]
    setup: Callable[[BenchContext], Any] = lambda ctx: None


# --- reading the people file -----------------------------------------------------------------------
def _load_calamine(_ctx: BenchContext) -> None:
    import python_calamine  # noqa: F401


def _load_openpyxl(_ctx: BenchContext) -> None:
    import openpyxl  # noqa: F401


def _calamine_read(ctx: BenchContext, _state: Any) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(ctx.inputs["people"])).get_sheet_by_index(0).to_python()
    return {"rows_read": len(rows)}


def _openpyxl_read(ctx: BenchContext, _state: Any) -> dict[str, Any]:
    from openpyxl import load_workbook

    wb = load_workbook(ctx.inputs["people"], read_only=True, data_only=True)
    n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return {"rows_read": n}


# --- the whole import: read, validate, write to a fresh SQLite database ------------------------------
def _import_setup(ctx: BenchContext) -> Any:
    import app.services.importing  # noqa: F401  (loaded, as in the running app)
    from app.db import open_database
    from app.services.users import authenticate, create_first_admin

    data_dir = ctx.workdir / "import_db"
    db = open_database(data_dir)
    with db.session() as s:
        create_first_admin(s, "admin", "Bench#2026", "基准测试")
    with db.session() as s:
        actor = authenticate(s, "admin", "Bench#2026")
    return db, actor


def _import_run(ctx: BenchContext, state: Any) -> dict[str, Any]:
    import app.services.audit as audit
    from app.services.importing import commit_import, preview_import

    db, actor = state
    audit_time = 0.0
    audit_entries = 0
    real_write = audit.write_pending

    def timed_write(session: Any) -> int:  # measures, never bypasses, the audit
        nonlocal audit_time, audit_entries
        t = time.perf_counter()
        try:
            n = real_write(session)
            audit_entries += n
            return n
        finally:
            audit_time += time.perf_counter() - t

    audit.write_pending = timed_write  # type: ignore[assignment]
    try:
        t0 = time.perf_counter()
        with db.session() as s:
            preview = preview_import(s, actor, ctx.inputs["people"], "people", "add")
            t1 = time.perf_counter()
            if preview.has_errors:
                raise RuntimeError(f"benchmark file has errors: {preview.errors[:3]}")
            result = commit_import(s, actor, preview)
            t2 = time.perf_counter()
        t3 = time.perf_counter()
    finally:
        audit.write_pending = real_write  # type: ignore[assignment]
    db.dispose()
    return {
        "created": result.created,
        "preview_s": round(t1 - t0, 3),
        "commit_s": round(t2 - t1, 3),
        "db_commit_s": round(t3 - t2, 3),
        "audit_write_s": round(audit_time, 3),
        "audit_entries": audit_entries,
    }


CASES: list[Case] = [
    Case(
        "import", "人员导入全过程（读取+校验+写入新 SQLite 库，含审计）", _import_run, _import_setup
    ),
    Case("calamine", "python-calamine 直接读取同一文件", _calamine_read, _load_calamine),
    Case(
        "floor",
        "裸库下限：calamine+sqlite3+json+hashlib 做同样的读取、校验位、写入和逐行审计（无预览、无报错）",
        _floor.run,
        _floor.setup,
    ),
    Case("openpyxl", "openpyxl read_only 直接读取同一文件", _openpyxl_read, _load_openpyxl),
]

# (numerator, denominator, target text, check) — printed after the cases; a ratio without a
# check is shown for reference (how far the import is from the floor, and where the floor lies).
RATIOS: list[tuple[str, str, str, Callable[[float], bool] | None]] = [
    ("import", "openpyxl", "< 1.0", lambda r: r < 1.0),
    ("import", "calamine", "≤ 5", lambda r: r <= 5),
    ("floor", "calamine", "", None),
    ("import", "floor", "", None),
]
