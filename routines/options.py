"""The routine window's options and fixed values: what the launcher hands the window (Options),
the exit code for each outcome, the key guard, and the steps' headings (the snooze choices are
tray.core.choices.SNOOZE_MINUTES, the menu's own)."""

from __future__ import annotations

from dataclasses import dataclass

EXIT_CODES = {"completed": 0, "stopped_early": 3, "skipped": 4, "ignored": 5, "snoozed": 6}
KEY_GUARD_SECONDS = 2.0
END_CARD_CLOSES_SECONDS = 120
ART_SIZE = 200  # at font scale 1 and 96 DPI

@dataclass(frozen=True)
class Options:
    rounds: int = 4
    theme: str = "light"
    font_scale: float = 1.0
    is_sound_on: bool = True
    volume: int = 70
    is_voice_on: bool = False
    language: str = "en"
    can_snooze: bool = True
    card_timeout_seconds: float = 300.0
    completed_today: int = 0
    daily_cap: int = 5
    start_in_routine: bool = False
    key_guard_seconds: float = KEY_GUARD_SECONDS


_HEADINGS = {"settle": "Get comfortable", "locate": "Find the spot", "finish": "All done"}
_NAMES = {**_HEADINGS, "press": "Press", "rest": "Rest"}
APP_NAME = "Pointbreak"


def window_title(what: str) -> str:
    """The window's title: what it shows first (a screen reader and the task bar say it)."""
    return f"{what} — {APP_NAME}"


def step_title(kind: str, number: int, count: int, is_paused: bool) -> str:
    name = _NAMES.get(kind, kind.title())
    return window_title(f"Step {number} of {count}: {name}" + (" (paused)" if is_paused else ""))


def spoken_step(text: str, kind: str, round_: int, rounds: int) -> str:
    """What the voice says as a step begins: a press says its round first."""
    if round_ and kind == "press":
        return f"Round {round_} of {rounds}. {text}"
    return text


def heading(kind: str, round_: int, rounds: int) -> str:
    if round_:
        return f"Round {round_} of {rounds}" + (" · rest" if kind == "rest" else "")
    return _HEADINGS.get(kind, "")
