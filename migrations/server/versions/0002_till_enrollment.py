"""Till enrollment: codes are issued for a store (the till brings its own id), store
names are unique, and a till's credential hash is unique so it can be looked up.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 22:28:17
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("enrollment_codes") as batch_op:
        batch_op.add_column(sa.Column("store_id", sa.Uuid(as_uuid=False), nullable=True))
        batch_op.add_column(sa.Column("used_by_till_id", sa.Uuid(as_uuid=False), nullable=True))
    # A code made for a till now belongs to that till's store; a spent one names its till.
    op.execute(
        sa.text(
            "UPDATE enrollment_codes SET "
            "store_id = (SELECT tills.store_id FROM tills WHERE tills.id = enrollment_codes.till_id), "
            "used_by_till_id = CASE WHEN used_at IS NOT NULL THEN till_id END"
        )
    )
    with op.batch_alter_table("enrollment_codes") as batch_op:
        batch_op.alter_column("store_id", existing_type=sa.Uuid(as_uuid=False), nullable=False)
        batch_op.drop_index(batch_op.f("ix_enrollment_codes_till_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_enrollment_codes_till_id_tills"), type_="foreignkey"
        )
        batch_op.drop_column("till_id")
        batch_op.create_index(batch_op.f("ix_enrollment_codes_store_id"), ["store_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_enrollment_codes_store_id_stores"), "stores", ["store_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_enrollment_codes_used_by_till_id_tills"),
            "tills",
            ["used_by_till_id"],
            ["id"],
        )

    # Unique indexes, not constraints: on SQLite a new constraint means rebuilding
    # the table, and these tables are referenced by foreign keys.
    op.create_index(op.f("ix_stores_name"), "stores", ["name"], unique=True)
    op.create_index(op.f("ix_tills_credential_hash"), "tills", ["credential_hash"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_tills_credential_hash"), table_name="tills")
    op.drop_index(op.f("ix_stores_name"), table_name="stores")

    with op.batch_alter_table("enrollment_codes") as batch_op:
        batch_op.add_column(sa.Column("till_id", sa.Uuid(as_uuid=False), nullable=True))
    # The old schema ties every code to a till: unspent codes name none, so they go.
    op.execute(sa.text("DELETE FROM enrollment_codes WHERE used_by_till_id IS NULL"))
    op.execute(sa.text("UPDATE enrollment_codes SET till_id = used_by_till_id"))
    with op.batch_alter_table("enrollment_codes") as batch_op:
        batch_op.alter_column("till_id", existing_type=sa.Uuid(as_uuid=False), nullable=False)
        batch_op.drop_constraint(
            batch_op.f("fk_enrollment_codes_used_by_till_id_tills"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_enrollment_codes_store_id_stores"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_enrollment_codes_store_id"))
        batch_op.drop_column("used_by_till_id")
        batch_op.drop_column("store_id")
        batch_op.create_index(batch_op.f("ix_enrollment_codes_till_id"), ["till_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_enrollment_codes_till_id_tills"), "tills", ["till_id"], ["id"]
        )
