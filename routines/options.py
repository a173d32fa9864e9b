"""The routine window's options and fixed values: what the launcher hands the window (Options),
the exit code for each outcome, the key guard, and the steps' headings and the window's titles,
in the language shown (the snooze choices are tray.core.choices.SNOOZE_MINUTES, the menu's
own)."""

from __future__ import annotations

from dataclasses import dataclass

from tray.base.i18n import N_, _

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


# TRANSLATORS: the steps' names, in the window's title ("Step 3 of 11: Press") and, for the steps
# outside the rounds, as their heading.
_HEADINGS = {"settle": N_("Get comfortable"), "locate": N_("Find the spot"),
             "finish": N_("All done")}
_NAMES = {**_HEADINGS, "press": N_("Press"), "rest": N_("Rest")}
APP_NAME = "Pointbreak"


def card_title() -> str:
    """The prompt card's title (a screen reader and the task bar say it first)."""
    return _("Time for a back break — Pointbreak")


def end_title() -> str:
    return _("Well done — Pointbreak")


def step_name(kind: str) -> str:
    return _(_NAMES[kind]) if kind in _NAMES else kind.title()


def step_title(kind: str, number: int, count: int, is_paused: bool) -> str:
    """The title while a step runs: it names the step (the kinds are those of routine.KINDS)."""
    name = step_name(kind)
    if is_paused:
        return _("Step {n} of {total}: {name} (paused) — Pointbreak").format(
            n=number, total=count, name=name)
    return _("Step {n} of {total}: {name} — Pointbreak").format(n=number, total=count,
                                                                name=name)


def spoken_step(text: str, kind: str, round_: int, rounds: int) -> str:
    """What the voice says as a step begins: a press says its round first."""
    if round_ and kind == "press":
        # TRANSLATORS: spoken as a press step begins; {step} is the step's own spoken text.
        return _("Round {round} of {rounds}. {step}").format(round=round_, rounds=rounds,
                                                            step=text)
    return text


def heading(kind: str, round_: int, rounds: int) -> str:
    if round_ and kind == "rest":
        return _("Round {round} of {rounds} · rest").format(round=round_, rounds=rounds)
    if round_:
        return _("Round {round} of {rounds}").format(round=round_, rounds=rounds)
    return _(_HEADINGS[kind]) if kind in _HEADINGS else ""
