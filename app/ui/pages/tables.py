"""Shared bits of the list pages (the pages themselves moved to their own modules)."""

from __future__ import annotations

import datetime as dt

from app.ui.pages.people import PEOPLE_COLUMNS  # noqa: F401  (moved; still imported from here)

C = "Column"  # translation context shared with PagedQueryModel


def local_time(at: dt.datetime | None) -> str:
    """Stored UTC (naive) shown in the computer's local time."""
    if at is None:
        return ""
    return at.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")
