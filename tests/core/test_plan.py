"""`pointbreak plan`: the engine's own schedule on a simulated clock, checked against the rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import ALL_DAY, BERLIN, NEW_YORK, make_rules

from tray.core.hours import period_of
from tray.core.model import DEFAULT_SNOOZE, Outcome, Rules
from tray.core.plan import Answer, EndReason, Plan, plan_day

EXPECTED_OUTCOME = {Answer.COMPLETED: Outcome.COMPLETED, Answer.SKIPPED: Outcome.SKIPPED,
                    Answer.SNOOZED: Outcome.SKIPPED, Answer.IGNORED: Outcome.IGNORED}


def check_against_the_rules(plan: Plan, rules: Rules) -> None:
    period = period_of(plan.day, rules.hours, rules.zone)
    assert period is not None
    assert 0 < len(plan.prompts) <= rules.daily_cap
    work_from = period.start
    for planned in plan.prompts:
        record = planned.record
        assert record.outcome is EXPECTED_OUTCOME[plan.answer]
        assert record.day == plan.day
        # Due after exactly one interval of work inside active hours.
        assert planned.shown[0] == work_from + rules.interval
        assert all(period.contains(t) for t in planned.shown)
        if plan.answer is Answer.SNOOZED:
            assert record.snoozes == 3 and record.snoozed_for == 3 * DEFAULT_SNOOZE
            assert [b - a for a, b in zip(planned.shown, planned.shown[1:], strict=False)] == [
                DEFAULT_SNOOZE] * 3
        else:
            assert len(planned.shown) == 1 and record.snoozes == 0
        expected_end = {Answer.COMPLETED: planned.shown[-1] + rules.routine_length,
                        Answer.IGNORED: planned.shown[-1] + rules.card_timeout}.get(
            plan.answer, planned.shown[-1])
        assert record.ended_at == expected_end
        work_from = record.ended_at  # the count restarts when a prompt ends
    # ...and the list ends for the reason given.
    if plan.end_reason is EndReason.END_OF_HOURS:
        assert work_from + rules.interval >= period.end
    elif plan.end_reason is EndReason.COMPLETED_CAP:
        assert sum(p.record.outcome is Outcome.COMPLETED for p in plan.prompts) == rules.daily_cap
    else:
        assert plan.end_reason is EndReason.PROMPT_CAP and len(plan.prompts) == rules.daily_cap


@pytest.mark.parametrize("answer", list(Answer), ids=[a.value for a in Answer])
@pytest.mark.parametrize(("zone", "day", "all_day"), [
    (BERLIN, date(2026, 11, 25), False),
    (BERLIN, date(2026, 10, 25), True),
    (BERLIN, date(2026, 3, 29), True),
    (NEW_YORK, date(2026, 11, 1), True),
    (NEW_YORK, date(2026, 3, 8), True),
], ids=["berlin-normal-day", "berlin-autumn-dst", "berlin-spring-dst", "new-york-autumn-dst",
        "new-york-spring-dst"])
def test_plans_follow_the_rules(zone, day, all_day, answer) -> None:
    rules = make_rules(zone, hours=ALL_DAY) if all_day else make_rules(zone)
    plan = plan_day(day, answer, rules)
    check_against_the_rules(plan, rules)


def test_a_normal_day_in_detail() -> None:
    rules = make_rules()
    plan = plan_day(date(2026, 11, 25), Answer.SNOOZED, rules)
    first = [p.shown[0].astimezone(BERLIN).strftime("%H:%M") for p in plan.prompts]
    assert first == ["10:30", "12:30", "14:30", "16:30"]
    assert plan.end_reason is EndReason.END_OF_HOURS


def test_the_repeated_hour_is_crossed_in_berlin() -> None:
    plan = plan_day(date(2026, 10, 25), Answer.COMPLETED, make_rules(hours=ALL_DAY))
    zones = [p.shown[0].astimezone(BERLIN).strftime("%H:%M %Z") for p in plan.prompts]
    assert zones[:2] == ["01:30 CEST", "02:06 CET"]


def test_a_day_off_has_no_prompts() -> None:
    plan = plan_day(date(2026, 11, 28), Answer.COMPLETED, make_rules())
    assert plan.prompts == () and plan.end_reason is EndReason.NOT_ACTIVE_DAY


def test_a_smaller_cap_and_interval_change_the_plan() -> None:
    rules = make_rules(daily_cap=2, interval=timedelta(minutes=30))
    plan = plan_day(date(2026, 11, 25), Answer.SKIPPED, rules)
    check_against_the_rules(plan, rules)
    assert len(plan.prompts) == 2 and plan.end_reason is EndReason.PROMPT_CAP
