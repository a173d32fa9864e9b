"""The break engine as stories: set the clock, feed events, check what it decides."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from helpers import ALL_DAY, BERLIN, NEW_YORK, at, local, make_rules, run, started

from tray.core import engine, schedule
from tray.core.events import (
    AwayEnded,
    AwayStarted,
    ClockChanged,
    ClosePrompt,
    PauseRequested,
    PromptEnded,
    Refuse,
    ResumeRequested,
    RoutineStarted,
    ShowPrompt,
    SkipRequested,
    SnoozeRequested,
    StartRequested,
    StartRoutine,
    Ticked,
    TrayStarted,
    Why,
)
from tray.core.model import AfterSleep, Away, Kind, Mode, Outcome, Phase
from tray.core.plan import Answer, Simulation

WED = "2026-11-25"
THU = "2026-11-26"


def first_prompts(shown: list) -> list[str]:
    return [local(when) for when, show in shown if not show.is_again]


def test_a_normal_day_brings_five_prompts_ninety_minutes_of_work_apart() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    shown = run(sim, at(WED, "23:00"), Answer.COMPLETED)
    # Work counts from 09:00; each completed six-minute routine restarts the count.
    assert first_prompts(shown) == ["10:30", "12:06", "13:42", "15:18", "16:54"]
    today = sim.state.count_for(at(WED, "12:00").astimezone(BERLIN).date())
    assert (today.prompts, today.completed) == (5, 5)
    assert engine.status(sim.state, sim.now, sim.rules).mode is Mode.DONE


def test_skipped_prompts_stop_at_the_end_of_active_hours() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    shown = run(sim, at(WED, "23:00"), Answer.SKIPPED)
    assert first_prompts(shown) == ["10:30", "12:00", "13:30", "15:00", "16:30"]
    # The sixth would be 18:00, the end of active hours, and the cap is 5 anyway.
    assert sim.records()[5].outcome is Outcome.SKIPPED


def test_three_snoozes_then_the_fourth_is_refused_and_the_card_offers_no_snooze() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:30"))
    (first,) = [e for _, e in sim.effects(ShowPrompt)]
    assert first.can_snooze and not first.is_again
    for reshow_at in ("10:40", "10:50", "11:00"):
        sim.feed(SnoozeRequested(timedelta(minutes=10), first.seq))
        sim.wakes_until(at(WED, reshow_at))
    shows = [(local(t), e) for t, e in sim.effects(ShowPrompt)]
    assert [t for t, _ in shows] == ["10:30", "10:40", "10:50", "11:00"]
    assert [e.can_snooze for _, e in shows] == [True, True, True, False]
    decision = sim.feed(SnoozeRequested(timedelta(minutes=10), first.seq))
    assert decision.of_type(Refuse) == [Refuse(Why.SNOOZED_ENOUGH, 3)]
    assert decision.state == sim.state and sim.state.open is not None
    assert sim.state.open.phase is Phase.SHOWING
    # Only one prompt was counted for all of that.
    assert sim.state.count_for(at(WED, "11:00").astimezone(BERLIN).date()).prompts == 1


def test_snooze_length_outside_one_to_120_minutes_is_refused() -> None:
    sim = started(make_rules(), at(WED, "10:30"))
    sim.wakes_until(at(WED, "12:00"))
    for minutes in (0, 121):
        decision = sim.feed(SnoozeRequested(timedelta(minutes=minutes)))
        assert decision.of_type(Refuse)


def test_skip_next_break_moves_it_one_interval_on() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "09:30"))
    decision = sim.feed(SkipRequested())
    assert not decision.of_type(Refuse)
    assert local(engine.status(sim.state, sim.now, sim.rules).next_break_at) == "12:00"
    shown = run(sim, at(WED, "12:30"), None)
    assert first_prompts(shown) == ["12:00"]


def test_a_snooze_after_skips_past_the_end_of_the_day_brings_no_prompt_today() -> None:
    """Found by the property test: skips move the next break past today's active hours, to the
    next active day; another skip or a snooze then moves that break on. Neither may bring back
    today's break, which the first skip had moved away."""
    sim = started(make_rules(), at(WED, "15:00"))  # due 16:30
    sim.wakes_until(at(WED, "16:00"))
    sim.feed(SkipRequested())  # 18:00: the end of active hours, so tomorrow
    sim.feed(SkipRequested())
    due, period = schedule.next_due(sim.state, sim.now, sim.rules)
    assert period.day.isoformat() == "2026-11-26"
    decision = sim.feed(SnoozeRequested(timedelta(minutes=1)))
    assert not decision.of_type(ShowPrompt)
    later, period = schedule.next_due(sim.state, sim.now, sim.rules)
    assert period.day.isoformat() == "2026-11-26" and later == due + timedelta(minutes=1)
    assert first_prompts(run(sim, at(WED, "23:00"), None)) == []


def test_skip_on_the_open_prompt_ends_it_as_skipped() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:31"))
    decision = sim.feed(SkipRequested())
    assert decision.of_type(ClosePrompt)
    assert sim.records()[1].outcome is Outcome.SKIPPED
    assert local(schedule.next_due(sim.state, sim.now, sim.rules)[0]) == "12:01"


def test_snooze_with_no_prompt_open_moves_the_next_break() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "09:00"))
    sim.feed(SnoozeRequested(timedelta(minutes=30)))
    assert first_prompts(run(sim, at(WED, "11:30"), None)) == ["11:00"]


def test_pause_until_tomorrow_resumes_at_the_next_active_period() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:31"))
    decision = sim.feed(PauseRequested(until_next_period=True))
    assert decision.of_type(ClosePrompt)  # the open card goes, as skipped
    assert sim.records()[1].outcome is Outcome.SKIPPED
    status = engine.status(sim.state, sim.now, sim.rules)
    assert status.mode is Mode.PAUSED and status.paused_until == at(THU, "09:00")
    shown = run(sim, at(THU, "11:00"), None)
    assert [(t.astimezone(BERLIN).strftime("%a %H:%M")) for t, _ in shown] == ["Thu 10:30"]


def test_pause_for_an_hour_then_resume_by_hand() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:00"))
    sim.feed(PauseRequested(timedelta(hours=1)))
    assert engine.status(sim.state, sim.now, sim.rules).paused_until == at(WED, "11:00")
    assert run(sim, at(WED, "10:45"), None) == []
    sim.feed(ResumeRequested())
    # The work count starts afresh when a pause ends.
    assert first_prompts(run(sim, at(WED, "12:30"), None)) == ["12:15"]
    assert sim.feed(ResumeRequested()).of_type(Refuse)


def test_pause_until_resumed_has_no_next_break() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.feed(PauseRequested())
    assert sim.wake_at is None
    assert engine.status(sim.state, sim.now, sim.rules).next_break_at is None
    assert run(sim, at(THU, "18:00"), None) == []


def test_a_routine_started_by_hand_restarts_the_work_count() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:00"))
    decision = sim.feed(StartRequested())
    (start,) = decision.of_type(StartRoutine)
    assert sim.state.open is not None and sim.state.open.kind is Kind.SESSION
    sim.advance(timedelta(minutes=6))
    sim.feed(PromptEnded(start.seq, Outcome.COMPLETED))
    today = sim.state.count_for(at(WED, "10:00").astimezone(BERLIN).date())
    assert (today.prompts, today.completed) == (0, 1)  # a session is not a prompt
    assert first_prompts(run(sim, at(WED, "12:00"), None)) == ["11:36"]


def test_five_completed_routines_end_the_days_prompts_but_not_sessions() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "09:00"))
    for _ in range(5):
        (start,) = sim.feed(StartRequested()).of_type(StartRoutine)
        sim.advance(timedelta(minutes=10))
        sim.feed(PromptEnded(start.seq, Outcome.COMPLETED))
    status = engine.status(sim.state, sim.now, sim.rules)
    assert status.mode is Mode.DONE and status.is_past_guidance
    assert run(sim, at(WED, "23:59"), None) == []
    assert sim.feed(StartRequested()).of_type(StartRoutine)  # always allowed
    assert local(schedule.next_due(sim.state, sim.now, sim.rules)[0]) == "10:30"  # Thursday


def test_idle_through_the_due_time_is_a_natural_break_and_nothing_shows_on_return() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:25"))
    sim.feed(AwayStarted(Away.IDLE, since=at(WED, "10:20")))
    assert run(sim, at(WED, "10:30"), None) == []
    sim.wakes_until(at(WED, "10:35"))
    decision = sim.feed(AwayEnded(Away.IDLE))
    assert not decision.of_type(ShowPrompt)
    assert first_prompts(run(sim, at(WED, "12:30"), None)) == ["12:05"]


def test_a_short_lock_is_not_a_break_and_the_due_prompt_comes_on_return() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:29"))
    sim.feed(AwayStarted(Away.LOCKED, since=at(WED, "10:29")))
    sim.wakes_until(at(WED, "10:31"))
    decision = sim.feed(AwayEnded(Away.LOCKED))
    assert decision.of_type(ShowPrompt)


def test_suspend_over_lunch_is_a_natural_break_with_no_burst() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "12:00"))
    assert first_prompts(run(sim, at(WED, "12:00"), Answer.SKIPPED)) == []
    sim.feed(AwayStarted(Away.ASLEEP, since=at(WED, "12:00")))
    sim.set_clock(at(WED, "13:10"))  # nothing ran while the machine slept
    decision = sim.feed(AwayEnded(Away.ASLEEP))
    assert not decision.of_type(ShowPrompt)
    assert first_prompts(run(sim, at(WED, "15:00"), None)) == ["14:40"]


def test_suspend_with_after_sleep_continue_brings_one_prompt_after_return() -> None:
    sim = started(make_rules(after_sleep=AfterSleep.CONTINUE), at(WED, "08:00"))
    sim.wakes_until(at(WED, "12:00"))
    sim.feed(AwayStarted(Away.ASLEEP, since=at(WED, "12:00")))
    sim.set_clock(at(WED, "15:10"))  # two intervals' worth passed in sleep
    sim.feed(Ticked())  # a late wake while still asleep shows nothing
    assert not [e for t, e in sim.effects(ShowPrompt) if t >= at(WED, "12:00")]
    decision = sim.feed(AwayEnded(Away.ASLEEP))
    assert len(decision.of_type(ShowPrompt)) == 1
    assert len([e for t, e in sim.effects(ShowPrompt) if t >= at(WED, "12:00")]) == 1


def test_a_clock_set_back_an_hour_keeps_the_count_and_the_cap() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    run(sim, at(WED, "13:00"), Answer.COMPLETED)  # 10:30 and 12:06 done
    worked = sim.now - sim.state.work_from
    sim.set_clock(at(WED, "12:00"))
    sim.feed(ClockChanged(-timedelta(hours=1)))
    assert sim.now - sim.state.work_from == worked  # the work count did not change
    shown = run(sim, at(WED, "23:00"), Answer.COMPLETED)
    assert first_prompts(shown) == ["12:42", "14:18", "15:54"]
    day = at(WED, "12:00").astimezone(BERLIN).date()
    assert sim.state.count_for(day).prompts == 5


def test_a_clock_set_forward_shifts_the_count_too() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:00"))
    sim.set_clock(at(WED, "10:20"))
    sim.feed(ClockChanged(timedelta(minutes=20)))
    assert first_prompts(run(sim, at(WED, "11:00"), None)) == ["10:50"]


@pytest.mark.parametrize(("zone", "day", "expected"), [
    # 2026-10-25 03:00 CEST -> 02:00 CET: the hour 02:00-03:00 comes twice.
    (BERLIN, "2026-10-25", ["01:30 CEST", "02:06 CET", "03:42 CET", "05:18 CET", "06:54 CET"]),
    # 2026-03-29 02:00 CET -> 03:00 CEST: the hour 02:00-03:00 never comes.
    (BERLIN, "2026-03-29", ["01:30 CET", "04:06 CEST", "05:42 CEST", "07:18 CEST", "08:54 CEST"]),
    # 2026-11-01 02:00 EDT -> 01:00 EST.
    (NEW_YORK, "2026-11-01", ["01:30 EDT", "02:06 EST", "03:42 EST", "05:18 EST", "06:54 EST"]),
    # 2026-03-08 02:00 EST -> 03:00 EDT.
    (NEW_YORK, "2026-03-08", ["01:30 EST", "04:06 EDT", "05:42 EDT", "07:18 EDT", "08:54 EDT"]),
], ids=["berlin-autumn", "berlin-spring", "new-york-autumn", "new-york-spring"])
def test_dst_changes_keep_real_intervals_and_the_days_cap(zone, day, expected) -> None:
    sim = started(make_rules(zone, hours=ALL_DAY), at(day, "00:00", zone))
    shown = run(sim, at(day, "23:59", zone), Answer.COMPLETED)
    firsts = [t for t, e in shown if not e.is_again]
    assert [t.astimezone(zone).strftime("%H:%M %Z") for t in firsts] == expected
    gaps = {b - a for a, b in itertools.pairwise(firsts)}
    assert gaps == {timedelta(minutes=96)}  # 90 minutes of work + a 6-minute routine, real time
    assert {t.astimezone(zone).date().isoformat() for t in firsts} == {day}


def test_active_hours_follow_the_wall_clock_after_a_dst_change() -> None:
    # Monday after the autumn change: 09:00 local is now 08:00 UTC, not 07:00.
    sim = started(make_rules(), at("2026-10-23", "17:00"))
    shown = run(sim, at("2026-10-26", "11:00"), None)
    assert [t.isoformat() for t, e in shown if not e.is_again][-1] == "2026-10-26T09:30:00+00:00"


def test_midnight_rollover_starts_a_new_day_with_a_new_cap() -> None:
    sim = started(make_rules(hours=ALL_DAY), at(WED, "00:00"))
    shown = run(sim, at(THU, "02:00"), Answer.SKIPPED)
    by_day: dict[str, int] = {}
    for when, show in shown:
        if not show.is_again:
            key = when.astimezone(BERLIN).date().isoformat()
            by_day[key] = by_day.get(key, 0) + 1
    assert by_day == {WED: 5, THU: 1}
    assert local([t for t, e in shown][-1]) == "01:30"  # the count restarts at midnight


def test_a_snoozed_prompt_that_would_come_after_active_hours_ends_as_skipped_then() -> None:
    sim = started(make_rules(), at(WED, "16:00"))
    sim.wakes_until(at(WED, "17:31"))
    (show,) = [e for _, e in sim.effects(ShowPrompt)]
    assert local(sim.effects(ShowPrompt)[0][0]) == "17:30"
    sim.feed(SnoozeRequested(timedelta(minutes=30), show.seq))
    sim.wakes_until(at(WED, "23:00"))
    record = sim.records()[show.seq]
    assert record.outcome is Outcome.SKIPPED and local(record.ended_at) == "18:00"
    assert len(sim.effects(ShowPrompt)) == 1


def test_an_unanswered_card_ends_as_ignored_after_five_minutes() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:36"))
    record = sim.records()[1]
    assert record.outcome is Outcome.IGNORED and local(record.ended_at) == "10:35"


def test_a_routine_that_never_reports_ends_as_failed() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:30"))
    sim.feed(RoutineStarted(1))
    sim.wakes_until(at(WED, "12:00"))
    assert sim.records()[1].outcome is Outcome.FAILED


def test_a_stopped_routine_records_the_step_reached() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:30"))
    sim.feed(RoutineStarted(1))
    sim.advance(timedelta(minutes=2))
    sim.feed(PromptEnded(1, Outcome.STOPPED_EARLY, step=4))
    record = sim.records()[1]
    assert (record.outcome, record.step) == (Outcome.STOPPED_EARLY, 4)
    assert sim.feed(PromptEnded(1, Outcome.COMPLETED)).of_type(Refuse)  # not open any more


@pytest.mark.parametrize(("gap", "expect_same"), [
    (timedelta(minutes=2), True),
    (timedelta(minutes=5), False),
    (None, False),
], ids=["quick-restart", "five-minute-gap", "first-start"])
def test_a_tray_restart_resumes_the_count_unless_the_gap_was_a_natural_break(gap, expect_same):
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:00"))
    before = sim.state
    sim.set_clock(at(WED, "10:10"))
    last_alive = None if gap is None else sim.now - gap
    sim.feed(TrayStarted(last_alive_at=last_alive))
    assert (sim.state == before) is expect_same
    expected = "10:30" if expect_same else "11:40"
    assert local(schedule.next_due(sim.state, sim.now, sim.rules)[0]) == expected


@pytest.mark.parametrize(("now", "work_from", "expected"), [
    ("2026-11-25 07:00", None, "Wed 10:30"),
    ("2026-11-25 07:00", "2026-11-24 17:00", "Wed 10:30"),
    ("2026-11-25 11:00", "2026-11-25 10:45", "Wed 12:15"),
    ("2026-11-25 17:00", "2026-11-25 16:40", "Thu 10:30"),  # 18:10 is after hours
    ("2026-11-27 17:00", "2026-11-27 16:40", "Mon 10:30"),  # Friday -> Monday
    ("2026-11-28 12:00", "2026-11-28 12:00", "Mon 10:30"),  # Saturday is not active
], ids=["before-hours", "yesterdays-count", "mid-morning", "past-the-end", "friday",
        "weekend"])
def test_next_due_table(now: str, work_from: str | None, expected: str) -> None:
    from tray.core.model import State

    def instant(text: str):
        day, clock = text.split()
        return at(day, clock)

    state = State(work_from=None if work_from is None else instant(work_from))
    due, _ = schedule.next_due(state, instant(now), make_rules())
    assert due.astimezone(BERLIN).strftime("%a %H:%M") == expected


def test_every_decision_ends_with_the_next_wake() -> None:
    sim = Simulation(make_rules(), at(WED, "08:00"))
    decision = sim.feed(TrayStarted(None))
    assert decision.wake_at == at(WED, "10:30")
    assert schedule.next_wake(sim.state, sim.now, sim.rules) == decision.wake_at


# --- found in review: each of these once broke a rule ---------------------------------------


def test_a_clock_set_forward_ten_days_and_back_keeps_todays_cap() -> None:
    sim = started(make_rules(hours=ALL_DAY, daily_cap=2), at(WED, "09:00"))
    run(sim, at(WED, "12:00"), Answer.SKIPPED)  # 10:30 and 12:00: the cap of 2 is reached
    sim.set_clock(sim.now + timedelta(days=10))
    sim.feed(ClockChanged(timedelta(days=10)))
    run(sim, sim.now + timedelta(hours=2), Answer.SKIPPED)  # one prompt on that future day
    sim.set_clock(sim.now - timedelta(days=10))
    sim.feed(ClockChanged(-timedelta(days=10)))
    before = len(sim.effects(ShowPrompt))
    run(sim, at(WED, "23:59"), Answer.SKIPPED)
    assert len(sim.effects(ShowPrompt)) == before  # Wednesday stays at its cap


@pytest.mark.parametrize("jump", [timedelta(hours=2), -timedelta(hours=10)],
                         ids=["forward-past-the-end", "back-before-the-start"])
def test_a_snoozed_prompt_never_comes_back_outside_active_hours_after_a_clock_change(jump):
    sim = started(make_rules(), at(WED, "15:30"))
    sim.wakes_until(at(WED, "17:00"))
    sim.feed(SnoozeRequested(timedelta(minutes=10), 1))
    sim.set_clock(sim.now + jump)
    sim.feed(ClockChanged(jump))
    sim.advance(timedelta(minutes=30))
    assert len(sim.effects(ShowPrompt)) == 1
    assert sim.records()[1].outcome is Outcome.SKIPPED


def test_skip_next_break_during_a_pause_is_kept_when_the_pause_ends() -> None:
    sim = started(make_rules(), at(WED, "09:00"))
    sim.wakes_until(at(WED, "10:00"))
    sim.feed(PauseRequested(timedelta(minutes=30)))
    assert not sim.feed(SkipRequested()).of_type(Refuse)
    assert local(engine.status(sim.state, sim.now, sim.rules).next_break_at) == "13:30"
    assert first_prompts(run(sim, at(WED, "14:00"), None)) == ["13:30"]


def test_a_quick_restart_forgets_being_away() -> None:
    sim = started(make_rules(), at(WED, "09:00"))
    sim.wakes_until(at(WED, "09:40"))
    sim.feed(AwayStarted(Away.LOCKED, since=at(WED, "09:40")))
    sim.set_clock(at(WED, "09:42"))
    sim.feed(TrayStarted(last_alive_at=at(WED, "09:41")))
    assert sim.state.away == frozenset() and sim.wake_at is not None
    assert first_prompts(run(sim, at(WED, "11:00"), None)) == ["10:30"]


def test_a_restart_after_the_clock_went_back_counts_as_a_long_gap() -> None:
    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:31"))
    sim.set_clock(at(WED, "09:46"))
    sim.feed(TrayStarted(last_alive_at=at(WED, "10:31")))
    assert sim.records()[1].outcome is Outcome.IGNORED
    assert sim.state.open is None


# --- do not disturb ----------------------------------------------------------------------------


def test_a_prompt_due_during_a_fullscreen_window_waits_and_comes_after_it() -> None:
    from tray.core.events import QuietEnded, QuietStarted

    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:00"))
    sim.feed(QuietStarted("fullscreen"))
    assert run(sim, at(WED, "10:45"), None) == []  # due at 10:30: held
    status = engine.status(sim.state, sim.now, sim.rules)
    assert status.held_because == ("fullscreen",)
    assert status.held_until is not None and local(status.held_until) == "11:00"  # 10:30 + 30
    from tray.shell.texts import status_lines

    assert status_lines(status, [], sim.now, sim.rules.zone)[-1] == (
        "Break held: a window is fullscreen; it waits until 11:00 at most, then comes as a "
        "notification only")
    decision = sim.feed(QuietEnded("fullscreen"))
    (show,) = decision.of_type(ShowPrompt)
    assert not show.is_quiet and local(sim.now) == "10:45"


def test_a_prompt_held_for_30_minutes_comes_as_a_quiet_notification_and_counts() -> None:
    from tray.core.events import QuietStarted

    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:00"))
    sim.feed(QuietStarted("fullscreen"))
    shown = run(sim, at(WED, "11:10"), None)
    assert [(local(t), e.is_quiet) for t, e in shown] == [("11:00", True)]
    assert sim.state.count_for(at(WED, "11:00").astimezone(BERLIN).date()).prompts == 1
    assert sim.records()[1].outcome is Outcome.IGNORED  # nothing done with it in 5 minutes


def test_a_snoozed_prompt_waits_for_the_quiet_to_end() -> None:
    from tray.core.events import QuietEnded, QuietStarted

    sim = started(make_rules(), at(WED, "08:00"))
    sim.wakes_until(at(WED, "10:30"))
    sim.feed(SnoozeRequested(timedelta(minutes=10), 1))
    sim.feed(QuietStarted("fullscreen"))
    sim.wakes_until(at(WED, "10:50"))
    assert len(sim.effects(ShowPrompt)) == 1
    sim.feed(QuietEnded("fullscreen"))
    assert len(sim.effects(ShowPrompt)) == 2


def test_deleting_history_keeps_today_s_count_so_the_daily_cap_still_holds() -> None:
    from datetime import date

    from tray.core.model import DayCount, State

    today = date(2026, 3, 2)
    counts = tuple(DayCount(today - timedelta(days=n), prompts=5 - n, completed=n)
                   for n in range(4))
    forgotten = engine.forget_before(State(counts=counts), today)
    assert forgotten.counts == (DayCount(today, prompts=5, completed=0),)
    assert forgotten.count_for(today).prompts == 5  # the cap: no more prompts today
    assert engine.forget_before(forgotten, today) == forgotten


def test_the_records_count_for_a_day_when_they_know_more_than_the_state() -> None:
    from datetime import date

    from tray.core.model import DayCount, State

    day = date(2026, 3, 2)
    state = State(counts=(DayCount(day, prompts=3, completed=1),))
    merged = engine.with_recorded(state, [DayCount(day, prompts=2, completed=2),
                                          DayCount(date(2026, 3, 3), prompts=1)])
    assert merged.count_for(day) == DayCount(day, prompts=3, completed=2)  # the larger of each
    assert merged.count_for(date(2026, 3, 3)).prompts == 1
    assert engine.with_recorded(state, [DayCount(day, prompts=1)]) == state  # nothing new
