"""Revision 0001: 认定批次、报名、场次、考务安排、成绩与异议."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def create() -> None:
    op.create_table(
        "batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("occupation_id", sa.Integer(), nullable=False),
        sa.Column("work_type_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("method_theory", sa.Boolean(), nullable=False),
        sa.Column("method_skill", sa.Boolean(), nullable=False),
        sa.Column("method_review", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("double_entry", sa.Boolean(), nullable=False),
        sa.Column("pass_mark", sa.Integer(), nullable=False),
        sa.Column("candidate_source", sa.String(length=200), nullable=False),
        sa.Column("plan_filed_on", sa.Date(), nullable=True),
        sa.Column("publicity_start", sa.Date(), nullable=True),
        sa.Column("publicity_end", sa.Date(), nullable=True),
        sa.Column("results_filed_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("needs_republicity", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft','plan_filed','in_progress','scoring','publicity','results_filed','certified','archived')",
            name=op.f("ck_batch_status"),
        ),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name=op.f("ck_batch_level")),
        sa.CheckConstraint("pass_mark >= 0 AND pass_mark <= 100", name=op.f("ck_batch_pass_mark")),
        sa.ForeignKeyConstraint(
            ["occupation_id"], ["occupation.id"], name=op.f("fk_batch_occupation_id_occupation")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_batch_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["work_type_id"], ["work_type.id"], name=op.f("fk_batch_work_type_id_work_type")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch")),
        sa.UniqueConstraint("code", name=op.f("uq_batch_code")),
    )
    op.create_table(
        "check_ack",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("check_key", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.id"], name=op.f("fk_check_ack_batch_id_batch"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_check_ack_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_ack")),
        sa.UniqueConstraint("batch_id", "check_key", name=op.f("uq_check_ack_batch_id_check_key")),
    )
    op.create_table(
        "enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("admission_no", sa.String(length=40), nullable=False),
        sa.Column("seat", sa.String(length=20), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("employer", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=60), nullable=False),
        sa.Column("result", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("result IN ('pending','pass','fail')", name=op.f("ck_enrolment_result")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.id"], name=op.f("fk_enrolment_batch_id_batch"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_enrolment_person_id_person")
        ),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"], name=op.f("fk_enrolment_room_id_room")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment")),
        sa.UniqueConstraint(
            "batch_id", "admission_no", name=op.f("uq_enrolment_batch_id_admission_no")
        ),
        sa.UniqueConstraint("batch_id", "person_id", name=op.f("uq_enrolment_batch_id_person_id")),
    )
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.create_index("ix_enrolment_person", ["person_id"], unique=False)

    op.create_table(
        "exam_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=10), nullable=False),
        sa.CheckConstraint(
            "subject IN ('theory','skill','review')", name=op.f("ck_exam_session_subject")
        ),
        sa.CheckConstraint("end_time > start_time", name=op.f("ck_exam_session_time_order")),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batch.id"],
            name=op.f("fk_exam_session_batch_id_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_exam_session_room_id_room")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_session")),
    )
    op.create_table(
        "scorer_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batch.id"],
            name=op.f("fk_scorer_assignment_batch_id_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_scorer_assignment_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorer_assignment")),
        sa.UniqueConstraint(
            "user_id", "batch_id", name=op.f("uq_scorer_assignment_user_id_batch_id")
        ),
    )
    op.create_table(
        "staff_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("duty", sa.String(length=12), nullable=False),
        sa.CheckConstraint(
            "duty IN ('examiner','proctor','supervisor')", name=op.f("ck_staff_assignment_duty")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batch.id"],
            name=op.f("fk_staff_assignment_batch_id_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_staff_assignment_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_session.id"],
            name=op.f("fk_staff_assignment_session_id_exam_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_assignment")),
        sa.UniqueConstraint(
            "batch_id",
            "session_id",
            "person_id",
            "duty",
            name=op.f("uq_staff_assignment_batch_id_session_id_person_id_duty"),
        ),
    )
    op.create_table(
        "score_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("component", sa.String(length=10), nullable=False),
        sa.Column("entry_round", sa.Integer(), nullable=False),
        sa.Column("score", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("mark", sa.String(length=14), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "component IN ('theory','skill','review')", name=op.f("ck_score_entry_component")
        ),
        sa.CheckConstraint(
            "mark <> 'normal' OR score IS NOT NULL", name=op.f("ck_score_entry_normal_has_score")
        ),
        sa.CheckConstraint(
            "mark IN ('normal','absent','disqualified')", name=op.f("ck_score_entry_mark")
        ),
        sa.CheckConstraint("entry_round IN (0, 1, 2)", name=op.f("ck_score_entry_entry_round")),
        sa.CheckConstraint(
            "score IS NULL OR (score >= 0 AND score <= 100)",
            name=op.f("ck_score_entry_score_range"),
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["enrolment.id"],
            name=op.f("fk_score_entry_enrolment_id_enrolment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entered_by"], ["app_user.id"], name=op.f("fk_score_entry_entered_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_entry")),
        sa.UniqueConstraint(
            "enrolment_id",
            "component",
            "entry_round",
            name=op.f("uq_score_entry_enrolment_id_component_entry_round"),
        ),
    )
    op.create_table(
        "objection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("handling", sa.Text(), nullable=False),
        sa.Column("handled_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.id"], name=op.f("fk_objection_batch_id_batch"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"], ["enrolment.id"], name=op.f("fk_objection_enrolment_id_enrolment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection")),
    )


def drop() -> None:
    op.drop_table("objection")
    op.drop_table("score_entry")
    op.drop_table("staff_assignment")
    op.drop_table("scorer_assignment")
    op.drop_table("exam_session")
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.drop_index("ix_enrolment_person")
    op.drop_table("enrolment")
    op.drop_table("check_ack")
    op.drop_table("batch")
