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
from tray.base.i18n import N_, _, ngettext
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
        raise BadRequest(_("takes no arguments, got {names}").format(
            names=guard.shorten(", ".join(sorted(args)))))
    return NO_ARGS


def _minutes(args: dict[str, Any], low: int, high: int) -> int | None:
    if set(args) - {"minutes"}:
        # TRANSLATORS: "minutes" is the name of the request's field, as it is sent.
        raise BadRequest(_("takes only minutes, got {names}").format(
            names=guard.shorten(", ".join(sorted(args)))))
    minutes = args.get("minutes")
    if minutes is None:
        return None
    if not guard.is_whole(minutes, low, high):
        raise BadRequest(_("minutes must be a whole number from {low} to {high}, got {value}")
                         .format(low=low, high=high, value=guard.shorten(repr(minutes))))
    return minutes


def _snooze(args: dict[str, Any]) -> Snooze:
    return Snooze(_minutes(args, *SNOOZE_LIMITS))


def _pause(args: dict[str, Any]) -> Pause:
    if "until" in args:
        if set(args) != {"until"} or args["until"] != "tomorrow":
            # TRANSLATORS: "until" and "tomorrow" are the request's field and value, as sent.
            raise BadRequest(_('until must be "tomorrow", alone; got {value}').format(
                value=guard.shorten(repr(args))))
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
        # TRANSLATORS: {what} is a command or an option as typed: snooze, --days.
        raise BadArgument(_("{what} takes {low} to {high}, got {value}").format(
            what=what, low=low, high=high, value=shown(text)))
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
        # TRANSLATORS: pause is the command; 30m, 1h, 1h30m and 'tomorrow' are typed as
        # they are written here, whatever the language.
        raise BadArgument(_("pause takes a duration such as 30m, 1h or 1h30m, or 'tomorrow'; "
                            "got {value}").format(value=shown(text)))
    minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if not PAUSE_LIMITS[0] <= minutes <= PAUSE_LIMITS[1]:
        hours = PAUSE_LIMITS[1] // 60
        raise BadArgument(ngettext("a pause lasts 1 minute to {hours} hour, got {value}",
                                   "a pause lasts 1 minute to {hours} hours, got {value}",
                                   hours).format(hours=hours, value=shown(text)))
    return Pause(minutes)


@dataclass(frozen=True)
class Argument(Generic[A]):
    """A command's one optional argument on the command line."""

    name: str                   # as the usage names it (N_-marked: _() where it is shown)
    help: str                   # N_-marked; its {low} and {high} are `limits`
    parse: Callable[[str], A]   # raises BadArgument, naming what the command takes
    default: A                  # what the command line sends without it
    limits: tuple[int, int] = (0, 0)

    def help_text(self) -> str:
        """The help, in the language shown."""
        return _(self.help).format(low=self.limits[0], high=self.limits[1])


# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec(Generic[A]):
    kind: type[A]                          # the typed arguments
    read: Callable[[dict[str, Any]], A]    # the wire's object to them; raises BadRequest
    write: Callable[[A], dict[str, Any]]   # and back
    help: str | None = None                # N_-marked; None: not a command of the command line
    needs_tray: bool = True                # False: the command line answers it without one
    argument: Argument[A] | None = None


_BARE = Spec(NoArgs, _no_args, _nothing)

COMMANDS: dict[Command, Spec[Any]] = {
    Command.PING: _BARE,
    Command.STATUS: Spec(NoArgs, _no_args, _nothing,
                         N_("next break, today's count, pause or snooze"), needs_tray=False),
    Command.SHOW: _BARE,
    Command.NOW: Spec(NoArgs, _no_args, _nothing, N_("start a session now")),
    Command.SNOOZE: Spec(Snooze, _snooze, _snooze_json,
                         N_("snooze the prompt, or move the next break"),
                         # TRANSLATORS: the name of snooze's argument in its --help.
                         argument=Argument(N_("minutes"), N_("{low}-{high} (default 10)"),
                                           _snooze_text, Snooze(10), SNOOZE_LIMITS)),
    Command.SKIP: Spec(NoArgs, _no_args, _nothing,
                       N_("skip the prompt on screen, or the next break")),
    Command.PAUSE: Spec(Pause, _pause, _pause_json, N_("pause prompts"),
                        # TRANSLATORS: the name of pause's argument in its --help.
                        argument=Argument(N_("duration"),
                                          # TRANSLATORS: 30m, 1h, 1h30m and tomorrow are
                                          # typed as they are written here.
                                          N_("30m, 1h, 1h30m or tomorrow (default: until "
                                             "resumed)"),
                                          _pause_text, Pause())),
    Command.RESUME: Spec(NoArgs, _no_args, _nothing, N_("end a pause")),
    Command.QUIT: Spec(NoArgs, _no_args, _nothing, N_("quit the running tray")),
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
        # TRANSLATORS: {reason} says what is wrong with the message, such as "is not valid
        # JSON (...)": the message is what "it" stands for.
        raise BadRequest(_("not a usable JSON message: it {reason}").format(
            reason=error)) from None
    return request_from(data)


def request_from(data: object) -> Request:
    """A request from its decoded JSON. Raises BadRequest naming what is wrong."""
    if not isinstance(data, dict):
        raise BadRequest(_("a request is a JSON object, got {kind}").format(
            kind=type(data).__name__))
    if set(data) - {"command", "args"}:
        unknown = ", ".join(sorted(set(data) - {"command", "args"}))
        raise BadRequest(_("unknown fields {names}").format(names=guard.shorten(unknown)))
    name = data.get("command")
    if not isinstance(name, str) or name not in set(Command):
        is_short = isinstance(name, str) and len(name) < 40
        shown_name = name if is_short else type(name).__name__
        raise BadRequest(_("unknown command {name}; known: {commands}").format(
            name=repr(shown_name), commands=", ".join(sorted(Command))))
    command = Command(name)
    args = data.get("args", {})
    if not isinstance(args, dict):
        raise BadRequest(_("args must be a JSON object, got {kind}").format(
            kind=type(args).__name__))
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
            raise ValueError(_("the tray's reply was not an object"))
        is_ok = data.get("ok")
        if not isinstance(is_ok, bool):
            # TRANSLATORS: "ok" is the name of the reply's field, true and false its values.
            raise ValueError(_("the tray's reply has no ok true or false, got {value}").format(
                value=guard.shorten(repr(is_ok))))
        text = data.get("message") if is_ok else data.get("error") or data.get("message")
        if text is not None and not isinstance(text, str):
            raise ValueError(_("the tray's reply's text is not a string: {kind}").format(
                kind=type(text).__name__))
        return cls(is_ok, text or ("" if is_ok else _("The tray refused.")))
