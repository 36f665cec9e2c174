"""Revision 0001: 职业目录、机构与备案范围."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def create() -> None:
    op.create_table(
        "occupation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_new", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_occupation")),
        sa.UniqueConstraint("code", name=op.f("uq_occupation_code")),
    )
    op.create_table(
        "work_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occupation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["occupation_id"],
            ["occupation.id"],
            name=op.f("fk_work_type_occupation_id_occupation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_type")),
        sa.UniqueConstraint("occupation_id", "name", name=op.f("uq_work_type_occupation_id_name")),
    )
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("registration_authority", sa.String(length=200), nullable=False),
        sa.Column("nature", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("legal_representative", sa.String(length=200), nullable=False),
        sa.Column("registered_capital", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("contact_person", sa.String(length=200), nullable=False),
        sa.Column("contact_title", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("org_type", sa.String(length=1), nullable=False),
        sa.Column("filing_code", sa.String(length=13), nullable=True),
        sa.Column("profile_name", sa.String(length=40), nullable=False),
        sa.Column("scope_level", sa.String(length=20), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("filing_valid_until", sa.Date(), nullable=True),
        sa.Column("seal_image", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("org_type IN ('Y','S')", name=op.f("ck_organisation_org_type")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("filing_code", name=op.f("uq_organisation_filing_code")),
    )
    op.create_table(
        "scope_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("occupation_id", sa.Integer(), nullable=False),
        sa.Column("work_type_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("assessed_count", sa.Integer(), nullable=False),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name=op.f("ck_scope_entry_level")),
        sa.ForeignKeyConstraint(
            ["occupation_id"],
            ["occupation.id"],
            name=op.f("fk_scope_entry_occupation_id_occupation"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_scope_entry_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["work_type_id"], ["work_type.id"], name=op.f("fk_scope_entry_work_type_id_work_type")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scope_entry")),
        sa.UniqueConstraint(
            "organisation_id",
            "occupation_id",
            "work_type_id",
            "level",
            name=op.f("uq_scope_entry_organisation_id_occupation_id_work_type_id_level"),
        ),
    )


def drop() -> None:
    op.drop_table("scope_entry")
    op.drop_table("organisation")
    op.drop_table("work_type")
    op.drop_table("occupation")
