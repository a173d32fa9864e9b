"""`pointbreak history` (the table, --csv, --export, --window) and `pointbreak plan` (the prompts
a day would bring under the current settings)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from tray.base import words
from tray.base.dates import clock
from tray.base.exits import Exit
from tray.cli.commands import open_store, open_window, read_profile, tell_notices
from tray.core.codec import FIRST_DAY, LAST_DAY
from tray.core.model import Record


def run_history(args: argparse.Namespace) -> int:
    from tray.core import history

    if args.window:
        return open_window("tray.ui.history_window")
    profile = read_profile()
    store = open_store(profile)
    if args.export is not None:
        everything = store.records(FIRST_DAY, LAST_DAY)
        tell_notices(store)
        return _export(args.export, everything, profile.zone)
    last = args.until or datetime.now(UTC).astimezone(profile.zone).date()
    first = max(FIRST_DAY, last - timedelta(days=args.days - 1))
    records = store.records(first, last)
    tell_notices(store)
    days = history.by_day(records, first, last, profile.settings.hours.days)
    if args.csv:
        sys.stdout.write(history.days_csv(days))
        return Exit.OK
    print("\n".join(words.days_table(days)))
    print()
    print("\n".join(words.summary_lines(days, records, last, profile.zone)))
    return Exit.OK


def _export(path: Path, records: list[Record], zone: tzinfo) -> int:
    from tray.store.export import export_to

    try:
        export_to(path, records, zone)
    except OSError as error:
        print(f"Cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return Exit.REFUSED
    print(f"{len(records)} records written to {path}")
    return Exit.OK


def run_plan(args: argparse.Namespace) -> int:
    from tray.core.hours import format_offset
    from tray.core.plan import Answer, EndReason, plan_day
    from tray.shell.texts import outcome_text

    profile = read_profile()
    rules = profile.rules
    day = args.date or datetime.now(UTC).astimezone(profile.zone).date()
    plan = plan_day(day, Answer(args.answer), rules)
    offsets = {p.record.shown_at.astimezone(rules.zone).utcoffset() for p in plan.prompts}
    with_zone = len(offsets) > 1  # a DST change inside the day: name the zone on each line

    def at(instant: datetime) -> str:
        return clock(instant, rules.zone, with_zone=with_zone)

    for number, planned in enumerate(plan.prompts, start=1):
        record = planned.record
        line = f"{at(record.shown_at)}  prompt {number}: {outcome_text(record)}"
        if len(planned.shown) > 1:
            line += " (shown again at " + ", ".join(at(t) for t in planned.shown[1:]) + ")"
        if record.ended_at is not None and record.ended_at != record.shown_at:
            line += f", ends {at(record.ended_at)}"
        print(line)
    hours = rules.hours
    reasons = {
        EndReason.NOT_ACTIVE_DAY: f"No prompts: {day:%A} is not an active day.",
        EndReason.COMPLETED_CAP: f"No more prompts: {rules.daily_cap} routines completed, the "
                                 f"daily cap (the guidance is up to 5 a day).",
        EndReason.PROMPT_CAP: f"No more prompts: the daily cap of {rules.daily_cap} prompts "
                              "is reached.",
        EndReason.END_OF_HOURS: "No more prompts: the next break would come after the end of "
                                f"active hours ({format_offset(hours.end)}).",
    }
    print(reasons[plan.end_reason])
    return Exit.OK

