"""certificate.replaces_id: a replacement certificate (换发) names the voided one it replaces

A nullable column with a foreign key to certificate itself, unique (a voided certificate is
replaced at most once). SQLite cannot add a constraint in place, so there the table is copied
(app.db.migrate runs batch migrations with foreign keys OFF, so the print log survives).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _recreate() -> str:
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def upgrade() -> None:
    with op.batch_alter_table("certificate", recreate=_recreate()) as batch:
        batch.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_certificate_replaces_id_certificate"), "certificate", ["replaces_id"], ["id"]
        )
        batch.create_unique_constraint(op.f("uq_certificate_replaces_id"), ["replaces_id"])


def downgrade() -> None:
    with op.batch_alter_table("certificate", recreate=_recreate()) as batch:
        batch.drop_constraint(op.f("uq_certificate_replaces_id"), type_="unique")
        batch.drop_constraint(op.f("fk_certificate_replaces_id_certificate"), type_="foreignkey")
        batch.drop_column("replaces_id")
