"""The history's numbers: per day, streaks, the time of day, CSV and JSON. Pure: records in,
numbers out, so `pointbreak history`, its CSV and the history window can never disagree (their
words are tray.base.words)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from tray.core.model import Kind, Outcome, Record

# The order prompts are stacked in, bottom up (their words are tray.base.words.outcome).
STACK = (Outcome.COMPLETED, Outcome.STOPPED_EARLY, Outcome.SKIPPED, Outcome.IGNORED,
         Outcome.FAILED, None)
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # the CSV's, data not words


@dataclass(frozen=True)
class Day:
    day: date
    is_active: bool  # one of the active days of the week
    prompts: dict[Outcome | None, int] = field(default_factory=dict)  # prompts by outcome
    routines: int = 0  # routines completed, from a prompt or started by hand
    sessions: int = 0  # sessions started by hand
    snoozes: int = 0

    @property
    def prompt_count(self) -> int:
        return sum(self.prompts.values())

    def count(self, outcome: Outcome | None) -> int:
        return self.prompts.get(outcome, 0)


def by_day(records: Iterable[Record], first: date, last: date,
           active_days: frozenset[int]) -> list[Day]:
    """One Day for every calendar day first..last (days without records included)."""
    prompts: dict[date, dict[Outcome | None, int]] = {}
    routines: dict[date, int] = {}
    sessions: dict[date, int] = {}
    snoozes: dict[date, int] = {}
    for record in records:
        if not first <= record.day <= last:
            continue
        if record.kind is Kind.PROMPT:
            counts = prompts.setdefault(record.day, {})
            counts[record.outcome] = counts.get(record.outcome, 0) + 1
        else:
            sessions[record.day] = sessions.get(record.day, 0) + 1
        if record.outcome is Outcome.COMPLETED:
            routines[record.day] = routines.get(record.day, 0) + 1
        snoozes[record.day] = snoozes.get(record.day, 0) + record.snoozes
    days = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        days.append(Day(day, day.weekday() in active_days, prompts.get(day, {}),
                        routines.get(day, 0), sessions.get(day, 0), snoozes.get(day, 0)))
    return days


def streak(days: Sequence[Day], today: date) -> int:
    """Active days in a row, up to today, with at least one routine completed. A day outside
    the active days neither breaks the streak nor adds to it unless a routine was done on it;
    today, not over yet, breaks nothing. `days` must run up to today without gaps."""
    count = 0
    for day in reversed([d for d in days if d.day <= today]):
        if day.routines:
            count += 1
        elif day.is_active and day.day != today:
            break
    return count


def longest_streak(days: Sequence[Day]) -> int:
    best = current = 0
    for day in days:
        if day.routines:
            current += 1
            best = max(best, current)
        elif day.is_active:
            current = 0
    return best


def hours(records: Iterable[Record], zone: tzinfo) -> list[int]:
    """Routines completed by local hour of the day they started (24 counts)."""
    counts = [0] * 24
    for record in records:
        if record.outcome is Outcome.COMPLETED:
            counts[(record.started_at or record.shown_at).astimezone(zone).hour] += 1
    return counts


def favourite_hour(counts: Sequence[int]) -> int | None:
    """The hour most routines were done in (the earliest of equals), or None for none."""
    best = max(counts, default=0)
    return None if best == 0 else list(counts).index(best)


@dataclass(frozen=True)
class Totals:
    prompts: int
    routines: int
    completed_prompts: int
    sessions: int
    snoozes: int
    active_days: int
    days_with_routine: int

    @property
    def completion(self) -> float | None:
        """The share of prompts that ended in a completed routine."""
        return None if not self.prompts else self.completed_prompts / self.prompts


def totals(days: Sequence[Day]) -> Totals:
    return Totals(prompts=sum(d.prompt_count for d in days),
                  routines=sum(d.routines for d in days),
                  completed_prompts=sum(d.count(Outcome.COMPLETED) for d in days),
                  sessions=sum(d.sessions for d in days),
                  snoozes=sum(d.snoozes for d in days),
                  active_days=sum(d.is_active for d in days),
                  days_with_routine=sum(1 for d in days if d.routines))


def weeks(days: Sequence[Day]) -> list[Day]:
    """Days summed by week (Monday first) for long ranges: each Day stands for its week."""
    grouped: dict[date, list[Day]] = {}
    for day in days:
        grouped.setdefault(day.day - timedelta(days=day.day.weekday()), []).append(day)
    result = []
    for monday, group in grouped.items():
        prompts: dict[Outcome | None, int] = {}
        for day in group:
            for outcome, count in day.prompts.items():
                prompts[outcome] = prompts.get(outcome, 0) + count
        result.append(Day(monday, any(d.is_active for d in group), prompts,
                          sum(d.routines for d in group), sum(d.sessions for d in group),
                          sum(d.snoozes for d in group)))
    return result


# --- CSV and JSON -------------------------------------------------------------------------------

DAY_COLUMNS = ("day", "weekday", "active", "prompts", "completed", "stopped_early", "skipped",
               "ignored", "failed", "open", "routines", "sessions", "snoozes")


def day_row(day: Day) -> list[str | int]:
    return [day.day.isoformat(), WEEKDAY_NAMES[day.day.weekday()], "yes" if day.is_active else "no",
            day.prompt_count, *(day.count(o) for o in STACK), day.routines, day.sessions,
            day.snoozes]


def days_csv(days: Sequence[Day]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DAY_COLUMNS)
    writer.writerows(day_row(d) for d in days)
    return out.getvalue()


RECORD_COLUMNS = ("seq", "kind", "day", "shown_at", "started_at", "ended_at", "outcome", "step",
                  "snoozes", "snoozed_minutes")


def _instant(value: datetime | None, zone: tzinfo) -> str:
    return "" if value is None else value.astimezone(zone).isoformat(timespec="seconds")


def record_row(record: Record, zone: tzinfo) -> dict[str, str | int | float | None]:
    return {"seq": record.seq, "kind": record.kind.value, "day": record.day.isoformat(),
            "shown_at": _instant(record.shown_at, zone),
            "started_at": _instant(record.started_at, zone),
            "ended_at": _instant(record.ended_at, zone),
            "outcome": record.outcome.value if record.outcome else "open",
            "step": record.step,
            "snoozes": record.snoozes,
            "snoozed_minutes": round(record.snoozed_for.total_seconds() / 60, 1)}


def export(records: Iterable[Record], zone: tzinfo, kind: str) -> str:
    """Every record, one per prompt or session with its outcome, as "csv" or "json"."""
    rows = [record_row(r, zone) for r in records]
    if kind == "json":
        return json.dumps({"app": "pointbreak", "records": rows}, indent=1) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=RECORD_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
    return out.getvalue()
