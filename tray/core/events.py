"""What the break engine is fed and what it asks for: events in, effects out.

Events are past tense (something happened), effects imperative (do this). `Event` and `Effect`
are the unions the engine takes and returns. All instants are aware datetimes in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from tray.core.model import DEFAULT_SNOOZE, Away, DayCount, Outcome, Record, State

# --- events (past tense) -------------------------------------------------------------------


@dataclass(frozen=True)
class Ticked:
    """A wake-up: the engine works out what is due from its state."""


@dataclass(frozen=True)
class TrayStarted:
    """The tray process started. `last_alive_at`: when the previous run was last seen alive."""

    last_alive_at: datetime | None
    recorded: tuple[DayCount, ...] = ()  # counts read from the store's records


@dataclass(frozen=True)
class StartRequested:
    """'Start a session now' from the menu or the command line."""


@dataclass(frozen=True)
class RoutineStarted:
    """Start was pressed on the prompt card."""

    seq: int


@dataclass(frozen=True)
class PromptEnded:
    seq: int
    outcome: Outcome
    step: int | None = None


@dataclass(frozen=True)
class SnoozeRequested:
    """Snooze the open prompt, or with none open move the next break later."""

    snooze_for: timedelta = DEFAULT_SNOOZE
    seq: int | None = None


@dataclass(frozen=True)
class SkipRequested:
    """Skip the open prompt, or with none open the next break."""

    seq: int | None = None


@dataclass(frozen=True)
class PauseRequested:
    """Pause for a duration, until the next active period, or (neither) until resumed."""

    pause_for: timedelta | None = None
    until_next_period: bool = False


@dataclass(frozen=True)
class ResumeRequested:
    pass


@dataclass(frozen=True)
class AwayStarted:
    reason: Away
    since: datetime


@dataclass(frozen=True)
class AwayEnded:
    reason: Away


@dataclass(frozen=True)
class QuietStarted:
    """Do not disturb: a reason to hold prompts began (a fullscreen window, a call...)."""

    reason: str


@dataclass(frozen=True)
class QuietEnded:
    reason: str


@dataclass(frozen=True)
class ClockChanged:
    """The wall clock was set by `by` (not a sleep: the watchdog tells the two apart)."""

    by: timedelta


Event = (Ticked | TrayStarted | StartRequested | RoutineStarted | PromptEnded | SnoozeRequested
         | QuietStarted | QuietEnded
         | SkipRequested | PauseRequested | ResumeRequested | AwayStarted | AwayEnded
         | ClockChanged)


# --- effects (imperative) ------------------------------------------------------------------


@dataclass(frozen=True)
class ShowPrompt:
    """Put up the prompt card and send one notification (again after a snooze)."""

    seq: int
    can_snooze: bool
    is_again: bool
    is_quiet: bool = False  # held too long: a notification only, no card


@dataclass(frozen=True)
class StartRoutine:
    """Open the guided routine window for this prompt or session."""

    seq: int


@dataclass(frozen=True)
class ClosePrompt:
    """Close the card or window of a prompt that ended from elsewhere (skip, pause)."""

    seq: int


@dataclass(frozen=True)
class SaveRecord:
    record: Record


@dataclass(frozen=True)
class SaveState:
    state: State


@dataclass(frozen=True)
class WakeAt:
    when: datetime | None  # None: nothing to do until an event comes


class Why(StrEnum):
    """Why a request cannot be carried out (the words are tray.base.words.refusal)."""

    NOT_OPEN = "not open"  # that prompt is no longer open
    ON_SCREEN = "on screen"  # a session is on screen: stop it there
    NOT_PAUSED = "not paused"
    SNOOZE_RANGE = "snooze range"  # a snooze is 1 to 120 minutes; `number`: the minutes asked
    RUNNING_SNOOZE = "running snooze"  # a session on screen cannot be snoozed
    SNOOZED_ENOUGH = "snoozed enough"  # `number`: the snoozes so far
    PAUSED = "paused"  # no break is planned while paused
    ZERO_PAUSE = "zero pause"  # a pause must last longer than zero minutes


@dataclass(frozen=True)
class Refuse:
    """The request cannot be carried out, and why (with the number the words need)."""

    why: Why
    number: float | None = None


Effect = ShowPrompt | StartRoutine | ClosePrompt | SaveRecord | SaveState | WakeAt | Refuse
