"""Claim listings, filters and the review queue."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.claim_views import (
    Absence,
    add_claim,
    claim_detail,
    find_absences,
    list_claims,
    review_queue,
)
from factcheck.errors import NotFoundError, UsageError
from factcheck.ingest import IngestOptions, expand_inputs, ingest
from factcheck.store.db import open_database, session_scope
from tests.conftest import SAMPLES, review_claim, write_versions

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
        # The verdict was on 80%; version 2 says 85% and later versions leave it alone: the
        # queue still says what changed since the verdict, not since the previous version.
        assert queue[0].claim.id == percent.id
        assert queue[0].reasons == ["stale verdict", "value changed"]
        ranks = {
            "stale verdict": 0,
            "value changed": 1,
            "source changed": 1,
            "reappeared": 2,
            "unreviewed": 3,
        }
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


# -- absences: the versions a claim is missing from --------------------------------------------


@pytest.mark.parametrize(
    ("present", "latest", "removed", "expected"),
    [
        ([1, 2, 3], 3, False, []),
        ([2, 3], 3, False, []),  # not there yet in version 1: no absence
        ([1, 2, 6, 8, 9], 9, False, [(3, 5), (7, 7)]),
        ([1, 2, 3, 4], 9, True, [(5, 9)]),
        ([1, 3], 4, True, [(2, 2), (4, 4)]),
        ([], 4, True, [(1, 4)]),  # a claim no lineage kept is in no version
        ([1], 3, False, []),  # a manual claim forced in without a span is tracked nowhere else
    ],
)
def test_absences_are_the_runs_between_and_after_occurrences(
    present: list[int], latest: int, removed: bool, expected: list[tuple[int, int]]
) -> None:
    assert find_absences(present, latest, removed=removed) == [Absence(*r) for r in expected]


@given(
    st.integers(min_value=1, max_value=40).flatmap(
        lambda latest: st.tuples(
            st.just(latest),
            st.sets(st.integers(min_value=1, max_value=latest), min_size=1),
            st.booleans(),
        )
    )
)
def test_absences_and_occurrences_tile_the_claims_life(
    case: tuple[int, set[int], bool],
) -> None:
    latest, present, removed_flag = case
    removed = removed_flag and max(present) < latest  # what the lineage's flag can be
    runs = find_absences(sorted(present), latest, removed=removed)
    missing = [v for run in runs for v in range(run.from_version, run.to_version + 1)]
    end = latest if removed else max(present)
    # Every version from the first occurrence on is either held or in exactly one run.
    assert sorted(missing + sorted(present)) == list(range(min(present), end + 1))
    assert missing == sorted(missing)
    assert all(run.from_version <= run.to_version for run in runs)
    # Runs are maximal: two never touch, as a version between them would hold the claim.
    assert all(a.to_version + 1 < b.from_version for a, b in pairwise(runs))


ROADS = "The council will spend 4.5 million euros on roads, the mayor said."
CROWD = "About 300 residents attended the meeting, organisers said."
OTHER = "Work starts in June."


def test_claim_detail_names_the_runs_of_versions_without_the_claim(tmp_path: Path) -> None:
    presence = {ROADS: {1, 2, 6, 8, 9}, CROWD: {1, 2, 3, 4}}
    bodies = [
        "\n\n".join([OTHER, *(s for s, held in presence.items() if v in held)])
        for v in range(1, 10)
    ]
    engine = open_database(str(tmp_path / "a.db"), create=True)
    with session_scope(engine, writes=True) as session:
        ingest(session, write_versions(tmp_path / "files", *bodies), IngestOptions(now=NOW))
    with session_scope(engine) as session:
        ids = {c.text: c.id for c in list_claims(session, include_removed=True)}
        roads, crowd = claim_detail(session, ids[ROADS]), claim_detail(session, ids[CROWD])
    engine.dispose()
    assert [o.version for o in roads.occurrences] == [1, 2, 6, 8, 9]
    assert roads.absences == [Absence(3, 5), Absence(7, 7)]
    assert roads.as_dict()["absences"] == [
        {"from_version": 3, "to_version": 5},
        {"from_version": 7, "to_version": 7},
    ]
    assert crowd.claim.removed and crowd.claim.last_version == 4
    assert crowd.as_dict()["absences"] == [{"from_version": 5, "to_version": 9}]


def test_a_spanless_manual_claim_is_not_absent_from_later_versions(tmp_path: Path) -> None:
    engine = open_database(str(tmp_path / "a.db"), create=True)
    with session_scope(engine, writes=True) as session:
        ingest(session, MARROWBY[:2], IngestOptions(now=NOW))
        forced, _ = add_claim(
            session, "marrowby-floods-2025", "Not in the text.", version="1", force=True, now=NOW
        )
    with session_scope(engine, writes=True) as session:
        ingest(session, MARROWBY[2:], IngestOptions(now=NOW))
    with session_scope(engine) as session:
        detail = claim_detail(session, forced.id)
    engine.dispose()
    assert [o.version for o in detail.occurrences] == [1]
    assert not detail.claim.removed and detail.absences == []
