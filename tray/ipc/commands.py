"""The commands a person gives the running tray, in one table (COMMANDS): each command's name,
its typed arguments, the check at the edge that turns the wire's JSON object into them and the
way back, its argument on the command line, its one line of help, and whether the command line
has anything to do without a running tray. The command line's subcommands, the client's
requests, the control window's buttons and the tray's answers are all made from it; the tray
menu sends the same typed arguments (tray.core.choices).

The wire (tray.ipc.protocol frames it):
    {"command": "snooze", "args": {"minutes": 10}}     {"command": "pause", "args": {}}
    {"ok": true, "message": "..."}   or   {"ok": false, "error": "..."}
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from tray.base import guard
from tray.core.choices import PAUSE_LIMITS, SNOOZE_LIMITS, Pause, Snooze


class Command(StrEnum):
    PING = "ping"
    STATUS = "status"
    SHOW = "show"
    NOW = "now"
    SNOOZE = "snooze"
    SKIP = "skip"
    PAUSE = "pause"
    RESUME = "resume"
    QUIT = "quit"
    RELOAD = "reload"
    FORGET = "forget"


@dataclass(frozen=True)
class NoArgs:
    """The arguments of a command that takes none."""


NO_ARGS = NoArgs()
Args = NoArgs | Snooze | Pause
A = TypeVar("A", NoArgs, Snooze, Pause)


class BadRequest(ValueError):
    """A message that is not a valid request; the text says what is wrong."""


class BadArgument(ValueError):
    """A command-line argument the command does not take; the text says what it takes."""


# --- the wire's arguments, both ways --------------------------------------------------------


def _no_args(args: dict[str, Any]) -> NoArgs:
    if args:
        raise BadRequest(f"takes no arguments, got {guard.shorten(', '.join(sorted(args)))}")
    return NO_ARGS


def _minutes(args: dict[str, Any], low: int, high: int) -> int | None:
    if set(args) - {"minutes"}:
        raise BadRequest(f"takes only minutes, got {guard.shorten(', '.join(sorted(args)))}")
    minutes = args.get("minutes")
    if minutes is None:
        return None
    if not guard.is_whole(minutes, low, high):
        raise BadRequest(f"minutes must be a whole number from {low} to {high}, "
                         f"got {guard.shorten(repr(minutes))}")
    return minutes


def _snooze(args: dict[str, Any]) -> Snooze:
    return Snooze(_minutes(args, *SNOOZE_LIMITS))


def _pause(args: dict[str, Any]) -> Pause:
    if "until" in args:
        if set(args) != {"until"} or args["until"] != "tomorrow":
            raise BadRequest(f'until must be "tomorrow", alone; got {guard.shorten(repr(args))}')
        return Pause(until_tomorrow=True)
    return Pause(_minutes(args, *PAUSE_LIMITS))


def _nothing(_: NoArgs) -> dict[str, Any]:
    return {}


def _snooze_json(snooze: Snooze) -> dict[str, Any]:
    return {} if snooze.minutes is None else {"minutes": snooze.minutes}


def _pause_json(pause: Pause) -> dict[str, Any]:
    if pause.until_tomorrow:
        return {"until": "tomorrow"}
    return {} if pause.minutes is None else {"minutes": pause.minutes}


# --- the command line's arguments -----------------------------------------------------------


def shown(text: str) -> str:
    """An argument as a message repeats it: quoted, and cut when long."""
    return repr(guard.shorten(text))


def whole_number(text: str, low: int, high: int, what: str) -> int:
    """ASCII digits only: int() would also take "１０" or "٣"."""
    if not re.fullmatch(r"[0-9]{1,4}", text) or not low <= int(text) <= high:
        raise BadArgument(f"{what} takes {low} to {high}, got {shown(text)}")
    return int(text)


def _snooze_text(text: str) -> Snooze:
    return Snooze(whole_number(text, *SNOOZE_LIMITS, "snooze"))


_DURATION = re.compile(r"^(?:([0-9]{1,2})h)?(?:([0-9]{1,4})m)?$")


def _pause_text(text: str) -> Pause:
    """'30m', '1h', '1h30m' (up to 24 hours) or 'tomorrow'."""
    if text == "tomorrow":
        return Pause(until_tomorrow=True)
    match = _DURATION.match(text.strip().lower())
    if match is None or not any(match.groups()):
        raise BadArgument(
            f"pause takes a duration such as 30m, 1h or 1h30m, or 'tomorrow'; got {shown(text)}")
    minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if not PAUSE_LIMITS[0] <= minutes <= PAUSE_LIMITS[1]:
        raise BadArgument(f"a pause lasts 1 minute to {PAUSE_LIMITS[1] // 60} hours, "
                          f"got {shown(text)}")
    return Pause(minutes)


@dataclass(frozen=True)
class Argument(Generic[A]):
    """A command's one optional argument on the command line."""

    name: str                   # as the usage names it
    help: str
    parse: Callable[[str], A]   # raises BadArgument, naming what the command takes
    default: A                  # what the command line sends without it


# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec(Generic[A]):
    kind: type[A]                          # the typed arguments
    read: Callable[[dict[str, Any]], A]    # the wire's object to them; raises BadRequest
    write: Callable[[A], dict[str, Any]]   # and back
    help: str | None = None                # None: not a command of the command line
    needs_tray: bool = True                # False: the command line answers it without one
    argument: Argument[A] | None = None


_BARE = Spec(NoArgs, _no_args, _nothing)

COMMANDS: dict[Command, Spec[Any]] = {
    Command.PING: _BARE,
    Command.STATUS: Spec(NoArgs, _no_args, _nothing, "next break, today's count, pause or snooze",
                         needs_tray=False),
    Command.SHOW: _BARE,
    Command.NOW: Spec(NoArgs, _no_args, _nothing, "start a session now"),
    Command.SNOOZE: Spec(Snooze, _snooze, _snooze_json,
                         "snooze the prompt, or move the next break",
                         argument=Argument("minutes", f"{SNOOZE_LIMITS[0]}-{SNOOZE_LIMITS[1]} "
                                           "(default 10)", _snooze_text, Snooze(10))),
    Command.SKIP: Spec(NoArgs, _no_args, _nothing, "skip the prompt on screen, or the next break"),
    Command.PAUSE: Spec(Pause, _pause, _pause_json, "pause prompts",
                        argument=Argument("duration", "30m, 1h, 1h30m or tomorrow "
                                          "(default: until resumed)", _pause_text, Pause())),
    Command.RESUME: Spec(NoArgs, _no_args, _nothing, "end a pause"),
    Command.QUIT: Spec(NoArgs, _no_args, _nothing, "quit the running tray"),
    Command.RELOAD: _BARE,
    Command.FORGET: _BARE,
}


# --- requests and replies -------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    command: Command
    args: Args = NO_ARGS

    def __post_init__(self) -> None:
        kind = COMMANDS[self.command].kind
        if not isinstance(self.args, kind):
            raise TypeError(f"{self.command} takes {kind.__name__}, not "
                            f"{type(self.args).__name__}")

    def to_json(self) -> bytes:
        return json.dumps({"command": self.command.value,
                           "args": COMMANDS[self.command].write(self.args)}).encode()


def parse_request(raw: bytes) -> Request:
    """Validate one request message. Raises BadRequest naming what is wrong."""
    try:
        data = guard.parse_json(raw, max_depth=4)
    except guard.Refused as error:
        raise BadRequest(f"not a usable JSON message: it {error}") from None
    return request_from(data)


def request_from(data: object) -> Request:
    """A request from its decoded JSON. Raises BadRequest naming what is wrong."""
    if not isinstance(data, dict):
        raise BadRequest(f"a request is a JSON object, got {type(data).__name__}")
    if set(data) - {"command", "args"}:
        unknown = ", ".join(sorted(set(data) - {"command", "args"}))
        raise BadRequest(f"unknown fields {guard.shorten(unknown)}")
    name = data.get("command")
    if not isinstance(name, str) or name not in set(Command):
        is_short = isinstance(name, str) and len(name) < 40
        shown_name = name if is_short else type(name).__name__
        raise BadRequest(f"unknown command {shown_name!r}; known: {', '.join(sorted(Command))}")
    command = Command(name)
    args = data.get("args", {})
    if not isinstance(args, dict):
        raise BadRequest(f"args must be a JSON object, got {type(args).__name__}")
    try:
        return Request(command, COMMANDS[command].read(args))
    except BadRequest as error:
        raise BadRequest(f"{command}: {error}") from None


@dataclass(frozen=True)
class Reply:
    """The tray's answer: done, with a message for the person, or refused, with the reason."""

    is_ok: bool
    text: str = ""

    @classmethod
    def done(cls, message: str) -> Reply:
        return cls(True, message)

    @classmethod
    def refused(cls, error: str) -> Reply:
        return cls(False, error)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.is_ok, "message" if self.is_ok else "error": self.text}

    @classmethod
    def from_json(cls, data: object) -> Reply:
        """A reply from its decoded JSON, from a tray of this or another version (fields it
        does not know are left). Raises ValueError naming what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("the tray's reply was not an object")
        is_ok = data.get("ok")
        if not isinstance(is_ok, bool):
            raise ValueError(f"the tray's reply has no ok true or false, got "
                             f"{guard.shorten(repr(is_ok))}")
        text = data.get("message") if is_ok else data.get("error") or data.get("message")
        if text is not None and not isinstance(text, str):
            raise ValueError(f"the tray's reply's text is not a string: {type(text).__name__}")
        return cls(is_ok, text or ("" if is_ok else "The tray refused."))
