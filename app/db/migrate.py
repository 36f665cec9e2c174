"""Schema migrations run at start-up: back up first, refuse a newer database, keep child rows.

SQLite trap handled here: with foreign keys ON, a batch migration of a parent table (copy,
drop, rename) fires ON DELETE CASCADE and wipes the child rows. Foreign keys are therefore
switched OFF on the migration connection before any transaction, checked with
`PRAGMA foreign_key_check` after the upgrade, and switched back ON.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from app.errors import DatabaseVersionError
from app.paths import backup_dir

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(script_location: Path = MIGRATIONS_DIR) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    return cfg


def head_revision(script_location: Path = MIGRATIONS_DIR) -> str:
    head = ScriptDirectory.from_config(alembic_config(script_location)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _has_tables(engine: Engine) -> bool:
    return bool(inspect(engine).get_table_names())


def backup_sqlite(engine: Engine, data_dir: Path, label: str) -> Path | None:
    """Copy the SQLite file with the online backup API (consistent even in WAL mode)."""
    db_file = engine.url.database
    if engine.dialect.name != "sqlite" or not db_file or db_file == ":memory:":
        return None
    from app.models.base import utcnow

    target = backup_dir(data_dir) / f"skillsite-{utcnow():%Y%m%d-%H%M%S}-{label}.db"
    src = sqlite3.connect(db_file)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    log.info("database backed up before migration to %s", target.name)
    return target


def upgrade_database(
    engine: Engine,
    data_dir: Path,
    *,
    target: str = "head",
    script_location: Path = MIGRATIONS_DIR,
) -> Path | None:
    """Bring the schema to `target`; returns the backup file made first, if any."""
    script = ScriptDirectory.from_config(alembic_config(script_location))
    current = current_revision(engine)
    if current is not None:
        try:
            script.get_revision(current)
        except Exception as exc:
            raise DatabaseVersionError(
                f"数据库由更新版本的 SkillSite 创建（结构版本 {current}），本程序无法打开。"
                "请安装最新版本的 SkillSite 后再打开，切勿用旧版本修改该数据库。"
            ) from exc
    wanted = script.get_current_head() if target == "head" else target
    if current == wanted:
        return None
    backup = None
    if current is not None or _has_tables(engine):
        backup = backup_sqlite(engine, data_dir, f"before-{current or 'unversioned'}")
    _run_upgrade(engine, target, script_location)
    return backup


def _run_upgrade(engine: Engine, target: str, script_location: Path) -> None:
    cfg = alembic_config(script_location)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        # On the driver connection: a statement through SQLAlchemy would begin a transaction
        # first, and inside a transaction SQLite ignores this PRAGMA.
        raw = conn.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
            conn.commit()
            if raw is not None:
                problems = raw.execute("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise DatabaseVersionError(
                        f"数据库升级后发现 {len(problems)} 处外键不一致（如表 {problems[0][0]}），"
                        "升级前的备份保存在数据目录的 backups 文件夹中，请联系技术支持。"
                    )
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")
