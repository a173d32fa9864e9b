"""How times and dates are written for a person: in the language of the text around them
(Pointbreak's own month and weekday names, not the C library's, which follow LC_TIME and would
mix languages, "Next break at Donnerstag 15:00") and on the locale's 12- or 24-hour clock."""

from __future__ import annotations

import contextlib
import locale
import time
from datetime import date, datetime, tzinfo
from functools import cache

from tray.base import i18n
from tray.base.i18n import pgettext


def use_locale() -> None:
    """Follow the person's locale for the clock (called once by each entry point)."""
    with contextlib.suppress(locale.Error):
        locale.setlocale(locale.LC_TIME, "")
    _locale_uses_12_hour.cache_clear()


@cache
def _locale_uses_12_hour() -> bool:
    try:
        pattern = locale.nl_langinfo(locale.T_FMT)
    except AttributeError:  # Windows: look at how the locale writes 15:00
        sample = time.strftime("%X", (2000, 1, 1, 15, 0, 0, 5, 1, 0))
        return "15" not in sample
    return any(code in pattern for code in ("%I", "%l", "%p", "%r"))


def _locale_language() -> str | None:
    name = locale.setlocale(locale.LC_TIME)  # what use_locale chose, "C" before it
    return i18n.from_environment({"LANG": name})


def uses_12_hour() -> bool:
    """The locale's clock (en_US 12-hour, en_GB and C 24-hour), unless the locale is of another
    language than the one shown: then that language's own, English 12-hour, German and Spanish
    24-hour (German text under en_US reads "15:00", not "3:00 PM")."""
    shown, of_locale = i18n.language(), _locale_language()
    if shown == i18n.PSEUDO or of_locale in (None, shown):
        return _locale_uses_12_hour()
    return shown == "en"


def time_of_day(hour: int, minute: int) -> str:
    """"15:30", or on a 12-hour clock "3:30 PM"."""
    if not uses_12_hour():
        return f"{hour:02d}:{minute:02d}"
    text = f"{(hour - 1) % 12 + 1}:{minute:02d}"
    return (pgettext("clock", "{time} AM") if hour < 12
            else pgettext("clock", "{time} PM")).format(time=text)


def clock(instant: datetime, zone: tzinfo | None = None, *, with_zone: bool = False) -> str:
    """The time of day in `zone` (None: the system's); `with_zone` adds "CET" to tell a repeated
    hour apart."""
    local = instant.astimezone(zone)
    text = time_of_day(local.hour, local.minute)
    return f"{text} {local.tzname()}" if with_zone else text


# Written out so the extractor finds each name; looked up when shown, in the language then.
def _weekdays() -> tuple[str, ...]:
    return (pgettext("weekday", "Monday"), pgettext("weekday", "Tuesday"),
            pgettext("weekday", "Wednesday"), pgettext("weekday", "Thursday"),
            pgettext("weekday", "Friday"), pgettext("weekday", "Saturday"),
            pgettext("weekday", "Sunday"))


def _weekdays_short() -> tuple[str, ...]:
    return (pgettext("weekday short", "Mon"), pgettext("weekday short", "Tue"),
            pgettext("weekday short", "Wed"), pgettext("weekday short", "Thu"),
            pgettext("weekday short", "Fri"), pgettext("weekday short", "Sat"),
            pgettext("weekday short", "Sun"))


def _months() -> tuple[str, ...]:
    return (pgettext("month", "January"), pgettext("month", "February"),
            pgettext("month", "March"), pgettext("month", "April"), pgettext("month", "May"),
            pgettext("month", "June"), pgettext("month", "July"), pgettext("month", "August"),
            pgettext("month", "September"), pgettext("month", "October"),
            pgettext("month", "November"), pgettext("month", "December"))


def _months_short() -> tuple[str, ...]:
    return (pgettext("month short", "Jan"), pgettext("month short", "Feb"),
            pgettext("month short", "Mar"), pgettext("month short", "Apr"),
            pgettext("month short", "May"), pgettext("month short", "Jun"),
            pgettext("month short", "Jul"), pgettext("month short", "Aug"),
            pgettext("month short", "Sep"), pgettext("month short", "Oct"),
            pgettext("month short", "Nov"), pgettext("month short", "Dec"))


def weekday_name(day: date) -> str:
    """"Thursday", "Donnerstag", "jueves"."""
    return _weekdays()[day.weekday()]


def weekday(day: date) -> str:
    """"Thu", "Do", "jue"."""
    return _weekdays_short()[day.weekday()]


def month_name(day: date) -> str:
    return _months()[day.month - 1]


def short_month_name(day: date) -> str:
    return _months_short()[day.month - 1]


def day_month(day: date, *, short: bool = False) -> str:
    """"December 3", "3. Dezember", "3 de diciembre" (short: "Dec 3", "3. Dez.", "3 dic")."""
    if short:
        return pgettext("date", "{month_short} {day}").format(
            month_short=short_month_name(day), day=day.day)
    return pgettext("date", "{month} {day}").format(month=month_name(day), day=day.day)


def full_date(day: date) -> str:
    """"December 3, 2026", "3. Dezember 2026", "3 de diciembre de 2026"."""
    return pgettext("date", "{month} {day}, {year}").format(
        month=month_name(day), day=day.day, year=day.year)


def day_and_clock(instant: datetime, now: datetime, zone: tzinfo | None = None, *,
                  today: str = "{time}", this_week: str = "{weekday} {time}",
                  later: str = "{date} {time}") -> str:
    """One of three sentences (translated by the caller) with the clock alone for today, the
    weekday within a week, else the date: "Next break at 3:00 PM", "... on Thursday at 3:00 PM",
    "... on December 24 at 3:00 PM"."""
    local = instant.astimezone(zone)
    days = (local.date() - now.astimezone(zone).date()).days
    time_ = clock(instant, zone)
    if days == 0:
        return today.format(time=time_)
    if 0 < days < 7:
        return this_week.format(weekday=weekday_name(local.date()), time=time_)
    return later.format(date=day_month(local.date()), time=time_)
