"""Plain-text articles: decoding, the layout's variants, errors, and generated articles.

The articles here are made up for the tests; they only follow the seed's layout.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from factcheck.errors import InputError, NoLastUpdate
from factcheck.identity import shows_nothing
from factcheck.parse.text import decode_bytes, parse_article

SEEDS = Path(__file__).parents[1].parent / "shared" / "seeds"

UPDATED = datetime(2025, 5, 25, 17, 11, tzinfo=UTC)

TITLE = "Harbour bridge reopens after three-week repair, council says"
STANDFIRST = "Ferry crossings fell by half while the bridge was shut, according to the port."
FIRST = "The bridge reopened at dawn on Sunday, two days ahead of schedule."
SECOND = "More than 40% of commuters switched to the ferry during the closure."
THIRD = '"We are glad to have it back," the mayor told reporters.'

CLEAN = f"""{TITLE}

{STANDFIRST}
3 min read
25 May, 2025
Last Update
25 May, 2025 17:11 PM
Cars cross the bridge on Sunday morning. [Harbour Desk]

{FIRST}

{SECOND}

{THIRD}
"""


def test_full_layout() -> None:
    article = parse_article(CLEAN)
    assert article.title == TITLE
    assert article.standfirst == STANDFIRST
    assert article.read_time == "3 min read"
    assert article.published_raw == "25 May, 2025"
    assert article.published_at == datetime(2025, 5, 25, tzinfo=UTC)
    assert article.updated_raw == "25 May, 2025 17:11 PM"
    assert article.updated_at == UPDATED
    assert article.caption == "Cars cross the bridge on Sunday morning."
    assert article.credit == "Harbour Desk"
    assert article.body == (FIRST, SECOND, THIRD)
    assert article.headers == {}


def test_headers() -> None:
    text = (
        "URL: https://example.org/news/bridge?id=7\n"
        "article: harbour-bridge\n"
        "OUTLET:  The Harbour Gazette \n"
        "Captured: 26 May 2025 09:00\n"
        "Desk: local\n\n" + CLEAN
    )
    article = parse_article(text)
    assert article.headers == {
        "url": "https://example.org/news/bridge?id=7",
        "article": "harbour-bridge",
        "outlet": "The Harbour Gazette",
        "captured": "26 May 2025 09:00",
        "desk": "local",
    }
    assert article.url == "https://example.org/news/bridge?id=7"
    assert article.article_key == "harbour-bridge"
    assert article.outlet == "The Harbour Gazette"
    assert article.title == TITLE
    assert article == parse_article(CLEAN)


@pytest.mark.parametrize(
    "title",
    ["Bridge: council reopens it early", "Analysis: why ferries lost: a timeline", "Note: x"],
)
def test_title_with_colon_is_not_a_header(title: str) -> None:
    article = parse_article(CLEAN.replace(TITLE, title))
    assert article.title == title
    assert article.headers == {}


def test_unrecognised_header_block_is_the_title() -> None:
    article = parse_article("Desk: local\n\n" + CLEAN)
    assert article.title == "Desk: local"
    assert article.headers == {}


def without(text: str, line: str) -> str:
    assert f"{line}\n" in text
    return text.replace(f"{line}\n", "", 1)


def test_missing_read_time() -> None:
    article = parse_article(without(CLEAN, "3 min read"))
    assert article.read_time == ""
    assert article.standfirst == STANDFIRST
    assert article.published_raw == "25 May, 2025"


def test_missing_caption() -> None:
    article = parse_article(
        without(CLEAN, "Cars cross the bridge on Sunday morning. [Harbour Desk]")
    )
    assert (article.caption, article.credit) == ("", "")
    assert article.body == (FIRST, SECOND, THIRD)


def test_missing_standfirst() -> None:
    article = parse_article(without(CLEAN, STANDFIRST))
    assert article.standfirst == ""
    assert article.read_time == "3 min read"
    assert article.updated_at == UPDATED
    assert article.body == (FIRST, SECOND, THIRD)


def test_missing_published_date() -> None:
    article = parse_article(without(CLEAN, "25 May, 2025"))
    assert (article.published_raw, article.published_at) == ("", None)
    assert article.read_time == "3 min read"
    assert article.updated_at == UPDATED


def test_only_last_update_between_title_and_body() -> None:
    text = f"{TITLE}\n\nLast Update\n25 May, 2025 17:11 PM\n\n{FIRST}\n"
    article = parse_article(text)
    assert (article.standfirst, article.read_time, article.caption) == ("", "", "")
    assert article.updated_at == UPDATED
    assert article.body == (FIRST,)


def test_standfirst_in_its_own_paragraph() -> None:
    text = CLEAN.replace(f"{STANDFIRST}\n", f"{STANDFIRST}\n\n")
    article = parse_article(text)
    assert article.standfirst == STANDFIRST
    assert article.updated_at == UPDATED
    assert article.body == (FIRST, SECOND, THIRD)


def test_title_directly_followed_by_standfirst() -> None:
    article = parse_article(CLEAN.replace(f"{TITLE}\n\n", f"{TITLE}\n"))
    assert article == parse_article(CLEAN)


@pytest.mark.parametrize(
    ("line", "raw"),
    [
        ("Last updated: 25 May, 2025 17:11 PM", "25 May, 2025 17:11 PM"),
        ("Last Update: 25 May 2025 17:11", "25 May 2025 17:11"),
        ("Last Update 25 May 2025 17:11", "25 May 2025 17:11"),
        ("Updated 25 May 2025 at 5:11 pm", "25 May 2025 at 5:11 pm"),
        ("Updated May 25, 2025, 1:11 p.m. ET", "May 25, 2025, 1:11 p.m. ET"),
        ("Updated on 25 May 2025 17:11", "25 May 2025 17:11"),
        ("UPDATED: 2025-05-25T17:11:00Z", "2025-05-25T17:11:00Z"),
        ("Last updated: 25/05/2025 17:11", "25/05/2025 17:11"),
    ],
)
def test_last_update_on_one_line(line: str, raw: str) -> None:
    text = CLEAN.replace("Last Update\n25 May, 2025 17:11 PM", line)
    article = parse_article(text)
    assert article.updated_raw == raw
    assert article.updated_at == UPDATED
    assert article.caption == "Cars cross the bridge on Sunday morning."
    assert article.published_raw == "25 May, 2025"


def test_published_with_label() -> None:
    article = parse_article(CLEAN.replace("\n25 May, 2025\n", "\nPublished: 24 May 2025 08:00\n"))
    assert article.published_raw == "24 May 2025 08:00"
    assert article.published_at == datetime(2025, 5, 24, 8, tzinfo=UTC)
    assert article.standfirst == STANDFIRST


@pytest.mark.parametrize(
    ("line", "raw", "last_update"),
    [
        # Refused by the date rules: an ambiguous zone, an hour the clocks skipped.
        ("Published: May 25, 2025 10:00 IST", "May 25, 2025 10:00 IST", "25 May, 2025 17:11 PM"),
        (
            "Published: March 9, 2025, 2:30 a.m.",
            "March 9, 2025, 2:30 a.m.",
            "March 9, 2025, 5:11 p.m. ET",
        ),
        (
            "Published 9999-12-31T23:59:00-08:00",
            "9999-12-31T23:59:00-08:00",
            "25 May, 2025 17:11 PM",
        ),
        ("30 February, 2025", "30 February, 2025", "25 May, 2025 17:11 PM"),  # no such day
    ],
)
def test_a_published_line_whose_time_is_unreadable_is_still_metadata(
    line: str, raw: str, last_update: str
) -> None:
    text = CLEAN.replace("\n25 May, 2025\n", f"\n{line}\n").replace(
        "25 May, 2025 17:11 PM", last_update
    )
    article = parse_article(text)
    assert article.standfirst == STANDFIRST
    assert (article.published_raw, article.published_at) == (raw, None)
    assert article.updated_raw == last_update
    assert article.body == (FIRST, SECOND, THIRD)


def test_a_published_date_in_an_ambiguous_zone_is_settled_with_the_last_update() -> None:
    text = CLEAN.replace("\n25 May, 2025\n", "\nPublished: May 25, 2025 10:00 IST\n")
    article = parse_article(text, "Asia/Kolkata")
    assert article.published_at == datetime(2025, 5, 25, 4, 30, tzinfo=UTC)
    assert article.updated_at == datetime(2025, 5, 25, 11, 41, tzinfo=UTC)


@pytest.mark.parametrize(
    "standfirst",
    ["Posted 12 photos from the scene of the fire", "Published in 1998, the report was ignored"],
)
def test_a_standfirst_starting_with_published_is_text(standfirst: str) -> None:
    article = parse_article(CLEAN.replace(STANDFIRST, standfirst))
    assert article.standfirst == standfirst
    assert article.published_raw == "25 May, 2025"


@pytest.mark.parametrize(
    "line",
    [
        "Posted: 40 people have died in the floods, police say",
        "Published: 2 hours ago",
        "Posted: Sunday",
        "Published: yesterday at 5pm",
        "Posted on: Sunday morning",
    ],
)
@pytest.mark.parametrize("published", ["\n25 May, 2025\n", "\n"])
def test_a_labelled_line_that_is_no_timestamp_is_text(line: str, published: str) -> None:
    # The label makes no date line: the claim or relative time after it is the standfirst's.
    article = parse_article(CLEAN.replace(STANDFIRST, line).replace("\n25 May, 2025\n", published))
    assert article.standfirst == line
    assert article.published_raw == published.strip()
    assert article.updated_at == UPDATED
    assert article.body == (FIRST, SECOND, THIRD)


@pytest.mark.parametrize(
    ("line", "raw", "at"),
    [
        ("Published: 25/05/2025", "25/05/2025", datetime(2025, 5, 25, tzinfo=UTC)),
        ("Posted: 25 May 2025", "25 May 2025", datetime(2025, 5, 25, tzinfo=UTC)),
        ("Published: May 25, 2025 10:00 IST", "May 25, 2025 10:00 IST", None),
    ],
)
def test_a_labelled_timestamp_in_place_of_the_standfirst_is_metadata(
    line: str, raw: str, at: datetime | None
) -> None:
    article = parse_article(
        CLEAN.replace(f"{STANDFIRST}\n", "").replace("25 May, 2025\n", line + "\n", 1)
    )
    assert (article.standfirst, article.published_raw, article.published_at) == ("", raw, at)
    assert article.updated_at == UPDATED


def test_a_published_date_the_slow_parser_refuses_is_still_no_text() -> None:
    # Only dateparser reads this layout, and in London the hour was skipped (clocks went
    # forward): the line is still a date line, not standfirst text that changes the hash.
    line = "Published: 30/03/2025 01:30"
    text = CLEAN.replace(f"{STANDFIRST}\n", "").replace("25 May, 2025\n", line + "\n", 1)
    article = parse_article(text, default_tz="Europe/London")
    assert (article.standfirst, article.published_raw, article.published_at) == (
        "",
        "30/03/2025 01:30",
        None,
    )


def test_a_first_line_that_is_a_labelled_date_is_no_title() -> None:
    with pytest.raises(InputError, match="no title"):
        parse_article(CLEAN.replace(TITLE, "Published: Sunday the 25th of May 2025", 1))


def test_a_headline_that_starts_like_a_published_label_is_the_title() -> None:
    headline = "Posted: a letter from the mayor to every household"
    assert parse_article(CLEAN.replace(TITLE, headline, 1)).title == headline
    with pytest.raises(InputError, match="no title"):
        parse_article(CLEAN.replace(TITLE, "Published: May 25, 2025 10:00 IST", 1))


def test_standfirst_starting_with_updated_is_text() -> None:
    standfirst = "Updated figures show ferry use doubled"
    article = parse_article(CLEAN.replace(STANDFIRST, standfirst))
    assert article.standfirst == standfirst
    assert article.updated_at == UPDATED


def test_default_zone_applies_to_both_times() -> None:
    article = parse_article(CLEAN, "Asia/Gaza")
    assert article.updated_at == datetime(2025, 5, 25, 14, 11, tzinfo=UTC)
    assert article.published_at == datetime(2025, 5, 24, 21, tzinfo=UTC)


def test_published_date_is_read_in_the_last_update_zone() -> None:
    text = CLEAN.replace(
        "25 May, 2025\nLast Update\n25 May, 2025 17:11 PM",
        "May 26, 2025\nUpdated May 25, 2025, 11:50 p.m. ET",
    )
    article = parse_article(text)
    assert article.updated_at == datetime(2025, 5, 26, 3, 50, tzinfo=UTC)
    assert article.published_at == datetime(2025, 5, 26, 4, tzinfo=UTC)
    # So a Last Update stamped before its own published date can be seen as one.
    assert article.updated_at < article.published_at


def test_published_date_is_read_in_the_override_zone() -> None:
    undated = without(without(CLEAN, "Last Update"), "25 May, 2025 17:11 PM")
    article = parse_article(undated, updated_override="26 May 2025 09:00 +0300")
    assert article.updated_at == datetime(2025, 5, 26, 6, tzinfo=UTC)
    assert article.published_at == datetime(2025, 5, 24, 21, tzinfo=UTC)


def test_a_files_own_last_update_wins_over_the_override() -> None:
    article = parse_article(CLEAN, updated_override="26 May 2025 09:00 +0300")
    assert article.updated_raw == "25 May, 2025 17:11 PM"
    unreadable = CLEAN.replace("25 May, 2025 17:11 PM", "sometime on Sunday")
    assert parse_article(unreadable, updated_override="26 May 2025 09:00").updated_raw == (
        "26 May 2025 09:00"
    )


def test_caption_variants() -> None:
    bare = CLEAN.replace(" [Harbour Desk]", "")
    assert (parse_article(bare).caption, parse_article(bare).credit) == (
        "Cars cross the bridge on Sunday morning.",
        "",
    )
    only_credit = CLEAN.replace("Cars cross the bridge on Sunday morning. ", "")
    assert (parse_article(only_credit).caption, parse_article(only_credit).credit) == (
        "",
        "Harbour Desk",
    )
    inner = CLEAN.replace("[Harbour Desk]", "[ AFP / File ]")
    assert parse_article(inner).credit == "AFP / File"
    middle = CLEAN.replace("Cars cross", "[Archive] Cars cross").replace(" [Harbour Desk]", "")
    assert parse_article(middle).caption == "[Archive] Cars cross the bridge on Sunday morning."
    assert parse_article(middle).credit == ""


def test_whitespace_variants_parse_the_same() -> None:
    clean = parse_article(CLEAN)
    crlf = "\ufeff" + CLEAN.replace("\n", " \t \r\n")
    assert parse_article(crlf) == clean
    assert parse_article(CLEAN.replace("\n", "\r")) == clean
    tabs = "\n".join(f"\t{line}\t" for line in CLEAN.split("\n"))
    assert parse_article(tabs) == clean
    blank_runs = CLEAN.replace("\n\n", "\n \n\t\n\n")
    assert parse_article(blank_runs) == clean
    assert parse_article("\n\n" + CLEAN + "\n\n\n") == clean


def test_crlf_bom_trailing_spaces_file_has_the_same_content_hash() -> None:
    variant = ("\ufeff" + CLEAN.replace("\n", "   \r\n")).encode("utf-8")
    clean = parse_article(decode_bytes(CLEAN.encode("utf-8")))
    messy = parse_article(decode_bytes(variant))
    assert messy.content_hash == clean.content_hash
    assert messy == clean


def test_inner_newlines_join_with_one_space() -> None:
    text = CLEAN.replace(
        SECOND, "More than 40% of commuters\n  switched to the ferry  \nduring the closure."
    )
    assert parse_article(text).body[1] == SECOND


def test_inner_whitespace_within_a_line_is_kept() -> None:
    text = CLEAN.replace(FIRST, "Two  spaces\tand a tab.")
    assert parse_article(text).body[0] == "Two  spaces\tand a tab."


def test_right_to_left_text_is_kept_exactly() -> None:
    arabic_title = "\u200fأعيد فتح الجسر بعد الإصلاح"
    arabic = "قالت البلدية إن 40% من الركاب استخدموا العبّارة."
    hebrew = "הגשר נפתח מחדש ביום ראשון, אמר ראש העירייה."
    text = CLEAN.replace(TITLE, arabic_title).replace(FIRST, arabic).replace(SECOND, hebrew)
    article = parse_article(text)
    assert article.title == arabic_title
    assert article.body[:2] == (arabic, hebrew)
    assert article.body[0].encode("utf-8") == arabic.encode("utf-8")


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200e\u200f",  # LRM, RLM
        "\u202b\u202c",  # RLE, PDF
        "\u202a \u202d\u202e",  # LRE, LRO, RLO
        "\u2066\u2067\u2068\u2069",  # the isolates
        "\u200b\u200c\u200d",  # zero-width space, non-joiner, joiner
        "\u200f\ufeff",  # a BOM inside the text, not at its start
        "\u3164",  # Hangul filler
        "\u2800 \u2800",  # blank braille cells
        "\u115f\u1160\uffa0",  # Hangul choseong, jungseong and halfwidth fillers
        "\u0301\u0308",  # combining marks with no letter to sit on
        "\u20dd",  # an enclosing mark
    ],
)
def test_a_title_that_shows_nothing_is_no_title(invisible: str) -> None:
    codes = " ".join(f"U\\+{ord(char):04X}" for char in sorted(set(invisible) - {" "}))
    with pytest.raises(InputError, match=f"^no title: the first line holds only .*{codes}$"):
        parse_article(CLEAN.replace(TITLE, invisible, 1))
    # Nor is the headline on the line after it taken for the title.
    with pytest.raises(InputError, match="no title"):
        parse_article(CLEAN.replace(TITLE, f"{invisible}\n{TITLE}", 1))


@pytest.mark.parametrize(
    "title",
    [
        "أعيد فتح الجسر",
        "\u200fהגשר נפתח מחדש",
        "\u2067أعيد فتح الجسر\u2069",
        "\u200b1",
        "Cafe\u0301 reopens",
        "\u0301e",
    ],
)
def test_a_title_with_letters_among_its_marks_is_kept(title: str) -> None:
    assert parse_article(CLEAN.replace(TITLE, title, 1)).title == title


@pytest.mark.parametrize(
    "second",
    [
        # In the caption, after the first Last Update.
        "Last Update\n25 May, 2025 17:11 PM\nLast Update\n26 May, 2025 09:00 AM",
        "Last Update\n25 May, 2025 17:11 PM\nCars cross.\nLast updated: 26 May, 2025 09:00 AM",
        "Last Update: 25 May, 2025 17:11 PM\nUpdated 26 May, 2025 09:00 AM",
        # In a paragraph of its own, right after the metadata.
        "Last Update\n25 May, 2025 17:11 PM\n\nLast Update\n26 May, 2025 09:00 AM",
    ],
)
def test_a_second_last_update_line_is_refused(second: str) -> None:
    last_update_and_caption = CLEAN[CLEAN.index("Last Update") : CLEAN.index(f"\n\n{FIRST}")]
    text = CLEAN.replace(last_update_and_caption, second)
    with pytest.raises(
        InputError,
        match=r"^two Last Update lines: '25 May, 2025 17:11 PM' and '26 May, 2025 09:00 AM'$",
    ):
        parse_article(text)


def test_a_second_last_update_before_the_standfirst_is_refused() -> None:
    text = (
        f"{TITLE}\n\nLast Update\n25 May, 2025 17:11 PM\n\n{STANDFIRST}\n"
        f"Last Update: 26 May, 2025 09:00 AM\n\n{FIRST}\n"
    )
    with pytest.raises(InputError, match="two Last Update lines"):
        parse_article(text)


NOTES = [
    "Updated: This story has been updated with new casualty figures from the fire service.",
    "Updated 17:11 with police statement. Officers said the cause was not yet known.",
    "Updated at 10pm: the toll rose to 14. Rescuers are still searching the site.",
    "Updated: see below",
    "Last Update",  # a label with no time under it
]


@pytest.mark.parametrize("note", NOTES)
def test_an_editors_note_after_the_last_update_is_body_text(note: str) -> None:
    article = parse_article(CLEAN.replace(f"\n\n{FIRST}", f"\n\n{note}\n\n{FIRST}"))
    assert article.updated_raw == "25 May, 2025 17:11 PM"
    assert article.body == (note, FIRST, SECOND, THIRD)


@pytest.mark.parametrize("note", NOTES)
def test_an_editors_note_under_the_last_update_is_caption(note: str) -> None:
    article = parse_article(CLEAN.replace("Cars cross the bridge on Sunday morning. ", note + " "))
    assert article.updated_raw == "25 May, 2025 17:11 PM"
    assert (article.caption, article.credit) == (note, "Harbour Desk")


@pytest.mark.parametrize(
    "second",
    [
        "Updated: 26/05/2025 09:00",  # read by dateparser
        "Updated: 31 February, 2025 09:00",  # date-shaped, but no such day
        "Updated 26 May, 2025 09:00 IST",  # date-shaped, in a zone it cannot settle
    ],
)
def test_a_second_last_update_that_reads_as_a_time_is_refused(second: str) -> None:
    text = CLEAN.replace(f"\n\n{FIRST}", f"\n\n{second}\n\n{FIRST}")
    with pytest.raises(InputError, match=r"^two Last Update lines: '25 May, 2025 17:11 PM' and"):
        parse_article(text)


def test_a_last_update_line_further_down_is_body_text() -> None:
    footer = "Last updated: 26 May, 2025 09:00 AM"
    article = parse_article(f"{CLEAN}\n{footer}\n")
    assert article.updated_raw == "25 May, 2025 17:11 PM"
    assert article.body == (FIRST, SECOND, THIRD, footer)


@pytest.mark.parametrize(
    ("zone", "message"),
    [
        ("IST", r"'25 May, 2025 17:11 PM IST': ambiguous time zone 'IST' \(India \+05:30"),
        ("AST", r"'25 May, 2025 17:11 PM AST': ambiguous time zone 'AST' \(Arabia \+03:00"),
    ],
)
def test_a_last_update_in_an_ambiguous_zone_is_refused(zone: str, message: str) -> None:
    text = CLEAN.replace("25 May, 2025 17:11 PM", f"25 May, 2025 17:11 PM {zone}")
    with pytest.raises(NoLastUpdate, match=f"^unparseable Last Update: {message}"):
        parse_article(text)
    written = CLEAN.replace("25 May, 2025 17:11 PM", "25 May, 2025 22:41 PM +05:30")
    assert parse_article(written).updated_at == UPDATED


@pytest.mark.parametrize(
    ("zone", "date", "expected"),
    [
        ("Asia/Kolkata", "May 25, 2025", datetime(2025, 5, 25, 11, 41, tzinfo=UTC)),
        ("Europe/Dublin", "May 25, 2025", datetime(2025, 5, 25, 16, 11, tzinfo=UTC)),
        ("Asia/Jerusalem", "January 25, 2025", datetime(2025, 1, 25, 15, 11, tzinfo=UTC)),
    ],
)
def test_the_default_zone_settles_its_own_ambiguous_label(
    zone: str, date: str, expected: datetime
) -> None:
    text = CLEAN.replace(
        "Last Update\n25 May, 2025 17:11 PM", f"Last Updated: {date} 17:11 IST"
    ).replace("\n25 May, 2025\n", "\n")
    assert parse_article(text, zone).updated_at == expected
    with pytest.raises(NoLastUpdate, match=r"ambiguous time zone 'IST'.* --tz"):
        parse_article(text)


@pytest.mark.parametrize(
    "last_update",
    ["9999-12-31T23:59:00-08:00", "31 December 9999 23:30 ET", "0001-01-01 00:30"],
)
def test_a_last_update_beyond_the_calendar_in_utc_is_refused(last_update: str) -> None:
    text = CLEAN.replace("25 May, 2025 17:11 PM", last_update)
    with pytest.raises(NoLastUpdate, match=r"impossible date or time: .* outside the years 1 to"):
        parse_article(text, "Asia/Tokyo")


def test_a_last_update_the_clocks_skipped_is_refused() -> None:
    text = CLEAN.replace("25 May, 2025 17:11 PM", "30 March, 2025 01:30")
    with pytest.raises(
        NoLastUpdate,
        match=r"^unparseable Last Update: '30 March, 2025 01:30': 2025-03-30 01:30 does not exist"
        r" in Europe/London: clocks went forward$",
    ):
        parse_article(text, "Europe/London")


def test_a_headline_that_starts_like_a_label_is_the_title() -> None:
    headline = "Updated: Marrowby death toll rises to 18"
    assert parse_article(CLEAN.replace(TITLE, headline, 1)).title == headline
    with pytest.raises(InputError, match="no title"):
        parse_article(CLEAN.replace(TITLE, "Last Update: 10:30 ET", 1))


def test_unicode_line_separators_do_not_split_lines() -> None:
    text = CLEAN.replace(FIRST, "One\u2028line\u0085still.")
    assert parse_article(text).body[0] == "One\u2028line\u0085still."


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no title"),
        ("  \n\t\n", "no title"),
        ("URL: https://example.org/a\nOutlet: Gazette\n", "no title"),
        (f"Last Update\n25 May, 2025 17:11 PM\n\n{FIRST}\n", "no title: .*'Last Update'"),
        (f"25 May, 2025\nLast Update\n25 May, 2025 17:11 PM\n\n{FIRST}\n", "no title"),
        (f"Article: a\n\n2 min read\n25 May, 2025\n\n{FIRST}\n", "no title"),
        (f"{TITLE}\n", "no body text"),
        (f"{TITLE}\n\nLast Update\n25 May, 2025 17:11 PM\n", "no body text"),
        (without(without(CLEAN, "Last Update"), "25 May, 2025 17:11 PM"), "no Last Update line"),
        (f"{TITLE}\n\n{FIRST}\n\n{SECOND}\n", r"no Last Update line \(use --updated-at\)"),
        (
            CLEAN.replace("25 May, 2025 17:11 PM", "a while ago"),
            "unparseable Last Update: 'a while ago'",
        ),
        (CLEAN.replace("25 May, 2025 17:11 PM", "31 Feb 2025 17:11"), "unparseable Last Update"),
        (
            f"{TITLE}\n\n{STANDFIRST}\nLast Update\n\n{FIRST}\n",
            "no time after the Last Update line",
        ),
    ],
)
def test_errors(text: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        parse_article(text)


def test_override_fills_a_missing_last_update() -> None:
    text = f"{TITLE}\n\n{FIRST}\n\n{SECOND}\n"
    article = parse_article(text, updated_override="2025-05-25T17:11Z")
    assert article.updated_raw == "2025-05-25T17:11Z"
    assert article.updated_at == UPDATED
    assert article.standfirst == ""
    assert article.body == (FIRST, SECOND)


def test_override_replaces_an_unparseable_last_update() -> None:
    text = CLEAN.replace("25 May, 2025 17:11 PM", "a while ago")
    article = parse_article(text, updated_override="25 May 2025 17:11")
    assert article.updated_raw == "25 May 2025 17:11"
    assert article.updated_at == UPDATED
    assert article.caption == "Cars cross the bridge on Sunday morning."
    assert article.body == (FIRST, SECOND, THIRD)


def test_the_override_is_read_in_the_default_zone() -> None:
    undated = without(without(CLEAN, "Last Update"), "25 May, 2025 17:11 PM")
    article = parse_article(undated, "Asia/Gaza", updated_override="26 May 2025 09:00")
    assert article.updated_raw == "26 May 2025 09:00"
    assert article.updated_at == datetime(2025, 5, 26, 6, tzinfo=UTC)


def test_unparseable_override() -> None:
    undated = without(without(CLEAN, "Last Update"), "25 May, 2025 17:11 PM")
    with pytest.raises(InputError, match="unparseable Last Update override: 'soon'"):
        parse_article(undated, updated_override="soon")


# decode_bytes


def test_decode_strips_bom_and_normalises_line_ends() -> None:
    assert decode_bytes(b"\xef\xbb\xbfTitle\r\nLine\rEnd\n") == "Title\nLine\nEnd\n"
    assert decode_bytes("قال\r\n".encode()) == "قال\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b" \r\n\t\n", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"\xef\xbb\xbf \n", "empty file"),
        (b"Title\x00\n", "binary file (NUL bytes)"),
        ("Title\n".encode("utf-16"), "UTF-16 text: save the file as UTF-8"),
        # Without a byte-order mark, told by the NULs lined up in one byte of each pair.
        ("Title\n".encode("utf-16-be"), "UTF-16 text: save the file as UTF-8"),
        ("Council budget\n\nBody.\n".encode("utf-16-le"), "UTF-16 text: save the file as UTF-8"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00", "binary file (NUL bytes)"),
        # Small binary numbers line their NULs up as UTF-16 does, but spell no text.
        (bytes(range(1, 30)).replace(b"", b"\x00")[1:], "binary file (NUL bytes)"),
        (b"Title \x1b[31mred\n\nBody.\n", "control character U+001B at offset 6"),
        (b"Title\x07\n", "control character U+0007 at offset 5"),
        (b"Title\n\xff body", "not UTF-8 text (invalid byte 0xff at offset 6)"),
        ("café".encode("latin-1"), "not UTF-8 text (invalid byte 0xe9 at offset 3)"),
        (b"ab\xe2\x82", "not UTF-8 text (invalid byte 0xe2 at offset 2)"),
    ],
)
def test_decode_errors(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        decode_bytes(data)
    assert str(caught.value) == message


# Generated articles: whatever the words, title and paragraphs come back exactly.

EXTRA_CHARACTERS = (
    "مرحباسلامעבריתשלום"  # Arabic and Hebrew letters
    "\u064e\u0651\u05b0\u0301\u0308"  # combining marks (Arabic, Hebrew, Latin)
    "\u200f\u200e\u200d"  # RLM, LRM, zero-width joiner
    "😀👍🏽🇵🇸🇮🇱"  # emoji with a skin-tone modifier, flags
    "%.,;!?\"'()-"
)
word = st.text(
    alphabet=st.one_of(
        st.characters(categories=["L", "M", "N", "P", "S"], exclude_characters="[]:\ufeff"),
        st.sampled_from(EXTRA_CHARACTERS),
    ),
    min_size=1,
    max_size=10,
)
line = st.lists(word, min_size=1, max_size=8).map(" ".join)
paragraph = st.lists(line, min_size=1, max_size=3)
plain_word = st.text(
    alphabet=st.one_of(
        st.characters(categories=["L", "M"], exclude_characters="[]:\ufeff"),
        st.sampled_from(EXTRA_CHARACTERS),
    ),
    min_size=1,
    max_size=10,
)
# The standfirst must not itself look like a metadata line, so no digits there.
plain_line = st.lists(plain_word, min_size=1, max_size=8).map(" ".join)
credit_text = st.lists(plain_word, min_size=1, max_size=3).map(" ".join)


@given(
    title=line,
    standfirst=st.one_of(st.just(""), plain_line),
    caption=st.one_of(st.just(""), line),
    credit=st.one_of(st.just(""), credit_text),
    body=st.lists(paragraph, min_size=1, max_size=6),
    headers=st.booleans(),
)
def test_generated_articles_round_trip(
    title: str, standfirst: str, caption: str, credit: str, body: list[list[str]], headers: bool
) -> None:
    assume(not re.match(r"(?i)(last|updated|published|posted)\b", standfirst))
    assume(not shows_nothing(title))
    lines = ["URL: https://example.org/a", "Outlet: Gazette", ""] if headers else []
    lines += [title, ""]
    if standfirst:
        lines.append(standfirst)
    lines += ["2 min read", "25 May, 2025", "Last Update", "25 May, 2025 17:11 PM"]
    caption_line = " ".join(part for part in (caption, f"[{credit}]" if credit else "") if part)
    if caption_line:
        lines.append(caption_line)
    lines.append("")
    lines.append("\n\n".join("\n".join(paragraph) for paragraph in body))
    text = "\n".join(lines) + "\n"

    article = parse_article(text)
    assert article.title == title
    assert article.standfirst == standfirst
    assert article.body == tuple(" ".join(paragraph) for paragraph in body)
    assert article.caption == caption
    assert article.credit == credit
    assert article.updated_at == UPDATED

    messy = ("\ufeff" + text.replace("\n", " \r\n")).encode("utf-8")
    assert parse_article(decode_bytes(messy)) == article


# The real seed article, when the shared folder is present.


def test_real_seed() -> None:
    seed = SEEDS / "000_51bd037275e8fee9.txt"
    if not seed.is_file():
        pytest.skip(f"{seed} is absent")
    article = parse_article(decode_bytes(seed.read_bytes()))
    assert article.updated_raw == "25 May, 2025 17:11 PM"
    assert article.updated_at == UPDATED
    assert article.published_at == datetime(2025, 5, 25, tzinfo=UTC)
    assert article.read_time == "2 min read"
    assert article.credit == "Getty"
    assert article.caption
    assert article.title
    assert article.standfirst
    assert len(article.body) == 14


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("URL: http://[::1/a", r"URL header: not a valid URL \(Invalid IPv6 URL\)"),
        ("URL: javascript:alert(1)", "URL header: not an http\\(s\\) URL"),
        ("URL: not a url at all", "URL header: not an http\\(s\\) URL"),
        ("URL: https://news.example:99999/a", "URL header: not a valid URL"),
        ("Article:    ", "Article header: the article key is empty"),
        ("Article: " + "k" * 201, "Article header: the article key is longer than 200"),
        (
            "Article: \u200e\u200f",
            "Article header: the article key holds only invisible .*U\\+200E",
        ),
        ("Article: \u2066 \u200b \u2069", "Article header: the article key holds only invisible"),
    ],
)
def test_header_values_that_cannot_name_an_article_are_refused(header: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_article(f"{header}\n\n{CLEAN}")


def test_header_values_are_stripped() -> None:
    article = parse_article(f"Article:  harbour-bridge  \nURL:  https://news.example/a \n\n{CLEAN}")
    assert (article.article_key, article.url) == ("harbour-bridge", "https://news.example/a")
