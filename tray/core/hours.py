"""Active hours: the local-time windows inside which work counts and prompts may come.

Pure: every function takes the instant it reasons about. All instants are aware datetimes;
arithmetic on them is done in UTC so that a DST change never stretches or shrinks an interval,
while the edges of a period are local wall-clock times (09:00 stays 09:00 all year).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LOOKAHEAD_DAYS = 8


@dataclass(frozen=True)
class ActiveHours:
    """When the person works: `start`, `end` are offsets from local midnight (end up to 24 h)."""

    start: timedelta = timedelta(hours=9)
    end: timedelta = timedelta(hours=18)
    days: frozenset[int] = frozenset(range(5))  # 0 = Monday

    def __post_init__(self) -> None:
        if not timedelta(0) <= self.start < self.end <= timedelta(hours=24):
            raise ValueError(f"active hours must satisfy 00:00 <= start < end <= 24:00, got "
                             f"{format_offset(self.start)}-{format_offset(self.end)}")
        if not self.days or not self.days <= set(range(7)):
            raise ValueError("active days must be a non-empty set of weekdays 0-6")


@dataclass(frozen=True)
class Period:
    """One day's active window, as UTC instants, and the local date it belongs to."""

    day: date
    start: datetime
    end: datetime

    def contains(self, now: datetime) -> bool:
        return self.start <= now < self.end


def format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def local_day(now: datetime, zone: tzinfo) -> date:
    """The local calendar day of an instant."""
    return now.astimezone(zone).date()


def local_wall(day: date, offset: timedelta, zone: tzinfo) -> datetime:
    """The UTC instant of the local wall-clock time `offset` after midnight of `day`.

    A wall time that does not exist (the spring-forward gap) is moved forward by the gap's
    length (02:30 becomes 03:30); one that exists twice (the autumn fold) is its first occurrence.
    """
    whole_days, rest = divmod(offset, timedelta(days=1))
    naive = datetime.combine(day + timedelta(days=whole_days), time()) + rest
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def period_of(day: date, hours: ActiveHours, zone: tzinfo) -> Period | None:
    """The active period of a local day, or None if the day is not an active day."""
    if day.weekday() not in hours.days:
        return None
    return Period(day, local_wall(day, hours.start, zone), local_wall(day, hours.end, zone))


def current_or_next_period(now: datetime, hours: ActiveHours, zone: tzinfo) -> Period:
    """The period containing `now`, or else the first one that starts after it."""
    return next(periods_from(now, hours, zone))


def periods_from(now: datetime, hours: ActiveHours, zone: tzinfo) -> Iterator[Period]:
    """Yield the periods that end after `now`, in order, without end."""
    day = local_day(now, zone) - timedelta(days=1)  # a period of yesterday may end after midnight
    empty_days = 0
    while True:
        period = period_of(day, hours, zone)
        if period is not None and period.end > now:
            empty_days = 0
            yield period
        else:
            empty_days += 1
            if empty_days > LOOKAHEAD_DAYS + 1:  # pragma: no cover - days is never empty
                raise RuntimeError("no active period within a week")
        day += timedelta(days=1)
