"""Occurrences record a change of source or speaker whatever else changed, so that "40 ->
52, according to the UN -> according to army officials" keeps both halves
(``factcheck.claims.track.Occurrence.source_change``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing rows keep NULL until their article's next refresh rewrites its occurrences;
    # a source change that came with a value change was not recorded before.
    op.add_column("claim_occurrences", sa.Column("source_change", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claim_occurrences") as batch:
        batch.drop_column("source_change")
