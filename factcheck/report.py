"""Everything about one article on one page: the data behind ``factcheck report``.

``build_report`` gathers, in one read-only session, the article's timeline (with the
stealth-edit and backdated flags), the diff between each pair of consecutive versions
(``factcheck.diff.diff_articles``), and every claim ever found in it (removed ones too) with
its lineage, value changes and verdict history (``factcheck.claim_views.claim_detail``).
``factcheck.render.report`` turns the result into a self-contained HTML page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from factcheck.articles import VersionSummary
from factcheck.claim_views import ClaimDetail
from factcheck.diff import ArticleDiff

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class ReportStep:
    """The change from one version to the next in the timeline."""

    before: VersionSummary
    after: VersionSummary
    diff: ArticleDiff


@dataclass(frozen=True)
class ArticleReport:
    key: str
    title: str
    url: str | None
    outlet: str | None
    versions: list[VersionSummary]
    steps: list[ReportStep]
    claims: list[ClaimDetail]
    generated_at: datetime

    @property
    def stealth_edits(self) -> int:
        return sum(version.stealth_edit for version in self.versions)

    @property
    def stale_claims(self) -> int:
        return sum(detail.claim.needs_review for detail in self.claims)

    @property
    def reviewed_claims(self) -> int:
        return sum(bool(detail.reviews) for detail in self.claims)


def build_report(session: Session, key: str, *, now: datetime) -> ArticleReport:
    """The report on one article; raises ``NotFoundError`` for an unknown key."""
    from sqlalchemy import select

    from factcheck.articles import article_id, load_articles, timeline, version_summary
    from factcheck.claim_views import claim_detail, list_claims
    from factcheck.diff import diff_articles
    from factcheck.store.models import articles_table

    found = article_id(session, key)
    article = session.execute(
        select(articles_table.c.url, articles_table.c.outlet).where(articles_table.c.id == found)
    ).one()
    placed = timeline(session, key)
    summaries = [version_summary(p) for p in placed]
    texts = load_articles(session, [p.version.id for p in placed])
    steps = [
        ReportStep(summaries[i - 1], summaries[i], diff_articles(texts[i - 1], texts[i]))
        for i in range(1, len(texts))
    ]
    claims = [
        claim_detail(session, claim.id) for claim in list_claims(session, key, include_removed=True)
    ]
    return ArticleReport(
        key=key,
        title=summaries[-1].title if summaries else key,
        url=article.url,
        outlet=article.outlet,
        versions=summaries,
        steps=steps,
        claims=claims,
        generated_at=now,
    )


__all__ = ["ArticleReport", "ReportStep", "build_report"]
