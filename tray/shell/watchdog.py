"""The clock watchdog: a tick once a minute that notices a sleep or a change of the wall clock.

APScheduler waits on the monotonic clock, which stops while Linux and macOS sleep, and it does
not wake up on resume. So the tray ticks once a minute and compares each tick with the last one:
a tick that arrives far later than planned by the wall clock means the machine slept (or the
clock was set forward); a tick earlier than the wall clock allows means the clock was set back.
On Linux CLOCK_BOOTTIME, which keeps counting through a suspend, tells a sleep from a change.

`classify` is pure; `sample` reads the clocks (the one seam the tests replace).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

PERIOD = timedelta(minutes=1)
TOLERANCE = timedelta(seconds=30)  # scheduling jitter and small NTP steps are not events


@dataclass(frozen=True)
class TickSample:
    wall: datetime          # aware, UTC
    monotonic: float        # seconds; stops during sleep on Linux and macOS
    boottime: float | None  # seconds; counts through sleep (Linux only)


@dataclass(frozen=True)
class Slept:
    since: datetime
    until: datetime


@dataclass(frozen=True)
class ClockSet:
    by: timedelta


def sample() -> TickSample:
    boot = None
    if hasattr(time, "CLOCK_BOOTTIME"):
        boot = time.clock_gettime(time.CLOCK_BOOTTIME)
    return TickSample(datetime.now(UTC), time.monotonic(), boot)


def classify(previous: TickSample, current: TickSample,
             period: timedelta = PERIOD) -> Slept | ClockSet | None:
    """What happened between two ticks planned `period` apart, if anything worth telling."""
    wall = current.wall - previous.wall
    ran = timedelta(seconds=current.monotonic - previous.monotonic)  # time the process ran
    if current.boottime is not None and previous.boottime is not None:
        passed = timedelta(seconds=current.boottime - previous.boottime)  # incl. any sleep
        change = wall - passed
        if abs(change) > TOLERANCE:
            return ClockSet(change)
        if passed - ran > TOLERANCE:
            return Slept(previous.wall, current.wall)
        return None
    # Without a boot clock (Windows, macOS) compare ticks: a tick far later than planned by
    # the wall clock is a sleep (Windows' monotonic clock runs on through it, macOS' stops);
    # a wall clock that moved less than the process ran was set back.
    if wall < ran - TOLERANCE:
        return ClockSet(wall - ran)
    if wall > period + TOLERANCE:
        return Slept(previous.wall, current.wall)
    return None
