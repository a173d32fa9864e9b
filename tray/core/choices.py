"""The snoozes and pauses a person is offered, one list for every place that offers them: the
tray menu, the control window, and the prompt card's Snooze button."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SNOOZE_MINUTES = (5, 10, 30)


@dataclass(frozen=True)
class PauseChoice:
    label: str
    minutes: int | None = None      # None: until resumed, or until tomorrow
    until_tomorrow: bool = False

    def args(self) -> dict[str, Any]:
        """The pause command's arguments (the control channel's and the menu's)."""
        if self.until_tomorrow:
            return {"until": "tomorrow"}
        return {} if self.minutes is None else {"minutes": self.minutes}


def minutes_label(minutes: int) -> str:
    """5 min, 30 min, 1 hour, 2 hours."""
    if minutes % 60:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} hour" if hours == 1 else f"{hours} hours"


PAUSE_CHOICES = (*(PauseChoice(minutes_label(m), m) for m in (30, 60, 120)),
                 PauseChoice("Until tomorrow", until_tomorrow=True),
                 PauseChoice("Until resumed"))
