"""The article report as one self-contained HTML page (``factcheck report``).

Self-contained: one file, inline CSS, no scripts, fonts, images, frames or stylesheets to
fetch. A Content-Security-Policy meta tag (``default-src 'none'``) makes the browser refuse
any request the page might still try, and links to the article and to evidence carry
``rel="noreferrer"``. It reads on a phone (viewport meta, fluid layout, tables that turn
into stacked cards on narrow screens) and prints (``@media print``: no navigation, a white
page, link targets written out, claims kept whole on a page, diff colours kept; folded
paragraphs print as their count).

Sections: a heading with the latest title and counts; the timeline, with stealth edits and
backdated versions marked (``li.version.stealth``, ``.badge.stealth``); the changes between
consecutive versions, deletions in ``<del>`` and insertions in ``<ins>`` with unchanged
paragraphs folded into ``<details>``; then each claim (``article.claim#claim-N``): its
status and flags (a stale verdict is ``.badge.stale``), its wording in every version with
the word changes and value changes, and its verdict history. Its lineage table also has, in
version order, one row per run of versions lacking it (``tr.change-absent``), the run a
removed claim ends on being ``tr.change-removed``; the wording matches ``factcheck claim``.

Every piece of text from an article, a claim or a review goes through
``html.escape(..., quote=True)`` and sits in an element with ``dir="auto"``, so markup in
an article shows as text and Arabic or Hebrew lays out right to left.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from urllib.parse import urlsplit

from factcheck import __version__
from factcheck.articles import VersionSummary
from factcheck.claim_views import Absence, ClaimDetail, OccurrenceView
from factcheck.diff import FIELD_NAMES, diff_words
from factcheck.render import FIELD_LABELS, DiffHeader, plural
from factcheck.render.html import body_html, ops_html, page_head
from factcheck.render.summary import render_summary
from factcheck.report import ArticleReport, ReportStep
from factcheck.review import ReviewView

_DOT = " \u00b7 "
_DASH = "\u2013"

CHANGE_LABELS = {
    "new": "first seen",
    "same": "unchanged",
    "reworded": "reworded",
    "source_changed": "source changed",
    "value_changed": "value changed",
    "quantity_added": "quantity added",
    "quantity_removed": "quantity removed",
}

_CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #5b5b5b; --line: #d9d9d4;
  --paper: #ffffff; --back: #f4f4f1; --warn: #fff1cc; --warn-edge: #d49b00; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--back); color: var(--ink);
  font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
.wrap { max-width: 62rem; margin: 0 auto; padding: 0 1rem; overflow-wrap: anywhere; }
header.page { background: var(--paper); border-bottom: 1px solid var(--line);
  padding: 1rem 0 0.75rem; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.75rem;
  color: var(--muted); margin: 0; }
h1 { font: 700 1.6rem/1.25 Georgia, "Times New Roman", serif; margin: 0.25rem 0 0.5rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.75rem; padding-bottom: 0.25rem;
  border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 0 0 0.25rem; }
h4 { font-size: 0.9rem; margin: 1rem 0 0.35rem; color: var(--muted);
  text-transform: uppercase; letter-spacing: 0.05em; }
.meta { color: var(--muted); font-size: 0.9rem; margin: 0.2rem 0; }
.facts { display: flex; flex-wrap: wrap; gap: 0.4rem; list-style: none; padding: 0;
  margin: 0.5rem 0; }
.facts li { background: var(--back); border: 1px solid var(--line); border-radius: 999px;
  padding: 0.1rem 0.7rem; font-size: 0.85rem; }
nav.contents { font-size: 0.9rem; margin-top: 0.5rem; }
nav.contents a { margin-right: 1rem; }
a { color: #0b57a4; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 6px;
  padding: 0.9rem 1rem; margin: 0 0 1rem; }
ol.timeline { list-style: none; margin: 0; padding: 0; }
ol.timeline li { background: var(--paper); border: 1px solid var(--line);
  border-left: 5px solid #8aa4c8; border-radius: 6px; padding: 0.5rem 0.8rem;
  margin: 0 0 0.5rem; display: grid; grid-template-columns: 3rem 1fr; gap: 0 0.6rem; }
ol.timeline li.stealth { border-left-color: var(--warn-edge); background: var(--warn); }
.num { font-weight: 700; font-size: 1.1rem; grid-row: span 3; }
.vtitle { font-family: Georgia, "Times New Roman", serif; }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 600; line-height: 1.4;
  padding: 0 0.45rem; border-radius: 3px; border: 1px solid currentColor;
  white-space: nowrap; vertical-align: 0.1em; }
.badge.stealth { color: #7a5200; background: #ffe08a; }
.badge.backdated { color: #6a3d9a; }
.badge.stale { color: #9c1c1c; background: #fde4e4; }
.badge.removed, .badge.reappeared { color: #444; }
.status-verified { color: #1d6b2a; }
.status-false { color: #a11b1b; }
.status-misleading { color: #a85400; }
.status-disputed { color: #6a3d9a; }
.status-unproven { color: #33557a; }
.status-unverified { color: #5b5b5b; }
.warning { background: var(--warn); border-left: 4px solid var(--warn-edge);
  padding: 0.35rem 0.6rem; margin: 0.5rem 0; }
.summary { font-size: 0.9rem; background: #eef1f8; padding: 0.3rem 0.6rem;
  border-radius: 4px; }
.text { font-family: Georgia, "Times New Roman", serif; font-size: 1.02rem; }
.text p { margin: 0.6rem 0; }
del { background: #fde2e2; color: #8b0000; }
ins { background: #d9f2d9; color: #064d06; text-decoration: none; }
.para.added, .para.removed, .para.moved { border-left: 4px solid; padding-left: 0.6rem;
  margin: 0.6rem 0; }
.para.added { border-color: #2e8b2e; }
.para.removed { border-color: #c62828; }
.para.moved { border-color: #3366cc; }
.para .label { display: block; font: 600 0.75rem/1.4 system-ui, sans-serif;
  color: var(--muted); }
.para.added p, .para.removed p, .para.moved p { margin: 0; }
details.fold { color: var(--muted); margin: 0.6rem 0; }
details.fold summary { cursor: pointer; font: 0.85rem system-ui, sans-serif; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem 0.35rem 0; }
thead th { font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.04em;
  color: var(--muted); border-bottom: 1px solid var(--line); white-space: nowrap;
  overflow-wrap: normal; }
tbody tr + tr td, tbody tr + tr th { border-top: 1px solid var(--line); }
th[scope="row"] { white-space: nowrap; font-weight: 600; }
td.nowrap { white-space: nowrap; }
blockquote { margin: 0.5rem 0; padding: 0.2rem 0 0.2rem 0.8rem;
  border-left: 3px solid var(--line); font-family: Georgia, "Times New Roman", serif;
  font-size: 1.05rem; }
article.claim { border-left: 5px solid #b9b9b4; }
article.claim[data-status="verified"] { border-left-color: #1d6b2a; }
article.claim[data-status="false"] { border-left-color: #a11b1b; }
article.claim[data-status="misleading"] { border-left-color: #a85400; }
article.claim[data-status="disputed"] { border-left-color: #6a3d9a; }
article.claim[data-status="unproven"] { border-left-color: #33557a; }
table.lineage td:nth-child(3) { min-width: 8.5rem; }
table.lineage tr.change-same td { color: var(--muted); }
table.lineage tr.change-absent td, table.lineage tr.change-removed td { color: var(--muted);
  font-style: italic; }
table.lineage tr.change-removed td:first-child { text-decoration: line-through; }
.values { font-size: 0.85rem; }
article.claim > header { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: baseline; }
article.claim > header .cid { font-weight: 700; }
ul.sources { margin: 0; padding-left: 1.1rem; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 0.8rem; padding: 1.5rem 0 2rem; }
@media (max-width: 40rem) {
  h1 { font-size: 1.3rem; }
  .wrap { padding: 0 0.6rem; }
  ol.timeline li { grid-template-columns: 2.2rem 1fr; }
  table.stack thead { display: none; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack tr { padding: 0.4rem 0; }
  table.stack td { padding: 0.1rem 0; border: 0; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 600;
    color: var(--muted); font-size: 0.8rem; }
  /* An inline block is not struck through with its cell, and pre keeps its trailing space. */
  table.lineage tr.change-removed td:first-child::before { display: inline-block;
    white-space: pre; }
}
@media print {
  :root { --back: #ffffff; }
  body { font-size: 10.5pt; background: #fff; }
  nav.contents { display: none; }
  header.page { border: 0; }
  .card, ol.timeline li { border-color: #999; break-inside: avoid; }
  article.claim { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 0.8em; color: #555; }
  del, ins, .badge, ol.timeline li.stealth { -webkit-print-color-adjust: exact;
    print-color-adjust: exact; }
}
"""


def render_report(report: ArticleReport) -> str:
    """The whole page as a string."""
    parts = [
        *page_head(f"{report.title} \u2014 factcheck report", _CSS),
        "<body>",
        _heading(report),
        '<main class="wrap">',
        _timeline(report),
        _changes(report),
        _claims(report),
        "</main>",
        '<footer class="wrap">',
        f"Generated by factcheck {_e(__version__)} at {_time(report.generated_at)}. "
        "Times are UTC; version numbers are positions in the Last Update order (1 = oldest).",
        "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


# --- pieces ----------------------------------------------------------------------------------


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _time(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    machine = utc.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return f'<time datetime="{machine}">{utc:%Y-%m-%d %H:%M} UTC</time>'


def _link(url: str, text: str | None = None) -> str:
    """A link only for an absolute http(s) URL; anything else is shown as text."""
    parts = urlsplit(url)
    if parts.scheme in {"http", "https"} and parts.netloc:
        return f'<a href="{_e(url)}" rel="noreferrer noopener">{_e(text or url)}</a>'
    return _e(text or url)


def _heading(report: ArticleReport) -> str:
    meta = [f"article <code>{_e(report.key)}</code>"]
    if report.outlet:
        meta.append(_e(report.outlet))
    if report.url:
        meta.append(_link(report.url))
    facts = [
        plural(len(report.versions), "version"),
        plural(report.stealth_edits, "stealth edit"),
        plural(len(report.claims), "claim"),
        f"{report.reviewed_claims} reviewed",
        plural(report.stale_claims, "stale verdict"),
    ]
    return "\n".join(
        [
            '<header class="page"><div class="wrap">',
            '<p class="kicker">factcheck report</p>',
            f'<h1 dir="auto">{_e(report.title)}</h1>',
            f'<p class="meta">{_DOT.join(meta)}</p>',
            '<ul class="facts">' + "".join(f"<li>{_e(f)}</li>" for f in facts) + "</ul>",
            '<nav class="contents"><a href="#timeline">Timeline</a>'
            '<a href="#changes">Changes</a><a href="#claims">Claims</a></nav>',
            "</div></header>",
        ]
    )


def _flags(version: VersionSummary) -> str:
    badges = []
    if version.stealth_edit:
        badges.append(
            '<span class="badge stealth" title="The text changed but the Last Update did not">'
            "stealth edit</span>"
        )
    if version.backdated:
        badges.append(
            '<span class="badge backdated" title="Last Update earlier than the published date">'
            "backdated</span>"
        )
    return " ".join(badges)


def _timeline(report: ArticleReport) -> str:
    parts = ['<section id="timeline">', "<h2>Timeline</h2>", '<ol class="timeline">']
    for version in report.versions:
        classes = "version stealth" if version.stealth_edit else "version"
        link = ""
        if version.number > 1:
            link = f' \u00b7 <a href="#diff-{version.number - 1}-{version.number}">changes</a>'
        parts.append(
            f'<li class="{classes}" id="v{version.number}">'
            f'<span class="num">#{version.number}</span>'
            f'<span class="vtitle" dir="auto">{_e(version.title)}</span>'
            f'<span class="meta">Last Update {_time(version.updated_at)} \u00b7 as written: '
            f'<span dir="auto">{_e(version.updated_raw)}</span>{link}</span>'
            f"<span>{_flags(version)}</span></li>"
        )
    parts += ["</ol>", "</section>"]
    return "\n".join(parts)


def _changes(report: ArticleReport) -> str:
    parts = ['<section id="changes">', "<h2>Changes between versions</h2>"]
    if not report.steps:
        parts.append('<p class="empty">Only one version: nothing to compare.</p>')
    parts += [_step(report.key, step) for step in report.steps]
    parts.append("</section>")
    return "\n".join(parts)


def _step(key: str, step: ReportStep) -> str:
    before, after, diff = step.before, step.after, step.diff
    header = DiffHeader(key, before.number, after.number, stealth=after.stealth_edit)
    parts = [
        f'<section class="step card" id="diff-{before.number}-{after.number}">',
        f"<h3>Version {before.number} \u2192 {after.number}</h3>",
        f'<p class="meta">Last Update {_time(before.updated_at)} \u2192 '
        f"{_time(after.updated_at)}</p>",
    ]
    if after.stealth_edit:
        parts.append(
            '<p class="warning stealth-note"><span class="badge stealth">stealth edit</span> '
            "The text changed but the Last Update time did not.</p>"
        )
    if diff.rewrite:
        parts.append('<p class="warning">Rewrite: the versions share almost nothing.</p>')
    if diff.timed_out:
        parts.append('<p class="warning">Part of this diff is coarser than the minimal one.</p>')
    parts.append(f'<p class="summary">{_e(render_summary(diff, header))}</p>')
    if diff.fields:
        parts.append('<table class="fields"><tbody>')
        for name in FIELD_NAMES:
            if name in diff.fields:
                parts.append(
                    f'<tr><th scope="row">{_e(FIELD_LABELS[name])}</th>'
                    f'<td dir="auto">{ops_html(diff.fields[name])}</td></tr>'
                )
        parts.append("</tbody></table>")
    parts.append('<div class="text">')
    parts.extend(body_html(diff.paragraphs, 1))
    parts += ["</div>", "</section>"]
    return "\n".join(parts)


def _claims(report: ArticleReport) -> str:
    parts = ['<section id="claims">', "<h2>Claims</h2>"]
    if not report.claims:
        parts.append('<p class="empty">No claims found in this article.</p>')
    parts += [_claim(detail) for detail in report.claims]
    parts.append("</section>")
    return "\n".join(parts)


def _status(status: str) -> str:
    return f'<span class="badge status status-{_e(status)}">{_e(status)}</span>'


def _claim(detail: ClaimDetail) -> str:
    claim = detail.claim
    badges = [_status(claim.status)]
    if claim.needs_review:
        badges.append(
            '<span class="badge stale" title="The claim changed after its last verdict">'
            "stale verdict</span>"
        )
    if claim.removed:
        badges.append('<span class="badge removed">removed</span>')
    if claim.reappeared:
        badges.append('<span class="badge reappeared">reappeared</span>')
    span = f"versions {claim.first_version}\u2013{claim.last_version}"
    if claim.first_version is None:
        span = "in no version"  # a claim row that names no version it was first seen in
    elif claim.first_version == claim.last_version:
        span = f"version {claim.first_version}"
    meta = [_e(claim.kind), span]
    if claim.source:
        meta.insert(1, f'claimant: <span dir="auto">{_e(claim.source)}</span>')
    parts = [
        f'<article class="claim card" id="claim-{claim.id}" data-status="{_e(claim.status)}">',
        f'<header><span class="cid">Claim {claim.id}</span> {" ".join(badges)}</header>',
        f'<blockquote dir="auto">{_e(claim.text)}</blockquote>',
        f'<p class="meta">{_DOT.join(meta)}</p>',
        "<h4>Lineage</h4>",
        _lineage(detail),
        "<h4>Verdicts</h4>",
        _verdicts(detail.reviews),
        "</article>",
    ]
    return "\n".join(parts)


def _lineage(detail: ClaimDetail) -> str:
    if not detail.occurrences and not detail.absences:
        return '<p class="empty">Not found in any version.</p>'
    keyed: list[tuple[int, str]] = []
    previous: OccurrenceView | None = None
    for occurrence in detail.occurrences:
        keyed.append((occurrence.version, _occurrence_row(occurrence, previous)))
        previous = occurrence
    keyed += [
        (absence.from_version, _absence_row(absence, removed=detail.is_removal(absence)))
        for absence in detail.absences
    ]
    # A run never starts on a version holding the claim, so no two keys tie.
    rows = [row for _, row in sorted(keyed, key=lambda pair: pair[0])]
    head = "<thead><tr><th>#</th><th>Last Update</th><th>change</th><th>wording</th></tr></thead>"
    return f'<table class="lineage stack">{head}<tbody>{"".join(rows)}</tbody></table>'


def _occurrence_row(occurrence: OccurrenceView, previous: OccurrenceView | None) -> str:
    change = _e(CHANGE_LABELS.get(occurrence.change, occurrence.change.replace("_", " ")))
    if occurrence.value_changes:
        values = ", ".join(
            f"{_e(old or _DASH)} \u2192 {_e(new or _DASH)}" for old, new in occurrence.value_changes
        )
        change += f'<br><span class="values">{values}</span>'
    # A source_changed row shows its sources as its pair already.
    if occurrence.source_change and occurrence.change != "source_changed":
        old, new = occurrence.source_change
        change += f'<br><span class="values">source: {_e(old)} \u2192 {_e(new)}</span>'
    if previous is not None and previous.text != occurrence.text:
        wording = ops_html(diff_words(previous.text, occurrence.text).ops)
    else:
        wording = _e(occurrence.text)
    return (
        f'<tr class="change-{_e(occurrence.change)}">'
        f'<td data-label="version" class="nowrap">#{occurrence.version}</td>'
        f'<td data-label="Last Update" class="nowrap">{_time(occurrence.updated_at)}</td>'
        f'<td data-label="change">{change}</td>'
        f'<td data-label="wording" dir="auto">{wording}</td></tr>'
    )


def _absence_row(absence: Absence, *, removed: bool) -> str:
    first, last = absence.from_version, absence.to_version
    versions = f"#{first}" if first == last else f"#{first}{_DASH}#{last}"
    wording = absence.wording(removal=removed, dash=_DASH)
    change = "removed" if removed else "absent"
    # No Last Update cell label: a run spans several versions, so it has no time of its own,
    # and a label would leave "Last Update:" with nothing after it on a phone.
    return (
        f'<tr class="change-{change}">'
        f'<td data-label="version" class="nowrap">{_e(versions)}</td>'
        "<td></td>"
        f'<td data-label="change">{_e(change)}</td>'
        f'<td data-label="wording">{_e(wording)}</td></tr>'
    )


def _verdicts(reviews: Sequence[ReviewView]) -> str:
    if not reviews:
        return '<p class="empty">No verdict yet.</p>'
    rows = []
    for review in reviews:
        stale = ' <span class="badge stale">stale</span>' if review.stale else ""
        sources = ""
        if review.sources:
            sources = (
                '<ul class="sources">'
                + "".join(f"<li>{_link(s)}</li>" for s in review.sources)
                + "</ul>"
            )
        version = f"#{review.version}" if review.version else _DASH
        rows.append(
            "<tr>"
            f'<td data-label="at" class="nowrap">{_time(review.at)}</td>'
            f'<td data-label="verdict">{_status(review.status)}{stale}</td>'
            f'<td data-label="by" dir="auto">{_e(review.reviewer)}</td>'
            f'<td data-label="version">{version}</td>'
            f'<td data-label="note" dir="auto">{_e(review.note)}{sources}</td>'
            "</tr>"
        )
    head = (
        "<thead><tr><th>at</th><th>verdict</th><th>by</th><th>version</th>"
        "<th>note and evidence</th></tr></thead>"
    )
    return f'<table class="verdicts stack">{head}<tbody>{"".join(rows)}</tbody></table>'


__all__ = ["CHANGE_LABELS", "render_report"]
