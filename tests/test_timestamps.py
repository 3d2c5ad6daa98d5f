from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from factcheck.timestamps import format_utc

SEED_UPDATED = datetime(2025, 5, 25, 17, 11, tzinfo=UTC)


def test_format_utc() -> None:
    assert format_utc(SEED_UPDATED) == "2025-05-25T17:11:00Z"
    gaza = datetime(2025, 5, 25, 20, 11, tzinfo=ZoneInfo("Asia/Gaza"))
    assert format_utc(gaza) == "2025-05-25T17:11:00Z"
    assert format_utc(datetime(2025, 5, 25, 17, 11, 0, 250000, tzinfo=UTC)) == (
        "2025-05-25T17:11:00.250000Z"
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        format_utc(datetime(2025, 5, 25, 17, 11))
