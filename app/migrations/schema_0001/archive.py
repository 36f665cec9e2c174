"""Revision 0001: 档案."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def create() -> None:
    op.create_table(
        "archive_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("archived_on", sa.Date(), nullable=False),
        sa.Column("retention_end", sa.Date(), nullable=False),
        sa.Column("destruction_approved_by", sa.Integer(), nullable=True),
        sa.Column("destroyed_on", sa.Date(), nullable=True),
        sa.Column("destruction_reason", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('paper','electronic')", name=op.f("ck_archive_item_kind")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.id"], name=op.f("fk_archive_item_batch_id_batch")
        ),
        sa.ForeignKeyConstraint(
            ["destruction_approved_by"],
            ["app_user.id"],
            name=op.f("fk_archive_item_destruction_approved_by_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_item")),
    )


def drop() -> None:
    op.drop_table("archive_item")
