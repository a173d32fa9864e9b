"""The break engine: the rules of DESIGN.md as one pure function.

    decision = handle(state, event, now, rules)

`handle` never reads the clock, sleeps, or touches the disk or a GUI; it is given `now` (an aware
datetime) and returns the new state and the effects the shell must carry out. It is
level-triggered: after every event it works out from the state alone what is due at `now`, so a
late wake, a sleep or a clock change heals on the next call. Its last effect is always
`WakeAt(when)`, the next instant at which something would change without a new event.

Not thread-safe by design: the shell owns one thread that calls it (tray.shell.runner).

Here: `handle`, its `Decision`, the per-event steps, and `status` (what the menu shows). What
falls due, and when, is worked out in `tray.core.schedule`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TypeVar

from tray.core import modes
from tray.core.events import (
    AwayEnded,
    AwayStarted,
    ClockChanged,
    ClosePrompt,
    Effect,
    Event,
    PauseRequested,
    PromptEnded,
    QuietEnded,
    QuietStarted,
    Refuse,
    ResumeRequested,
    RoutineStarted,
    SaveRecord,
    SaveState,
    ShowPrompt,
    SkipRequested,
    SnoozeRequested,
    StartRequested,
    StartRoutine,
    Ticked,
    TrayStarted,
    WakeAt,
    Why,
)
from tray.core.hours import current_or_next_period, local_day, periods_from
from tray.core.model import (
    SNOOZE_RANGE,
    AfterSleep,
    Away,
    DayCount,
    Kind,
    Mode,
    Outcome,
    Phase,
    Prompt,
    Rules,
    State,
)
from tray.core.schedule import (
    end_prompt,
    next_due,
    next_wake,
    record_of,
    set_count,
    settle,
    unpause,
)

E = TypeVar("E")


@dataclass(frozen=True)
class Decision:
    state: State
    effects: tuple[Effect, ...]

    @property
    def wake_at(self) -> datetime | None:
        wake = self.effects[-1]
        assert isinstance(wake, WakeAt)
        return wake.when

    def of_type(self, kind: type[E]) -> list[E]:
        return [e for e in self.effects if isinstance(e, kind)]


@dataclass(frozen=True)
class Status:
    """What the menu, the icon, the tooltip and `pointbreak status` show."""

    mode: Mode
    next_break_at: datetime | None
    today: DayCount
    daily_cap: int
    paused_until: datetime | None
    is_paused: bool
    snoozed_until: datetime | None
    open_phase: Phase | None
    is_away: bool
    held_because: tuple[str, ...] = ()
    held_until: datetime | None = None  # then it comes as a notification only

    @property
    def is_past_guidance(self) -> bool:
        return self.today.completed >= self.daily_cap


def handle(state: State, event: Event, now: datetime, rules: Rules) -> Decision:
    """Apply one event at `now`, then do whatever has fallen due. Pure."""
    effects: list[Effect] = []
    new = _apply(state, event, now, rules, effects)
    new = settle(new, now, rules, effects)
    if new != state:
        effects.append(SaveState(new))
    effects.append(WakeAt(next_wake(new, now, rules)))
    return Decision(new, tuple(effects))


# --- events --------------------------------------------------------------------------------


def _apply(state: State, event: Event, now: datetime, rules: Rules,
           effects: list[Effect]) -> State:
    match event:
        case Ticked():
            return state
        case TrayStarted(last_alive_at=last_alive_at, recorded=recorded):
            return _tray_started(state, last_alive_at, recorded, now, rules, effects)
        case StartRequested():
            return _start_now(state, now, rules, effects)
        case RoutineStarted(seq=seq):
            prompt = state.open
            if prompt is None or prompt.seq != seq:
                effects.append(Refuse(Why.NOT_OPEN))
                return state
            if prompt.phase is Phase.RUNNING:
                return state
            started = replace(prompt, phase=Phase.RUNNING, started_at=now, snoozed_until=None)
            effects.append(SaveRecord(record_of(started)))
            return replace(state, open=started)
        case PromptEnded(seq=seq, outcome=outcome, step=step):
            if state.open is None or state.open.seq != seq:
                effects.append(Refuse(Why.NOT_OPEN))
                return state
            return end_prompt(state, now, outcome, effects, step=step)
        case SnoozeRequested(snooze_for=snooze_for, seq=seq):
            return _snooze(state, snooze_for, seq, now, rules, effects)
        case SkipRequested(seq=seq):
            if state.open is not None and seq in (None, state.open.seq):
                if state.open.phase is Phase.RUNNING:
                    effects.append(Refuse(Why.ON_SCREEN))
                    return state
                return end_prompt(state, now, Outcome.SKIPPED, effects, close=True)
            if seq is not None:
                effects.append(Refuse(Why.NOT_OPEN))
                return state
            return _defer_next(state, rules.interval, now, rules, effects)
        case PauseRequested(pause_for=pause_for, until_next_period=until_next):
            return _pause(state, pause_for, until_next, now, rules, effects)
        case ResumeRequested():
            if not state.is_paused:
                effects.append(Refuse(Why.NOT_PAUSED))
                return state
            return unpause(state, now)
        case AwayStarted(reason=reason, since=since):
            since = min(since, now)
            counts_as_break = reason is not Away.ASLEEP or rules.after_sleep is AfterSleep.BREAK
            return replace(
                state,
                away=state.away | {reason},
                away_since=since if state.away_since is None else min(state.away_since, since),
                is_away_a_break=state.is_away_a_break or counts_as_break,
            )
        case AwayEnded(reason=reason):
            if reason not in state.away:
                return state
            return _returned(replace(state, away=state.away - {reason}), now, rules, effects)
        case ClockChanged(by=by):
            return _shift(state, by, now, rules)
        case QuietStarted(reason=reason):
            return replace(state, quiet=state.quiet | {reason})
        case QuietEnded(reason=reason):
            return replace(state, quiet=state.quiet - {reason})
    raise TypeError(f"not an engine event: {event!r}")  # pragma: no cover


def _tray_started(state: State, last_alive_at: datetime | None, recorded: tuple[DayCount, ...],
                  now: datetime, rules: Rules, effects: list[Effect]) -> State:
    state = with_recorded(state, recorded)
    # A gap we cannot measure (first start, or the clock went back meanwhile) counts as long.
    is_quick = last_alive_at is not None and timedelta(0) <= now - last_alive_at < rules.away_after
    prompt = state.open
    if is_quick:
        # A quick restart resumes everything as it was; the lost window comes back. Being away
        # is forgotten: the new process's watchers report what they see now.
        if prompt is not None and prompt.phase is Phase.SHOWING:
            effects.append(ShowPrompt(prompt.seq, prompt.snoozes < rules.max_snoozes, True))
        elif prompt is not None and prompt.phase is Phase.RUNNING:
            effects.append(StartRoutine(prompt.seq))
        return replace(state, work_from=state.work_from or now, away=frozenset(),
                       away_since=None, is_away_a_break=False)
    # A gap of `away_after` or more while nothing ran is a natural break.
    if prompt is not None:
        outcome = Outcome.FAILED if prompt.phase is Phase.RUNNING else Outcome.IGNORED
        state = end_prompt(state, now, outcome, effects)
    return replace(state, work_from=now, deferred_to=None, deferred_day=None, away=frozenset(),
                   away_since=None, is_away_a_break=False)


def _start_now(state: State, now: datetime, rules: Rules, effects: list[Effect]) -> State:
    prompt = state.open
    if prompt is not None:
        if prompt.phase is not Phase.RUNNING:
            prompt = replace(prompt, phase=Phase.RUNNING, started_at=now, snoozed_until=None)
            effects.append(SaveRecord(record_of(prompt)))
        effects.append(StartRoutine(prompt.seq))
        return replace(state, open=prompt)
    seq = state.seq + 1
    session = Prompt(seq=seq, kind=Kind.SESSION, day=local_day(now, rules.zone),
                     first_shown_at=now, phase=Phase.RUNNING, shown_at=now, started_at=now)
    effects.append(SaveRecord(record_of(session)))
    effects.append(StartRoutine(seq))
    return replace(state, open=session, seq=seq)


def _snooze(state: State, snooze_for: timedelta, seq: int | None, now: datetime, rules: Rules,
            effects: list[Effect]) -> State:
    low, high = SNOOZE_RANGE
    if not low <= snooze_for <= high:
        effects.append(Refuse(Why.SNOOZE_RANGE, snooze_for / timedelta(minutes=1)))
        return state
    prompt = state.open
    if prompt is None or seq not in (None, prompt.seq):
        if seq is not None:
            effects.append(Refuse(Why.NOT_OPEN))
            return state
        return _defer_next(state, snooze_for, now, rules, effects)
    if prompt.phase is Phase.RUNNING:
        effects.append(Refuse(Why.RUNNING_SNOOZE))
        return state
    if prompt.snoozes >= rules.max_snoozes:
        effects.append(Refuse(Why.SNOOZED_ENOUGH, prompt.snoozes))
        return state
    snoozed = replace(prompt, phase=Phase.SNOOZED, snoozes=prompt.snoozes + 1,
                      snoozed_for=prompt.snoozed_for + snooze_for, snoozed_until=now + snooze_for)
    effects.append(ClosePrompt(prompt.seq))
    effects.append(SaveRecord(record_of(snoozed)))
    return replace(state, open=snoozed)


def _defer_next(state: State, by: timedelta, now: datetime, rules: Rules,
                effects: list[Effect]) -> State:
    upcoming = next_due(state, now, rules)
    if upcoming is None:
        effects.append(Refuse(Why.PAUSED))
        return state
    due, period = upcoming
    return replace(state, deferred_to=max(due, now) + by, deferred_day=period.day)


def _pause(state: State, pause_for: timedelta | None, until_next_period: bool, now: datetime,
           rules: Rules, effects: list[Effect]) -> State:
    if pause_for is not None and pause_for <= timedelta(0):
        effects.append(Refuse(Why.ZERO_PAUSE))
        return state
    if until_next_period:
        today = local_day(now, rules.zone)
        until: datetime | None = next(p.start for p in periods_from(now, rules.hours, rules.zone)
                                      if p.day > today)
    else:
        until = None if pause_for is None else now + pause_for
    if state.open is not None and state.open.phase is not Phase.RUNNING:
        state = end_prompt(state, now, Outcome.SKIPPED, effects, close=True)
    return replace(state, is_paused=True, paused_until=until, deferred_to=None, deferred_day=None)


def _returned(state: State, now: datetime, rules: Rules, effects: list[Effect]) -> State:
    if state.away:
        return state  # still away for another reason
    since = state.away_since or now
    is_break = state.is_away_a_break and now - since >= rules.away_after
    state = replace(state, away_since=None, is_away_a_break=False)
    if not is_break:
        return state
    # A natural break: nothing is shown on return and the work count starts again.
    if state.open is not None and state.open.phase is not Phase.RUNNING:
        state = end_prompt(state, now, Outcome.IGNORED, effects, close=True)
    return replace(state, work_from=now, deferred_to=None, deferred_day=None)


def _shift(state: State, by: timedelta, now: datetime, rules: Rules) -> State:
    """Keep every running count the same length across a clock change."""

    def moved(value: datetime | None) -> datetime | None:
        return None if value is None else value + by

    before = now - by  # what the clock said a moment ago
    period = current_or_next_period(before, rules.hours, rules.zone)
    if period.contains(before) and (state.work_from is None or state.work_from < period.start):
        state = replace(state, work_from=period.start)  # the count ran from the period's start

    prompt = state.open
    if prompt is not None:
        prompt = replace(prompt, shown_at=prompt.shown_at + by,
                         snoozed_until=moved(prompt.snoozed_until),
                         started_at=moved(prompt.started_at))
    return replace(state, work_from=moved(state.work_from), deferred_to=moved(state.deferred_to),
                   away_since=moved(state.away_since), open=prompt)


# --- status --------------------------------------------------------------------------------


def with_recorded(state: State, recorded: Iterable[DayCount]) -> State:
    """The state with days counted from the records: the records are the truth for a day (a
    session run without the tray adds to them, not to the state), so the larger of both
    counts holds. At the tray's start, and in `pointbreak status` without a tray."""
    for count in recorded:
        known = state.count_for(count.day)
        if count.prompts > known.prompts or count.completed > known.completed:
            state = set_count(state, DayCount(count.day, max(count.prompts, known.prompts),
                                               max(count.completed, known.completed)))
    return state


def forget_before(state: State, day: date) -> State:
    """The state after the history before `day` is deleted at the person's request: the
    counts of earlier days go; `day`'s stays, so the daily cap still holds."""
    return replace(state, counts=tuple(c for c in state.counts if c.day >= day))


def status(state: State, now: datetime, rules: Rules) -> Status:
    today = state.count_for(local_day(now, rules.zone))
    upcoming = next_due(state, now, rules)
    prompt = state.open
    return Status(
        mode=modes.mode(is_paused=state.is_paused, has_open=prompt is not None,
                        is_open_snoozed=prompt is not None and prompt.phase is Phase.SNOOZED,
                        is_deferred=state.deferred_to is not None,
                        prompts_today=today.prompts, completed_today=today.completed,
                        daily_cap=rules.daily_cap),
        next_break_at=None if upcoming is None else upcoming[0],
        today=today,
        daily_cap=rules.daily_cap,
        paused_until=state.paused_until,
        is_paused=state.is_paused,
        snoozed_until=None if prompt is None else prompt.snoozed_until,
        open_phase=None if prompt is None else prompt.phase,
        is_away=bool(state.away),
        held_because=tuple(sorted(state.quiet)) if state.held_since is not None else (),
        held_until=None if state.held_since is None else state.held_since + rules.hold_limit,
    )


# --- helpers -------------------------------------------------------------------------------
