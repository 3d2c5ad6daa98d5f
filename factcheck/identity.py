"""Which article a version belongs to: slugs, canonical URLs and story similarity. Pure.

The similarity of two bodies is the *containment* of their word 3-gram shingles: the share
of the smaller body's shingles that also occur in the other. Edits that add, remove or
reword a few paragraphs keep it high (about 0.6 to 0.95 on the samples), while different
stories score near 0, even on the same topic. ``SAME_STORY_THRESHOLD`` is 0.5.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SAME_STORY_THRESHOLD = 0.5
SHINGLE_WORDS = 3
SLUG_MAX = 80
_CANDIDATES = 5

_WORD = re.compile(r"\w+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_TRACKING_PARAMS = re.compile(
    r"^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref|ref_src|cmpid|ocid|_ga)$",
    re.IGNORECASE,
)


def slugify(text: str) -> str:
    """A lower-case ASCII slug; empty when nothing ASCII survives (e.g. an Arabic title)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


# Control characters (other than tab and line ends) have no place in an article key or a
# header: printed back, an escape sequence would drive the user's terminal.
# Form feeds and vertical tabs turn up in pasted text and do no harm; C1 controls other than
# NEL (U+0085, a line end) include CSI, an escape on some terminals.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
KEY_MAX = 200


def check_article_key(key: str) -> str:
    """``key`` stripped, if it can name an article; ``ValueError`` saying why not."""
    key = key.strip()
    if not key:
        raise ValueError("the article key is empty")
    if CONTROL_CHARACTERS.search(key):
        raise ValueError("the article key holds a control character")
    if shows_nothing(key):
        raise ValueError(f"the article key holds only {invisible_characters(key)}")
    if len(key) > KEY_MAX:
        raise ValueError(f"the article key is longer than {KEY_MAX} characters")
    return key


# Format characters (Cf: bidi marks and isolates, zero-width spaces and joiners, BOMs) steer
# layout and joining but draw no glyph; combining marks (Mn, Me) draw only on a base letter.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me"})
# Filed as letters or symbols, yet drawn as blanks: the Hangul fillers and the empty braille
# cell, favourites for names that look empty but pass a whitespace check.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u2800\u3164\uffa0")


def shows_nothing(text: str) -> bool:
    """Whether ``text`` would print as nothing: only spaces, format characters, blank
    fillers and combining marks with no letter to sit on."""
    return all(
        char.isspace()
        or char in _BLANK_GLYPHS
        or unicodedata.category(char) in _INVISIBLE_CATEGORIES
        for char in text
    )


def invisible_characters(text: str) -> str:
    """The invisible characters ``text`` holds, each named once: it may hold thousands."""
    shown = sorted({char for char in text if not char.isspace()})
    return "invisible characters " + " ".join(f"U+{ord(char):04X}" for char in shown)


def check_page_url(url: str) -> str:
    """``url`` stripped, if it is an http(s) URL with a host; ``ValueError`` otherwise."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is what rejects "http://host:x/"
    except ValueError as error:
        raise ValueError(f"not a valid URL ({error})") from None
    if (
        parts.scheme.lower() not in {"http", "https"}
        or not parts.hostname
        or CONTROL_CHARACTERS.search(url)
    ):
        raise ValueError(f"not an http(s) URL: {url!r}")
    return url


def canonical_url(url: str) -> str:
    """The URL with tracking parameters and the fragment stripped, scheme and host lower-cased."""
    parts = urlsplit(url.strip())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING_PARAMS.match(k)
    ]
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


def shingles(text: str) -> frozenset[int]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return frozenset({hash(tuple(words))}) if words else frozenset()
    return frozenset(
        hash(tuple(words[i : i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1)
    )


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


class StoryIndex:
    """Finds the stored article whose latest body is most like a new body.

    An inverted index from shingle to articles keeps each lookup proportional to the new
    body's length rather than to the number of stored articles.
    """

    def __init__(self) -> None:
        self._shingles: dict[int, frozenset[int]] = {}
        self._postings: dict[int, set[int]] = {}

    def add(self, article_id: int, body: str) -> None:
        """Make ``body`` the latest body of ``article_id``, replacing any earlier one."""
        old = self._shingles.get(article_id, frozenset())
        for shingle in old:
            self._postings[shingle].discard(article_id)
        new = shingles(body)
        self._shingles[article_id] = new
        for shingle in new:
            self._postings.setdefault(shingle, set()).add(article_id)

    def best_match(self, body: str) -> tuple[int, float] | None:
        """The most similar article and its score, if it reaches ``SAME_STORY_THRESHOLD``."""
        query = shingles(body)
        hits: Counter[int] = Counter()
        for shingle in query:
            hits.update(self._postings.get(shingle, ()))
        best: tuple[int, float] | None = None
        for article_id, _count in sorted(hits.items(), key=lambda item: (-item[1], item[0]))[
            :_CANDIDATES
        ]:
            score = containment(query, self._shingles[article_id])
            if score >= SAME_STORY_THRESHOLD and (best is None or score > best[1]):
                best = (article_id, score)
        return best


def unique_key(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken."""
    existing = set(taken)
    if base not in existing:
        return base
    suffix = 2
    while f"{base}-{suffix}" in existing:
        suffix += 1
    return f"{base}-{suffix}"
