"""The tray's answers to the control channel's commands (on the channel's answer threads):
one table, held by a test to the channel's own list of commands (tray.ipc.protocol.COMMANDS)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from tray import APP_NAME
from tray.core import engine
from tray.core.events import (
    PauseRequested,
    Refuse,
    ResumeRequested,
    SkipRequested,
    SnoozeRequested,
    StartRequested,
)
from tray.core.model import DEFAULT_SNOOZE, Rules, State
from tray.ipc.protocol import Reply, Request

if TYPE_CHECKING:
    from tray.shell.effects import Effects
    from tray.shell.troubles import Troubles

log = logging.getLogger(__name__)

Answer = Callable[[dict[str, Any]], Reply]


class Host(Protocol):
    """What the answers need of the tray (tray.shell.app.TrayApp)."""

    rules: Rules | None
    runner: Any
    windows: Any
    store: Any
    troubles: Troubles
    effects: Effects

    def quit(self) -> None: ...

    def reload_settings(self, *, only_if_edited: bool = False) -> None: ...


class Answers:
    def __init__(self, app: Host) -> None:
        self.app = app

    def handle(self, request: Request) -> Reply:
        if request.command == "ping":
            return {"ok": True, "message": "pong"}
        if self.app.runner is None:
            return {"ok": False, "error": f"{APP_NAME} is still starting; try again."}
        answer = self.table().get(request.command)
        if answer is None:  # the channel takes it but this tray has no answer: never another's
            return {"ok": False, "error": f"{request.command}: this tray cannot do that"}
        return answer(request.args)

    def table(self) -> dict[str, Answer]:
        """The answer to each command of the control channel but ping, which is answered even
        while the tray starts."""
        return {
            "status": lambda _: {"ok": True, "message": self.app.runner.call(self.status_text)},
            "show": lambda _: self._show(),
            "quit": lambda _: self._quit(),
            "forget": lambda _: {"ok": True, "message": f"{self.app.runner.call(self.forget)} "
                                                        "history records before today deleted."},
            "reload": lambda _: self._reload(),
            "now": lambda _: self._decide(StartRequested()),
            "snooze": lambda args: self._decide(SnoozeRequested(
                timedelta(minutes=args["minutes"]) if "minutes" in args else DEFAULT_SNOOZE)),
            "skip": lambda _: self._decide(SkipRequested()),
            "pause": lambda args: self._decide(pause_event(args)),
            "resume": lambda _: self._decide(ResumeRequested()),
        }

    def _decide(self, event: Any) -> Reply:
        try:
            decision = self.app.runner.ask(event)
        except TimeoutError:
            return {"ok": True, "message": f"{APP_NAME} is busy; it will do that in a moment."}
        refused = decision.of_type(Refuse)
        if refused:
            return {"ok": False, "error": refused[0].reason}
        return {"ok": True, "message": self.summary(decision.state)}

    def _show(self) -> Reply:
        self.app.windows.open_panel()
        return {"ok": True, "message": f"{APP_NAME} is running; its window is open."}

    def _quit(self) -> Reply:
        self.app.quit()
        return {"ok": True, "message": f"{APP_NAME} quits."}

    def _reload(self) -> Reply:
        self.app.reload_settings()
        self.app.runner.call(lambda: self.app.effects.show(self.app.runner.state))
        return {"ok": True, "message": "Settings reloaded."}

    def summary(self, state: State) -> str:
        from tray.shell.texts import next_break_line

        rules = self.app.rules
        assert rules is not None
        now = datetime.now(UTC)
        return next_break_line(engine.status(state, now, rules), now, rules.zone) + "."

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
        return "\n".join([*lines, *(f"Problem: {t}" for t in app.troubles.listed())])

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


def pause_event(args: dict[str, Any]) -> PauseRequested:
    if args.get("until") == "tomorrow":
        return PauseRequested(until_next_period=True)
    minutes = args.get("minutes")
    return PauseRequested(None if minutes is None else timedelta(minutes=minutes))
