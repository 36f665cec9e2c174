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

CODES = ("201", "227", "210", "237", "213", "238", "208", "233", "239", "240", "241", "299")


def upgrade() -> None:
    with op.batch_alter_table("person", recreate="always") as batch:
        batch.create_check_constraint(
            "id_type", "id_type IN (" + ",".join(f"'{c}'" for c in CODES) + ")"
        )


def downgrade() -> None:
    with op.batch_alter_table("person", recreate="always") as batch:
        batch.drop_constraint("ck_person_id_type", type_="check")
