"""person.id_type restricted to the seeds' ID-type codes

SQLite cannot add a CHECK constraint in place, so this is a batch migration that copies,
drops and renames the `person` table — the parent of staff roles, qualifications, photos
and enrolments. app.db.migrate runs it with foreign keys OFF so those child rows survive.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _recreate() -> str:
    # SQLite must copy the table (no ALTER TABLE ADD CONSTRAINT). Elsewhere the constraint is
    # added in place: a copy would have to drop person's primary key, which PostgreSQL refuses
    # while the child tables' foreign keys depend on it.
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


CODES = ("201", "227", "210", "237", "213", "238", "208", "233", "239", "240", "241", "299")


def upgrade() -> None:
    with op.batch_alter_table("person", recreate=_recreate()) as batch:
        batch.create_check_constraint(
            "id_type", "id_type IN (" + ",".join(f"'{c}'" for c in CODES) + ")"
        )


def downgrade() -> None:
    with op.batch_alter_table("person", recreate=_recreate()) as batch:
        batch.drop_constraint(op.f("ck_person_id_type"), type_="check")  # op.f: already the full name
