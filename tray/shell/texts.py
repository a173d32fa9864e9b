"""What a person reads about the state: shared by the menu, the tooltip, the control window and
`pointbreak status`, so they never disagree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from tray.base.dates import clock, day_and_clock
from tray.base.i18n import _, ngettext
from tray.base.words import outcome
from tray.core.engine import Status
from tray.core.model import Kind, Mode, Outcome, Record

TOOLTIP_LIMIT = 127  # Windows rejects longer tray tooltips


def held_reason(reason: str) -> str:
    return {"fullscreen": _("a window is fullscreen"),
            "presentation": _("presentation mode is on"), "screen-off": _("the screen is off"),
            "do-not-disturb": _("do not disturb is on"),
            "microphone": _("the microphone is in use"),
            "camera": _("the camera is in use")}.get(reason, reason)


def today_line(status: Status) -> str:
    done, cap = status.today.completed, status.daily_cap
    if status.is_past_guidance:
        return _("Today: {done} of {cap} (the guidance is up to 5 a day)").format(
            done=done, cap=cap)
    return _("Today: {done} of {cap}").format(done=done, cap=cap)


def next_break_line(status: Status, now: datetime, zone: tzinfo) -> str:
    if status.is_paused:
        if status.paused_until is None:
            return _("Paused until resumed")
        return day_and_clock(status.paused_until, now, zone, today=_("Paused until {time}"),
                             this_week=_("Paused until {weekday} {time}"),
                             later=_("Paused until {date}, {time}"))
    if status.open_phase is not None and status.snoozed_until is not None:
        return _("Snoozed until {time}").format(time=clock(status.snoozed_until, zone))
    if status.open_phase is not None:
        return _("Break on screen now")
    if status.next_break_at is None:
        return _("No break planned")
    return day_and_clock(status.next_break_at, now, zone, today=_("Next break at {time}"),
                         this_week=_("Next break at {weekday} {time}"),
                         later=_("Next break at {date}, {time}"))


def outcome_text(record: Record) -> str:
    text = outcome(record.outcome)
    if record.outcome is Outcome.STOPPED_EARLY and record.step is not None:
        text = _("stopped early at step {step}").format(step=record.step)
    if record.snoozes:
        text = ngettext("{outcome}, snoozed {n}x", "{outcome}, snoozed {n}x",
                        record.snoozes).format(outcome=text, n=record.snoozes)
    return text


def prompts_line(records: Sequence[Record], zone: tzinfo) -> str:
    prompts = [r for r in records if r.kind is Kind.PROMPT]
    if not prompts:
        return _("Prompts shown today: none")
    shown = _(", ").join(_("{time} {outcome}").format(time=clock(r.shown_at, zone),
                                                     outcome=outcome_text(r)) for r in prompts)
    return _("Prompts shown today: {n} ({list})").format(n=len(prompts), list=shown)


def status_lines(status: Status, records: Sequence[Record], now: datetime,
                 zone: tzinfo) -> list[str]:
    lines = [next_break_line(status, now, zone), today_line(status),
             prompts_line(records, zone)]
    sessions = sum(r.kind is Kind.SESSION for r in records)
    if sessions:
        lines.append(_("Sessions started by hand: {n}").format(n=sessions))
    if status.is_away:
        lines.append(_("Away: no prompt is shown until you are back"))
    if status.held_because:
        why = _(", ").join(held_reason(r) for r in status.held_because)
        if status.held_until is None:
            lines.append(_("Break held: {why}; it then comes as a notification only").format(
                why=why))
        else:
            lines.append(_("Break held: {why}; it waits until {time} at most, then comes as a "
                           "notification only").format(why=why,
                                                       time=clock(status.held_until, zone)))
    return lines


def tooltip(status: Status, now: datetime, zone: tzinfo) -> str:
    text = _("Pointbreak: {state}").format(state=next_break_line(status, now, zone))
    if status.mode is Mode.DONE:
        text = _("Pointbreak: done for today ({done} of {cap})").format(
            done=status.today.completed, cap=status.daily_cap)
    return text[:TOOLTIP_LIMIT]
