"""What a window process reports to the tray over its pipe (tray.ipc.children carries the lines):
one JSON object a line, made from these types and read back into them here, at the edge, with a
message that names what is wrong. A snooze is the same `Snooze` the command line, the menu and
the control window send.

    {"event": "started"}                      Started: Start pressed (the card becomes the routine)
    {"event": "cue", "cue": "step"}           Cued: a sound cue ("step", "keep_going", "done")
    {"event": "tick", "step": 3, "remaining": 57, "paused": false}
                                              Countdown: the countdown now on the screen
    {"snooze": 10}                            Snooze
    {"outcome": "completed"}                  Ended
    {"outcome": "stopped_early", "step": 4}   Ended, with the step reached
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from routines.session import Cue
from tray.base import guard
from tray.core.choices import MINUTE, SNOOZE_LIMITS, Snooze
from tray.core.model import DEFAULT_SNOOZE, Outcome

MAX_STEP = 1000
MAX_REMAINING = 24 * 60 * 60  # seconds of a step's countdown


class BadReport(ValueError):
    """A report that means nothing; the text says what is wrong."""


@dataclass(frozen=True)
class Started:
    pass


@dataclass(frozen=True)
class Cued:
    cue: Cue


@dataclass(frozen=True)
class Countdown:
    step: int
    remaining: int  # whole seconds
    is_paused: bool


@dataclass(frozen=True)
class Ended:
    outcome: Outcome
    step: int | None = None  # the step reached, when stopped early


Report = Started | Cued | Countdown | Snooze | Ended


def report_json(report: Report) -> dict[str, Any]:
    """A report as its line on the pipe says it."""
    match report:
        case Started():
            return {"event": "started"}
        case Cued(cue):
            return {"event": "cue", "cue": cue.value}
        case Countdown(step, remaining, is_paused):
            return {"event": "tick", "step": step, "remaining": remaining, "paused": is_paused}
        case Snooze(minutes):
            return {"snooze": DEFAULT_SNOOZE // MINUTE if minutes is None else minutes}
        case Ended(outcome, None):
            return {"outcome": outcome.value}
        case Ended(outcome, step):
            return {"outcome": outcome.value, "step": step}
    raise TypeError(f"not a report: {report!r}")


def parse_report_line(line: bytes) -> Report:
    """One line from the pipe. Raises BadReport naming what is wrong."""
    try:
        data = guard.parse_json(line, max_depth=2)
    except guard.Refused as error:
        raise BadReport(f"not usable JSON: it {error}") from None
    return parse_report(data)


def parse_report(data: object) -> Report:
    """A report from its decoded JSON (fields it does not know are left). Raises BadReport
    naming what is wrong: a window is a process of its own, and may be broken."""
    if not isinstance(data, dict):
        raise BadReport(f"a report is a JSON object, got {type(data).__name__}")
    if "event" in data:
        return _event(data)
    if "snooze" in data:
        return Snooze(_whole(data, "snooze", *SNOOZE_LIMITS, "a whole number of minutes"))
    if "outcome" in data:
        outcome = data["outcome"]
        if not isinstance(outcome, str) or outcome not in set(Outcome):
            raise BadReport(f"outcome must be one of {', '.join(Outcome)}, "
                            f"got {guard.shorten(repr(outcome))}")
        step = None if data.get("step") is None else _whole(data, "step", 0, MAX_STEP)
        return Ended(Outcome(outcome), step)
    raise BadReport("a report has an event, a snooze or an outcome; got "
                    + (guard.shorten(", ".join(sorted(map(str, data)))) or "none of them"))


def _event(data: dict[str, Any]) -> Report:
    event = data["event"]
    if event == "started":
        return Started()
    if event == "cue":
        cue = data.get("cue")
        if not isinstance(cue, str) or cue not in set(Cue):
            raise BadReport(f"cue must be one of {', '.join(Cue)}, got {guard.shorten(repr(cue))}")
        return Cued(Cue(cue))
    if event == "tick":
        paused = data.get("paused")
        if not isinstance(paused, bool):
            raise BadReport(f"paused must be true or false, got {guard.shorten(repr(paused))}")
        return Countdown(_whole(data, "step", 1, MAX_STEP),
                         _whole(data, "remaining", 0, MAX_REMAINING), paused)
    raise BadReport(f"event must be started, cue or tick, got {guard.shorten(repr(event))}")


def _whole(data: dict[str, Any], key: str, low: int, high: int,
           what: str = "a whole number") -> int:
    value = data.get(key)
    if not guard.is_whole(value, low, high):
        raise BadReport(f"{key} must be {what} from {low} to {high}, "
                        f"got {guard.shorten(repr(value))}")
    return value
