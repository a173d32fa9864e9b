"""Running the engine on a simulated clock: `pointbreak plan`, and the tests' stories.

`Simulation` is the smallest possible shell: it keeps the state, carries out `WakeAt` by jumping
its clock, and logs every effect with the instant it was asked for. Because it calls the real
`handle`, a plan is the real schedule, not a second implementation of the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from tray.core import engine
from tray.core.events import (
    Effect,
    Event,
    PromptEnded,
    RoutineStarted,
    SaveRecord,
    ShowPrompt,
    SkipRequested,
    SnoozeRequested,
    Ticked,
)
from tray.core.hours import local_wall, period_of
from tray.core.model import DEFAULT_SNOOZE, Outcome, Record, Rules, State


class Answer(StrEnum):
    """How every prompt of a planned day is answered."""

    COMPLETED = "completed"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"
    IGNORED = "ignored"


@dataclass
class Simulation:
    rules: Rules
    now: datetime
    state: State = field(default_factory=State)
    log: list[tuple[datetime, Effect]] = field(default_factory=list)
    wake_at: datetime | None = None

    def feed(self, event: Event) -> engine.Decision:
        decision = engine.handle(self.state, event, self.now, self.rules)
        self.state = decision.state
        self.wake_at = decision.wake_at
        self.log.extend((self.now, effect) for effect in decision.effects)
        return decision

    def wakes_until(self, until: datetime) -> list[engine.Decision]:
        """Jump from wake to wake up to `until`, then set the clock to `until`."""
        decisions = []
        while self.wake_at is not None and self.wake_at <= until:
            assert self.wake_at > self.now, "the engine asked to be woken in the past"
            self.now = self.wake_at
            decisions.append(self.feed(Ticked()))
        self.now = max(self.now, until)
        return decisions

    def advance(self, by: timedelta) -> list[engine.Decision]:
        return self.wakes_until(self.now + by)

    def set_clock(self, now: datetime) -> None:
        """Move the clock without running the wakes in between (a clock change)."""
        self.now = now

    def effects(self, kind: type[engine.E]) -> list[tuple[datetime, engine.E]]:
        return [(at, e) for at, e in self.log if isinstance(e, kind)]

    def records(self) -> dict[int, Record]:
        """The latest record of each prompt and session, as the store would hold them."""
        latest: dict[int, Record] = {}
        for _, effect in self.effects(SaveRecord):
            latest[effect.record.seq] = effect.record
        return latest


@dataclass(frozen=True)
class PlannedPrompt:
    record: Record
    shown: tuple[datetime, ...]  # the first showing, then each showing after a snooze


@dataclass(frozen=True)
class Plan:
    day: date
    answer: Answer
    prompts: tuple[PlannedPrompt, ...]
    end_reason: EndReason


def plan_day(day: date, answer: Answer, rules: Rules) -> Plan:
    """The prompts `day` would bring if the tray ran all day and every prompt got `answer`."""
    midnight = local_wall(day, timedelta(0), rules.zone)
    day_end = local_wall(day, timedelta(days=1), rules.zone)
    sim = Simulation(rules, midnight, State(work_from=midnight))
    sim.feed(Ticked())
    while sim.wake_at is not None and sim.wake_at < day_end:
        for decision in sim.wakes_until(sim.wake_at):
            for show in decision.of_type(ShowPrompt):
                answer_prompt(sim, show, answer)
    shows: dict[int, list[datetime]] = {}
    for at, show in sim.effects(ShowPrompt):
        shows.setdefault(show.seq, []).append(at)
    prompts = tuple(PlannedPrompt(record, tuple(shows[seq]))
                    for seq, record in sorted(sim.records().items()))
    return Plan(day, answer, prompts, _end_reason(day, sim.state, rules))


def answer_prompt(sim: Simulation, show: ShowPrompt, answer: Answer) -> None:
    """Answer a prompt the way a person would, advancing the clock as long as it takes."""
    if answer is Answer.COMPLETED:
        sim.feed(RoutineStarted(show.seq))
        sim.advance(sim.rules.routine_length)
        sim.feed(PromptEnded(show.seq, Outcome.COMPLETED))
    elif answer is Answer.SKIPPED:
        sim.feed(PromptEnded(show.seq, Outcome.SKIPPED))
    elif answer is Answer.SNOOZED:
        # Three snoozes of the default length, then Snooze is gone and the card is skipped.
        sim.feed(SnoozeRequested(DEFAULT_SNOOZE, show.seq) if show.can_snooze
                 else SkipRequested(show.seq))
    # IGNORED: nothing is done; the card closes itself after five minutes.


class EndReason(StrEnum):
    """Why a planned day has no more prompts."""

    NOT_ACTIVE_DAY = "not_active_day"
    COMPLETED_CAP = "completed_cap"
    PROMPT_CAP = "prompt_cap"
    END_OF_HOURS = "end_of_hours"


def _end_reason(day: date, state: State, rules: Rules) -> EndReason:
    if period_of(day, rules.hours, rules.zone) is None:
        return EndReason.NOT_ACTIVE_DAY
    count = state.count_for(day)
    if count.completed >= rules.daily_cap:
        return EndReason.COMPLETED_CAP
    if count.prompts >= rules.daily_cap:
        return EndReason.PROMPT_CAP
    return EndReason.END_OF_HOURS
