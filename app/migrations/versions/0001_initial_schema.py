"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 11:54:09.360134
"""

from __future__ import annotations

from app.migrations.schema_0001 import PARTS


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    for part in PARTS:
        part.create()


def downgrade() -> None:
    for part in reversed(PARTS):
        part.drop()
