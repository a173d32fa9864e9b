"""The tray's answers to the control channel's commands (on the channel's answer threads): one
answer per Command of tray.ipc.commands, the engine's events made from the typed arguments."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol, assert_never

from tray import APP_NAME
from tray.base import words
from tray.base.i18n import _, ngettext
from tray.core import engine
from tray.core.choices import Pause, Snooze
from tray.core.events import Event, Refuse, ResumeRequested, SkipRequested, StartRequested
from tray.core.model import Rules, State
from tray.ipc.commands import Command, Reply, Request

if TYPE_CHECKING:
    from tray.shell.effects import Effects
    from tray.shell.troubles import Troubles

log = logging.getLogger(__name__)


class Host(Protocol):
    """What the answers need of the tray (tray.shell.app.TrayApp)."""

    rules: Rules | None
    runner: Any
    windows: Any
    store: Any
    troubles: Troubles

    @property
    def effects(self) -> Effects: ...

    def quit(self) -> None: ...

    def reload_settings(self, *, only_if_edited: bool = False) -> None: ...


class Answers:
    def __init__(self, app: Host) -> None:
        self.app = app

    def handle(self, request: Request) -> Reply:
        if self.app.runner is None and request.command is not Command.PING:
            return Reply.refused(_("{app} is still starting; try again.").format(app=APP_NAME))
        return self.answer(request)

    def answer(self, request: Request) -> Reply:
        """The answer to each command of the control channel (tray.ipc.commands.COMMANDS);
        mypy holds that none is missing (assert_never). Ping is answered even while the tray
        starts."""
        command, args, runner = request.command, request.args, self.app.runner
        match command:
            case Command.PING:
                return Reply.done("pong")
            case Command.STATUS:
                return Reply.done(runner.call(self.status_text))
            case Command.SHOW:
                self.app.windows.open_panel()
                return Reply.done(_("{app} is running; its window is open.").format(app=APP_NAME))
            case Command.QUIT:
                self.app.quit()
                return Reply.done(_("{app} quits.").format(app=APP_NAME))
            case Command.FORGET:
                dropped = runner.call(self.forget)
                return Reply.done(ngettext("{n} history record before today deleted.",
                                           "{n} history records before today deleted.",
                                           dropped).format(n=dropped))
            case Command.RELOAD:
                self.app.reload_settings()
                runner.call(lambda: self.app.effects.show(runner.state))
                return Reply.done(_("Settings reloaded."))
            case Command.NOW:
                return self._decide(StartRequested())
            case Command.SNOOZE:
                assert isinstance(args, Snooze)  # Request holds each command to its arguments
                return self._decide(args.event())
            case Command.SKIP:
                return self._decide(SkipRequested())
            case Command.PAUSE:
                assert isinstance(args, Pause)
                return self._decide(args.event())
            case Command.RESUME:
                return self._decide(ResumeRequested())
            case _:
                assert_never(command)

    def _decide(self, event: Event) -> Reply:
        try:
            decision = self.app.runner.ask(event)
        except TimeoutError:
            return Reply.done(_("{app} is busy; it will do that in a moment.").format(app=APP_NAME))
        refused = decision.of_type(Refuse)
        if refused:
            return Reply.refused(words.refusal(refused[0]))
        return Reply.done(self.summary(decision.state))

    def summary(self, state: State) -> str:
        from tray.shell.texts import next_break_line

        rules = self.app.rules
        assert rules is not None
        now = datetime.now(UTC)
        return _("{sentence}.").format(
            sentence=next_break_line(engine.status(state, now, rules), now, rules.zone))

    def status_text(self) -> str:
        """Runs on the engine thread: the state and the store are read safely there."""
        from tray.shell.texts import status_lines

        app, rules = self.app, self.app.rules
        assert rules is not None
        now = datetime.now(UTC)
        today = now.astimezone(rules.zone).date()
        records = app.store.records(today, today)
        lines = status_lines(engine.status(app.runner.state, now, rules), records, now,
                             rules.zone)
        troubles = [_("Problem: {problem}").format(problem=t) for t in app.troubles.listed()]
        return "\n".join([*lines, *troubles])

    def forget(self) -> int:
        """Runs on the engine thread: delete the history before today (the history window's
        "Delete history"); today's records and count stay, so the daily cap still holds."""
        app, rules = self.app, self.app.rules
        assert rules is not None and app.store is not None
        today = datetime.now(UTC).astimezone(rules.zone).date()
        state = app.runner.state
        state = engine.forget_before(state, today)
        dropped: int = app.store.forget_before(today, state)
        app.runner.state = state
        log.info("history before %s deleted at the person's request: %s records", today,
                 dropped)
        return dropped

