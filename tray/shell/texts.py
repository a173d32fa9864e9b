"""What a person reads about the state: shared by the menu, the tooltip, the control window and
`pointbreak status`, so they never disagree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from tray.config.localtime import clock, day_and_clock
from tray.core.engine import Status
from tray.core.model import Kind, Mode, Outcome, Record

GUIDANCE = "the guidance is up to 5 a day"
HELD_REASONS = {"fullscreen": "a window is fullscreen",
                "presentation": "presentation mode is on", "screen-off": "the screen is off",
                "do-not-disturb": "do not disturb is on",
                "microphone": "the microphone is in use", "camera": "the camera is in use"}
TOOLTIP_LIMIT = 127  # Windows rejects longer tray tooltips


def today_line(status: Status) -> str:
    line = f"Today: {status.today.completed} of {status.daily_cap}"
    return f"{line} ({GUIDANCE})" if status.is_past_guidance else line


def next_break_line(status: Status, now: datetime, zone: tzinfo) -> str:
    if status.is_paused:
        if status.paused_until is None:
            return "Paused until resumed"
        return f"Paused until {day_and_clock(status.paused_until, now, zone)}"
    if status.open_phase is not None and status.snoozed_until is not None:
        return f"Snoozed until {clock(status.snoozed_until, zone)}"
    if status.open_phase is not None:
        return "Break on screen now"
    if status.next_break_at is None:
        return "No break planned"
    return f"Next break at {day_and_clock(status.next_break_at, now, zone)}"


def outcome_text(record: Record) -> str:
    if record.outcome is None:
        text = "open"
    else:
        text = record.outcome.value.replace("_", " ")
        if record.outcome is Outcome.STOPPED_EARLY and record.step is not None:
            text += f" at step {record.step}"
    if record.snoozes:
        text += f", snoozed {record.snoozes}x"
    return text


def prompts_line(records: Sequence[Record], zone: tzinfo) -> str:
    prompts = [r for r in records if r.kind is Kind.PROMPT]
    if not prompts:
        return "Prompts shown today: none"
    shown = ", ".join(f"{clock(r.shown_at, zone)} {outcome_text(r)}" for r in prompts)
    return f"Prompts shown today: {len(prompts)} ({shown})"


def status_lines(status: Status, records: Sequence[Record], now: datetime,
                 zone: tzinfo) -> list[str]:
    lines = [next_break_line(status, now, zone), today_line(status),
             prompts_line(records, zone)]
    sessions = sum(r.kind is Kind.SESSION for r in records)
    if sessions:
        lines.append(f"Sessions started by hand: {sessions}")
    if status.is_away:
        lines.append("Away: no prompt is shown until you are back")
    if status.held_because:
        why = ", ".join(HELD_REASONS.get(r, r) for r in status.held_because)
        until = "" if status.held_until is None else f" until {clock(status.held_until, zone)}"
        lines.append(f"Break held: {why}; it waits{until} at most, then comes as a "
                     "notification only")
    return lines


def tooltip(status: Status, now: datetime, zone: tzinfo) -> str:
    text = f"Pointbreak: {next_break_line(status, now, zone)}"
    if status.mode is Mode.DONE:
        text = f"Pointbreak: done for today ({status.today.completed} of {status.daily_cap})"
    return text[:TOOLTIP_LIMIT]
