"""What the tray icon shows, and the rule that says it: the one part of the break rules the tray
needs before its icon shows, so it is kept apart from the rest of the core (model.py,
engine.py), which the tray imports only after the icon is up.

`mode` is the rule; `engine.status` gives it the engine's state, and the tray's first icon
(tray.shell.glance) the same facts read from the saved state file.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

DEFAULT_SNOOZE = timedelta(minutes=10)
SNOOZE_RANGE = (timedelta(minutes=1), timedelta(minutes=120))
GUIDANCE_PER_DAY = 5  # the routine's own most prompts a day (ROUTINE-FACTS.md)


class Mode(StrEnum):
    """What the tray icon shows."""

    NORMAL = "normal"
    DUE = "due"
    SNOOZED = "snoozed"
    PAUSED = "paused"
    DONE = "done"


def mode(*, is_paused: bool, has_open: bool, is_open_snoozed: bool, is_deferred: bool,
         prompts_today: int, completed_today: int, daily_cap: int) -> Mode:
    """Paused over everything; then a prompt that is up (due) or snoozed, or a break moved on
    (snoozed); then the day's cap reached (done); else normal."""
    if is_paused:
        return Mode.PAUSED
    if has_open and not is_open_snoozed:
        return Mode.DUE
    if has_open or is_deferred:
        return Mode.SNOOZED
    if prompts_today >= daily_cap or completed_today >= daily_cap:
        return Mode.DONE
    return Mode.NORMAL
