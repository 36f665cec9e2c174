"""Schema migrations: backup first, newer databases refused, child rows survive batch migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from app.db import open_database
from app.db.engine import make_engine
from app.db.migrate import alembic_config, current_revision, head_revision, upgrade_database
from app.errors import DatabaseVersionError
from tests.conftest import behind_the_apps_back, sqlite_only


def _seed_parent_and_children(db_file: Path) -> None:
    con = sqlite3.connect(db_file)
    con.execute("PRAGMA foreign_keys=ON")
    con.execute(
        "INSERT INTO person (id, id_type, id_number, name, phone, employer, education, city, title, notes,"
        " created_at, updated_at) VALUES (1, '201', '11010119900307803X', '测试', '', '', '', '', '', '',"
        " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    )
    for i, role in enumerate(("examiner", "proctor"), start=1):
        con.execute(
            "INSERT INTO staff_role (id, person_id, role, duties, specialty, in_house, agreement_on_file)"
            " VALUES (?, 1, ?, '', '', 1, 0)",
            (i, role),
        )
    con.execute(
        "INSERT INTO photo (person_id, data, mime, width, height, sha256) VALUES (1, x'FFD8', 'image/jpeg', 295, 413, 'x')"
    )
    con.commit()
    con.close()


def _children(db_file: Path) -> tuple[int, int]:
    con = sqlite3.connect(db_file)
    try:
        roles = con.execute("SELECT count(*) FROM staff_role").fetchone()[0]
        photos = con.execute("SELECT count(*) FROM photo").fetchone()[0]
        return roles, photos
    finally:
        con.close()


@sqlite_only("checks the PRAGMAs app.db.engine sets on SQLite connections")
def test_fresh_database_is_at_head_with_pragmas(db) -> None:
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_child_rows_survive_batch_migration_of_parent(data_dir: Path) -> None:
    engine = make_engine(f"sqlite:///{(data_dir / 'skillsite.db').as_posix()}")
    upgrade_database(engine, data_dir, target="0001")
    _seed_parent_and_children(data_dir / "skillsite.db")
    backup = upgrade_database(engine, data_dir)  # 0002 recreates the person table
    engine.dispose()
    assert _children(data_dir / "skillsite.db") == (2, 1)
    assert backup is not None and backup.exists()
    # The backup is a usable copy of the database as it was before the migration.
    con = sqlite3.connect(backup)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    assert con.execute("SELECT count(*) FROM staff_role").fetchone()[0] == 2
    con.close()


def test_the_trap_is_real_with_foreign_keys_on(data_dir: Path) -> None:
    """Control: the same migration run naively (foreign keys ON) wipes the child rows."""
    db_file = data_dir / "naive.db"
    engine = make_engine(f"sqlite:///{db_file.as_posix()}")
    upgrade_database(engine, data_dir, target="0001")
    _seed_parent_and_children(db_file)
    cfg = alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()
    engine.dispose()
    assert _children(db_file) == (0, 0)


def test_newer_database_is_refused(data_dir: Path) -> None:
    open_database(data_dir).dispose()
    with behind_the_apps_back(data_dir) as con:
        con.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(DatabaseVersionError, match="更新版本"):
        open_database(data_dir)


def test_database_at_head_is_not_backed_up_again(data_dir: Path) -> None:
    open_database(data_dir).dispose()
    open_database(data_dir).dispose()
    assert not list(data_dir.glob("backups/*.db"))
    db = open_database(data_dir, migrate=False)
    assert current_revision(db.engine) == head_revision()
    db.dispose()


def test_migrated_schema_matches_the_models(db) -> None:
    """The migrations build exactly the tables, columns, indexes and constraints the models declare
    (a model change without its migration, or a migration that drifts, fails here)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from app.models import Base

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


@sqlite_only("counts rows with the sqlite3 module around a downgrade and an upgrade")
def test_certificate_migration_keeps_certificates_and_their_print_log(demo) -> None:
    """0003 copies the certificate table on SQLite: down to 0002 and up again on the demo data,
    every certificate and print-log row survives and the foreign keys still hold."""
    db_file = Path(demo.engine.url.database)
    with behind_the_apps_back(db_file.parent) as con:
        con.exec_driver_sql(
            "INSERT INTO certificate_print (certificate_id, printed_at, user_id, printer, copies,"
            " kind, reason) SELECT id, '2026-11-01 09:00:00', 1, 'HP', 1, 'full', '' FROM certificate"
        )

    def counts() -> tuple[int, int]:
        con = sqlite3.connect(db_file)
        try:
            return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
                         for t in ("certificate", "certificate_print"))
        finally:
            con.close()

    before = counts()
    assert before[0] > 0 and before[1] == before[0]
    demo.dispose()
    cfg = alembic_config()
    with demo.engine.connect() as conn:
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # as migrate does
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
        conn.commit()
    assert current_revision(demo.engine) == "0002"
    upgrade_database(demo.engine, db_file.parent)  # checks the foreign keys afterwards
    assert current_revision(demo.engine) == head_revision()
    assert counts() == before
