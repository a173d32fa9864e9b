"""The tray's answers to the control channel (tray/shell/answers.py): one per command, the
engine's events made from the typed arguments."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tray.core.choices import Pause, Snooze
from tray.core.events import (
    PauseRequested,
    ResumeRequested,
    SkipRequested,
    SnoozeRequested,
    StartRequested,
)
from tray.core.model import DEFAULT_SNOOZE
from tray.ipc.commands import COMMANDS, Command, Reply, Request
from tray.shell.answers import Answers


class _Runner:
    """The engine's thread, stood in: `call` runs nothing, `ask` keeps the event and is busy."""

    state = None

    def __init__(self) -> None:
        self.asked: list[object] = []

    def call(self, _job: object) -> str:
        return "called"

    def ask(self, event: object) -> object:
        self.asked.append(event)
        raise TimeoutError


class _Host:
    rules = store = troubles = effects = None

    def __init__(self, runner: _Runner | None) -> None:
        self.runner = runner
        self.windows = self
        self.done: list[str] = []

    def open_panel(self) -> None:
        self.done.append("panel")

    def quit(self) -> None:
        self.done.append("quit")

    def reload_settings(self, *, only_if_edited: bool = False) -> None:
        self.done.append("reload")


def test_every_command_of_the_channel_has_an_answer_in_the_tray() -> None:
    """One list of commands: each has its own answer (mypy holds it too: assert_never), and
    the engine commands ask the engine for their own event (one once fell into resume)."""
    host = _Host(_Runner())
    answers = Answers(host)  # type: ignore[arg-type]
    replies = {c: answers.handle(Request(c, COMMANDS[c].read({}))) for c in Command}
    assert all(isinstance(reply, Reply) and reply.text for reply in replies.values())
    assert replies[Command.PING] == Reply.done("pong")
    assert replies[Command.SHOW] == Reply.done("Pointbreak is running; its window is open.")
    assert replies[Command.NOW] == Reply.done("Pointbreak is busy; it will do that in a moment.")
    assert host.done == ["panel", "quit", "reload"]
    assert host.runner is not None and host.runner.asked == [
        StartRequested(), SnoozeRequested(DEFAULT_SNOOZE), SkipRequested(), PauseRequested(),
        ResumeRequested()]


@pytest.mark.parametrize(("request_", "event"), [
    (Request(Command.SNOOZE, Snooze(15)), SnoozeRequested(timedelta(minutes=15))),
    (Request(Command.PAUSE, Pause(90)), PauseRequested(timedelta(minutes=90))),
    (Request(Command.PAUSE, Pause(until_tomorrow=True)), PauseRequested(until_next_period=True)),
], ids=["snooze-15", "pause-90", "pause-tomorrow"])
def test_the_typed_arguments_make_the_engine_event(request_: Request, event: object) -> None:
    runner = _Runner()
    Answers(_Host(runner)).handle(request_)  # type: ignore[arg-type]
    assert runner.asked == [event]


def test_while_the_tray_starts_only_ping_is_answered() -> None:
    answers = Answers(_Host(None))  # type: ignore[arg-type]
    assert answers.handle(Request(Command.PING)) == Reply.done("pong")
    assert answers.handle(Request(Command.STATUS)) == Reply.refused(
        "Pointbreak is still starting; try again.")
