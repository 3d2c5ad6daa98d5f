"""Fetched pages: raw HTML per version and per-URL fetch state; imported external reviews;
the Datasette-friendly views ``claims_current`` and ``review_log``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from factcheck.store.models import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CLAIMS_CURRENT = """
CREATE VIEW claims_current AS
SELECT c.id AS claim_id, a.key AS article, c.kind, c.text, c.source, c.status,
       c.needs_review, c.reappeared, c.first_version_id, c.last_version_id
FROM claims c JOIN articles a ON a.id = c.article_id
WHERE NOT c.removed
"""

REVIEW_LOG = """
CREATE VIEW review_log AS
SELECT r.id AS review_id, r.created_at, a.key AS article, r.claim_id, r.status, r.reviewer,
       r.note, r.version_id, r.wording, r.hash
FROM reviews r JOIN claims c ON c.id = r.claim_id JOIN articles a ON a.id = c.article_id
"""


def upgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("raw_html", sa.LargeBinary(), nullable=True))
    op.create_table(
        "watched_pages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.Text(), nullable=False, unique=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=True),
        sa.Column("checks", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_checked_at", UTCDateTime(), nullable=True),
        sa.Column("last_changed_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_table(
        "external_reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("claim_reviewed", sa.Text(), nullable=False),
        sa.Column("rating", sa.Text(), nullable=False),
        sa.Column("rating_value", sa.Float(), nullable=True),
        sa.Column("best_rating", sa.Float(), nullable=True),
        sa.Column("worst_rating", sa.Float(), nullable=True),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("date_published", sa.Text(), nullable=False),
        sa.Column("appearance_url", sa.Text(), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
    )
    op.execute(CLAIMS_CURRENT)
    op.execute(REVIEW_LOG)


def downgrade() -> None:
    op.execute("DROP VIEW review_log")
    op.execute("DROP VIEW claims_current")
    op.drop_table("external_reviews")
    op.drop_table("watched_pages")
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("raw_html")
