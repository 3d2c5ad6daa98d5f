"""Claim listings, filters and the review queue."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from factcheck.claim_views import claim_detail, list_claims, review_queue
from factcheck.errors import NotFoundError, UsageError
from factcheck.ingest import IngestOptions, expand_inputs, ingest
from factcheck.store.db import open_database, session_scope
from tests.conftest import SAMPLES, review_claim

NOW = datetime(2026, 1, 1, tzinfo=UTC)
MARROWBY = expand_inputs([str(SAMPLES / "marrowby-floods")])


def test_filters_and_the_queue_order(tmp_path: Path) -> None:
    engine = open_database(str(tmp_path / "v.db"), create=True)
    with session_scope(engine, writes=True) as session:
        ingest(session, MARROWBY[:1], IngestOptions(now=NOW))
        claims = list_claims(session)
        percent = next(c for c in claims if "80%" in c.text)
        steady = next(c for c in claims if c.text.startswith("Power was cut"))
        review_claim(session, percent.id, "verified", NOW)
        review_claim(session, steady.id, "disputed", NOW, note="n")
    with session_scope(engine, writes=True) as session:
        ingest(session, MARROWBY[1:], IngestOptions(now=NOW))
    with session_scope(engine) as session:
        assert [c.id for c in list_claims(session, status="disputed")] == [steady.id]
        assert all(
            c.article == "marrowby-floods-2025"
            for c in list_claims(session, "marrowby-floods-2025")
        )
        stale = list_claims(session, needs_review=True)
        assert [c.id for c in stale] == [percent.id]
        removed = [c for c in list_claims(session, include_removed=True) if c.removed]
        assert removed and not any(c.removed for c in list_claims(session))
        queue = review_queue(session)
        assert queue[0].claim.id == percent.id and queue[0].reasons == ["stale verdict"]
        ranks = {"stale verdict": 0, "value changed": 1, "reappeared": 2, "unreviewed": 3}
        firsts = [min(ranks[r] for r in item.reasons) for item in queue]
        assert firsts == sorted(firsts)
        assert all(item.reasons for item in queue)
        assert steady.id not in [item.claim.id for item in queue]  # reviewed and unchanged
        with pytest.raises(UsageError):
            list_claims(session, status="nope")
        with pytest.raises(NotFoundError):
            claim_detail(session, 10_000)
        with pytest.raises(NotFoundError):
            list_claims(session, "no-such-article")
    engine.dispose()


def test_a_withdrawn_verdict_puts_the_claim_back_in_the_queue(tmp_path: Path) -> None:
    engine = open_database(str(tmp_path / "v.db"), create=True)
    with session_scope(engine, writes=True) as session:
        ingest(session, MARROWBY[:1], IngestOptions(now=NOW))
        first = list_claims(session)[0]
        review_claim(session, first.id, "verified", NOW)
        assert first.id not in [item.claim.id for item in review_queue(session)]
        review_claim(session, first.id, "unverified", NOW, note="verdict withdrawn")
        queue = {item.claim.id: item.reasons for item in review_queue(session)}
    engine.dispose()
    assert queue[first.id] == ["unreviewed"]


def test_listing_does_not_load_the_extractor() -> None:
    # Listings must not pay for compiling the extractor's patterns (about 20 ms a start).
    code = (
        "import sys, factcheck.claim_views\n"
        "print('factcheck.claims.extract' in sys.modules, 'factcheck.lineage' in sys.modules)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.split() == ["False", "False"]


def test_values_shared_by_many_claims_decode_to_separate_lists(tmp_path: Path) -> None:
    engine = open_database(str(tmp_path / "fc.db"), create=True)
    with session_scope(engine, writes=True) as session:
        ingest(session, MARROWBY, IngestOptions(now=NOW))
    with session_scope(engine) as session:
        claims = list_claims(session)
    engine.dispose()
    # Equal values are decoded once per listing; each claim still gets its own list.
    assert len({id(claim.values) for claim in claims}) == len(claims)
    numbered = [claim for claim in claims if claim.values]
    assert numbered and all("text" not in value for c in numbered for value in c.values)
    assert all(c.first_version is not None and c.last_version is not None for c in claims)


def test_listings_run_with_the_cyclic_collector_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from factcheck import claim_views

    engine = open_database(str(tmp_path / "fc.db"), create=True)
    with session_scope(engine, writes=True) as session:
        ingest(session, MARROWBY[:1], IngestOptions(now=NOW))
    seen: list[bool] = []
    real = claim_views._shown_values

    def watching(*args: object) -> object:
        seen.append(gc.isenabled())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(claim_views, "_shown_values", watching)
    with session_scope(engine) as session:
        listed = list_claims(session)
        queued = review_queue(session)
    engine.dispose()
    assert listed and queued and seen and not any(seen)
    assert gc.isenabled()
