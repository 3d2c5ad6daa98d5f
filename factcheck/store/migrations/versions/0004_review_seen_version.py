"""Reviews record the latest version of their claim's article that they could see, so
that whether a verdict on a removed claim is stale is decided by what the database had
stored, not by clocks (``factcheck.review``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The view of 0003, which SQLite checks when the downgrade renames the rebuilt table.
REVIEW_LOG = """
CREATE VIEW review_log AS
SELECT r.id AS review_id, r.created_at, a.key AS article, r.claim_id, r.status, r.reviewer,
       r.note, r.version_id, r.wording, r.hash
FROM reviews r JOIN claims c ON c.id = r.claim_id JOIN articles a ON a.id = c.article_id
"""


def upgrade() -> None:
    # One statement both backends take as it is. Alembic's batch mode would rebuild the
    # table on SQLite to add the foreign key, and the rebuild's rename fails on the view
    # that reads the table. Existing reviews keep NULL: what they saw was never recorded.
    op.execute("ALTER TABLE reviews ADD COLUMN seen_version_id INTEGER REFERENCES versions (id)")


def downgrade() -> None:
    op.execute("DROP VIEW review_log")
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("seen_version_id")
    op.execute(REVIEW_LOG)
