"""The JSON form of an ``ArticleDiff``, for scripts and other tools.

Schema (keys are stable; ops use diff-match-patch's codes: -1 deleted, 0 kept, 1 inserted)::

    {
      "article": "marrowby-floods-2025",
      "from": {"number": 1, "updated_at": "2025-05-25T17:11:00+00:00"},   # or null
      "to":   {"number": 2, "updated_at": "2025-05-25T21:48:00+00:00"},
      "stealth": false,             # text changed, Last Update did not
      "fields": {"title": [[-1, "old words"], [1, "new words"], [0, "..."]], ...},
      "paragraphs": [
        {"status": "same" | "changed" | "added" | "removed" | "moved",
         "ops": [[0, "text"]],
         "old_index": 0,            # 0-based position in the old body, null when added
         "new_index": 0}            # 0-based position in the new body, null when removed
      ],
      "stats": {"words_added": 0, "words_removed": 0, "paragraphs_added": 0,
                "paragraphs_removed": 0, "paragraphs_changed": 0, "paragraphs_moved": 0,
                "fields_changed": ["title"], "trivial": false},
      "timed_out": false,
      "rewrite": false
    }

``fields`` holds only the fields that changed (names: title, standfirst, read_time, caption
with its credit, published, updated). ``paragraphs`` lists every paragraph in reading order,
so joining the 0/-1 texts of the entries with an ``old_index``, sorted by it, rebuilds the
old body (likewise 0/1 and ``new_index`` for the new one). Non-ASCII text is written as is.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from factcheck.diff import ArticleDiff, Ops
from factcheck.render import DiffHeader


def _ops(ops: Ops) -> list[list[Any]]:
    return [[code, text] for code, text in ops]


def diff_document(diff: ArticleDiff, header: DiffHeader) -> dict[str, Any]:
    """The JSON document as plain Python values."""
    stats = asdict(diff.stats)
    stats["fields_changed"] = list(diff.stats.fields_changed)
    return {
        "article": header.article,
        "from": {"number": header.from_number, "updated_at": header.from_updated_at},
        "to": {"number": header.to_number, "updated_at": header.to_updated_at},
        "stealth": header.stealth,
        "fields": {name: _ops(ops) for name, ops in diff.fields.items()},
        "paragraphs": [
            {
                "status": p.status,
                "ops": _ops(p.ops),
                "old_index": p.old_index,
                "new_index": p.new_index,
            }
            for p in diff.paragraphs
        ],
        "stats": stats,
        "timed_out": diff.timed_out,
        "rewrite": diff.rewrite,
    }


def render_json(diff: ArticleDiff, header: DiffHeader) -> str:
    """The JSON document, indented, ending with a newline."""
    return json.dumps(diff_document(diff, header), ensure_ascii=False, indent=2) + "\n"


__all__ = ["diff_document", "render_json"]
