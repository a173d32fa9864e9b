"""`pointbreak history` (the table, --csv, --export, --window) and `pointbreak plan` (the prompts
a day would bring under the current settings)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from tray.base import words
from tray.base.dates import clock, weekday_name
from tray.base.exits import Exit
from tray.base.i18n import _, ngettext
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
        print(_("Cannot write {path}: {error}").format(path=path, error=error.strerror or error),
              file=sys.stderr)
        return Exit.REFUSED
    print(ngettext("{n} record written to {path}", "{n} records written to {path}",
                   len(records)).format(n=len(records), path=path))
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
        line = _("{time}  prompt {number}: {outcome}").format(
            time=at(record.shown_at), number=number, outcome=outcome_text(record))
        if len(planned.shown) > 1:
            # TRANSLATORS: {line} is the text before, "10:00  prompt 1: completed".
            line = _("{line} (shown again at {times})").format(
                line=line, times=_(", ").join(at(t) for t in planned.shown[1:]))
        if record.ended_at is not None and record.ended_at != record.shown_at:
            line = _("{line}, ends {time}").format(line=line, time=at(record.ended_at))
        print(line)
    hours = rules.hours
    cap = rules.daily_cap
    reasons = {
        EndReason.NOT_ACTIVE_DAY: _("No prompts: {weekday} is not an active day.").format(
            weekday=weekday_name(day)),
        EndReason.COMPLETED_CAP: ngettext(
            "No more prompts: {n} routine completed, the daily cap (the guidance is up to 5 a "
            "day).", "No more prompts: {n} routines completed, the daily cap (the guidance is "
            "up to 5 a day).", cap).format(n=cap),
        EndReason.PROMPT_CAP: ngettext(
            "No more prompts: the daily cap of {n} prompt is reached.",
            "No more prompts: the daily cap of {n} prompts is reached.", cap).format(n=cap),
        EndReason.END_OF_HOURS: _(
            "No more prompts: the next break would come after the end of active hours "
            "({time}).").format(time=format_offset(hours.end)),
    }
    print(reasons[plan.end_reason])
    return Exit.OK

