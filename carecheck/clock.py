"""The one clock: the current time, or SOURCE_DATE_EPOCH when it is set (reproducible builds and tests).

Generated dates and waiver expiry both read the time from here. The caller (the CLI) passes the
environment in, so the core stays free of `os.environ`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timezone

from carecheck.errors import UsageError


def now(environ: Mapping[str, str]) -> datetime:
    """The current UTC time, or the moment SOURCE_DATE_EPOCH names (whole seconds since 1970)."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(timezone.utc)
    try:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, not {epoch!r}") from None


def today(environ: Mapping[str, str]) -> date:
    """Today's date in UTC (or SOURCE_DATE_EPOCH's)."""
    return now(environ).date()
