"""The break rules' values in words, in the language shown: durations, pauses, outcomes and the
history's summary. The core keeps the numbers and names; this is where they are read out, so the
menu, the windows and the commands say them alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, tzinfo
from typing import assert_never

from tray.base.dates import time_of_day, weekday
from tray.base.durations import duration as duration  # the menu's: kept apart, re-exported
from tray.base.durations import pause_label as pause_label
from tray.base.i18n import _, ngettext, pgettext
from tray.core import history
from tray.core.events import Refuse, Why
from tray.core.model import Outcome, Record


def outcome(value: Outcome | None) -> str:
    """How a prompt ended, as a word ("open" while it has not)."""
    return {Outcome.COMPLETED: pgettext("outcome", "completed"),
            Outcome.STOPPED_EARLY: pgettext("outcome", "stopped early"),
            Outcome.SKIPPED: pgettext("outcome", "skipped"),
            Outcome.IGNORED: pgettext("outcome", "ignored"),
            Outcome.FAILED: pgettext("outcome", "failed"),
            None: pgettext("outcome", "open")}[value]


def hour_span(hour: int) -> str:
    """"10:00–11:00" (or "10:00 AM–11:00 AM" on a 12-hour clock)."""
    return _("{start}\u2013{end}").format(start=time_of_day(hour, 0),
                                         end=time_of_day((hour + 1) % 24, 0))


def days_table(days: Sequence[history.Day]) -> list[str]:
    heads = (pgettext("table", "day"), pgettext("table", "prompts"), pgettext("table", "done"),
             pgettext("table", "stopped"), pgettext("table", "skipped"),
             pgettext("table", "ignored"), pgettext("table", "failed"),
             pgettext("table", "routines"), pgettext("table", "snoozes"))
    widths = [15, *(max(6, len(head)) for head in heads[1:])]
    lines = [" ".join(f"{head:<{w}}" if i == 0 else f"{head:>{w}}"
                      for i, (head, w) in enumerate(zip(heads, widths, strict=True)))]
    for day in days:
        values = (day.prompt_count, *(day.count(o) for o in history.STACK[:5]), day.routines,
                  day.snoozes)
        first = f"{weekday(day.day)} {day.day.isoformat()}"
        lines.append(" ".join([f"{first:<{widths[0]}}",
                               *(f"{v:>{w}}" for v, w in zip(values, widths[1:], strict=True))]))
    return lines


def summary_lines(days: Sequence[history.Day], records: Iterable[Record], today: date,
                  zone: tzinfo) -> list[str]:
    total = history.totals(days)
    lines = [_("{days}: {routines}, {prompts}, {snoozes}").format(
        days=ngettext("In this {n} day", "In these {n} days", len(days)).format(n=len(days)),
        routines=ngettext("{n} routine completed", "{n} routines completed",
                          total.routines).format(n=total.routines),
        prompts=ngettext("{n} prompt", "{n} prompts", total.prompts).format(n=total.prompts),
        snoozes=ngettext("{n} snooze", "{n} snoozes", total.snoozes).format(n=total.snoozes))]
    if total.completion is not None:
        lines[0] += _("; {percent}% of prompts ended in a routine").format(
            percent=round(total.completion * 100))
    streak, longest = history.streak(days, today), history.longest_streak(days)
    lines.append(ngettext("Streak: {n} active day in a row with a routine",
                          "Streak: {n} active days in a row with a routine", streak).format(
                              n=streak)
                 + " " + _("(longest in these days: {n})").format(n=longest))
    hour = history.favourite_hour(history.hours(records, zone))
    lines.append(_("Routines are most often done at {hours}").format(hours=hour_span(hour))
                 if hour is not None else _("No routine completed in these days yet"))
    return lines


def refusal(refused: Refuse) -> str:
    """Why a request was refused, as the person reads it."""
    n = refused.number
    match refused.why:
        case Why.NOT_OPEN:
            return _("That prompt is no longer open.")
        case Why.ON_SCREEN:
            return _("A session is on screen; stop it there.")
        case Why.NOT_PAUSED:
            return _("Pointbreak is not paused.")
        case Why.SNOOZE_RANGE:
            return _("A snooze is 1 to 120 minutes, not {minutes:g}.").format(minutes=n or 0)
        case Why.RUNNING_SNOOZE:
            return _("A session is on screen; it cannot be snoozed.")
        case Why.SNOOZED_ENOUGH:
            count = int(n or 0)
            return ngettext("This break was snoozed {n} time already; start it or skip it.",
                            "This break was snoozed {n} times already; start it or skip it.",
                            count).format(n=count)
        case Why.PAUSED:
            return _("No break is planned while Pointbreak is paused.")
        case Why.ZERO_PAUSE:
            return _("A pause must last longer than zero minutes.")
        case _:
            assert_never(refused.why)
