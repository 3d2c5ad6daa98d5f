"""Claims, their occurrences in versions, and the hash-chained reviews.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from factcheck.store.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("reappeared", sa.Boolean(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("first_version_id", sa.Integer(), sa.ForeignKey("versions.id"), nullable=True),
        sa.Column("last_version_id", sa.Integer(), sa.ForeignKey("versions.id"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_claims_status", "claims", ["status"])
    op.create_index("ix_claims_article", "claims", ["article_id"])
    op.create_index("ix_claims_needs_review", "claims", ["needs_review"])
    op.create_table(
        "claim_occurrences",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("claim_id", sa.Integer(), sa.ForeignKey("claims.id"), nullable=False),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("versions.id"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("change", sa.String(20), nullable=False),
        sa.Column("value_changes", sa.JSON(), nullable=False),
    )
    op.create_index("ix_occurrences_claim", "claim_occurrences", ["claim_id"])
    op.create_index("ix_occurrences_version", "claim_occurrences", ["version_id"])
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("claim_id", sa.Integer(), sa.ForeignKey("claims.id"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("reviewer", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("versions.id"), nullable=True),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_index("ix_reviews_claim", "reviews", ["claim_id"])


def downgrade() -> None:
    op.drop_index("ix_reviews_claim", table_name="reviews")
    op.drop_table("reviews")
    op.drop_index("ix_occurrences_version", table_name="claim_occurrences")
    op.drop_index("ix_occurrences_claim", table_name="claim_occurrences")
    op.drop_table("claim_occurrences")
    op.drop_index("ix_claims_needs_review", table_name="claims")
    op.drop_index("ix_claims_article", table_name="claims")
    op.drop_index("ix_claims_status", table_name="claims")
    op.drop_table("claims")
