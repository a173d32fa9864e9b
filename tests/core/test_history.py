"""The history's numbers (tray/core/history.py) and `pointbreak history` against a known year.

The year is generated here by a rule simple enough to count by hand per day, and the expected
numbers are worked out from the rule in the test, not by the code under test."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
from helpers import BERLIN, sample_day_plan, sample_year

from tray.base import words
from tray.core import history
from tray.core.model import Kind, Outcome, Record
from tray.store import Store

TODAY = date(2026, 11, 25)  # a Wednesday
FIRST = TODAY - timedelta(days=364)
WEEKDAYS = frozenset(range(5))


def day_plan(day: date) -> list[tuple[Kind, Outcome | None, int, int]]:
    return sample_day_plan(day, TODAY)


def year() -> list[Record]:
    return sample_year(TODAY)


def expected_totals() -> dict[str, int]:
    totals = {"prompts": 0, "routines": 0, "snoozes": 0, "sessions": 0}
    for offset in range(365):
        for kind, outcome, snoozes, _ in day_plan(FIRST + timedelta(days=offset)):
            totals["prompts"] += kind is Kind.PROMPT
            totals["sessions"] += kind is Kind.SESSION
            totals["routines"] += outcome is Outcome.COMPLETED
            totals["snoozes"] += snoozes
    return totals


def test_a_known_year_counts_exactly() -> None:
    days = history.by_day(year(), FIRST, TODAY, WEEKDAYS)
    assert len(days) == 365 and days[0].day == FIRST and days[-1].day == TODAY
    total = history.totals(days)
    want = expected_totals()
    assert (total.prompts, total.routines, total.snoozes, total.sessions) == (
        want["prompts"], want["routines"], want["snoozes"], want["sessions"])
    assert sum(d.count(None) for d in days) == 1  # today's open prompt
    # One day read by hand: FIRST + 6 is Tue 2025-12-02, i = 6: 2 prompts (6 % 4), the first
    # skipped (6 % 3 == 0) and snoozed once, the second ignored; no session (6 % 10).
    day = days[6]
    assert day.day == date(2025, 12, 2) and day.is_active
    assert (day.prompt_count, day.count(Outcome.SKIPPED), day.count(Outcome.IGNORED),
            day.routines, day.snoozes, day.sessions) == (2, 1, 1, 0, 1, 0)


def test_the_streak_counts_active_days_and_weekends_do_not_break_it() -> None:
    days = history.by_day(year(), FIRST, TODAY, WEEKDAYS)
    # Tue 17th .. Wed 25th: 7 weekdays with a routine; the weekend between breaks nothing.
    # Mon 16th: i = 355, 355 % 4 = 3 prompts, 355 % 3 = 1: the first completed: +1.
    # Sun 15th: nothing, not an active day. Sat 14th: i = 353, (353 // 7) % 5 == 0: a session
    # by hand: +1. Fri 13th: i = 352, 352 % 4 = 0 prompts, no session: the streak starts after.
    assert history.streak(days, TODAY) == 9
    # Today without a routine yet does not break it: the streak is the one up to yesterday.
    without_today = [r for r in year() if r.day != TODAY]
    days = history.by_day(without_today, FIRST, TODAY, WEEKDAYS)
    assert history.streak(days, TODAY) == 8
    # With every day of the week active, Sun 22nd (no routine) breaks it: Mon..Wed remain.
    days = history.by_day(year(), FIRST, TODAY, frozenset(range(7)))
    assert history.streak(days, TODAY) == 3


def test_the_longest_streak_and_the_favourite_hour() -> None:
    records = year()
    days = history.by_day(records, FIRST, TODAY, WEEKDAYS)
    assert history.longest_streak(days) >= history.streak(days, TODAY)
    counts = history.hours(records, BERLIN)
    # Completed routines happen at 10:xx (prompts) and 16:xx (sessions) only.
    assert [h for h, n in enumerate(counts) if n] == [10, 16]
    assert sum(counts) == expected_totals()["routines"]
    assert history.favourite_hour(counts) == 10
    assert words.hour_span(10) == "10:00\u201311:00" and words.hour_span(23) == "23:00\u201300:00"
    assert history.favourite_hour([0] * 24) is None


def test_the_day_csv_has_one_exact_row_per_day() -> None:
    days = history.by_day(year(), FIRST, TODAY, WEEKDAYS)
    rows = list(csv.reader(io.StringIO(history.days_csv(days))))
    assert rows[0] == list(history.DAY_COLUMNS)
    assert len(rows) == 366
    assert rows[7] == ["2025-12-02", "Tue", "yes", "2", "0", "0", "1", "1", "0", "0", "0", "0",
                       "1"]
    assert rows[-1] == ["2026-11-25", "Wed", "yes", "2", "1", "0", "0", "0", "0", "1", "1", "0",
                        "0"]
    column = rows[0].index("routines")
    assert sum(int(r[column]) for r in rows[1:]) == expected_totals()["routines"]


def test_weeks_sum_their_days() -> None:
    days = history.by_day(year(), FIRST, TODAY, WEEKDAYS)
    weeks = history.weeks(days)
    assert all(w.day.weekday() == 0 for w in weeks[1:])
    assert sum(w.prompt_count for w in weeks) == expected_totals()["prompts"]
    assert sum(w.snoozes for w in weeks) == expected_totals()["snoozes"]


def test_an_empty_history_and_a_single_day() -> None:
    days = history.by_day([], TODAY - timedelta(days=27), TODAY, WEEKDAYS)
    assert len(days) == 28 and history.totals(days).prompts == 0
    assert history.streak(days, TODAY) == 0 and history.longest_streak(days) == 0
    assert history.totals(days).completion is None
    lines = words.summary_lines(days, [], TODAY, BERLIN)
    assert lines[-1] == "No routine completed in these days yet"
    one = [r for r in year() if r.day == TODAY]
    days = history.by_day(one, TODAY, TODAY, WEEKDAYS)
    assert history.streak(days, TODAY) == 1
    assert history.totals(days).completion == 0.5
    assert words.summary_lines(days, one, TODAY, BERLIN) == [
        "In this 1 day: 1 routine completed, 2 prompts, 0 snoozes; 50% of prompts ended in "
        "a routine",
        "Streak: 1 active day in a row with a routine (longest in these days: 1)",
        "Routines are most often done at 10:00\u201311:00"]


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_export_has_one_entry_per_record_with_its_outcome(kind: str) -> None:
    records = year()
    text = history.export(records, BERLIN, kind)
    if kind == "json":
        rows = json.loads(text)["records"]
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(records)
    first = rows[0]
    assert first["day"] == records[0].day.isoformat()
    assert first["outcome"] == records[0].outcome.value
    assert first["shown_at"].endswith("+01:00")  # local time with its offset
    assert rows[-1]["outcome"] == "open"


def test_the_command_prints_the_same_numbers_as_csv(profile) -> None:
    store = Store(profile.store)
    store.save(records=year())
    store.close()
    result = profile.run("history", "--csv", "--days", "365", "--until", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    days = history.by_day(year(), FIRST, TODAY, frozenset(range(5)))
    assert result.stdout == history.days_csv(days)
    text = profile.run("history", "--days", "28", "--until", TODAY.isoformat())
    assert text.returncode == 0
    lines = text.stdout.splitlines()
    assert len([line for line in lines if line[:3] in ("Mon", "Tue", "Wed", "Thu", "Fri",
                                                         "Sat", "Sun")]) == 28
    assert "Streak: 9 active days in a row with a routine" in text.stdout
    assert "Routines are most often done at 10:00\u201311:00" in text.stdout
