"""Random weeks of random events, restarts from the real store included, against invariants."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from helpers import BERLIN, NEW_YORK, at
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tray.core import schedule
from tray.core.events import (
    AwayEnded,
    AwayStarted,
    ClockChanged,
    PauseRequested,
    PromptEnded,
    QuietEnded,
    QuietStarted,
    ResumeRequested,
    RoutineStarted,
    ShowPrompt,
    SkipRequested,
    SnoozeRequested,
    StartRequested,
    TrayStarted,
)
from tray.core.hours import ActiveHours, local_day, period_of
from tray.core.model import AfterSleep, Away, Kind, Outcome, Rules
from tray.core.plan import Simulation
from tray.store import Store

minutes = st.integers(min_value=1, max_value=600)
action = st.one_of(
    st.tuples(st.just("wait"), minutes),
    st.tuples(st.just("wait"), st.integers(min_value=1, max_value=20)),
    st.tuples(st.just("answer"), st.sampled_from(list(Outcome))),
    st.tuples(st.just("start_routine"), st.just(0)),
    st.tuples(st.just("snooze"), st.integers(min_value=0, max_value=130)),
    st.tuples(st.just("skip"), st.just(0)),
    st.tuples(st.just("pause"), st.sampled_from([None, 30, 60, 120, "tomorrow"])),
    st.tuples(st.just("resume"), st.just(0)),
    st.tuples(st.just("start"), st.just(0)),
    st.tuples(st.just("away"), st.sampled_from(list(Away))),
    st.tuples(st.just("back"), st.sampled_from(list(Away))),
    st.tuples(st.just("away_for"), st.tuples(st.sampled_from(list(Away)), minutes)),
    st.tuples(st.just("clock"), st.integers(min_value=-120, max_value=120)),
    st.tuples(st.just("clock"), st.sampled_from([-14400, -600, 600, 14400])),  # +-10 h, 10 days
    st.tuples(st.just("restart"), st.integers(min_value=0, max_value=20)),
    st.tuples(st.just("quiet"), st.sampled_from(["fullscreen", "microphone"])),
    st.tuples(st.just("loud"), st.sampled_from(["fullscreen", "microphone"])),
)
hours = st.builds(
    lambda start, length, days: ActiveHours(timedelta(minutes=start),
                                            timedelta(minutes=min(start + length, 1440)),
                                            frozenset(days)),
    st.integers(min_value=0, max_value=1380).map(lambda m: m - m % 30),
    st.integers(min_value=60, max_value=1440),
    st.sets(st.integers(min_value=0, max_value=6), min_size=1))
rules = st.builds(
    Rules, zone=st.sampled_from([BERLIN, NEW_YORK]),
    interval=st.integers(min_value=15, max_value=240).map(lambda m: timedelta(minutes=m)),
    hours=hours, daily_cap=st.integers(min_value=1, max_value=5),
    routine_length=st.integers(min_value=2, max_value=10).map(lambda m: timedelta(minutes=m)),
    after_sleep=st.sampled_from(list(AfterSleep)))
# Weeks that cross both of Berlin's DST changes and New York's autumn one.
starts = st.sampled_from(["2026-03-23", "2026-10-21", "2026-10-28", "2026-11-23"])


class CheckedSimulation(Simulation):
    """Checks every decision as it is made: where and when a prompt may be shown."""

    def feed(self, event):  # type: ignore[no-untyped-def]
        decision = super().feed(event)
        for show in decision.of_type(ShowPrompt):
            day = local_day(self.now, self.rules.zone)
            period = period_of(day, self.rules.hours, self.rules.zone)
            assert period is not None and period.contains(self.now), "outside active hours"
            assert not decision.state.is_paused, "a prompt while paused"
            assert not decision.state.away, "a prompt to an empty chair"
            assert decision.state.open is not None and decision.state.open.seq == show.seq
            assert show.is_quiet or not decision.state.quiet, "a card while do-not-disturb"
        return decision


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rules, start=starts, actions=st.lists(action, min_size=5, max_size=80))
@example(  # found here: skips past the end of the day, then a snooze brought today's break back
    rules=Rules(zone=BERLIN, interval=timedelta(minutes=62),
                hours=ActiveHours(timedelta(0), timedelta(hours=8, minutes=5), frozenset({2})),
                daily_cap=1, routine_length=timedelta(minutes=2), after_sleep=AfterSleep.BREAK),
    start="2026-10-21",
    actions=[("wait", 61), ("skip", 0), ("skip", 0), ("wait", 1), ("snooze", 1)])
def test_random_weeks_keep_the_invariants(rules: Rules, start: str, actions: list) -> None:
    with tempfile.TemporaryDirectory(prefix="pb-prop-") as folder:
        store = Store(Path(folder) / "history")
        sim = CheckedSimulation(rules, at(start, "06:00", rules.zone))
        sim.feed(TrayStarted(None))
        checked = 0
        for kind, value in actions:
            checked = _act(sim, store, kind, value, checked)
            checked = _check(sim, checked)


def _act(sim: Simulation, store: Store, kind: str, value, checked: int) -> int:
    prompt = sim.state.open
    if kind == "wait":
        sim.advance(timedelta(minutes=value))
    elif kind == "answer" and prompt is not None:
        sim.feed(PromptEnded(prompt.seq, value, step=2 if value is Outcome.STOPPED_EARLY else None))
    elif kind == "start_routine" and prompt is not None:
        sim.feed(RoutineStarted(prompt.seq))
    elif kind == "snooze":
        shows_before = _first_shows(sim)
        decision = sim.feed(SnoozeRequested(timedelta(minutes=value)))
        assert not [s for s in decision.of_type(ShowPrompt) if not s.is_again]
        assert _first_shows(sim) == shows_before  # a snooze never adds a prompt
    elif kind == "skip":
        sim.feed(SkipRequested())
    elif kind == "pause":
        if value == "tomorrow":
            sim.feed(PauseRequested(until_next_period=True))
        else:
            sim.feed(PauseRequested(None if value is None else timedelta(minutes=value)))
    elif kind == "resume":
        sim.feed(ResumeRequested())
    elif kind == "start":
        sim.feed(StartRequested())
    elif kind == "quiet":
        sim.feed(QuietStarted(value))
    elif kind == "loud":
        sim.feed(QuietEnded(value))
    elif kind == "away":
        sim.feed(AwayStarted(value, since=sim.now))
    elif kind == "back":
        sim.feed(AwayEnded(value))
    elif kind == "away_for":
        reason, length = value
        sim.feed(AwayStarted(reason, since=sim.now))
        sim.advance(timedelta(minutes=length))
        sim.feed(AwayEnded(reason))
    elif kind == "clock" and value:
        sim.set_clock(sim.now + timedelta(minutes=value))
        sim.feed(ClockChanged(timedelta(minutes=value)))
    elif kind == "restart":
        # Save, "crash", load from the real file, start again after a gap.
        store.save(sim.state, sim.records().values())
        before = sim.state
        loaded = Store(store.folder).load_state()
        assert loaded == before  # state after a restart equals state before it
        gap = timedelta(minutes=value)
        sim.set_clock(sim.now + gap)
        sim.state = loaded
        decision = sim.feed(TrayStarted(last_alive_at=sim.now - gap))
        if gap < sim.rules.away_after and sim.wake_at is not None:
            # A quick restart changes nothing (the settle may still act on the new time).
            assert decision.state.seq >= before.seq
    return checked


def _first_shows(sim: Simulation) -> list:
    return [(t, e) for t, e in sim.effects(ShowPrompt) if not e.is_again]


def _check(sim: Simulation, checked: int) -> int:
    """Check every effect logged since the last check."""
    rules = sim.rules
    state = sim.state
    if (state.open is None and not state.is_paused and not state.away
            and schedule.next_due(state, sim.now, rules) is not None):
        assert sim.wake_at is not None, "a break is pending but nothing will wake the engine"
    per_day: dict = {}
    for at_, _effect in _first_shows(sim):
        day = local_day(at_, rules.zone)
        per_day[day] = per_day.get(day, 0) + 1
    assert all(n <= rules.daily_cap for n in per_day.values()), per_day
    prompts = [r for r in sim.records().values() if r.kind is Kind.PROMPT]
    assert len(prompts) == sum(per_day.values())  # one record per prompt, snoozed or not
    return len(sim.log)
