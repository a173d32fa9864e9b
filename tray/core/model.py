"""The break engine's vocabulary: its rules, its state, the prompts and their records.

Pure data: the outcomes, kinds, phases and modes; `Rules`, `State` (with its `Prompt` and
`DayCount`s) and the `Record` of a prompt. All instants are aware datetimes in UTC; all lengths
are timedeltas; counts are ints. What goes in and out of the engine is in `tray.core.events`,
how state and records become plain dicts in `tray.core.codec`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from tray.core.hours import ActiveHours
from tray.core.modes import DEFAULT_SNOOZE as DEFAULT_SNOOZE  # modes.py's, re-exported
from tray.core.modes import GUIDANCE_PER_DAY
from tray.core.modes import SNOOZE_RANGE as SNOOZE_RANGE
from tray.core.modes import Mode as Mode

RECENT_DAYS_KEPT = 14  # days whose counts the engine keeps, most recently counted first


class Outcome(StrEnum):
    """How a prompt or a session ended: one list for the store, the window and the command line."""

    COMPLETED = "completed"
    STOPPED_EARLY = "stopped_early"
    SKIPPED = "skipped"
    IGNORED = "ignored"
    FAILED = "failed"


class Kind(StrEnum):
    PROMPT = "prompt"    # offered by the engine; counts against the daily cap
    SESSION = "session"  # started on demand; never counts as a prompt


class Phase(StrEnum):
    SHOWING = "showing"  # the prompt card (and its notification) is up
    RUNNING = "running"  # the guided routine is on screen
    SNOOZED = "snoozed"  # will be shown again at `snoozed_until`


class Away(StrEnum):
    IDLE = "idle"
    LOCKED = "locked"
    ASLEEP = "asleep"


class AfterSleep(StrEnum):
    BREAK = "break"        # a sleep is a natural break
    CONTINUE = "continue"  # a sleep counts as work time


@dataclass(frozen=True)
class Rules:
    """The engine's settings, already validated."""

    zone: tzinfo
    interval: timedelta = timedelta(minutes=90)
    hours: ActiveHours = field(default_factory=ActiveHours)
    daily_cap: int = 5
    routine_length: timedelta = timedelta(minutes=6)
    after_sleep: AfterSleep = AfterSleep.BREAK
    away_after: timedelta = timedelta(minutes=5)
    card_timeout: timedelta = timedelta(minutes=5)
    max_snoozes: int = 3
    guidance_per_day: int = GUIDANCE_PER_DAY
    hold_limit: timedelta = timedelta(minutes=30)  # a held prompt then comes as a notification

    def __post_init__(self) -> None:
        if not 1 <= self.daily_cap <= self.guidance_per_day:
            raise ValueError(f"daily_cap must be 1 to {self.guidance_per_day}, "
                             f"got {self.daily_cap}")
        if self.interval <= timedelta(0):
            raise ValueError("interval must be positive")

    @property
    def routine_deadline(self) -> timedelta:
        """How long a started routine may go unreported before the engine calls it failed."""
        return 2 * self.routine_length + timedelta(minutes=15)


@dataclass(frozen=True)
class Prompt:
    """The one prompt or session that is open, if any."""

    seq: int
    kind: Kind
    day: date
    first_shown_at: datetime
    phase: Phase
    shown_at: datetime  # when the card was last put up (the 5-minute clock runs from here)
    snoozes: int = 0
    snoozed_for: timedelta = timedelta(0)
    snoozed_until: datetime | None = None
    started_at: datetime | None = None


@dataclass(frozen=True)
class DayCount:
    day: date
    prompts: int = 0
    completed: int = 0


@dataclass(frozen=True)
class State:
    """Everything the engine remembers; saved after every change and restored on start."""

    work_from: datetime | None = None
    deferred_to: datetime | None = None   # the next break, moved by a snooze or skip of it
    deferred_day: date | None = None      # ...in that day's active period: none comes before it
    is_paused: bool = False
    paused_until: datetime | None = None  # None while paused means until resumed
    away: frozenset[Away] = frozenset()
    away_since: datetime | None = None
    is_away_a_break: bool = False
    quiet: frozenset[str] = frozenset()  # why prompts are held: "fullscreen", ...
    held_since: datetime | None = None   # when a due prompt was first held
    open: Prompt | None = None
    counts: tuple[DayCount, ...] = ()
    seq: int = 0

    def count_for(self, day: date) -> DayCount:
        return next((c for c in self.counts if c.day == day), DayCount(day))


@dataclass(frozen=True)
class Record:
    """What the store keeps of one prompt or session."""

    seq: int
    kind: Kind
    day: date
    shown_at: datetime
    ended_at: datetime | None = None
    outcome: Outcome | None = None
    step: int | None = None
    started_at: datetime | None = None
    snoozes: int = 0
    snoozed_for: timedelta = timedelta(0)
