"""The filing forms' remaining fields: the organisation's 联系人手机 and 网站 (Guizhou's
备案申请表, 001 附件1 一), and per scope entry the standard or evaluation specification it
follows (001 附件1 二; Shandong asks whether there is one, 002 附件1 二) and the subsidised
training done (Anhui, 003 附件1).

Plain text columns added in place, empty for existing rows (no table copy is needed).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COLUMNS = {
    "organisation": (("mobile", sa.String(40)), ("website", sa.String())),
    "scope_entry": (("standard", sa.String()), ("subsidised_training", sa.String())),
}


def upgrade() -> None:
    for table, columns in _COLUMNS.items():
        for name, type_ in columns:
            op.add_column(table, sa.Column(name, type_, nullable=False, server_default=""))


def downgrade() -> None:
    for table, columns in _COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, _type in columns:
                batch.drop_column(name)
