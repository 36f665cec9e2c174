"""Revision 0001: 人员、照片、工作人员角色与考评资格."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def create() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_type", sa.String(length=3), nullable=False),
        sa.Column("id_number", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("employer", sa.String(length=200), nullable=False),
        sa.Column("education", sa.String(length=40), nullable=False),
        sa.Column("city", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("notes", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "gender IS NULL OR gender IN ('男','女')", name=op.f("ck_person_gender")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("id_type", "id_number", name=op.f("uq_person_id_type_id_number")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index("ix_person_name", ["name"], unique=False)

    op.create_table(
        "photo",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("mime", sa.String(length=20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_photo_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_photo")),
    )
    op.create_table(
        "staff_role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("duties", sa.String(length=200), nullable=False),
        sa.Column("specialty", sa.String(length=200), nullable=False),
        sa.Column("in_house", sa.Boolean(), nullable=False),
        sa.Column("agreement_on_file", sa.Boolean(), nullable=False),
        sa.Column("agreement_until", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "role IN ('fulltime','expert','examiner','supervisor','proctor')",
            name=op.f("ck_staff_role_role"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_staff_role_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_role")),
        sa.UniqueConstraint("person_id", "role", name=op.f("uq_staff_role_person_id_role")),
    )
    op.create_table(
        "examiner_qualification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("occupation_id", sa.Integer(), nullable=False),
        sa.Column("work_type_id", sa.Integer(), nullable=True),
        sa.Column("max_level", sa.Integer(), nullable=False),
        sa.Column("certificate_no", sa.String(length=60), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "max_level BETWEEN 1 AND 5", name=op.f("ck_examiner_qualification_max_level")
        ),
        sa.ForeignKeyConstraint(
            ["occupation_id"],
            ["occupation.id"],
            name=op.f("fk_examiner_qualification_occupation_id_occupation"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_examiner_qualification_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["work_type_id"],
            ["work_type.id"],
            name=op.f("fk_examiner_qualification_work_type_id_work_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_examiner_qualification")),
        sa.UniqueConstraint(
            "person_id",
            "occupation_id",
            "work_type_id",
            name=op.f("uq_examiner_qualification_person_id_occupation_id_work_type_id"),
        ),
    )


def drop() -> None:
    op.drop_table("examiner_qualification")
    op.drop_table("staff_role")
    op.drop_table("photo")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_name")
    op.drop_table("person")
