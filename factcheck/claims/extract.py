"""Claim extraction: sentences, quantities, attributions and quotes; pure and dependency-free.

Data model
----------
``split_sentences(document)`` cuts a document (``ParsedArticle.document``: title, standfirst and
body paragraphs joined by ``"\\n\\n"``) into ``Sentence`` values. ``extract_quantities(text)``
reads the ``Quantity`` values of one sentence. ``extract_claims(document)`` keeps the
check-worthy sentences as ``ExtractedClaim`` values, in document order, one per sentence.
``masked(text)`` is the comparison key the cross-version tracker uses to match a sentence whose
numbers changed.

Invariants
----------
- ``document[s.start:s.end] == s.text`` for every sentence and claim; ``text`` is stripped
  (``str.strip``) and non-empty.
- A sentence never contains ``"\\n\\n"``: paragraphs are split first, and ``paragraph`` is the
  index of the block in ``document.split("\\n\\n")`` (empty blocks count, so the index is a pure
  function of the text).
- ``Quantity.text`` occurs literally in the sentence it came from. ``value`` is an ``int`` when
  integral and a ``float`` otherwise, never ``None``.
- Every function is total: any string, including right-to-left scripts, emoji and combining
  marks, gives a result and never raises.

Quantity conventions
--------------------
- ``unit`` is "percent" ("%", "per cent", "pct"), "percentage points", a currency code ("usd",
  "eur", "gbp", "inr" for "Rs"/"₹"/rupees, "jpy" for "¥"/yen, "cny" for yuan), a measure ("km",
  "m", "mm", "cm", "kg", "tonnes", "miles", "feet"), a temperature written onto its digits
  ("celsius" for "45C" and "45°C", "fahrenheit" for "104F"; a bare letter only in capitals and
  not after a label: "45c" is cents, "flat 5C" an address), or else the counted noun in lower
  case, in its plural form ("people", "captives", "10 of the captives" -> "captives"). The
  noun of a compound ("a 60-day ceasefire", "three-day") and a noun counted by "1" ("1
  person") are pluralised too, so "one day", "a 1-day truce" and "60-day" share the unit
  "days". ``""`` when nothing is counted ("rose to 42", "2 million remain"). Pounds are
  "gbp" when scaled ("12 million pounds") or "sterling", and a weight, "pounds", otherwise or
  before "of" ("200 pounds of explosives", "2 million pounds of beef").
- ``qualifier`` is canonical: "more than" (over, above, upwards of, in excess of, ...), "at
  least" (no fewer than, ...), "nearly" (almost, close to, just under, ...), "about" (around,
  some, roughly, approximately, an estimated, ...), "up to" (as many as, as much as, as high as,
  at most, ...), "fewer than" (less than, under, below), or "range" for "between 20 and 30" and
  "20-30". A hedge after the number counts too: "60 or so" and "60-odd" are "about", "30 or
  more" "at least", "12 or fewer" and "12 or less" "up to"; a qualifier before the number wins
  over one after it.
- Vague amounts keep the vague phrase as qualifier ("dozens", "tens of thousands", "several", "a
  few") and take the smallest value the phrase literally implies: "dozens" 24, "scores" 40,
  "hundreds" 200, "thousands" 2,000, "tens of thousands" 20,000, "hundreds of thousands"
  200,000, "millions" 2,000,000, "several" 3, "several hundred" 300, "a few thousand" 3,000. A
  change from "dozens" to "more than 30" is then a visible value change, and a qualifier outside
  the canonical list above marks the value as vague: such a value is the least the phrase can
  mean, not a figure the text gives, and a display must say so. "a dozen" is exact: 12.
- Shares are percentages: "a fifth of the cases" 20, "two-thirds of voters" 66.67 (two
  decimals), "nearly half the district" 50 "nearly", with ``unit`` "percent" as for "80% of
  the district", so that "a fifth" and "25%" compare; a share of a percentage is that
  percentage's share ("one-quarter of 1 percent" 0.25). A share needs "of" ("half" also takes
  "the", "its", "their"): "a third time", "half an hour", "a quarter of an hour", "the first
  half of the year" are not shares, but "of an estimated" and "of a total" lead to a count
  ("a third of an estimated 9,000 homes" is 33.33 and 9,000 homes). A share of a period or a
  stretch of way ("half the night", "a third of the way", "half of the whole season"; night,
  day, week, month, year, season, hour, minute, time, way, distance, journey, decade,
  century, ...) is no share of people or things, and no quantity; a share of a thing's extent
  is one ("a third of its length needed repairs"), and so is a share of what a period holds
  ("half of this year's harvest"). A ratio whose numerator is a number word
  is a share too: "one in five residents" 20 and "nine out of every ten" 90, its ``text``
  "One in five"; the numerator must be below the denominator, which is at most 10,000 and
  may be digits ("one in 10"), and "one in five minutes" counts a period, so its numbers are
  read on their own. "X in Y", "X in every Y" and "X out of every Y" are ratios; "X out of Y"
  is one only when Y is at most 10 or a power of ten ("3 out of 4", "45 out of 100"), and
  else a tally whose two figures are read on their own ("8 out of 12 drones" is 8 and 12
  drones, "60 out of 109 seats" 60 and 109 seats).
- Ages: one person's age is in years ("died at the age of 93", "aged 54"), as "a 93-year-old"
  reads. An age bracket ("aged under 18", "aged 18 to 24", "aged 65 and over", "between the
  ages of 18 and 24", "children under five", "over-65s") says who is counted, not how many,
  and is no quantity.
- Number words: cardinals up to the trillions ("Eighteen" 18, "twenty-five" 25, "three hundred
  and ten" 310, "two million" 2,000,000, "one million five hundred thousand" 1,500,000, "a
  dozen" 12); "2.2 million", "1.5bn", "€300m", "5k" are scaled. "m" after digits is a million
  with a currency or before a plural noun ("2m people"), else metres ("a 400m race").
- A part of a scale word is a count, rounded to a whole number, not a share: "half a
  million people" 500,000 people, "a quarter of a million" 250,000, "three quarters of a
  million" 750,000, "a third of a million" 333,333, "half a dozen" and "a half-dozen" 6, "a
  half million" 500,000; so are mixed numbers before a scale word: "two and a half million"
  2,500,000, "10 and a half million" 10,500,000, "a million and a half" 1,500,000.
- Digits: thousands are grouped by commas or by a no-break or thin space ("1\u00a0500"), never
  by a plain space; a comma before one or two digits is a decimal comma only before a
  percentage ("67,5%" 67.5, "67,500" a count). A minus sign or "minus" makes a number negative
  ("-15 degrees", "minus 15"), but a margin is none ("plus or minus 3 points", "±3"); a
  hyphen joined to a word or number is none ("F-16", "20-30").
  "lakh" (10^5) and "crore" (10^7) are scales ("Rs 5,000 crore" 50,000,000,000). A part of a
  percentage point is one: "half a percentage point" 0.5 "percentage points". A ratio may be
  written in digits ("1 in 10" 10 percent), with the rules of "one in ten" above.
- After a verb of movement ("rose", "fell", "gained", ...), "$2 to $85" is a change and then
  the level reached, two values, when the first figure carries its own unit and the second
  is at least three times the first ("fell 0.3% to 2.9%"); "rose 10 to 15 percent", "lost
  $2bn to $3bn", "rose 3% to 4%", "between 20 and 30" and "20 to 30 people" stay ranges.
- ``text`` is the literal phrase: qualifier, currency, number, scale, percent sign, and the
  counted noun when one is read ("more than 80%", "2.2 million residents", "60-day").
- Not quantities: years ("in 2025", "the 2024 election", "between 1998 and 2004"), dates ("25
  May", "May 25"), times ("17:11", "5 pm", "five o'clock", "at two in the morning", "half past
  four"), ordinals ("third", "3rd"), identifiers ("F-16", "Resolution 2334", "No. 10", "number
  two"), a bare "one" ("one of the reasons") and a number word used as a pronoun ("the two
  agree"), the second year of a fiscal year ("2024-25"), day ranges by a month ("12-13 June",
  "June 12-13"), phone numbers (three or more hyphenated digit groups, or "555-0142" where a
  range would rise) and a list number opening its line ("1. Inflation rose", "2) ...") when
  that line opens the paragraph or follows one that ends in . : ; ! ? or is a list item
  itself ("risen to\n40." is a count wrapped onto its line). Only ASCII digits are read. A
  bare four-digit number is a count only before a counted noun ("2000 people"), or as a bound
  of a range whose upper bound has one ("between 1000 and 1500 people", "1000 to 1500
  people", not "from ... to"); a number with a thousands separator ("1,500") is never a
  year.

Claim kinds
-----------
"statistic": a quantity written with digits, a percentage or an amount of money. "quote": a
direct quote of four or more words with a speaker (an attribution verb outside the quote, or
``Name: "..."``); a quotation of several sentences is one sentence (see "Sentence ends"), and a
sentence that opens inside a quote continues one that an earlier paragraph opened, so its quote
counts however few of its words it holds. A sentence that is one quotation with no attribution
of its own, right after a quote in the same paragraph, goes on with that quote's speaker
(`"...," Dupont said. "We are evacuating 5,000 people."`): a quote by them, or its figures
credited to them; not after a question (a quote ending in "?" or "asked"), whose answer is
someone else's. "attribution": "according to X", "X
said/told/reported/...", "said X", "reportedly". "quantity": only number words or vague amounts
("three countries", "dozens of civilians"). A sentence gets the strongest kind present,
statistic > quote > attribution > quantity. ``source`` is the quote's speaker, else the
attribution's source, else ``""``; a pronoun speaker ("he said") makes a quote but names no
source, and a pronoun subject alone ("as I said", "you say") is no attribution. A word in
capitals is an acronym, not a pronoun or a relative word ("the WHO said", "the US said", "IT
staff said"), unless the whole sentence is in capitals: "HE SAID 40 PEOPLE WERE ILL" names no
source. A speaker after
the verb is named as it would be before it: `"...," said a worker` -> "a worker" as in `"...,"
a worker said`; likewise "said one resident", "said a spokesman for the ministry", and after a
determiner up to three lower-case modifiers or a possessive ("said the regional governor",
"said the victim's sister"), though not a clause ("which said the talks failed"); the
modifiers end at a preposition, whose object names the speaker's organisation ("said the
mayor of London", "said a spokesman for the Red Cross"). A quote's
speaker may also have "asked" or "replied", which attribute nothing outside a quote. Joined
speakers with "each" or "both" are named together ("Israel and Hamas each said") when both
are noun phrases of at most four words with no verb; else only the one next to the verb is
("Rebels attacked the town and officials both said" -> "officials"); a share of a
group speaks for the group ("More than half of the 2,000 respondents said" -> "the 2,000
respondents"), when it is half, a fraction, a percentage, most, the majority or a minority,
or each, all or both of it, but not a count ("one of the survivors" is named whole) nor a
part of a period ("the first quarter of 2008"); a subject "none", "neither" or "nobody"
names no source; a dateline's dash is dropped ("GENEVA (Reuters) - The WHO said" -> "The WHO");
and a speaker never reaches back over a dotted acronym that ends an earlier clause ("was
arrested in the U.S. Police said" -> "Police"). A speaker
introduced by a role is named without it: "defence minister Israel Katz said" -> "Israel Katz",
but a role word after a preposition belongs to a name ("a spokesperson for Pell River General
Hospital said" keeps the whole phrase). An attribution verb after a determiner is an adjective
and attributes nothing ("an estimated 40 homes", "the reported damage"). A subject set off by
commas, "<head>, <aside>, said", is the aside when that is a proper name ("Marrowby's mayor,
Teodor Vass, said" -> "Teodor Vass"; "the plant's operator, Vantor Chemical") and else the head
("Teodor Vass, the mayor, said", "Vass, 54, said", "the ministry, in a statement, said") when
the head is a noun phrase of its own, not the end of a clause. The noun after "told" is its
object, never the speaker ("the mayor told the BBC").

Sentence ends
-------------
A run of "." "!" "?" "؟" "…" (plus closing quotes and brackets) ends a sentence when whitespace
and a character that is not lower-case follow; "。" "！" "？" end one outright. Not ends: decimals
("2.2"), titles ("Dr.", "Mr.", "St.", "No. 5"), initials ("J. K."), a closing quote
followed by its bare attribution (`"...achieved." Katz said`), and any end inside a quotation
that closes later in the same paragraph: `"We will not accept this. The ceasefire must hold,"
said the minister.` is one sentence, the whole quotation with its speaker. A bare attribution
is a speaker and an attribution verb, then the sentence end, with a tail set off by a comma
(`Vass said, visibly angry`, `Katz said, adding that ...`) or at most a short tail of six words
that opens with a word of time, place or manner ("this week", "on Monday", "Tuesday", "in
2019", "in a statement", "through tears", "with", "amid", an adverb in "-ly" such as
"quietly", "it twice"), or is the object of "told" or "asked" ("told reporters"), and holds no
digit but a year's, no "that" and no auxiliary ("was", "had", "will", ...). Anything else after the
quote starts a new sentence, and so does even a bare attribution when the quotation has a speaker
before it (an attribution verb or a colon right before its opening mark): `He said: "We will
rebuild. It will take years."` | `Officials said 3,000 homes were destroyed.` A quotation left open
at the end of its paragraph (news style, when the next paragraph continues it) merges
nothing, and a sentence never crosses a paragraph. Only double quotes pair up (straight, curly,
guillemets), since a single quote is too often an apostrophe; a straight quote with spaces on
both sides, as wire copy writes them, closes an open quotation, and an opening mark inside an
open quotation starts a new one.
Dotted acronyms and "etc."/"Inc."/"Jr." end a sentence only before a typical sentence opener
("the U.S. The talks" ends, "the U.S. State Department" does not). A month abbreviation or
"a.m."/"p.m." ends one before a capitalised word that is no weekday, month or time zone ("in
Feb. The army", "at 10 a.m. Prosecutors"; not "Feb. 3", "10 a.m. Tuesday", "10 a.m. GMT"). The
number of a list item opening its line ("1. Inflation rose"; see "Not quantities" for when a
line opens an item) ends no sentence. A single line
break does not end a sentence: paragraphs keep their wrapped lines together, except that two or
more lines opening with a list marker or number ("- 40 killed\n- 120 injured") are a list, each
item a sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

PARAGRAPH_SEPARATOR = "\n\n"


def _words(text: str) -> frozenset[str]:
    """A word set written as one string, which reads better than a long list literal."""
    return frozenset(text.split())


def _words_list(text: str) -> list[str]:
    return text.split()


def _trie(words: Iterable[str]) -> str:
    """An alternation of ``words`` factored by shared prefixes ("sa(?:id|ys)").

    Python's regex engine tries alternatives one by one at every position; factored, a
    position fails after one character test, which makes these scans several times faster.
    """
    root: dict[str, dict[str, Any]] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict[str, Any]]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


@dataclass(frozen=True)
class Quantity:
    """One normalised number in a sentence, with what it counts and how it is hedged."""

    value: float | int
    unit: str
    qualifier: str = ""
    upper: float | int | None = None
    text: str = ""

    def as_dict(self) -> dict[str, object]:
        """The normalised value for storage and comparison: value and unit always, the rest
        only when set. ``text`` is left out because it is wording, not value."""
        result: dict[str, object] = {"value": self.value, "unit": self.unit}
        if self.qualifier:
            result["qualifier"] = self.qualifier
        if self.upper is not None:
            result["upper"] = self.upper
        return result


# Sentences and claims are named tuples: a document makes many of them, and a tuple is
# several times cheaper to build than a frozen dataclass.
class Sentence(NamedTuple):
    text: str
    start: int
    end: int
    paragraph: int


class ExtractedClaim(NamedTuple):
    kind: str
    text: str
    start: int
    end: int
    paragraph: int
    values: tuple[Quantity, ...]
    source: str


# --------------------------------------------------------------------------------------------
# Sentence splitting
# --------------------------------------------------------------------------------------------

# A run of terminators, then any closing quotes or brackets that belong to the same sentence.
_TERMINATOR = re.compile(r"([.!?؟…。！？][.!?؟…]*)([\"'”’»)\]]*)")
_CJK_TERMINATORS = frozenset("。！？")
_CLOSING_QUOTES = frozenset("\"'”’»")
_NEXT_CHAR = re.compile(r"\s*(\S)")
_LOOKBACK = 48
_NEXT_WORD = re.compile(r"\s*[\"“'‘«(\[]*([^\s\"”’»)\].,;:!?]*)")

# Abbreviations that practically never end a sentence; compared lower-cased, without the dot.
_NEVER_FINAL = _words(
    "mr mrs ms dr prof st gen sen rep gov lt col capt sgt maj adm cmdr rev hon pres supt vs "
    "fig mt ft"
)
# Abbreviations that may end a sentence: they do only when the next word is a typical sentence
# opener, so "the U.S. State Department" stays whole and "in the U.S. The talks" is cut.
_MAYBE_FINAL = _words("etc inc ltd co corp jr sr bros approx est cf al")
# A month abbreviation or a clock time ends a sentence before a capitalised word that cannot
# continue a date or a time: "in Feb. The army", "at 10 a.m. Prosecutors", but not "Feb. 3",
# "10 a.m. Tuesday", "10 a.m. GMT".
_MONTH_ABBREVIATIONS = _words("jan feb mar apr jun jul aug sep sept oct nov dec")
_CLOCK_ABBREVIATIONS = _words("a.m p.m")
# The number of a list item opening its line, "1." to "99.", ends no sentence and counts nothing.
_LIST_NUMBER_DIGITS = 2
_DATE_OR_TIME_WORDS = _MONTH_ABBREVIATIONS | _words(
    """monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs
    fri sat sun january february march april may june july august september october november
    december gmt utc bst cet cest eet est edt cst cdt mst mdt pst pdt et ct pt ist jst aest
    local eastern central mountain pacific"""
)
_DOTTED_ACRONYM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]$")
_SENTENCE_OPENERS = _words(
    "the a an he she it they we i you his her its their our this that these those there "
    "but and in on at as after before when while if meanwhile however since so yet still "
    "some many most all both one two three officials according"
)
_QUOTE_VERBS = (
    "said|says|told|added|asked|replied|wrote|insisted|warned|explained|continued|stated|"
    "declared|tweeted|posted|noted|argued|claimed|confirmed"
)
# `"We are ready." Katz said.` and `"Why now?" the minister asked.` stay one sentence.
# A capitalised pronoun there starts a new sentence: `"Who signed?" Nobody replied.`
# The tail after the verb runs to the sentence end; ``_attributes_quote`` judges it.
_ATTRIBUTION_AFTER_QUOTE = re.compile(
    r"\s+(?!(?i:he|she|it|they|we|i|you|nobody|no one|everyone|someone|this|that|there)\b)"
    r"(?:(?:the|a|an|[A-Z][\w'’.-]*|[a-z]+)\s+){0,4}?"
    rf"(?P<verb>{_QUOTE_VERBS})\b(?P<tail>,[^.!?\"“”«»]*|[^.!?\"“”«»]{{0,80}})(?:[.!?]|$)"
)
# A tail that only says when, where or how the quote was given: "this week", "on Monday",
# "Tuesday", "in 2019", "in a statement", "through tears", "quietly", "told reporters", "said
# it twice". A longer one, or one with a number other than a year or a verb of its own, is a
# new statement: "Officials said 3,000 homes were destroyed". A tail set off by a comma
# ("Vass said, visibly angry", "Katz said, adding that ...") only ever describes the saying.
_MAX_TAIL_WORDS = 6
_TAIL_OPENERS = _words(
    """on in at this last yesterday today tonight earlier later afterwards again then
    recently previously during after before by via from over to it while when through with
    amid monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december"""
)
# Words in "-ly" that are no manner adverb, or that open a statement of their own ("Officials
# said only a few left", "said nearly half the trucks left", "said family members ...").
_NOT_MANNER_ADVERBS = _words(
    """only nearly roughly mostly largely partly fully barely hardly merely exactly
    approximately likely family"""
)
_YEAR_WORD = re.compile(r"(?:1[89]|20)\d\d[,;:]?")
_CLAUSE_WORDS = _words(
    """was were is are be been being had has have will would could can should may might must
    did does do that"""
)
# An attribution verb or a colon right before a quotation's opening mark: the quotation
# already has its speaker (`He said: "...`).
_INTRODUCED_QUOTE = re.compile(rf"(?::|\b(?:{_QUOTE_VERBS})\s*,?)\s*$")


# Double quotes only: a single quote is too often an apostrophe ("the workers' union").
_QUOTE_MARK = re.compile(r"[\"“”«»]")
_OPENING_QUOTES = frozenset("“«")
_PUNCTUATION_AFTER_QUOTE = frozenset(",.;:!?)]}")
_SPACES = re.compile(r"\s+")


def split_sentences(document: str) -> list[Sentence]:
    """Cut ``document`` into stripped sentences with exact spans, never across ``"\\n\\n"``."""
    sentences: list[Sentence] = []
    offset = 0
    for paragraph, block in enumerate(document.split(PARAGRAPH_SEPARATOR)):
        start = 0
        for cut in _boundaries(block):
            _append_stripped(sentences, block, start, cut, offset, paragraph)
            start = cut
        _append_stripped(sentences, block, start, len(block), offset, paragraph)
        offset += len(block) + len(PARAGRAPH_SEPARATOR)
    return sentences


def _append_stripped(
    out: list[Sentence], block: str, start: int, end: int, offset: int, paragraph: int
) -> None:
    piece = block[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    begin = offset + start + lead
    out.append(Sentence(stripped, begin, begin + len(stripped), paragraph))


@lru_cache(maxsize=1 << 16)
def _boundaries(block: str) -> tuple[int, ...]:
    """Positions in ``block`` right after each sentence end (after its closing quotes).

    Cached by paragraph text, like ``_analyse``: most paragraphs recur across versions."""
    cuts: list[int] = []
    # Most paragraphs quote nothing; for them the loop below tests one empty list per end.
    quotations = _closed_quotations(block) if _has_quote_mark(block) else []
    for match in _TERMINATOR.finditer(block):
        end = match.end()
        term, close = match.group(1), match.group(2)
        opening = -1  # where the quotation that closes at this end opens, when known
        if quotations:
            while quotations and quotations[-1][1] <= end:
                span = quotations.pop()
                if span[1] == end:
                    opening = span[0]
            if quotations and quotations[-1][0] < end:
                # '"We will not accept this. The truce must hold," she said.' is one sentence;
                # 'off the road . " Police said' ends after the spaced closing mark.
                closing = quotations[-1][1] - 1
                # A match, not a slice: a slice would copy the rest of a long quotation at
                # every sentence end inside it.
                gap = _SPACES.match(block, end, closing)
                if gap is None or gap.end() != closing:
                    continue
                end, close, opening = closing + 1, block[closing], quotations[-1][0]
        if end >= len(block):
            break
        if term[0] in _CJK_TERMINATORS:
            cuts.append(end)
            continue
        if not block[end].isspace():
            # "2.2", "U.S.", "example.com": no space, no sentence end.
            continue
        following = _NEXT_CHAR.match(block, end)
        if following is None or following.group(1).islower() or following.group(1) in ",;:":
            continue
        if term == "." and not _can_end_with_dot(block, match.start(), end):
            continue
        if close and close[-1] in _CLOSING_QUOTES and _attributes_quote(block, end, opening):
            continue
        cuts.append(end)
    if "\n" in block:
        # Items of a list on their own lines are sentences of their own, ended or not:
        # "- 40 people killed\n- 120 injured". It takes two to make a list: one line that
        # opens with a dash may be a wrapped aside ("would cost\n- and nobody disputed it -").
        items = [item.start() for item in _LIST_ITEM.finditer(block)]
        if len(items) > 1:
            return tuple(sorted({*cuts, *items}))
    return tuple(cuts)


# A list marker ("-", "•", "*", a dash) or a list number ("1.", "2)") opening a line, and the
# line break before one.
_LIST_MARKER = r"[ \t]*(?:[-•*–—▪·]|[0-9]{1,2}[.)])[ \t]"
_LIST_LINE = re.compile(_LIST_MARKER)
_LIST_ITEM = re.compile(rf"\n(?={_LIST_MARKER})")
_LINE_ENDS_A_SENTENCE = ".:;!?"
_CLOSING_MARKS = "\"'”’»)]"


def _opens_list_item(text: str, start: int) -> bool:
    """Whether the number at ``start`` can number a list item: it opens its line, and that
    line opens ``text`` or follows a line that ends a sentence, is blank or is a list item
    itself. A count wrapped onto a line of its own mid-sentence ("the toll had risen
    to\n40. Rescue teams ...") opens no item."""
    line = text.rfind("\n", 0, start) + 1
    if text[line:start].strip():
        return False
    if line == 0:
        return True
    previous = text[text.rfind("\n", 0, line - 1) + 1 : line - 1]
    ending = previous.rstrip().rstrip(_CLOSING_MARKS)
    return (
        not ending or ending[-1] in _LINE_ENDS_A_SENTENCE or _LIST_LINE.match(previous) is not None
    )


def _attributes_quote(block: str, end: int, opening: int) -> bool:
    """Whether the words after the closing quote at ``end`` are only the attribution of the
    quotation that opens at ``opening`` (-1 when unknown), so that no sentence ends there.

    They are not when the quotation has a speaker before it (`He said: "We will rebuild. It
    will take years." Officials said ...`) or when they say something of their own."""
    match = _ATTRIBUTION_AFTER_QUOTE.match(block, end)
    if match is None:
        return False
    if opening >= 0 and _INTRODUCED_QUOTE.search(block, max(0, opening - _LOOKBACK), opening):
        return False
    tail = match.group("tail").split()
    if not tail or tail[0].startswith(","):
        return True
    first = tail[0].rstrip(",;:")
    return (
        len(tail) <= _MAX_TAIL_WORDS
        and (
            first.lower() in _TAIL_OPENERS
            or match.group("verb") in ("told", "asked")
            or (first.islower() and first.endswith("ly") and first not in _NOT_MANNER_ADVERBS)
        )
        # The month "May" is no auxiliary: "said in May".
        and _CLAUSE_WORDS.isdisjoint(word.lower() for word in tail if word != "May")
        and not any(
            char.isdigit() for word in tail if not _YEAR_WORD.fullmatch(word) for char in word
        )
    )


def _has_quote_mark(text: str) -> bool:
    """``_QUOTE_MARK.search(text)``, several times faster: a substring test per mark runs at
    memory speed, where the regex engine tests the character class at every position."""
    return '"' in text or "“" in text or "”" in text or "«" in text or "»" in text


def _closed_quotations(block: str) -> list[tuple[int, int]]:
    """Spans of the quotations that open and close within ``block``, marks included, last
    first.

    A quotation left open runs on into the next paragraph in news style, and a closing mark
    with no opener ends one begun in an earlier paragraph: neither is returned, so their
    sentences are cut as usual rather than merged up to the end or the start of the block.
    An opening mark inside a quotation starts a new one: the earlier one was left unclosed,
    and pairing it with a later closing mark would merge every sentence in between.
    """
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for mark in _QUOTE_MARK.finditer(block):
        position = mark.start()
        if _opens_quote(block, position, inside=opened is not None):
            opened = position
        elif opened is not None:
            spans.append((opened, position + 1))
            opened = None
    spans.reverse()  # the caller pops them in order from the end
    return spans


def _opens_quote(text: str, position: int, inside: bool) -> bool:
    """Whether the quote mark at ``position`` is an opening one; ``inside`` tells whether a
    quotation is open. A straight quote opens when it starts the text or follows a space or an
    opening bracket, unless punctuation follows it (`insurgents ", Brose said`); one with
    spaces on both sides (`the road . " He`, common in wire copy) closes an open quotation and
    opens one otherwise. Any other straight quote closes."""
    char = text[position]
    if char != '"':
        return char in _OPENING_QUOTES
    if position and not text[position - 1].isspace() and text[position - 1] not in "([{":
        return False
    following = text[position + 1 : position + 2]
    if not following or following.isspace():
        return not inside
    return following not in _PUNCTUATION_AFTER_QUOTE


def _can_end_with_dot(block: str, dot: int, after: int) -> bool:
    """Whether the single dot at ``dot`` may end a sentence, judged by the word it closes."""
    if dot == 0 or block[dot - 1].isspace():
        return True  # no word closes with this dot
    # Abbreviations are short, so a bounded look-back keeps long paragraphs linear. A
    # search for the last run of non-spaces tried every start in the window; str.rsplit
    # cuts on the same whitespace.
    token = block[max(0, dot - _LOOKBACK) : dot].rsplit(maxsplit=1)[-1].lstrip("\"“'‘«([")
    lowered = token.lower()
    next_match = _NEXT_WORD.match(block, after)
    next_word = next_match.group(1) if next_match else ""
    if (
        token.isdigit()
        and len(token) <= _LIST_NUMBER_DIGITS
        and _opens_list_item(block, dot - len(token))
    ):
        return False  # a numbered list: "1. Inflation rose", the item is one sentence
    if lowered in _MONTH_ABBREVIATIONS or lowered in _CLOCK_ABBREVIATIONS:
        return next_word[:1].isupper() and next_word.lower() not in _DATE_OR_TIME_WORDS
    if lowered in _NEVER_FINAL:
        return False
    if token == "No":
        return not next_word[:1].isdigit()
    if len(token) == 1 and token.isupper():
        return False  # an initial: "J. K. Rowling"
    if lowered in _MAYBE_FINAL or _DOTTED_ACRONYM.fullmatch(token):
        return next_word.lower() in _SENTENCE_OPENERS
    return True


# --------------------------------------------------------------------------------------------
# Quantities
# --------------------------------------------------------------------------------------------

_UNITS_WORDS = _words_list("one two three four five six seven eight nine")
_TEENS_WORDS = _words_list(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
)
_TENS_WORDS = _words_list("twenty thirty forty fifty sixty seventy eighty ninety")
_WORD_VALUES: dict[str, int] = {
    **{word: index + 1 for index, word in enumerate(_UNITS_WORDS)},
    **{word: index + 10 for index, word in enumerate(_TEENS_WORDS)},
    **{word: (index + 2) * 10 for index, word in enumerate(_TENS_WORDS)},
}
_SCALES: dict[str, int] = {
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "lakh": 100_000,
    "lakhs": 100_000,
    "crore": 10_000_000,
    "crores": 10_000_000,
    "k": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "bn": 1_000_000_000,
    "tn": 1_000_000_000_000,
}

_UNIT = _trie(_UNITS_WORDS)
_TEEN = _trie(_TEENS_WORDS)
_TENS = _trie(_TENS_WORDS)
_BIG = "(?:thousand|million|billion|trillion)"
_NUM99 = rf"(?:{_TENS}(?:[\s-]+{_UNIT})?|{_TEEN}|{_UNIT})"
_NUM999 = rf"(?:{_NUM99}(?:\s+hundred(?:\s+(?:and\s+)?{_NUM99})?)?)"
# After a scale, more scaled groups may follow: "one million five hundred thousand".
_SCALED_TAIL = rf"(?:\s+{_NUM999}\s+{_BIG})*(?:\s+{_NUM999})?"
_WORD_NUMBER = (
    rf"(?:{_NUM999}(?:\s+(?:dozen|{_BIG}){_SCALED_TAIL})?"
    rf"|an?\s+(?:dozen|hundred|{_BIG}){_SCALED_TAIL})"
)
_VAGUE_PLURALS = ["dozens", "hundreds", "thousands", "millions", "billions"]
_VAGUE = (
    r"(?:tens\s+of\s+thousands|hundreds\s+of\s+(?:thousands|millions)|scores(?=\s+of\b)"
    rf"|{'|'.join(_VAGUE_PLURALS)}|several(?:\s+(?:dozen|hundred|{_BIG}))?"
    rf"|a\s+few\s+(?:dozen|hundred|{_BIG}))"
)

# A number with its scale and percent sign. Context (currency, dates, years, identifiers,
# ranges, qualifiers, counted nouns) is judged afterwards in Python, which keeps these readable.
# Both patterns run on the lower-cased copy of a sentence. The digit pattern starts with a
# character class and checks the preceding character by look-behind afterwards, so the regex
# engine can skip ahead to the next digit in C.
_PERCENT_SIGN = r"\s*%|\s*per\s?cent\b|\s*percent\b|\s*pct\b"
_PERCENT = rf"(?P<pct>{_PERCENT_SIGN}|\s+percentage\s+points?\b)?"
# Thousands are grouped by commas, or by a no-break or thin space ("1\u00a0500"); a plain
# space is left alone, since "in 2019 500 people" holds two numbers. A comma before one or
# two digits is a decimal comma only before a percentage ("67,5%"): "67,500" is a count.
_DIGIT_ATOM = re.compile(
    rf"""
    (?P<digits>[0-9](?<![\w.,:/][0-9])
        (?:[0-9]{{0,2}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?
        |[0-9]{{0,2}}(?:[\u00a0\u202f\u2009][0-9]{{3}})+(?![0-9])(?:\.[0-9]+)?
        |[0-9]*(?:\.[0-9]+|(?P<comma>,[0-9]{{1,2}})(?=(?:{_PERCENT_SIGN})(?!\w)))?))
    (?P<half>\s+and\s+an?\s+half(?=\s+(?:thousand|million|billion|trillion)\b))?
    (?P<scale>\s+(?:thousand|million|billion|trillion|lakhs?|crores?)\b|(?:bn|mn|tn|m|k)\b)?
    (?P<measure>(?:km|kg|mm|cm)\b|\s?°\s?[cf]\b|[cf]\b)?
    {_PERCENT}
    (?!\w)
    """,
    re.VERBOSE,
)
_THOUSANDS_SEPARATORS = re.compile("[,\u00a0\u202f\u2009]")
# Units written onto the digits ("300mm", "45C", "45°C"). A bare "c" or "f" is a temperature
# only in capitals: "45c" is cents.
_MEASURES: dict[str, str] = {
    "km": "km",
    "kg": "kg",
    "mm": "mm",
    "cm": "cm",
    "c": "celsius",
    "°c": "celsius",
    "f": "fahrenheit",
    "°f": "fahrenheit",
}
_MINUS_SIGNS = frozenset("-−")
_PHONE_CHARACTERS = frozenset("0123456789-+")
# "+44-20-7946-0958" is 16 characters; no phone number is longer than this.
_MAX_PHONE_LENGTH = 20
_FIRST_WORDS = [*_WORD_VALUES, "a", "an", "tens", "scores", "several", *_VAGUE_PLURALS]
# The look-ahead on the first word rejects most positions after one character test.
_FIRST_NUMBER_WORD = rf"\b(?={_trie(_FIRST_WORDS)}\b)"
_DENOMINATORS: dict[str, int] = {
    "half": 2,
    "third": 3,
    "quarter": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_SHARE = rf"{_trie(['a', 'an', *_UNITS_WORDS])}[\s-]+{_trie(_DENOMINATORS)}s?"
_SCALE_WORD = rf"(?:dozen|hundred|{_BIG})"
# A part of a scale word is a count, tried before the share and the number it would
# otherwise yield: "half a million", "a quarter of a million", "a half-dozen", "two and a
# half million", "a million and a half".
_PART_OF_SCALE = (
    rf"(?:(?:{_SHARE}\s+of|half(?:\s+of)?)\s+an?|an?\s+half)[\s-]+{_SCALE_WORD}"
    rf"|{_NUM99}[\s-]+and[\s-]+an?[\s-]+(?:half|third|quarter)[\s-]+{_SCALE_WORD}"
    rf"|(?:an?|{_NUM99})\s+{_SCALE_WORD}\s+and\s+an?\s+half"
)
# A share of something: "a fifth of the cases", "two-thirds of voters", "half the district".
# A part of one thing ("a quarter of an hour", "half a day") is a measure, not a share, but
# "an estimated" or "a total" after "of" introduces a count: "a third of an estimated 9,000".
_FRACTION = (
    rf"(?:{_SHARE}|half)"
    r"(?=\s+(?:of\s+(?:an?\s+(?:estimated|total)\b|(?!an?\b))|the\b|its\b|their\b))"
)
# "one in five", "nine out of every ten": only the numerator is matched, so that when the
# pair is no ratio ("five in two attacks") the number after "in" is read on its own.
_RATIO = (
    rf"{_NUM99}(?=\s+(?P<joiner>in|out\s+of)\s+(?P<every>every\s+)?"
    rf"(?P<denominator>{_WORD_NUMBER}|[0-9]{{1,3}}(?:,[0-9]{{3}})?(?!\s+{_BIG}\b))"
    r"(?!\w|[.,:/][0-9]))"
)
_WORD_ATOM = re.compile(
    rf"\b(?={_trie([*_FIRST_WORDS, 'half'])}\b)"
    rf"(?:(?P<part>{_PART_OF_SCALE})|(?P<ratio>{_RATIO})|(?P<fraction>{_FRACTION})"
    rf"|(?P<point>(?P<share>{_SHARE}|half)(?:\s+of)?\s+a(?=\s+percentage\s+points?\b))"
    rf"|(?P<vague>{_VAGUE})|(?P<words>{_WORD_NUMBER})){_PERCENT}(?!\w)",
)
# A ratio of digits, read from the end of its numerator: "1 in 10", "3 out of every 4".
_DIGIT_RATIO = re.compile(
    rf"\s+(?P<joiner>in|out\s+of)\s+(?P<every>every\s+)?"
    rf"(?P<denominator>{_WORD_NUMBER}|[0-9]{{1,3}}(?:,[0-9]{{3}})?(?!\s+{_BIG}\b))"
    r"(?!\w|[.,:/][0-9])"
)
# "¥" is read as yen, by far its commonest use in English-language news.
_CURRENCY_BEFORE = re.compile(
    r"(?:us\$|a\$|c\$|\$|€|£|₹|¥|\b(?:usd|eur|gbp|inr|jpy|cny|rmb|rs\.?)\s?)$"
)

_VAGUE_VALUES: dict[str, int] = {
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2_000,
    "millions": 2_000_000,
    "billions": 2_000_000_000,
    "tens of thousands": 20_000,
    "hundreds of thousands": 200_000,
    "hundreds of millions": 200_000_000,
}
_VAGUE_MULTIPLIERS: dict[str, int] = {
    "dozen": 12,
    "hundred": 100,
    **{word: scale for word, scale in _SCALES.items() if len(word) > 2},
}

_QUALIFIERS: dict[str, str] = {
    "more than": "more than",
    "over": "more than",
    "above": "more than",
    "greater than": "more than",
    "upwards of": "more than",
    "in excess of": "more than",
    "just over": "more than",
    "well over": "more than",
    "at least": "at least",
    "no fewer than": "at least",
    "no less than": "at least",
    "a minimum of": "at least",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "just under": "nearly",
    "just shy of": "nearly",
    "about": "about",
    "around": "about",
    "some": "about",
    "roughly": "about",
    "approximately": "about",
    "approx.": "about",
    "an estimated": "about",
    "estimated": "about",
    "circa": "about",
    "up to": "up to",
    "as many as": "up to",
    "as much as": "up to",
    "as high as": "up to",
    "at most": "up to",
    "no more than": "up to",
    "a maximum of": "up to",
    "fewer than": "fewer than",
    "less than": "fewer than",
    "under": "fewer than",
    "below": "fewer than",
}
_QUALIFIER_WORDS = max(len(phrase.split()) for phrase in _QUALIFIERS)
_OPENING_PUNCTUATION = "([\"“'‘"

_CURRENCIES: dict[str, str] = {
    "$": "usd",
    "us$": "usd",
    "usd": "usd",
    "a$": "aud",
    "c$": "cad",
    "€": "eur",
    "eur": "eur",
    "£": "gbp",
    "gbp": "gbp",
    "₹": "inr",
    "rs": "inr",
    "rs.": "inr",
    "inr": "inr",
    "¥": "jpy",
    "jpy": "jpy",
    "cny": "cny",
    "rmb": "cny",
}
# Counted nouns that name a unit with a canonical spelling.
_UNIT_NOUNS: dict[str, str] = {
    "dollars": "usd",
    "dollar": "usd",
    "usd": "usd",
    "euros": "eur",
    "euro": "eur",
    "eur": "eur",
    "gbp": "gbp",
    "rupees": "inr",
    "rupee": "inr",
    "yen": "jpy",
    "yuan": "cny",
    "renminbi": "cny",
    "km": "km",
    "kms": "km",
    "kilometres": "km",
    "kilometers": "km",
    "kilometre": "km",
    "kilometer": "km",
    "metres": "m",
    "meters": "m",
    "metre": "m",
    "meter": "m",
    "mm": "mm",
    "millimetres": "mm",
    "millimeters": "mm",
    "millimetre": "mm",
    "millimeter": "mm",
    "cm": "cm",
    "centimetres": "cm",
    "centimeters": "cm",
    "centimetre": "cm",
    "centimeter": "cm",
    "kg": "kg",
    "kilograms": "kg",
    "kilogram": "kg",
    "kilos": "kg",
    "tonnes": "tonnes",
    "tonne": "tonnes",
    "tons": "tonnes",
    "ton": "tonnes",
    "mile": "miles",
    "miles": "miles",
    "foot": "feet",
    "feet": "feet",
    "ft": "feet",
    "second": "seconds",
    "minute": "minutes",
    "min": "minutes",
    "mins": "minutes",
    "hour": "hours",
    "hr": "hours",
    "hrs": "hours",
    "day": "days",
    "week": "weeks",
    "month": "months",
    "year": "years",
    "decade": "decades",
    "century": "centuries",
    "person": "people",
    "child": "children",
    "man": "men",
    "woman": "women",
}
# Words that end a counted-noun phrase: function words, then common verbs that follow a count
# directly ("2 million remain", "five died").
_NOUN_STOP = _words(
    """a an the of in into on onto at to for from by with without within across after before
    during off out over under up down about around and or but nor as than then so also just only
    even all both each every per was were is are be been being has have had will would could
    can may might should must do does did not no that which who whom whose this these those
    there here when where while if because since until ago later earlier now still already too
    very more less fewer most least it its they them their he she his her we our you your i my
    me us said says say told according last next"""
) | _words(
    """remain remained remains died die dies fled flee flees met meet lost lose won win left
    leave came come went go fell fall rose rise got get took take made make gave give held hold
    stayed stay live lived lives work worked returned return voted vote face faced"""
)
# Modifiers skipped inside the phrase: "160,000 more people" counts people.
_NOUN_SKIP = _words("more other additional further extra new")
_OF_PHRASE = re.compile(r"\s+of\s+(?:(?:the|these|those|its|their|his|her|our|your|my|whom)\s+)?")
_NEXT_NOUN = re.compile(r"\s+([^\W\d_][\w'’]*(?:-[\w'’]+)*)")
_COMPOUND = re.compile(r"-([^\W\d_]+)")
_COMPOUND_REFUSED = _words(
    "off way ways sided quarter quarters third thirds half fifth fifths fold on up"
)

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_MONTH_NAMES = frozenset(_MONTHS.split("|"))
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b")
# A range of days next to a month is a date: "12-13 June", "12 to 13 June", "June 12-13".
_DAY_RANGE_AFTER = re.compile(
    rf"(?:st|nd|rd|th)?\s*(?:[-–—]|\s+to\s+)\s*[0-9]{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?:{_MONTHS})\b"
)
_DAY_RANGE_BEFORE = re.compile(
    rf"\b(?:{_MONTHS})\.?\s+[0-9]{{1,2}}(?:st|nd|rd|th)?\s*(?:[-–—]|\s+to\s+)\s*$"
)
_TIME_AFTER = re.compile(
    r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|gmt\b|utc\b|bst\b|cet\b|est\b|et\b|o'clock\b|hrs\b)"
)
# A match that is only part of a longer token: "17:11", "24/7", "1,00", "10.5.3".
_PARTIAL_AFTER = re.compile(r"[.:,/][0-9]")
_TOKEN = re.compile(r"\S+")
_IDENTIFIER_WORDS = _words(
    """resolution article section chapter no number flight route room page phase level bill
    highway interstate proposition prop amendment title version gate terminal platform channel
    district precinct paragraph clause rule item grade class category apartment building block
    lot plot exit sector zone area model series episode season week day year"""
)
# Words before a label that would otherwise read as a temperature ("flat 5C", "gate 12F").
_LABEL_WORDS = _IDENTIFIER_WORDS | _words("flat unit seat row suite form box bay floor")
# Prepositions that make a bare four-digit number a year: "in 2025", "since 1948".
_YEAR_CONTEXT = _words(
    "in since by of from until till before after during between and to early late mid the "
    "year fiscal"
)
_DETERMINERS = _words("the these those both all")
_IRREGULAR_PLURALS = _words(
    "people children men women police staff personnel crew cattle livestock sheep fish deer"
)
_CANONICAL_UNITS = frozenset(_UNIT_NOUNS.values())
_WORD_SPLIT = re.compile(r"(?:\s|-)+(?:and\s+)?")
_HUNDREDTH = Decimal("0.01")
_FIRST_YEAR = 1000
_LAST_YEAR = 2100
_RANGE_JOINER = re.compile(r"\s*(?:-|–|—)\s*|\s+to\s+")
_TO_JOINER = re.compile(r"\s+to\s+")
# After a verb of movement, "$2 to $85" is a change and then the level reached, not a range,
# when the change has a unit of its own and the level is at least three times the change:
# "rose 10 to 15 percent" and "lost $2bn to $3bn" stay ranges.
_CHANGE_TO_LEVEL = 3
_MOVEMENT_VERBS = _words(
    """rose rise rises risen fell fall falls fallen climbed climb climbs jumped jump jumps
    dropped drop drops gained gain gains lost lose loses slipped slip slips increased increase
    increases decreased decrease decreases grew grow grows grown declined decline declines
    surged surge surges soared soar soars plunged plunge plunges slumped slump slumps tumbled
    tumble tumbles sank sink sinks edged advanced eased rallied added shed"""
)
_AND_JOINER = re.compile(r"\s+and\s+")
# A bare four-digit number next to its partner in "between 1000 and 1500", "1000 to 1500".
_RANGE_AFTER = re.compile(r"\s+(and|to)\s+([0-9]+)\b")
_RANGE_BEFORE = re.compile(r"(?:^|\s)(?:(between)\s+)?([0-9]+)\s+(and|to)\s+$")
# Hours of the clock, told by the words around a number from 1 to 12.
_HOURS_ON_A_CLOCK = 12
_DAYTIME_AFTER = re.compile(r"\s+(?:in\s+the\s+(?:morning|afternoon|evening)|at\s+night)\b")
_BEFORE_AN_HOUR = _words("at by until till after before from since around about gone")
_PARTS_OF_AN_HOUR = _words("half quarter")
_PAST_OR_TO = _words("past to")
_PAST_OR_TO_ENDINGS = tuple(f" {word} " for word in _PAST_OR_TO)
# An age bracket says who is counted, not how many: "aged 18 to 24", "children under five".
# One person's age is a fact to check: "died at the age of 93" reads as 93 years.
# "An average age of 42" is a statistic about people, not a bracket that picks them out.
_AGE_BEFORE = re.compile(
    r"(?<!average )(?<!median )(?<!mean )\b(?:aged?|(?P<plural>ages))\s+(?:of\s+)?"
    r"(?:\S+\s+(?:and|to|or)\s+)?$"
)
_AGE_LIMITS = _words("under over below above")
_AGE_UNITS = frozenset({"", "years"})
_BRACKETS = frozenset({"more than", "fewer than", "at least", "up to", "range"})
_OPEN_ENDED_AGE = re.compile(r"(?:\s+years?)?\s+(?:and|or)\s+(?:over|older|above|under|younger)\b")
_PEOPLE = _words(
    """people children kids babies infants toddlers adults teenagers teens youngsters pupils
    students men women boys girls patients residents citizens voters workers persons
    individuals those anyone anybody everyone everybody someone somebody"""
)
# Words before "half" that make it a part of a period or a place, not a share of people or
# things: "the first half of the year", "the other half of the town".
_NOT_A_SHARE = _words(
    """the first second last other latter former this that its their his her our my your top
    bottom upper lower northern southern eastern western back front"""
)
# A share of a period or a stretch of way is a part of one thing, not of people or things
# ("half the night", "a third of the way"), and "one in five minutes" is no ratio.
_PERIOD_AFTER = re.compile(
    r"\s+(?:of\s+)?(?:(?:the|its|their|his|her|our|your|my|this|that|every|each)\s+)?"
    r"(?:(?:whole|entire|first|last|past|next|previous|same|following|coming|remaining|final)"
    r"\s+)?"
    + _trie(
        _words(
            """night nights day days morning mornings afternoon afternoons evening evenings week
            weeks weekend weekends month months year years season seasons hour hours minute
            minutes time way distance journey journeys trip trips lap laps race
            century centuries decade decades term period session game match shift shifts"""
        )
    )
    # Not a possessive: "half of this year's harvest" is a share of the harvest.
    + r"\b(?!['’])"
)
# A share of a percentage: "half of 1%", "one-quarter of 1 percent".
_OF_PERCENT = re.compile(r"\s+of\s+(?P<number>[0-9]+(?:\.[0-9]+)?)\s*(?:%|per\s?cent\b|percent\b)")
# A ratio's denominator is at most 10,000, so that its percentage keeps a digit at two
# decimals: "one in 10,000" is 0.01.
_MAX_DENOMINATOR = 10_000
# Hedges written after the number: "60 or so households", "50-odd", "30 or more".
_POSTFIX = re.compile(r"\s+or\s+(so|more|fewer|less)\b|-(odd)\b")
_POSTFIX_QUALIFIERS = {
    "so": "about",
    "odd": "about",
    "more": "at least",
    "fewer": "up to",
    "less": "up to",
}


@dataclass(frozen=True)
class _Atom:
    """A number as read by ``_DIGIT_ATOM`` or ``_WORD_ATOM``, before ranges and qualifiers
    are attached."""

    start: int
    end: int
    value: Decimal
    unit: str
    qualifier: str
    scale: int  # the multiplier written after the digits ("million"), 1 if none


def extract_quantities(sentence: str) -> tuple[Quantity, ...]:
    """Every quantity in ``sentence``, in order, normalised (see the module docstring)."""
    return _quantities(sentence, _aligned_lower(sentence))


def _aligned_lower(text: str) -> str:
    """``text`` lower-cased with every offset kept, so spans found in it index ``text`` too.

    Case-sensitive patterns on this copy run several times faster than ``re.IGNORECASE``.
    The rare characters whose lower case is longer ("İ") are left as they are.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


def _quantities(sentence: str, folded: str, with_words: bool = True) -> tuple[Quantity, ...]:
    """``with_words=False`` skips the number-word scan when the caller knows there is none."""
    matches = list(_DIGIT_ATOM.finditer(folded))
    if with_words:
        matches = sorted((*matches, *_WORD_ATOM.finditer(folded)), key=lambda match: match.start())
    atoms: list[_Atom] = []
    for match in matches:
        # A ratio ends after its denominator, which the scans also match on its own: the
        # "five" of "one in five", the "10" of "one in 10".
        if atoms and match.start() < atoms[-1].end:
            continue
        atom = _read_atom(sentence, folded, match)
        if atom is not None:
            atoms.append(atom)
    return tuple(
        quantity
        for first, second, start in _ranges(folded, atoms)
        if (quantity := _to_quantity(sentence, folded, first, second, start)) is not None
    )


def _read_atom(sentence: str, folded: str, match: re.Match[str]) -> _Atom | None:
    """One number read from ``folded``; ``sentence`` is needed only for capitalised month names."""
    compound = _COMPOUND.match(folded, match.end())
    if compound and compound.group(1) in _COMPOUND_REFUSED:
        return None  # "three-quarters", "one-off": not counts
    pct = (match.group("pct") or "").strip()
    unit = ""
    if pct:
        unit = "percentage points" if pct.startswith("percentage") else "percent"
    if match.re is _DIGIT_ATOM:
        return _read_digits(sentence, folded, match, unit, has_compound=compound is not None)
    if match.group("vague") is not None:
        value, qualifier = _vague_value(match.group("vague"))
        return _Atom(match.start(), match.end(), value, unit, qualifier, 1)
    if match.group("point") is not None:
        # "half a percentage point": a share of one point, not of a whole.
        share = _percent_of(match.group("share"), Decimal(1))
        return _Atom(match.start(), match.end(), share, unit, "", 1)
    part = match.group("part")
    if part is not None:
        return _Atom(match.start(), match.end(), _part_value(part), unit, "", 1)
    fraction = match.group("fraction")
    if fraction is not None:
        if _PERIOD_AFTER.match(folded, match.end()):
            return None
        before = _tokens_before(folded, match.start(), 1)
        if fraction == "half" and before and before[0].group() in _NOT_A_SHARE:
            return None  # "the first half of the year", "the other half of the town"
        of_percent = _OF_PERCENT.match(folded, match.end())
        if of_percent:
            # "one-quarter of 1 percent" is 0.25 percent, one figure: the percentage after
            # "of" is part of it and is not read again.
            share = _percent_of(fraction, Decimal(of_percent["number"]))
            return _Atom(match.start(), of_percent.end(), share, "percent", "", 1)
        return _Atom(match.start(), match.end(), _percent_of(fraction), "percent", "", 1)
    words = match.group("ratio")
    if words is not None:
        ratio = _ratio(folded, match.start(), _word_value(words), match)
        if ratio is not None:
            return ratio  # else its numerator is read as a plain number word
    else:
        words = match.group("words")
    if words == "one" and not pct and not compound:
        return None  # "one of the reasons" is not a count
    value = _word_value(words)
    if not pct and not compound:
        before = _tokens_before(folded, match.start(), 1)
        previous = before[0].group() if before else ""
        if previous in _IDENTIFIER_WORDS:
            return None  # "number two", "chapter three"
        if previous in _DETERMINERS and not _counted_noun(folded, match.end())[0]:
            return None  # "the two agree": a pronoun, not a count
        if _is_clock_time(folded, match.start(), match.end(), value):
            return None
    return _Atom(match.start(), match.end(), value, unit, "", 1)


def _read_digits(
    sentence: str, folded: str, match: re.Match[str], unit: str, has_compound: bool
) -> _Atom | None:
    start, end = match.span()
    if _PARTIAL_AFTER.match(folded, end):
        return None
    if start >= 2 and folded[start - 1] == "-" and folded[start - 2].isalpha():
        return None  # "F-16", "COVID-19"
    digits = match.group("digits")
    # Each of these needs a joining mark beside the number; most numbers have none, and
    # skip the three calls.
    if (folded[start - 1 : start] in _JOINED_BEFORE or folded[end : end + 1] in _JOINED_AFTER) and (
        _is_second_year(folded, start, digits)
        or _in_phone_number(folded, start, end)
        or _is_list_number(folded, start, end)
    ):
        return None
    symbol = _CURRENCY_BEFORE.search(folded, max(0, start - 4), start)
    currency = symbol.group().strip() if symbol else ""
    scale_word = (match.group("scale") or "").strip()
    if scale_word == "m" and not currency and not _counts_plural(folded, end):
        unit, scale_word = unit or "m", ""  # "a 100m sprint" is a distance; "2m people" a count
    measure = match.group("measure")
    if measure:
        measure = "".join(measure.split())
        if measure in ("c", "f") and (
            not sentence[match.end("measure") - 1].isupper() or _labels_a_place(folded, start)
        ):
            return None  # "45c" is cents and "flat 5C" an address, not temperatures
        unit = _MEASURES[measure]
    if currency and not unit:
        unit = _CURRENCIES[currency]
    scale = _SCALES[scale_word] if scale_word else 1
    if not unit and scale == 1 and not currency and digits.isdigit():
        ratio = _DIGIT_RATIO.match(folded, end)
        if ratio is not None and (atom := _ratio(folded, start, Decimal(digits), ratio)):
            return atom
    if (
        not unit
        and scale == 1
        and not has_compound
        and not _plain_number_is_quantity(sentence, folded, start, end, digits)
    ):
        return None
    if match.group("comma"):
        value = Decimal(digits.replace(",", ".")) * scale
    else:
        value = Decimal(_THOUSANDS_SEPARATORS.sub("", digits)) * scale
    if match.group("half"):
        value += scale // 2  # "10 and a half million"
    start = symbol.start() if symbol else start
    sign = _minus_before(folded, start)
    if sign is not None:
        value, start = -value, sign
    return _Atom(start, end, value, unit, "", scale)


def _labels_a_place(folded: str, start: int) -> bool:
    """Whether the word before ``start`` makes what follows a label: "flat 5C", "gate 12F"."""
    before = _tokens_before(folded, start, 1)
    return bool(before) and before[0].group() in _LABEL_WORDS


def _is_list_number(folded: str, start: int, end: int) -> bool:
    """Whether the number at ``start:end`` numbers a list item: it opens an item's line (see
    ``_opens_list_item``) and a dot or a bracket and a space follow ("1. Inflation rose", "2)
    Unemployment fell"). "40." at the end of an answer is a count."""
    return (
        end - start <= _LIST_NUMBER_DIGITS
        and folded[end : end + 1] in (".", ")")
        and folded[end + 1 : end + 2].isspace()
        and _opens_list_item(folded, start)
    )


# The marks beside a number that can make it a fiscal year's second year, a phone number's
# group or a list item's number (``_is_second_year``, ``_in_phone_number``,
# ``_is_list_number``).
_JOINED_BEFORE = frozenset({"-", "–"})
_JOINED_AFTER = frozenset({"-", ".", ")"})


def _minus_before(folded: str, start: int) -> int | None:
    """Where a minus sign or the word "minus" before the number at ``start`` begins, if any:
    "-15", "−0.4%", "minus 15". A hyphen joined to a word or a number before it is no sign
    ("F-16", "20-30"), and neither is "plus or minus"."""
    if folded[start - 1 : start] in _MINUS_SIGNS:
        if start == 1 or folded[start - 2].isspace() or folded[start - 2] in _OPENING_PUNCTUATION:
            return start - 1
        return None
    if "minus" not in folded:  # a substring test spares the token read for nearly every number
        return None
    before = _tokens_before(folded, start, 3)
    words = [token.group() for token in before]
    if words[-1:] != ["minus"] or words[-3:-1] == ["plus", "or"]:
        return None  # "plus or minus 3 points" is a margin, not a negative number
    return before[-1].start()


def _in_phone_number(folded: str, start: int, end: int) -> bool:
    """Whether the number at ``start:end`` is a group of a phone number: three or more digit
    groups joined by hyphens ("1-800-555-0199"), or three digits then four that cannot be a
    range ("555-0142", where a range would rise)."""
    if folded[start - 1 : start] != "-" and folded[end : end + 1] != "-":
        return False
    # The scan is capped, so a long run of hyphenated digits costs each of its numbers a
    # bounded look, not the whole run: a run longer than a phone number is none.
    floor, ceiling = max(0, start - _MAX_PHONE_LENGTH), min(len(folded), end + _MAX_PHONE_LENGTH)
    left, right = start, end
    while left > floor and folded[left - 1] in _PHONE_CHARACTERS:
        left -= 1
    while right < ceiling and folded[right] in _PHONE_CHARACTERS:
        right += 1
    if right - left > _MAX_PHONE_LENGTH:
        return False
    groups = folded[left:right].lstrip("+").split("-")
    if not all(group.isdigit() for group in groups):
        return False
    if len(groups) > 2:
        return all(len(group) > 1 for group in groups[1:])
    first, second = groups
    return (
        len(first) == 3
        and len(second) == 4
        and (second.startswith("0") or int(second) <= int(first))
    )


def _is_second_year(folded: str, start: int, digits: str) -> bool:
    """Whether ``digits`` are the last two digits of the year after the one just before them:
    the "25" of the fiscal year "2024-25"."""
    year = folded[max(0, start - 5) : start - 1]
    return (
        len(digits) == 2
        and folded[start - 1 : start] in _JOINED_BEFORE
        and len(year) == 4
        and year.isdigit()
        and (start == 5 or not folded[start - 6].isalnum())
        and _FIRST_YEAR <= int(year) <= _LAST_YEAR
        and (int(year) + 1) % 100 == int(digits)
    )


def _plain_number_is_quantity(
    sentence: str, folded: str, start: int, end: int, digits: str
) -> bool:
    """Reject dates, times, identifiers and years, which read like plain numbers."""
    before = _tokens_before(sentence, start, 1)
    prev_token = before[0].group().rstrip(".,") if before else ""
    if (
        prev_token in _MONTH_NAMES
        or _MONTH_AFTER.match(sentence, end)
        or _DAY_RANGE_AFTER.match(sentence, end)
        or _DAY_RANGE_BEFORE.search(sentence, max(0, start - _LOOKBACK), start)
        or _TIME_AFTER.match(folded, end)
        or folded[start - 1 : start] == "#"
    ):
        return False
    prev_word = prev_token.lower()
    if prev_word in _IDENTIFIER_WORDS:
        return False
    if digits.isdigit() and _is_clock_time(folded, start, end, Decimal(digits)):
        return False
    if len(digits) == 4 and digits.isdigit() and _FIRST_YEAR <= int(digits) <= _LAST_YEAR:
        # "in 2025", "the 2024 election" are years; "2000 people" is a count, and so is
        # each bound of "between 1000 and 1500 people".
        return (
            prev_word not in _YEAR_CONTEXT and _counts_plural(folded, _postfix(folded, end)[1])
        ) or _bounds_counted_range(folded, start, end, prev_word)
    return True


def _is_clock_time(folded: str, start: int, end: int, value: Decimal) -> bool:
    """Whether the number at ``start:end`` is an hour: "at two in the morning", "by 11 at
    night", "half past two", "a quarter to three", "five o'clock", "six pm"."""
    if not 1 <= value <= _HOURS_ON_A_CLOCK or value != value.to_integral_value():
        return False
    if _TIME_AFTER.match(folded, end):
        return True
    daytime = _DAYTIME_AFTER.match(folded, end) is not None
    # Both tests below need the words before the number: most numbers fail before reading them.
    if not daytime and not folded.endswith(_PAST_OR_TO_ENDINGS, 0, start):
        return False
    words = [token.group() for token in _tokens_before(folded, start, 2)]
    if len(words) == 2 and words[0] in _PARTS_OF_AN_HOUR and words[1] in _PAST_OR_TO:
        return True
    return daytime and bool(words) and words[-1] in _BEFORE_AN_HOUR


def _age_reading(folded: str, start: int, number: int, end: int, qualifier: str) -> str:
    """How the quantity phrase ``folded[start:end]``, its number at ``number``, reads as an
    age: "bracket" for ages that pick out whom a figure counts ("aged 18 to 24", "aged under
    18", "between the ages of 18 and 24", "aged 65 and over", "children under five"), "age"
    for one person's age ("aged 54", "at the age of 93"), and "" for no age."""
    window = max(0, start - _LOOKBACK)
    # The substring test spares the pattern, which is tried at every position of the window.
    context = _AGE_BEFORE.search(folded, window, start) if "age" in folded[window:start] else None
    if context is None:
        if folded[start:number].strip() not in _AGE_LIMITS:
            return ""
        before = _tokens_before(folded, start, 1)
        return "bracket" if before and before[0].group() in _PEOPLE else ""
    if context.group("plural") or qualifier in _BRACKETS or _OPEN_ENDED_AGE.match(folded, end):
        return "bracket"
    return "age"


def _bounds_counted_range(folded: str, start: int, end: int, prev_word: str) -> bool:
    """Whether the number at ``start:end`` is a bound of a range of digits ("between A and
    B", "A to B", never "from A to B") whose upper bound is followed by a counted noun."""
    after = _RANGE_AFTER.match(folded, end)
    if after is not None:  # the lower bound
        joiner = after.group(1)
        if (joiner == "and") != (prev_word == "between") or prev_word == "from":
            return False
        return _counts_plural(folded, after.end())
    before = _RANGE_BEFORE.search(folded, max(0, start - _LOOKBACK), start)
    if before is None:  # the upper bound
        return False
    if (before.group(3) == "and") != (before.group(1) is not None):
        return False
    if before.group(3) == "to":
        previous = _tokens_before(folded, before.start(2), 1)
        if previous and previous[0].group() == "from":
            return False
    return _counts_plural(folded, end)


def _postfix(folded: str, end: int) -> tuple[str, int]:
    """A hedge right after a number ("or so", "-odd", "or more", "or fewer") as a canonical
    qualifier, and where it ends; ``("", end)`` when there is none."""
    match = _POSTFIX.match(folded, end)
    if match is None:
        return "", end
    return _POSTFIX_QUALIFIERS[match.group(1) or match.group(2)], match.end()


def _counts_plural(folded: str, position: int) -> bool:
    return bool(_counted_noun(folded, position)[0])


def _vague_value(text: str) -> tuple[Decimal, str]:
    words = text.split()
    phrase = " ".join(words)
    if phrase in _VAGUE_VALUES:
        return Decimal(_VAGUE_VALUES[phrase]), phrase
    if words[0] == "several":
        multiplier = _VAGUE_MULTIPLIERS[words[1]] if len(words) > 1 else 1
        return Decimal(3 * multiplier), "several"
    return Decimal(3 * _VAGUE_MULTIPLIERS[words[-1]]), "a few"


def _percent_of(fraction: str, whole: Decimal = Decimal(100)) -> Decimal:
    """A share of ``whole`` percent, to two decimals: "a fifth" 20, "two-thirds" 66.67,
    "half" 50; "two-thirds" of 1.5 percent is 1."""
    words = _WORD_SPLIT.split(fraction)
    numerator = 1 if len(words) == 1 or words[0] in ("a", "an") else _WORD_VALUES[words[0]]
    denominator = _DENOMINATORS[words[-1].removesuffix("s")]
    return (whole * numerator / denominator).quantize(_HUNDREDTH)


def _part_value(text: str) -> Decimal:
    """A part of a scale word as a whole count: "half a million" 500,000, "three quarters of
    a million" 750,000, "two and a half million" 2,500,000, "a third of a million" 333,333."""
    words = _WORD_SPLIT.split(text)
    index = next(i for i, word in enumerate(words) if word.removesuffix("s") in _DENOMINATORS)
    numerator = _WORD_VALUES.get(words[index - 1], 1) if index else 1
    denominator = _DENOMINATORS[words[index].removesuffix("s")]
    # "two" of "two and a half million", "a" of "a million and a half"; _WORD_SPLIT has
    # dropped the "and" before "a half".
    whole = _word_value(
        " ".join(w for w in words[: max(index - 1, 0)] if w not in _VAGUE_MULTIPLIERS)
    )
    scale = next(_VAGUE_MULTIPLIERS[word] for word in words if word in _VAGUE_MULTIPLIERS)
    return (Decimal((whole * denominator + numerator) * scale) / denominator).to_integral_value()


# "X out of Y" is a ratio up to this denominator, or at a power of ten, and else a tally.
_TALLY_DENOMINATOR = 10


def _ratio(folded: str, start: int, numerator: Decimal, match: re.Match[str]) -> _Atom | None:
    """ "one in five", "nine out of ten", "1 in 10" as a percentage, or None when the pair is
    no ratio: a numerator not below its denominator, a denominator that counts a period
    ("one in five minutes"), or a tally. ``match`` holds the joiner and the denominator; the
    numerator starts at ``start``."""
    end = match.end("denominator")
    written = match.group("denominator")
    denominator = (
        Decimal(written.replace(",", "")) if written[0].isdigit() else _word_value(written)
    )
    if not numerator < denominator <= _MAX_DENOMINATOR or _PERIOD_AFTER.match(folded, end):
        return None
    # "8 out of 12 drones" and "60 out of 109 seats" are tallies whose figures are what gets
    # checked; "out of" makes a ratio with "every", a small denominator ("3 out of 4") or a
    # power of ten ("45 out of 100"), while "in" always makes one ("1 in 8", "15 in 40").
    if (
        match.group("joiner") != "in"
        and not match.group("every")
        and denominator > _TALLY_DENOMINATOR
        and denominator.normalize().as_tuple().digits != (1,)
    ):
        return None
    percent = (100 * numerator / denominator).quantize(_HUNDREDTH)
    return _Atom(start, end, percent, "percent", "", 1)


def _word_value(text: str) -> Decimal:
    """Evaluate a grammatical number phrase: "twenty-five", "three hundred and ten", "a dozen"."""
    total = 0
    current = 0
    for word in _WORD_SPLIT.split(text):
        if word in ("a", "an"):
            current = 1
        elif word in _WORD_VALUES:
            current += _WORD_VALUES[word]
        elif word == "dozen":
            current = (current or 1) * 12
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
    return Decimal(total + current)


def _ranges(folded: str, atoms: list[_Atom]) -> list[tuple[_Atom, _Atom | None, int]]:
    """Pair atoms into ranges ("between 20 and 30", "20-30"); each item carries its start."""
    groups: list[tuple[_Atom, _Atom | None, int]] = []
    index = 0
    while index < len(atoms):
        first = atoms[index]
        pair = _as_range(folded, first, atoms[index + 1]) if index + 1 < len(atoms) else None
        if pair is None:
            groups.append((first, None, first.start))
            index += 1
        else:
            groups.append(pair)
            index += 2
    return groups


def _as_range(folded: str, low: _Atom, high: _Atom) -> tuple[_Atom, _Atom, int] | None:
    """The two atoms as one range, or None. The lower bound borrows the upper one's scale and
    unit ("2 to 3 million", "20-30%"); the pair must rise, so "a 52 to 48 vote" stays two
    numbers, and "from 20 to 30" is a change, not a range."""
    between = folded[low.end : high.start]
    start = low.start
    before = _tokens_before(folded, low.start, 1)
    opener = before[0] if before else None
    if opener is not None and opener.group() == "between" and _AND_JOINER.fullmatch(between):
        start = opener.start()
    elif not _RANGE_JOINER.fullmatch(between) or (opener and opener.group() == "from"):
        return None
    if (
        low.unit
        and high.value >= _CHANGE_TO_LEVEL * low.value
        and _TO_JOINER.fullmatch(between)
        and _after_movement(folded, low.start)
    ):
        return None
    if (_is_year(folded, low) or _is_year(folded, high)) and not _counts_plural(folded, high.end):
        return None  # "1990-2000" is two years, "between 1000 and 1500 people" a range
    if low.scale == 1 and high.scale > 1:
        low = replace(low, value=low.value * high.scale, scale=high.scale)
    unit = low.unit or high.unit
    if (low.unit and high.unit and low.unit != high.unit) or high.value <= low.value:
        return None
    return replace(low, unit=unit), replace(high, unit=unit), start


def _after_movement(folded: str, start: int) -> bool:
    """Whether a verb of movement comes right before ``start``, or before "by" there."""
    before = [token.group() for token in _tokens_before(folded, start, 2)]
    if before and before[-1] == "by":
        before.pop()
    return bool(before) and before[-1] in _MOVEMENT_VERBS


def _is_year(folded: str, atom: _Atom) -> bool:
    """A bare four-digit number that could be a year: "1,500" and "fifteen hundred" are not."""
    text = folded[atom.start : atom.end]
    return (
        atom.scale == 1
        and not atom.unit
        and len(text) == 4
        and text.isdigit()
        and _FIRST_YEAR <= int(text) <= _LAST_YEAR
    )


def _to_quantity(
    sentence: str, folded: str, low: _Atom, high: _Atom | None, start: int
) -> Quantity | None:
    end = (high or low).end
    unit = low.unit
    postfix = ""
    if high is None:
        postfix, end = _postfix(folded, end)
    single = low.value == 1 and high is None
    if not unit:
        compound = _COMPOUND.match(folded, end)
        if compound:
            end = compound.end()
            unit = _plural(compound.group(1))
        else:
            unit, end = _counted_noun(folded, end, singular=single)
            unit = _plural(unit) if single else unit
            # Millions of pounds are money ("12 million pounds" is "£12m"), but pounds of a
            # thing are a weight at any scale ("2 million pounds of beef").
            if unit == "pounds" and (
                (low.scale > 1 and not folded.startswith(" of ", end))
                or folded.startswith(" sterling", end)
            ):
                unit = "gbp"
    qualifier = low.qualifier
    if high is not None:
        qualifier = "range"
    elif not qualifier:
        qualifier, start = _qualifier_before(folded, start)
        qualifier = qualifier or postfix
    if unit in _AGE_UNITS:
        age = _age_reading(folded, start, low.start, end, qualifier)
        if age == "bracket":
            return None
        if age:
            unit = "years"  # "died at the age of 93", as "a 93-year-old" reads
    return Quantity(
        value=_plain(low.value),
        unit=unit,
        qualifier=qualifier,
        upper=_plain(high.value) if high is not None else None,
        text=sentence[start:end],
    )


def _tokens_before(text: str, position: int, count: int) -> list[re.Match[str]]:
    """The last ``count`` whitespace-separated tokens before ``position``, when a space
    separates them from it. Only a bounded window is read, so long sentences stay linear."""
    if position == 0 or not text[position - 1].isspace():
        return []
    window = max(0, position - _LOOKBACK)
    tokens = list(_TOKEN.finditer(text, window, position))
    if tokens and window > 0 and not text[window - 1].isspace():
        tokens.pop(0)  # cut by the window
    return tokens[-count:]


def _qualifier_before(folded: str, start: int) -> tuple[str, int]:
    """The canonical qualifier right before a number, and where its phrase starts."""
    tokens = _tokens_before(folded, start, _QUALIFIER_WORDS)
    for size in range(len(tokens), 0, -1):
        first = tokens[-size]
        phrase = " ".join(token.group() for token in tokens[-size:])
        stripped = phrase.lstrip(_OPENING_PUNCTUATION)
        if stripped in _QUALIFIERS:
            return _QUALIFIERS[stripped], first.start() + len(phrase) - len(stripped)
    return "", start


def _counted_noun(folded: str, position: int, singular: bool = False) -> tuple[str, int]:
    """The noun a number counts and where its phrase ends: "10 of the captives" -> captives.

    The phrase is up to three words before a function word or verb. Its head is the first
    plural ("40 aid workers", "2m people lost power"); a singular head is kept only for a
    count of one or a measure ("1 person", "15 km"), since "2 million remain" counts nothing.
    """
    of_phrase = _OF_PHRASE.match(folded, position)
    cursor = of_phrase.end() - 1 if of_phrase else position
    last = ""
    last_end = position
    for index in range(3):
        match = _NEXT_NOUN.match(folded, cursor)
        if match is None:
            break
        lowered = match.group(1)
        if lowered in _NOUN_SKIP:
            cursor = match.end()
            continue
        if lowered in _NOUN_STOP or (index and lowered.endswith(("ing", "ed"))):
            break  # "three countries trying", "42 people killed"
        cursor = match.end()
        unit = _UNIT_NOUNS.get(lowered, lowered)
        if _is_plural(lowered) or unit in _CANONICAL_UNITS:
            return unit, cursor
        last, last_end = lowered, cursor
    if singular and last and not last.endswith(("ing", "ed")):
        return last, last_end
    return "", position


def _is_plural(noun: str) -> bool:
    return (
        noun in _IRREGULAR_PLURALS
        or noun.endswith("men")  # fishermen, policemen
        or (noun.endswith("s") and not noun.endswith(("ss", "us", "is")))
    )


def _plural(noun: str) -> str:
    noun = _UNIT_NOUNS.get(noun, noun)
    if not noun or noun.endswith("s") or noun in _IRREGULAR_PLURALS or noun in _CANONICAL_UNITS:
        return noun
    if noun.endswith("y") and len(noun) > 1 and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _plain(value: Decimal) -> float | int:
    integral = value.to_integral_value()
    if integral == value:
        return int(integral)
    return float(value)


# --------------------------------------------------------------------------------------------
# Attribution and quotes
# --------------------------------------------------------------------------------------------

_ATTRIBUTION_VERBS = _words(
    """said says say told tells reported announced announces estimated estimates added
    stated claimed warned warns confirmed confirms insisted insists noted explained argued argues
    wrote writes tweeted posted alleged alleges acknowledged admitted admits denied denies
    declared revealed testified predicted predicts maintained maintains asserted asserts
    disclosed"""
)
_ATTRIBUTION_VERB = re.compile(rf"\b{_trie(_ATTRIBUTION_VERBS)}\b")
# Verbs that give a quote its speaker but attribute no claim outside one: `"Why now?" the
# mayor asked.` quotes the mayor; "The mayor asked for 40 buses" attributes nothing.
_SPEECH_VERB = re.compile(
    rf"\b{_trie(_ATTRIBUTION_VERBS | _words('asked asks replied replies answered continued'))}\b"
)
# The subject of an attribution verb starts after the last clause boundary before it.
# A comma between digits ("the 2,000 respondents") separates thousands, not clauses.
_CLAUSE_BOUNDARY = re.compile(
    r",(?![0-9])|[;:()\[\]–—\"“”«»]|\b"
    + _trie(
        _words(
            """that which who and but while as after before when because since where whom if
            although though whereas than"""
        )
    )
    + r"\b"
)
_SUBJECT_LOOKBACK = 160
_RELATIVE_TAIL = re.compile(r",\s*(?:who|which|whose|where)\b[^,;]*,\s*$")
_AUXILIARIES = _words(
    """has have had also reportedly previously later earlier repeatedly publicly separately
    recently again already then initially privately officially"""
)
_PASSIVE = _words("was were is are been be being")
_FLOATING_QUANTIFIERS = _words("each both all jointly together")
# Words that make "<word> of <group>" a share large enough to speak for the group, or the
# whole of it: "most of the residents", "a minority of", "each of the 300 guards". A count
# ("one of the survivors", "two of the victims") or "some" speaks only for itself.
_SHARE_WORDS = _words("most majority minority each all both")
# A subject that denies: "None of the 40 officials said ..." names nobody who said it.
_NEGATIVE_SUBJECTS = _words("none neither nobody")
_PERCENT_SHARE = re.compile(r"(?:^|\s)[0-9][0-9.,]*(?:%|\s*per\s?cent|\s*percent)$")
_PERSONAL_PRONOUNS = _words("i you we he she it they me us him them")
_PRONOUNS = _PERSONAL_PRONOUNS | _words("who which this that one someone")
_CONTRACTION = re.compile(r"['’](?:d|ll|ve|re|s|m)$")
# A determiner right before an attribution verb makes the verb an adjective: "an estimated".
_DETERMINERS_BEFORE_VERB = _words("a an the its their his our my your")
# Prepositions that tie a role to the organisation it serves: "a spokesperson for X".
_PREPOSITIONS = _words("for of at from with")
# Prepositions that end the modifiers of a speaker named after its verb ("said the head of ...").
_SPEAKER_PREPOSITIONS = _PREPOSITIONS | {"in"}
_NOT_SPEAKERS = _words(
    """to would could can cannot can't might may must should will shall let don't didn't
    doesn't won't wouldn't not never just simply"""
)
_ROLE_WORDS = _words(
    """minister president spokesman spokeswoman spokesperson secretary chief director official
    commander leader ambassador envoy governor mayor senator adviser advisor premier general
    chancellor negotiator analyst professor head"""
)
_ACCORDING_TO = re.compile(r"\baccording\s+to\s+([^,;:.!?\"“”()]+)")
# "..., said the ministry in a statement." / "..." said Katz. / "...," said a worker. / "...,"
# said a spokesman for the ministry. / "...," said the regional governor. / "...," said the
# victim's sister. After a determiner up to three lower-case modifiers precede the head;
# ``_modifiers_name_a_speaker`` judges them.
_FOLLOWING_SPEAKER = re.compile(
    rf"\s+((?:(?:the|an?|one|another)\s+(?:(?!{_trie(_NOUN_STOP)}\b)[a-z][\w'’-]*\s+){{0,3}})?"
    r"(?:[A-Z][\w'’.-]*|[a-z][\w'’-]*)(?:\s+(?:[A-Z][\w'’.-]*|of))*"
    r"(?:\s+(?:for|of)\s+(?:the\s+)?(?:[A-Z][\w'’.-]*|[a-z]+)"
    r"(?:\s+[A-Z][\w'’.-]*)*)?)"
    r"(?=\s*(?:[,.;!?]|$)|\s+(?:in|on|at|who|which|during|after|before|last|this|yesterday|"
    r"today|earlier|later)\b)"
)
_PHRASE_CUT = re.compile(
    r"\s+(?:that|in|on|at|who|which|when|after|before|during|with|to|last|this|"
    r"yesterday|today|earlier|later)\b.*",
    re.DOTALL,  # case-sensitive: "the WHO" is a source, "the officials who ..." is cut
)
_REPORTEDLY = re.compile(r"\b(?:reportedly|allegedly)\b")
_QUOTE_MARKS = frozenset('"“”«»')
_COLON_SPEAKER = re.compile(r"([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s*:\s*[\"“«]")
_MIN_QUOTE_WORDS = 4
# Verbs whose following noun is their object ("told the BBC"), never an inverted speaker.
_OBJECT_VERBS = _words("told tells")
_NAME_CONNECTORS = _words("of for and the de la le du van von der al bin")
_MAX_SOURCE_WORDS = 8


def _find_source(
    text: str, folded: str, allow_pronouns: bool, verbs: re.Pattern[str] = _ATTRIBUTION_VERB
) -> tuple[bool, str]:
    """Whether ``text`` attributes its content to someone, and the source it names.

    ``folded`` is ``_aligned_lower(text)``, where the patterns run. ``allow_pronouns`` lets
    "he said" count, which is right for the speaker of a quote and wrong for a plain sentence,
    where "as I said" or "you say" attribute nothing. ``verbs`` are the verbs that introduce
    the source; a quote's speaker also "asked" or "replied".
    """
    according = _ACCORDING_TO.search(folded) if "according" in folded else None
    if according:
        phrase = text[according.start(1) : according.end(1)]
        # The cut is case-sensitive for "the WHO"; in an all-caps sentence "WHO" is the
        # relative word, so the lower-case copy (same offsets) is cut there.
        cased = folded[according.start(1) : according.end(1)] if text.isupper() else phrase
        cut = _PHRASE_CUT.search(cased)
        source = (phrase[: cut.start()] if cut else phrase).strip()
        if source:
            return True, _clip(source)
    for verb in verbs.finditer(folded):
        found, source = _subject_of(text, folded, verb, allow_pronouns)
        if found:
            return True, source
    if ("reportedly" in folded or "allegedly" in folded) and _REPORTEDLY.search(folded):
        return True, ""
    return False, ""


def _subject_of(
    text: str, folded: str, verb: re.Match[str], allow_pronouns: bool
) -> tuple[bool, str]:
    start = max(0, verb.start() - _SUBJECT_LOOKBACK)
    end = verb.start()
    # "Officials, who spoke on condition of anonymity, said": skip the relative clause.
    relative = _RELATIVE_TAIL.search(folded, start, end)
    if relative is not None:
        end = relative.start()
    # The last three clause boundaries: the subject follows the last one, and a subject set
    # off by commas ("the mayor, Teodor Vass, said") spans the two before it.
    window = start
    # In an all-caps sentence capitals mark nothing: "HE SAID" is the pronoun, not an acronym.
    shouting = text.isupper()
    third = second = last_boundary = None
    for boundary in _CLAUSE_BOUNDARY.finditer(folded, start, end):
        if (
            not shouting
            and boundary.group()[0].isalpha()
            and text[boundary.start() : boundary.end()].isupper()
        ):
            continue  # "the WHO said": an acronym, not the relative "who"
        third, second, last_boundary = second, last_boundary, boundary
        start = boundary.end()
    words = text[start:end].split()
    if last_boundary is not None and last_boundary.group() == "who":
        # "Officials who spoke on condition of anonymity said": without commas the relative
        # clause runs up to the verb, and the speaker is the noun before "who".
        head_start = second.end() if second is not None else window
        # ", who now says ...": the noun is before the comma, and the comma rule below (or
        # the words after "who", as before) decides.
        words = text[head_start : last_boundary.start()].split() or words
    while words and words[-1].lower() in _AUXILIARIES:
        words.pop()
    if words and words[-1].lower() in _FLOATING_QUANTIFIERS:
        words.pop()
        if last_boundary is not None and last_boundary.group() == "and":
            # "Israel and Hamas each said": "each" shows that "and" joins the speakers, when
            # both sides are noun phrases; in "Rebels attacked the town and officials both
            # said" the left side is a clause, and only "officials" speak.
            head_start = second.end() if second is not None else window
            left = text[head_start : last_boundary.start()].split()
            if _is_short_noun_phrase(left) and _is_short_noun_phrase(words):
                words = [*left, "and", *words]
    words = _after_earlier_clause(words)
    # A dateline's dash is no part of the speaker: "GENEVA (Reuters) - The WHO said".
    while words and not any(char.isalnum() for char in words[0]):
        words.pop(0)
    if words and words[0].lower() in _NEGATIVE_SUBJECTS:
        return False, ""
    words = _group_of_a_share(words)
    if words and words[-1].lower() in _DETERMINERS_BEFORE_VERB:
        return False, ""  # "an estimated 40", "the reported damage": an adjective, not a verb
    if (
        not words
        and second is not None
        and last_boundary is not None
        and second.group() == "," == last_boundary.group()
    ):
        head_start = third.end() if third is not None else window
        words = _appositive_subject(
            text[head_start : second.start()].split(),
            text[second.end() : start - 1].split(),
            in_clause=third is not None and third.group()[0].isalpha(),
        )
    lowered = [_lowered(word, shouting) for word in words]
    if not words:
        if verb.group() in _OBJECT_VERBS:
            return False, ""  # '"...," told the BBC': what follows "told" is its object
        following = _FOLLOWING_SPEAKER.match(text, verb.end())
        if following is None:
            return False, ""
        words = following.group(1).rstrip(".").split()
        first = words[0].lower()
        if first in _PRONOUNS and (first != "one" or len(words) == 1):
            return False, ""  # "said he", "alleged that Ivins"; "said one resident" names one
        if not _modifiers_name_a_speaker(words):
            return False, ""
        return True, _clip(_name_after_role(words))
    last = lowered[-1]
    if (
        last in _PASSIVE
        or len(words) > _MAX_SOURCE_WORDS
        or not _NOT_SPEAKERS.isdisjoint(lowered)
        or not _PERSONAL_PRONOUNS.isdisjoint(lowered[:-1])
    ):
        # "was told", "I would say", "no one can say X's plan adds ...": no speaker phrase.
        return False, ""
    if last in _PRONOUNS:
        return allow_pronouns and len(words) == 1, ""
    if not any(char.isalpha() for char in last):
        return False, ""
    return True, _name_after_role(words)


# Joined speakers are short: "The union and the employers both said".
_MAX_JOINED_WORDS = 4


def _is_short_noun_phrase(words: list[str]) -> bool:
    """Whether ``words`` can be one of two joined speakers: a few words with no verb, where a
    lower-case word in "-ed" is a verb unless a determiner makes it an adjective ("the armed
    forces")."""
    if not 0 < len(words) <= _MAX_JOINED_WORDS:
        return False
    previous = ""
    for word in words:
        lowered = word.lower()
        if (
            lowered in _CLAUSE_WORDS
            or lowered in _PASSIVE
            or (word.endswith("ed") and word.islower() and previous not in _DETERMINERS_BEFORE_VERB)
        ):
            return False
        previous = lowered
    return True


def _group_of_a_share(words: list[str]) -> list[str]:
    """The group a share of it speaks for: "More than half of the 2,000 respondents said" ->
    "the 2,000 respondents"; "40% of voters" -> "voters". "The head of the agency" and "one
    of the survivors" are kept."""
    lowered = [word.lower() for word in words]
    if "of" not in lowered:
        return words
    index = lowered.index("of")
    if index + 1 < len(words) and _is_share(lowered[:index]):
        return words[index + 1 :]
    return words


def _is_share(words: list[str]) -> bool:
    """Whether the lower-case ``words`` end in a share of a group (see ``_SHARE_WORDS``): a
    percentage ("40%", "40 per cent"), "half" or a fraction with its numerator ("a third",
    "two-thirds", "three quarters"), not a part of a period ("the first half", "the first
    quarter of 2008")."""
    if not words:
        return False
    part = words[-1]
    if part in _SHARE_WORDS or _PERCENT_SHARE.search(" ".join(words[-3:])):
        return True
    numerator, _, denominator = part.rpartition("-")
    if denominator.removesuffix("s") not in _DENOMINATORS:
        return False
    if numerator:
        return numerator in _WORD_VALUES
    previous = words[-2] if len(words) > 1 else ""
    if part == "half":
        return previous not in _NOT_A_SHARE
    return previous in ("a", "an") or previous in _WORD_VALUES


def _after_earlier_clause(words: list[str]) -> list[str]:
    """The subject words after the end of an earlier sentence that the splitter kept, since a
    dotted acronym before a capital is no sure end ("arrested in the U.S. Police said"): a word
    ending in a dot with a verb of its clause before it ("was") ends that clause, while "the
    U.S. Army" is one name."""
    for index in range(len(words) - 2, 0, -1):
        if (
            words[index].endswith(".")
            and words[index + 1][:1].isupper()
            and not _CLAUSE_WORDS.isdisjoint(word.lower() for word in words[:index])
        ):
            return words[index + 1 :]
    return words


def _modifiers_name_a_speaker(words: list[str]) -> bool:
    """Whether the lower-case run after the determiner of a speaker named after its verb
    ("said the regional governor") is a noun with its modifiers, not a clause: "which said the
    talks failed" and "said the siege was over" name nobody. The pattern has already refused
    function words and common verbs as modifiers; a modifier is no plural either ("the talks"),
    and the head no function word, common verb or verb in "-ed". The run ends at a
    preposition: the head of "the mayor of London" or "a spokesman for the Red Cross" is the
    word before it, and what follows names the organisation, not a clause."""
    run = list(
        itertools.takewhile(
            lambda word: word[:1].islower() and word not in _SPEAKER_PREPOSITIONS, words[1:]
        )
    )
    if len(run) < 2:  # "said the mayor", "said a spokesman for ..." were always read
        return True
    *modifiers, head = run
    return (
        head not in _NOUN_STOP
        and not head.endswith("ed")
        and all(
            not word.endswith("s") or word.endswith(("ss", "'s", "’s", "s'", "s’"))
            for word in modifiers
        )
    )


def _lowered(word: str, shouting: bool) -> str:
    """``word`` as the speaker checks compare it: lower case without a contraction ("I'd"
    is "i"), but an acronym kept as written, so "the US" and "the WHO" are not the pronouns
    "us" and "who". In a ``shouting`` (all-caps) sentence no word is an acronym."""
    if not shouting and len(word) > 1 and word.isupper() and word.isalpha():
        return word
    return _CONTRACTION.sub("", word.lower())


def _appositive_subject(head: list[str], aside: list[str], in_clause: bool) -> list[str]:
    """The speaker of "<head>, <aside>, said": the aside when it is a proper name ("the plant's
    operator, Vantor Chemical"), else the head ("Teodor Vass, the mayor", "Vass, 54", "the
    ministry, in a statement").

    The head must be a noun phrase of its own: not the end of a clause that a conjunction or
    relative word opened (``in_clause``: "... which covers the Middle East and Central Asia,
    speaking on Monday, said"), not a clause with a form of "be" ("When X was accused, the
    court ..., estimated at"), and no longer than a source phrase."""
    if _is_proper_name(aside):
        return aside
    if in_clause or len(head) > _MAX_SOURCE_WORDS or any(w.lower() in _PASSIVE for w in head):
        return []
    return head


def _is_proper_name(words: list[str]) -> bool:
    """Capitalised words, with lower-case connectors inside ("Bank of England")."""
    return (
        0 < len(words) <= _MAX_SOURCE_WORDS
        and words[0][:1].isupper()
        and words[-1][:1].isupper()
        and all(word[:1].isupper() or word in _NAME_CONNECTORS for word in words)
    )


def _name_after_role(words: list[str]) -> str:
    """ "Israeli defence minister Israel Katz" -> "Israel Katz"; otherwise the whole phrase.

    A role word in a capitalised run right after a preposition belongs to the name the
    preposition governs ("a spokesperson for Pell River General Hospital", "a spokesman for
    President Joe Biden"): it is no title, and the whole phrase is kept."""
    for index in range(len(words) - 1, -1, -1):
        if words[index].lower() in _ROLE_WORDS:
            name = words[index + 1 :]
            if not name or not all(word[:1].isupper() for word in name):
                break
            run = index - 1
            while run >= 0 and words[run][:1].isupper():
                run -= 1
            if run >= 0 and words[run] in _PREPOSITIONS:
                break
            return " ".join(name)
    return " ".join(words)


def _clip(source: str) -> str:
    return " ".join(source.split()[:_MAX_SOURCE_WORDS])


def _quote_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of quoted text, quote marks included (see ``_opens_quote``).

    A closing mark with no opener means the sentence began inside a quote that an earlier
    paragraph opened; an opener with no closer runs to the end.
    """
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for mark in _QUOTE_MARK.finditer(sentence):
        position = mark.start()
        if _opens_quote(sentence, position, inside=opened is not None):
            if opened is None:
                opened = position
        else:
            spans.append((0 if opened is None else opened, position + 1))
            opened = None
    if opened is not None:
        spans.append((opened, len(sentence)))
    return spans


def _quote_speaker(sentence: str, folded: str) -> tuple[bool, str]:
    """Whether the sentence holds a direct quote with a speaker, and the speaker's name."""
    spans = _quote_spans(sentence) if _has_quote_mark(sentence) else []
    if not spans:
        return False, ""
    # A sentence that opens inside a quote continues one from an earlier paragraph, so it is a
    # direct quote however few of its words are in this sentence ('Then it rose," Vass said').
    continued = spans[0][0] == 0 and sentence[0] not in _QUOTE_MARKS
    if not continued and not any(len(sentence[a:b].split()) >= _MIN_QUOTE_WORDS for a, b in spans):
        return False, ""  # only scare quotes: its "security zones"
    found, source = _find_source(
        _blank(sentence, spans), _blank(folded, spans), allow_pronouns=True, verbs=_SPEECH_VERB
    )
    if found:
        return True, source
    colon = _COLON_SPEAKER.match(sentence)
    if colon:
        return True, colon.group(1)
    return False, ""


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each quoted span blanked, keeping offsets and the quote marks, so an
    attribution verb inside a quote is not read as the quote's attribution."""
    pieces: list[str] = []
    cursor = 0
    for start, end in spans:
        pieces.append(text[cursor:start])
        pieces.append(
            text[start] + " " * (end - start - 2) + text[end - 1] if end - start >= 2 else " "
        )
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


# --------------------------------------------------------------------------------------------
# Claims and masking
# --------------------------------------------------------------------------------------------


def extract_claims(document: str) -> list[ExtractedClaim]:
    """The check-worthy sentences of ``document``, in order, each with its kind and values."""
    claims: list[ExtractedClaim] = []
    offset = 0
    for paragraph, block in enumerate(document.split(PARAGRAPH_SEPARATOR)):
        found = _paragraph_claims(block)
        if found:  # most paragraphs have no claim
            for kind, text, start, end, values, source in found:
                claims.append(
                    ExtractedClaim(
                        kind, text, offset + start, offset + end, paragraph, values, source
                    )
                )
        offset += len(block) + len(PARAGRAPH_SEPARATOR)
    return claims


# Sentences never cross a paragraph break, so a paragraph's claims depend on its text alone.
# Successive versions of an article repeat most paragraphs: caching the claims of each, with
# spans relative to the paragraph, spares re-splitting and re-wrapping them per version.
@lru_cache(maxsize=1 << 16)
def _paragraph_claims(
    block: str,
) -> tuple[tuple[str, str, int, int, tuple[Quantity, ...], str], ...]:
    found = []
    previous = ""
    speaker = ""  # the speaker of the quote in the previous sentence
    for sentence in split_sentences(block):
        claim, quoted_by = _claim_for(sentence)
        if speaker and _is_whole_quotation(sentence.text) and not _asks(previous):
            # '"The dam could fail," Dupont said. "We are evacuating 5,000 people."' The
            # second quotation has no attribution of its own: it goes on with the speaker of
            # the one just before it, in the same paragraph. The answer to a question is
            # someone else's.
            claim = _continued_quote(sentence, claim, speaker)
            quoted_by = speaker
        speaker, previous = quoted_by, sentence.text
        if claim is not None:
            found.append(
                (claim.kind, claim.text, claim.start, claim.end, claim.values, claim.source)
            )
    return tuple(found)


_ASKED = re.compile(r"\bask(?:ed|s)\b")


def _asks(text: str) -> bool:
    """Whether the quote in ``text`` is a question: the quoted words end in "?", or the verb
    is "asked" (`"Will you resign?" a reporter asked.`)."""
    spans = _quote_spans(text)
    if not spans:
        return False
    start, end = spans[-1]
    if text[start:end].rstrip("".join(_QUOTE_MARKS) + " ").endswith("?"):
        return True
    return _ASKED.search(_blank(_aligned_lower(text), spans)) is not None


def _is_whole_quotation(text: str) -> bool:
    """Whether the sentence is one quotation and nothing else."""
    if text[0] not in _QUOTE_MARKS or not _has_quote_mark(text[1:]):
        return False
    spans = _quote_spans(text)
    return len(spans) == 1 and spans[0] == (0, len(text.rstrip()))


def _continued_quote(
    sentence: Sentence, claim: ExtractedClaim | None, speaker: str
) -> ExtractedClaim | None:
    """The claim of a quotation that continues ``speaker``'s: a quote by them, or the
    sentence's own claim (a figure) credited to them."""
    if claim is None:
        if len(sentence.text.split()) < _MIN_QUOTE_WORDS:
            return None
        return ExtractedClaim(
            "quote", sentence.text, sentence.start, sentence.end, sentence.paragraph, (), speaker
        )
    return claim if claim.source else claim._replace(source=speaker)


# One cheap scan per sentence says which of the detailed patterns can match at all: most
# sentences have no number word and no attribution, and their scans are skipped.
_NUMBER_SIGNAL = "number"
_SIGNAL_KINDS: dict[str, str] = {
    **dict.fromkeys(_ATTRIBUTION_VERBS, "verb"),
    "according": "according",
    "reportedly": "reportedly",
    "allegedly": "reportedly",
    **dict.fromkeys(
        [
            *_WORD_VALUES,
            *_VAGUE_MULTIPLIERS,
            *_VAGUE_VALUES,
            *("tens", "few", "several"),
            *_DENOMINATORS,
            *(denominator + "s" for denominator in _DENOMINATORS),
        ],
        _NUMBER_SIGNAL,
    ),
}
_SIGNAL = re.compile(rf"\b{_trie(word for word in _SIGNAL_KINDS if ' ' not in word)}\b")
# A quantity makes a "statistic" when written with digits or when it is a percentage or money.
_MONEY_AND_PERCENT = frozenset({"percent", "percentage points", *_CURRENCIES.values()})
_DIGIT = re.compile(r"[0-9]")


def _claim_for(sentence: Sentence) -> tuple[ExtractedClaim | None, str]:
    """The sentence's claim, if any, and the speaker of its quote, ``""`` when it has none."""
    analysis = _analyse(sentence.text)
    if analysis is None:
        return None, ""
    kind, values, source, quoted = analysis
    claim = ExtractedClaim(
        kind=kind,
        text=sentence.text,
        start=sentence.start,
        end=sentence.end,
        paragraph=sentence.paragraph,
        values=values,
        source=source,
    )
    return claim, source if quoted else ""


# Successive versions of an article repeat most of their sentences, and the analysis of a
# sentence depends on its text alone: caching it makes re-extracting a timeline cheap.
@lru_cache(maxsize=1 << 16)
def _analyse(text: str) -> tuple[str, tuple[Quantity, ...], str, bool] | None:
    """Kind, values and source of the sentence's claim, and whether the source is a quote's
    speaker; None when the sentence makes no claim."""
    folded = _aligned_lower(text)
    signals = {_SIGNAL_KINDS[word] for word in _SIGNAL.findall(folded)}
    values = _quantities(text, folded, with_words=_NUMBER_SIGNAL in signals)
    quoted, speaker = _quote_speaker(text, folded)
    attributed, source = (
        _find_source(text, folded, allow_pronouns=False)
        if signals - {_NUMBER_SIGNAL}
        else (False, "")
    )
    if quoted:
        source = speaker
    if any(value.unit in _MONEY_AND_PERCENT or _DIGIT.search(value.text) for value in values):
        kind = "statistic"
    elif quoted:
        kind = "quote"
    elif attributed:
        kind = "attribution"
    elif values:
        kind = "quantity"
    else:
        return None
    return kind, values, source, quoted


# Masking covers every number-like token, not only accepted quantities, so that a sentence
# whose date or year changed still matches its earlier wording. Scale words after a number
# are masked with it, whether it is written in digits or words: "12 dozen", "three dozen" and
# "a dozen billion" all read "<N>".
_MASK_SCALES = r"(?:\s+(?:dozen|hundred|thousand|million|billion|trillion)\b)*"
_MASK_DIGITS = re.compile(rf"[0-9]+(?:[.,][0-9]+)*(?:(?:bn|mn|tn|k)\b|{_MASK_SCALES})")
_MASK_WORDS = re.compile(rf"{_FIRST_NUMBER_WORD}(?:{_VAGUE}|{_WORD_NUMBER}){_MASK_SCALES}\b")
_MASK_PERCENT = re.compile(r"\s*(?:%|per\s?cent\b|percent\b)")
PLACEHOLDER = "<N>"


def masked_number_words(text: str) -> str:
    """``text`` lower-cased with its number words and vague amounts ("three", "dozens of",
    "several") replaced by ``<N>``; digits are left alone."""
    return _MASK_WORDS.sub(PLACEHOLDER, text.lower())


def masked(sentence: str) -> str:
    """``sentence`` lower-cased, whitespace-normalised, every number replaced by ``<N>`` and
    every percent spelling by "%": "More than 80 per cent" -> "more than <N>%"."""
    text = _MASK_WORDS.sub(PLACEHOLDER, _MASK_DIGITS.sub(PLACEHOLDER, sentence.lower()))
    # The percent pattern starts with optional space, so it is tried at every position:
    # a substring test first spares that scan for the many sentences with no percentage.
    if "%" in text or "cent" in text:
        text = _MASK_PERCENT.sub("%", text)
    # str.split() cuts on the same Unicode whitespace as \s+, several times faster.
    return " ".join(text.split())
