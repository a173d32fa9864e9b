"""The local time zone (how times are written is tray.base.dates)."""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@cache
def local_zone() -> tzinfo:
    """The zone named by TZ, else the system's (tzlocal), else the current fixed offset."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        import tzlocal

        return tzlocal.get_localzone()
    except Exception:
        zone = datetime.now().astimezone().tzinfo
        assert zone is not None
        return zone
