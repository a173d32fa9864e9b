"""Snoozes and pauses: what a person asks for (`Snooze`, `Pause`: the one shape the command
line, the control window, the tray menu and the prompt card all send, and the engine event
each means), and the choices every place that offers them shows (the tray menu, the control
window, the prompt card's Snooze button; their words are tray.base.words)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tray.core.modes import DEFAULT_SNOOZE, SNOOZE_RANGE
from tray.core.records import record

if TYPE_CHECKING:  # the events are imported when one is made: the tray menu needs the choices
    from tray.core.events import PauseRequested, SnoozeRequested  # before the engine is loaded

MINUTE = timedelta(minutes=1)
SNOOZE_LIMITS = (SNOOZE_RANGE[0] // MINUTE, SNOOZE_RANGE[1] // MINUTE)  # minutes: 1 to 120
PAUSE_LIMITS = (1, 24 * 60)  # minutes: a timed pause lasts 1 minute to 24 hours
SNOOZE_MINUTES = (5, 10, 30)


@record
class Snooze:
    """Snooze the open prompt, or with none open move the next break, by `minutes` (None: the
    default snooze). The limits are checked where it comes in (SNOOZE_LIMITS)."""

    minutes: int | None = None

    def event(self, seq: int | None = None) -> SnoozeRequested:
        """The engine's event; `seq` names the prompt when it came from that prompt's card."""
        from tray.core.events import SnoozeRequested

        length = DEFAULT_SNOOZE if self.minutes is None else self.minutes * MINUTE
        return SnoozeRequested(length, seq)


@record
class Pause:
    """Pause for `minutes`, until tomorrow (the start of the next active period), or, with
    neither, until resumed. The limits are checked where it comes in (PAUSE_LIMITS)."""

    minutes: int | None = None
    until_tomorrow: bool = False

    def __post_init__(self) -> None:
        if self.until_tomorrow and self.minutes is not None:
            raise ValueError("a pause lasts minutes or until tomorrow, not both")

    def event(self) -> PauseRequested:
        from tray.core.events import PauseRequested

        if self.until_tomorrow:
            return PauseRequested(until_next_period=True)
        return PauseRequested(None if self.minutes is None else self.minutes * MINUTE)


# The pauses every place offers, shortest first (their words are tray.base.words.pause_label).
PAUSE_CHOICES = (Pause(30), Pause(60), Pause(120), Pause(until_tomorrow=True), Pause())
