"""The break engine's vocabulary: its rules, its state, the events it is fed, the effects it asks.

Pure data. Events are past tense (something happened), effects imperative (do this). All
instants are aware datetimes in UTC; all lengths are timedeltas; counts are ints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from tray.core.hours import ActiveHours

DEFAULT_SNOOZE = timedelta(minutes=10)
SNOOZE_RANGE = (timedelta(minutes=1), timedelta(minutes=120))
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


class Mode(StrEnum):
    """What the tray icon shows."""

    NORMAL = "normal"
    DUE = "due"
    SNOOZED = "snoozed"
    PAUSED = "paused"
    DONE = "done"


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
    guidance_per_day: int = 5
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


@dataclass(frozen=True)
class Refuse:
    """The request cannot be carried out; `reason` is for the person."""

    reason: str


Effect = ShowPrompt | StartRoutine | ClosePrompt | SaveRecord | SaveState | WakeAt | Refuse


# --- serialising state for the store -------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


# The days the engine can work with: what is read from the store or typed on the command line
# outside them is refused (the datetime arithmetic of a day's active hours needs room around it).
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(9998, 12, 31)
MOST = 2 ** 53  # the largest count or sequence number read back (JSON's exact integers)
MOST_SECONDS = 400 * 86400  # the longest length read back (a snooze is at most 2 hours)


def in_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def _instant(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError(f"an instant is an ISO 8601 text, got {_shown(value)}")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"instant without a time zone: {value!r}")
    try:
        instant = parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"instant out of range: {value!r}") from None
    if not in_range(instant.date()):
        raise ValueError(f"instant out of range: {value!r}")
    return instant


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 10:
        raise ValueError(f"a day is YYYY-MM-DD, got {_shown(value)}")
    day = date.fromisoformat(value)
    if not in_range(day):
        raise ValueError(f"day out of range: {value!r}")
    return day


def _int(value: Any, name: str, most: int = MOST) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
        raise ValueError(f"{name} must be a whole number from 0 to {most}, got {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, int) or abs(value) < 10 ** 30 else "a huge number"
    return text if len(text) <= 40 else text[:40] + "…"


def state_to_dict(state: State) -> dict[str, Any]:
    prompt = state.open
    return {
        "work_from": _iso(state.work_from),
        "deferred_to": _iso(state.deferred_to),
        "deferred_day": state.deferred_day and state.deferred_day.isoformat(),
        "is_paused": state.is_paused,
        "paused_until": _iso(state.paused_until),
        "away": sorted(state.away),
        "away_since": _iso(state.away_since),
        "is_away_a_break": state.is_away_a_break,
        "quiet": sorted(state.quiet),
        "held_since": _iso(state.held_since),
        "open": None if prompt is None else {
            "seq": prompt.seq,
            "kind": prompt.kind.value,
            "day": prompt.day.isoformat(),
            "first_shown_at": _iso(prompt.first_shown_at),
            "phase": prompt.phase.value,
            "shown_at": _iso(prompt.shown_at),
            "snoozes": prompt.snoozes,
            "snoozed_seconds": int(prompt.snoozed_for.total_seconds()),
            "snoozed_until": _iso(prompt.snoozed_until),
            "started_at": _iso(prompt.started_at),
        },
        "counts": [[c.day.isoformat(), c.prompts, c.completed] for c in state.counts],
        "seq": state.seq,
    }


def state_from_dict(data: Any) -> State:
    """Rebuild a State; raises ValueError (or KeyError/TypeError) naming what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"state must be an object, got {type(data).__name__}")
    raw = data.get("open")
    prompt = None
    if raw is not None:
        if not isinstance(raw, dict):
            raise ValueError("state.open must be an object")
        first_shown = _instant(raw["first_shown_at"])
        shown = _instant(raw["shown_at"])
        day = _day(raw["day"])
        if first_shown is None or shown is None or day is None:
            raise ValueError("state.open needs day, first_shown_at and shown_at")
        prompt = Prompt(
            seq=_int(raw["seq"], "open.seq"),
            kind=Kind(raw["kind"]),
            day=day,
            first_shown_at=first_shown,
            phase=Phase(raw["phase"]),
            shown_at=shown,
            snoozes=_int(raw.get("snoozes", 0), "open.snoozes", 1000),
            snoozed_for=timedelta(seconds=_int(raw.get("snoozed_seconds", 0),
                                               "open.snoozed_seconds", MOST_SECONDS)),
            snoozed_until=_instant(raw.get("snoozed_until")),
            started_at=_instant(raw.get("started_at")),
        )
        if prompt.phase is Phase.SNOOZED and prompt.snoozed_until is None:
            raise ValueError("state.open is snoozed but says not until when")
    counts = []
    for item in data.get("counts", []):
        if not isinstance(item, list) or len(item) != 3:
            raise ValueError(f"state.counts entries are [day, prompts, completed], got {item!r}")
        day = _day(item[0])
        if day is None:
            raise ValueError(f"state.counts entries start with a day, got {_shown(item)}")
        counts.append(DayCount(day, _int(item[1], "prompts"), _int(item[2], "completed")))
    away = data.get("away", [])
    if not isinstance(away, list):
        raise ValueError("state.away must be a list")
    is_paused = data.get("is_paused", False)
    is_break = data.get("is_away_a_break", False)
    if not isinstance(is_paused, bool) or not isinstance(is_break, bool):
        raise ValueError("state.is_paused and state.is_away_a_break must be true or false")
    return State(
        work_from=_instant(data.get("work_from")),
        deferred_to=_instant(data.get("deferred_to")),
        deferred_day=_day(data.get("deferred_day")),
        is_paused=is_paused,
        paused_until=_instant(data.get("paused_until")),
        away=frozenset(Away(a) for a in away),
        away_since=_instant(data.get("away_since")),
        is_away_a_break=is_break,
        quiet=_reasons(data.get("quiet", [])),
        held_since=_instant(data.get("held_since")),
        open=prompt,
        counts=tuple(counts),
        seq=_int(data.get("seq", 0), "seq"),
    )


def _reasons(value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(q, str) and len(q) <= 40
                                              for q in value):
        raise ValueError("state.quiet must be a list of short texts")
    return frozenset(value)


def record_to_dict(record: Record) -> dict[str, Any]:
    return {
        "seq": record.seq,
        "kind": record.kind.value,
        "day": record.day.isoformat(),
        "shown_at": _iso(record.shown_at),
        "started_at": _iso(record.started_at),
        "ended_at": _iso(record.ended_at),
        "outcome": record.outcome and record.outcome.value,
        "step": record.step,
        "snoozes": record.snoozes,
        "snoozed_seconds": int(record.snoozed_for.total_seconds()),
    }


def record_from_dict(data: Any) -> Record:
    if not isinstance(data, dict):
        raise ValueError(f"a record must be an object, got {type(data).__name__}")
    day = _day(data["day"])
    shown = _instant(data["shown_at"])
    if day is None or shown is None:
        raise ValueError("a record needs day and shown_at")
    outcome = data.get("outcome")
    step = data.get("step")
    return Record(
        seq=_int(data["seq"], "seq"),
        kind=Kind(data["kind"]),
        day=day,
        shown_at=shown,
        started_at=_instant(data.get("started_at")),
        ended_at=_instant(data.get("ended_at")),
        outcome=None if outcome is None else Outcome(outcome),
        step=None if step is None else _int(step, "step", 1000),
        snoozes=_int(data.get("snoozes", 0), "snoozes", 1000),
        snoozed_for=timedelta(seconds=_int(data.get("snoozed_seconds", 0), "snoozed_seconds",
                                           MOST_SECONDS)),
    )
