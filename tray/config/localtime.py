"""The local time zone and how times are written for a person (12- or 24-hour, by locale)."""

from __future__ import annotations

import contextlib
import locale
import os
import time
from datetime import date, datetime, tzinfo
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


def use_locale() -> None:
    """Follow the person's locale for times (called once by each entry point)."""
    with contextlib.suppress(locale.Error):
        locale.setlocale(locale.LC_TIME, "")
    _uses_12_hour.cache_clear()


@cache
def _uses_12_hour() -> bool:
    try:
        pattern = locale.nl_langinfo(locale.T_FMT)
    except AttributeError:  # Windows: look at how the locale writes 15:00
        sample = time.strftime("%X", (2000, 1, 1, 15, 0, 0, 5, 1, 0))
        return "15" not in sample
    return any(code in pattern for code in ("%I", "%l", "%p", "%r"))


def clock(instant: datetime, zone: tzinfo | None = None, *, with_zone: bool = False) -> str:
    """'15:30' or '3:30 PM', in the local zone; `with_zone` adds 'CET' to tell a repeated hour."""
    local = instant.astimezone(zone or local_zone())
    text = local.strftime("%I:%M %p").lstrip("0") if _uses_12_hour() else local.strftime("%H:%M")
    return f"{text} {local.tzname()}" if with_zone else text


def day_and_clock(instant: datetime, now: datetime, zone: tzinfo | None = None) -> str:
    """The clock alone for today, else with the weekday (and the date beyond a week)."""
    zone = zone or local_zone()
    local = instant.astimezone(zone)
    today = now.astimezone(zone).date()
    if local.date() == today:
        return clock(instant, zone)
    if 0 < (local.date() - today).days < 7:
        return f"{local:%A} {clock(instant, zone)}"
    return f"{local.date().isoformat()} {clock(instant, zone)}"


def weekday(day: date) -> str:
    return day.strftime("%a")
