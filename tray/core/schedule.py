"""What falls due and when: the engine's level-triggered half.

`settle` carries out whatever is due at `now` (a card timing out, a routine overrunning, a
snooze ending, the next prompt); `next_due` says when the next prompt falls due and `next_wake`
the next instant at which the state would change without a new event. The shared steps that end
a prompt and count it (`end_prompt`, `record_of`, `set_count`, `unpause`) live here too, so
`tray.core.engine` builds on this module and never the other way round. Pure.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from tray.core.events import ClosePrompt, Effect, SaveRecord, ShowPrompt
from tray.core.hours import Period, local_day, period_of, periods_from
from tray.core.model import (
    RECENT_DAYS_KEPT,
    DayCount,
    Kind,
    Outcome,
    Phase,
    Prompt,
    Record,
    Rules,
    State,
)

MAX_PERIODS_SEARCHED = 16
MAX_SETTLE_ROUNDS = 8


def settle(state: State, now: datetime, rules: Rules, effects: list[Effect]) -> State:
    """Carry out whatever is due at `now`, until nothing more changes.

    Ending a prompt can make the next one due at once after a late wake; the loop is bounded
    and cannot burst, because a new prompt stays open until an event or a deadline ends it.
    """
    for _ in range(MAX_SETTLE_ROUNDS):
        settled = _settle_once(state, now, rules, effects)
        if settled == state:
            return settled
        state = settled
    return state


def _settle_once(state: State, now: datetime, rules: Rules, effects: list[Effect]) -> State:
    if state.is_paused and state.paused_until is not None and now >= state.paused_until:
        state = unpause(state, state.paused_until)
    prompt = state.open
    if prompt is not None:
        if prompt.phase is Phase.SHOWING and now >= prompt.shown_at + rules.card_timeout:
            return end_prompt(state, prompt.shown_at + rules.card_timeout, Outcome.IGNORED, effects)
        if prompt.phase is Phase.RUNNING and now >= _running_deadline(prompt, rules):
            return end_prompt(state, _running_deadline(prompt, rules), Outcome.FAILED, effects)
        if prompt.phase is Phase.SNOOZED:
            return _settle_snoozed(state, prompt, now, rules, effects)
        return state
    upcoming = next_due(state, now, rules)
    if upcoming is None or upcoming[0] > now or not upcoming[1].contains(now):
        return replace(state, held_since=None) if state.held_since is not None else state
    if state.away:
        return state
    is_quiet = False
    if state.quiet:
        # Do not disturb: hold the prompt, at most `hold_limit`; then a notification only.
        held_since = state.held_since or now
        if now - held_since < rules.hold_limit:
            return replace(state, held_since=held_since)
        is_quiet = True
    seq = state.seq + 1
    day = local_day(now, rules.zone)
    prompt = Prompt(seq=seq, kind=Kind.PROMPT, day=day, first_shown_at=now,
                    phase=Phase.SHOWING, shown_at=now)
    count = state.count_for(day)
    state = set_count(state, replace(count, prompts=count.prompts + 1))
    effects.append(SaveRecord(record_of(prompt)))
    effects.append(ShowPrompt(seq, can_snooze=True, is_again=False, is_quiet=is_quiet))
    return replace(state, open=prompt, seq=seq, deferred_to=None, deferred_day=None,
                   held_since=None)


def _settle_snoozed(state: State, prompt: Prompt, now: datetime, rules: Rules,
                    effects: list[Effect]) -> State:
    limit = _snooze_limit(prompt, rules)
    if now >= limit:
        return end_prompt(state, limit, Outcome.SKIPPED, effects)
    period = period_of(prompt.day, rules.hours, rules.zone)
    if period is None or now < period.start:  # the clock went back before its active hours
        return end_prompt(state, now, Outcome.SKIPPED, effects)
    assert prompt.snoozed_until is not None
    if now < prompt.snoozed_until or state.away or state.quiet:
        return state  # a snoozed prompt waits for the person and for the quiet to end
    shown = replace(prompt, phase=Phase.SHOWING, shown_at=now, snoozed_until=None)
    effects.append(ShowPrompt(prompt.seq, can_snooze=prompt.snoozes < rules.max_snoozes,
                              is_again=True))
    return replace(state, open=shown)


def _snooze_limit(prompt: Prompt, rules: Rules) -> datetime:
    """The end of the active hours of the prompt's day: a snoozed prompt ends as skipped then."""
    period = period_of(prompt.day, rules.hours, rules.zone)
    return prompt.first_shown_at if period is None else period.end


def _running_deadline(prompt: Prompt, rules: Rules) -> datetime:
    return (prompt.started_at or prompt.shown_at) + rules.routine_deadline


def next_due(state: State, now: datetime, rules: Rules) -> tuple[datetime, Period] | None:
    """When the next prompt falls due and in which period, ignoring whether anyone is there."""
    if state.is_paused and state.paused_until is None:
        return None
    start_from = now
    work_from = state.work_from
    if state.is_paused and state.paused_until is not None:
        start_from = max(now, state.paused_until)
        work_from = state.paused_until
    for index, period in enumerate(periods_from(start_from, rules.hours, rules.zone)):
        if index >= MAX_PERIODS_SEARCHED:
            return None
        count = state.count_for(period.day)
        if count.prompts >= rules.daily_cap or count.completed >= rules.daily_cap:
            continue
        begin = period.start if work_from is None else max(period.start, work_from)
        due = begin + rules.interval
        if (state.deferred_to is not None and state.deferred_day is not None
                and period.day <= state.deferred_day):
            # The next break was moved to deferred_to: none comes before it, also in a period
            # before its own (a skip past the end of today's hours moved it to another day).
            due = max(due, state.deferred_to)
        if due < period.end:
            return due, period
    return None  # pragma: no cover - a free day always comes within MAX_PERIODS_SEARCHED


def next_wake(state: State, now: datetime, rules: Rules) -> datetime | None:
    """The next instant at which the state would change without a new event."""
    candidates: list[datetime] = []
    if state.is_paused and state.paused_until is not None:
        candidates.append(state.paused_until)
    prompt = state.open
    if prompt is not None:
        if prompt.phase is Phase.SHOWING:
            candidates.append(prompt.shown_at + rules.card_timeout)
        elif prompt.phase is Phase.RUNNING:
            candidates.append(_running_deadline(prompt, rules))
        else:
            assert prompt.snoozed_until is not None
            candidates.append(_snooze_limit(prompt, rules))
            if prompt.snoozed_until > now:
                candidates.append(prompt.snoozed_until)
    elif not state.is_paused:
        upcoming = next_due(state, now, rules)
        if upcoming is not None and upcoming[0] > now:
            candidates.append(upcoming[0])
        if state.held_since is not None:
            candidates.append(state.held_since + rules.hold_limit)
    future = [c for c in candidates if c > now]
    return min(future) if future else None


def unpause(state: State, at: datetime) -> State:
    # A pause usually covers a meeting or focus time: the work count starts afresh after it.
    # A break skipped or snoozed during the pause stays moved.
    return replace(state, is_paused=False, paused_until=None, work_from=at)


def end_prompt(state: State, at: datetime, outcome: Outcome, effects: list[Effect], *,
         step: int | None = None, close: bool = False) -> State:
    """End the open prompt or session with one outcome; the work count starts again at `at`."""
    prompt = state.open
    assert prompt is not None
    if close:
        effects.append(ClosePrompt(prompt.seq))
    effects.append(SaveRecord(record_of(prompt, outcome=outcome, ended_at=at, step=step)))
    if outcome is Outcome.COMPLETED:
        count = state.count_for(prompt.day)
        state = set_count(state, replace(count, completed=count.completed + 1))
    return replace(state, open=None, work_from=at, deferred_to=None, deferred_day=None)


def record_of(prompt: Prompt, *, outcome: Outcome | None = None, ended_at: datetime | None = None,
            step: int | None = None) -> Record:
    return Record(seq=prompt.seq, kind=prompt.kind, day=prompt.day,
                  shown_at=prompt.first_shown_at, started_at=prompt.started_at,
                  ended_at=ended_at, outcome=outcome, step=step, snoozes=prompt.snoozes,
                  snoozed_for=prompt.snoozed_for)


def set_count(state: State, count: DayCount) -> State:
    """Set one day's count; the days counted most recently are kept, whatever the clock says."""
    kept = [c for c in state.counts if c.day != count.day] + [count]
    return replace(state, counts=tuple(kept[-RECENT_DAYS_KEPT:]))
