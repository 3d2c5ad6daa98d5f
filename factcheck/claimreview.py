"""ClaimReview (schema.org) markup: build it from our verdicts, read it from anyone's.

Pure: no database, no CLI. ``factcheck.export`` feeds it stored claims and reviews and
stores what it reads.

Writing
-------
``build_claimreview`` makes one ``ClaimReview`` object from plain values. Every property it
writes exists in schema.org and is allowed on the type it is written on (checked against the
schema.org release 30 vocabulary by the tests). Our statuses map onto a 1-5 rating scale,
``STATUS_RATINGS``; the textual ``alternateName`` is what readers (and Google) show, the
number places it on a truth scale: 1 = false, 5 = true, 3 = no conclusion either way.

Reading
-------
``find_claimreviews`` collects the ClaimReview objects of any JSON document: one object, a
list, a JSON-LD ``@graph``, a ``DataFeed`` of ``DataFeedItem``\\ s, or records that carry the
object under ``claim_review`` (the shared corpus's format), nested in any of these ways.
``read_claimreview`` turns one into a ``ReadReview`` while tolerating what real publishers
write: no ``@context``, ``CreativeWork`` (any case) as ``itemReviewed``, numbers as strings
or empty strings, lists of authors and of names, HTML entities left in the text, a
``claimReviewed`` given as a list.

The textual rating is mapped back to a status by ``status_from_rating``: the rating's
``alternateName`` (or ``name``) is normalised (see ``normalise_label``) and looked up in
``RATING_WORDS``, a table of common verdict words in the languages of the corpus; a label
that starts with one of them ("Falso: the images were...") counts too. Only when no word
matches is the number used, and only at the ends of the scale: the worst rating is
``false`` and the best is ``verified``; anything in between is not understood (None).

Matching text
-------------
``normalise_claim_text`` is the rule imported reviews are matched to claims with: HTML
entities decoded, Unicode NFKC, case folded, typographic quotes, apostrophes and dashes made
plain, every quotation mark dropped, whitespace collapsed, and trailing sentence punctuation
removed. Two texts match when these forms are equal.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SCHEMA_CONTEXT = "https://schema.org"

BEST_RATING = 5
WORST_RATING = 1

# status -> (alternateName, ratingValue) on the WORST_RATING..BEST_RATING scale.
STATUS_RATINGS: dict[str, tuple[str, int]] = {
    "verified": ("Verified", 5),
    "disputed": ("Disputed", 3),
    "false": ("False", 1),
    "misleading": ("Misleading", 2),
    "unproven": ("Unproven", 3),
    "unverified": ("Unverified", 3),
}

# Normalised verdict words -> status. Longer phrases are tried before shorter ones, so
# "mostly false" is misleading although "false" is false.
RATING_WORDS: dict[str, str] = {
    # verified
    "verified": "verified",
    "true": "verified",
    "correct": "verified",
    "accurate": "verified",
    "verdadero": "verified",
    "verdadeiro": "verified",
    "vrai": "verified",
    "richtig": "verified",
    "wahr": "verified",
    # false
    "false": "false",
    "incorrect": "false",
    "wrong": "false",
    "fake": "false",
    "pants on fire": "false",
    "really false": "false",
    "falso": "false",
    "falsa": "false",
    "faux": "false",
    "fausse": "false",
    "falsch": "false",
    "زائف": "false",
    "خطأ": "false",
    "錯誤": "false",
    "错误": "false",
    "गलत": "false",
    "फर्जी": "false",
    "ভুয়া": "false",
    "ভুল": "false",
    "মিথ্যা": "false",
    # misleading
    "misleading": "misleading",
    "mostly false": "misleading",
    "half true": "misleading",
    "partly false": "misleading",
    "partially false": "misleading",
    "missing context": "misleading",
    "out of context": "misleading",
    "exaggerated": "misleading",
    "distorted": "misleading",
    "engañoso": "misleading",
    "enganoso": "misleading",
    "engañosa": "misleading",
    "enganosa": "misleading",
    "trompeur": "misleading",
    "trompeuse": "misleading",
    "irreführend": "misleading",
    "exagerado": "misleading",
    "distorcido": "misleading",
    "impreciso": "misleading",
    "não é bem assim": "misleading",
    "sin contexto": "misleading",
    "भ्रामक": "misleading",
    # disputed
    "disputed": "disputed",
    "contested": "disputed",
    "mixture": "disputed",
    "mixed": "disputed",
    "contraditório": "disputed",
    "polémico": "disputed",
    # unproven
    "unproven": "unproven",
    "unsupported": "unproven",
    "unsubstantiated": "unproven",
    "no evidence": "unproven",
    "not proven": "unproven",
    "unverifiable": "unproven",
    "inconclusive": "unproven",
    "insustentável": "unproven",
    "sin evidencia": "unproven",
    "sin pruebas": "unproven",
    "證據不足": "unproven",
    "证据不足": "unproven",
    # unverified
    "unverified": "unverified",
}
_RATING_PHRASES = sorted(RATING_WORDS, key=len, reverse=True)
# What may follow a rating word for the label to keep its meaning: an explanation set off by a
# full stop, a colon, a dash or a bracket ("False. The photo is from 2015", "False—the
# photo..."). Anything else qualifies it ("True but misleading", "Verdadero, pero..."), and a
# label read by its first word would then publish a verdict the other organisation did not
# give: such a label is left unread.
_EXPLAINED = re.compile(r"\s*(?:[.:(\[\u2013\u2014]|\s-{1,2}\s)")

# A claimant whose name holds one of these words is written as an Organization, any other
# as a Person (schema.org's two kinds of author).
_ORGANISATION_WORDS = frozenset(
    """agency association authority bank board bureau centre center club committee company
    corporation council court department directorate federation government group hospital
    institute league ministry office operator organisation organization party police
    press railway school service services society team union university""".split()
)

_QUOTES = (
    "\"'`\u00ab\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2039\u203a"
    "\u300c\u300d\u300e\u300f"
)
_PLAIN = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})
_DROP_QUOTES = str.maketrans(dict.fromkeys(_QUOTES, " "))
_TRAILING = re.compile(r"[\s.!?;:,\u2026\u3002\u061f\u0964]+$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Organisation:
    """The fact-checking organisation that signs an export."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class Appearance:
    """One place a claim appeared: an article version, or whatever a publisher named."""

    url: str | None
    headline: str | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None


@dataclass(frozen=True)
class ReviewedClaim:
    """What ``build_claimreview`` needs to know about one claim and its verdict."""

    claim_id: int
    wording: str
    status: str
    claimant: str
    appearance: Appearance
    first_appearance: Appearance
    reviewed_at: datetime | None
    note: str = ""
    sources: Sequence[str] = ()


@dataclass(frozen=True)
class ReadReview:
    """One ClaimReview as read from someone's markup, cleaned up."""

    claim_reviewed: str
    rating_label: str
    rating_value: float | None
    best_rating: float | None
    worst_rating: float | None
    status: str | None
    authors: tuple[str, ...]
    url: str
    date_published: str
    published_at: datetime | None
    note: str
    citations: tuple[str, ...]
    appearance_urls: tuple[str, ...]
    appearance_times: tuple[datetime, ...]
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def author(self) -> str:
        return ", ".join(self.authors)


# --- writing ---------------------------------------------------------------------------------


def iso_seconds(moment: datetime) -> str:
    """ISO 8601 in UTC to the second, ``Z`` suffix: how times are written in the markup."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _date_or_time(moment: datetime) -> str:
    """A published date is often a day without a time; midnight UTC is written as a date."""
    utc = moment.astimezone(UTC)
    if (utc.hour, utc.minute, utc.second, utc.microsecond) == (0, 0, 0, 0):
        return utc.date().isoformat()
    return iso_seconds(utc)


def rating_for(status: str) -> dict[str, Any]:
    label, value = STATUS_RATINGS[status]
    return {
        "@type": "Rating",
        "alternateName": label,
        "ratingValue": value,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
    }


def claimant_type(name: str) -> str:
    words = set(re.findall(r"\w+", name.casefold()))
    return "Organization" if words & _ORGANISATION_WORDS else "Person"


def review_url(org: Organisation, claim_id: int) -> str | None:
    """The ``url`` of an exported review: an anchor for the claim on the organisation's site."""
    if not org.url:
        return None
    return f"{org.url.split('#', 1)[0]}#claim-{claim_id}"


def _appearance(appearance: Appearance) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if appearance.url:
        work["url"] = appearance.url
    if appearance.headline:
        work["headline"] = appearance.headline
    if appearance.published_at is not None:
        work["datePublished"] = _date_or_time(appearance.published_at)
    if appearance.modified_at is not None:
        work["dateModified"] = iso_seconds(appearance.modified_at)
    return work


def build_claimreview(claim: ReviewedClaim, org: Organisation) -> dict[str, Any]:
    """One schema.org ClaimReview (without ``@context``; the document carries it)."""
    item: dict[str, Any] = {
        "@type": "Claim",
        "appearance": _appearance(claim.appearance),
        "firstAppearance": _appearance(claim.first_appearance),
    }
    first_seen = claim.first_appearance.modified_at or claim.first_appearance.published_at
    if first_seen is not None:
        item["datePublished"] = iso_seconds(first_seen)
    if claim.claimant:
        item["author"] = {"@type": claimant_type(claim.claimant), "name": claim.claimant}
    author: dict[str, Any] = {"@type": "Organization", "name": org.name}
    if org.url:
        author["url"] = org.url
    review: dict[str, Any] = {"@type": "ClaimReview"}
    url = review_url(org, claim.claim_id)
    if url:
        review["url"] = url
    review["claimReviewed"] = claim.wording
    review["itemReviewed"] = item
    review["author"] = author
    if claim.reviewed_at is not None:
        review["datePublished"] = iso_seconds(claim.reviewed_at)
    review["reviewRating"] = rating_for(claim.status)
    if claim.note:
        review["reviewBody"] = claim.note
    if claim.sources:
        review["citation"] = list(claim.sources)
    return review


def claimreview_document(reviews: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The exported file: one JSON-LD document whose ``@graph`` holds every ClaimReview."""
    return {"@context": SCHEMA_CONTEXT, "@graph": list(reviews)}


# --- reading ---------------------------------------------------------------------------------


def clean_text(value: Any, *, keep_lines: bool = False) -> str:
    """Text as published, with HTML entities decoded (twice-escaped ones too) and trimmed;
    runs of whitespace become one space unless ``keep_lines``."""
    if value is None:
        return ""
    if isinstance(value, list):
        parts = (clean_text(v, keep_lines=keep_lines) for v in value)
        return " ".join(part for part in parts if part)
    if isinstance(value, dict):
        inner = value.get("name") or value.get("text") or value.get("@value")
        return clean_text(inner, keep_lines=keep_lines)
    text = str(value)
    for _ in range(3):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text.strip() if keep_lines else _SPACES.sub(" ", text).strip()


def normalise_claim_text(text: str) -> str:
    """The form two claim texts are compared in (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", clean_text(text)).casefold()
    folded = folded.translate(_PLAIN).translate(_DROP_QUOTES)
    folded = _SPACES.sub(" ", folded).strip()
    return _TRAILING.sub("", folded)


def normalise_label(text: str) -> str:
    """A rating label, compared: entities decoded, NFKC, case folded, ``_`` as a space."""
    label = unicodedata.normalize("NFKC", clean_text(text)).casefold().replace("_", " ")
    return _SPACES.sub(" ", label).strip().strip(".!:;,")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    text = clean_text(value).replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def status_from_label(label: str) -> str | None:
    wanted = normalise_label(label)
    if not wanted:
        return None
    if wanted in RATING_WORDS:
        return RATING_WORDS[wanted]
    for phrase in _RATING_PHRASES:
        if wanted.startswith(phrase) and _EXPLAINED.match(wanted, len(phrase)):
            return RATING_WORDS[phrase]
    return None


def status_from_rating(
    label: str, value: float | None, best: float | None, worst: float | None
) -> str | None:
    """Our status for a published rating, or None when it cannot be told."""
    by_label = status_from_label(label)
    if by_label is not None or value is None:
        return by_label
    # schema.org's defaults when the scale is not given.
    best = BEST_RATING if best is None else best
    worst = WORST_RATING if worst is None else worst
    if best == worst:
        return None
    if value == worst:
        return "false"
    if value == best:
        return "verified"
    return None


def _type_names(node: dict[str, Any]) -> set[str]:
    kinds = node.get("@type", node.get("type"))
    names = kinds if isinstance(kinds, list) else [kinds]
    return {str(name).rsplit("/", 1)[-1].rsplit(":", 1)[-1].casefold() for name in names if name}


# How deep ClaimReview markup may nest (real markup nests a handful of levels). The import
# refuses a deeper document before walking it, so the walk never stops short silently.
MAX_DEPTH = 64


def find_claimreviews(document: Any) -> list[dict[str, Any]]:
    """Every ClaimReview object in a JSON document, in document order."""
    return list(_walk(document, depth=0))


def _walk(node: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > MAX_DEPTH:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
        return
    if not isinstance(node, dict):
        return
    types = _type_names(node)
    if "claimreview" in types or (not types and "claimReviewed" in node):
        yield node
        return
    # Containers: JSON-LD graphs, DataFeeds and ItemLists and their items, the corpus's records.
    for key in (
        "@graph",
        "dataFeedElement",
        "itemListElement",
        "item",
        "claim_review",
        "claimReview",
        "records",
    ):
        if key in node:
            yield from _walk(node[key], depth + 1)


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    if isinstance(value, dict):
        return _names(value.get("name"))
    text = clean_text(value)
    return [text] if text else []


def _urls(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [url for item in value for url in _urls(item)]
    if isinstance(value, dict):
        return _urls(value.get("url") or value.get("@id"))
    text = clean_text(value)
    return [text] if text else []


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 date or date-time as an aware UTC datetime; naive ones are UTC."""
    text = clean_text(value)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59-14:00 is in the year 10000 in UTC
        return None


def _appearances(item: dict[str, Any]) -> list[dict[str, Any] | str]:
    found: list[dict[str, Any] | str] = []
    for key in ("appearance", "firstAppearance"):
        value = item.get(key)
        for entry in value if isinstance(value, list) else [value]:
            if isinstance(entry, dict | str) and entry:
                found.append(entry)
    if not found and ("url" in item or "datePublished" in item):
        # A CreativeWork as itemReviewed names the place the claim appeared itself.
        found.append(item)
    return found


def read_claimreview(node: dict[str, Any]) -> ReadReview:
    """The parts of one ClaimReview that factcheck uses; ``raw`` keeps the rest."""
    rating = node.get("reviewRating")
    if isinstance(rating, list):
        rating = next((r for r in rating if isinstance(r, dict | str)), None)
    if isinstance(rating, str):
        rating = {"alternateName": rating}  # "reviewRating": "False", a label alone
    rating = rating if isinstance(rating, dict) else {}
    label = clean_text(rating.get("alternateName") or rating.get("name"))
    value = _number(rating.get("ratingValue"))
    best = _number(rating.get("bestRating"))
    worst = _number(rating.get("worstRating"))
    item = node.get("itemReviewed")
    item = item if isinstance(item, dict) else {}
    authors = _names(node.get("author")) or _names(node.get("publisher"))
    appearance_urls: list[str] = []
    appearance_times: list[datetime] = []
    for entry in _appearances(item):
        appearance_urls += _urls(entry)
        if isinstance(entry, dict):
            for key in ("dateModified", "datePublished"):
                moment = parse_time(entry.get(key))
                if moment is not None:
                    appearance_times.append(moment)
    date_published = clean_text(node.get("datePublished"))
    citations = _urls(node.get("citation"))
    return ReadReview(
        claim_reviewed=clean_text(node.get("claimReviewed")),
        rating_label=label,
        rating_value=value,
        best_rating=best,
        worst_rating=worst,
        status=status_from_rating(label, value, best, worst),
        authors=tuple(dict.fromkeys(authors)),
        url=" ".join(_urls(node.get("url"))[:1]),
        date_published=date_published,
        published_at=parse_time(date_published),
        note=clean_text(node.get("reviewBody"), keep_lines=True),
        citations=tuple(dict.fromkeys(citations)),
        appearance_urls=tuple(dict.fromkeys(appearance_urls)),
        appearance_times=tuple(appearance_times),
        raw=node,
    )


__all__ = [
    "BEST_RATING",
    "RATING_WORDS",
    "SCHEMA_CONTEXT",
    "STATUS_RATINGS",
    "WORST_RATING",
    "Appearance",
    "Organisation",
    "ReadReview",
    "ReviewedClaim",
    "build_claimreview",
    "claimant_type",
    "claimreview_document",
    "clean_text",
    "find_claimreviews",
    "iso_seconds",
    "normalise_claim_text",
    "normalise_label",
    "parse_time",
    "rating_for",
    "read_claimreview",
    "review_url",
    "status_from_label",
    "status_from_rating",
]
