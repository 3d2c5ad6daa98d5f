"""How factcheck writes times: ISO 8601 in UTC with a ``Z`` suffix.

Kept apart from ``factcheck.parse.dates`` (the tolerant reader), whose patterns cost tens
of milliseconds to compile: every listing writes times, but only ingest reads them.
"""

from __future__ import annotations

from datetime import UTC, datetime


def format_utc(dt: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix: ``2025-05-25T17:11:00Z``.

    Seconds are always present; a fraction only when the time has one. Naive datetimes are
    refused because their meaning depends on the machine's zone.
    """
    if dt.utcoffset() is None:
        raise ValueError("format_utc needs a timezone-aware datetime")
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")
