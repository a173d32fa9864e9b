"""The effect interpreter: what the engine decided, done (on the engine's thread). A prompt is
shown at a pause in typing, a routine window started, a prompt closed, the icon brought up to
date."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from tray.adapters.icon import View
from tray.adapters.idle.presence import TYPING_PAUSE_SECONDS
from tray.base import testhooks
from tray.base.i18n import _, ngettext
from tray.base.words import duration
from tray.core import engine
from tray.core.choices import Snooze
from tray.core.engine import Decision
from tray.core.events import (
    ClosePrompt,
    ShowPrompt,
    SkipRequested,
    StartRequested,
    StartRoutine,
)
from tray.core.model import DEFAULT_SNOOZE, Rules, State

if TYPE_CHECKING:
    from tray.adapters.icon import Icon
    from tray.shell.detectors import Detectors

PAUSE_WAIT_SECONDS = 120.0   # wait this long at most for one before showing a prompt


class Host(Protocol):
    """What the effects need of the tray (tray.shell.app.TrayApp)."""

    rules: Rules | None
    notifier: Any
    windows: Any
    runner: Any
    detectors: Detectors | None
    stopping: threading.Event
    icon: Icon | None


class Effects:
    def __init__(self, app: Host) -> None:
        self.app = app

    def on_decision(self, decision: Decision) -> None:
        app, rules = self.app, self.app.rules
        assert rules is not None
        testhooks.fail_at("engine")
        today = decision.state.count_for(datetime.now(UTC).astimezone(rules.zone).date())
        for effect in decision.effects:
            if isinstance(effect, ShowPrompt):
                self.at_a_pause_in_typing(partial(self._prompt, effect, today.completed))
            elif isinstance(effect, StartRoutine):
                app.notifier.close(effect.seq)
                app.windows.start_routine(effect.seq, today.completed, rules.daily_cap)
            elif isinstance(effect, ClosePrompt):
                app.notifier.close(effect.seq)
                app.windows.close(effect.seq)
        self.show(decision.state)

    def _prompt(self, effect: ShowPrompt, completed_today: int) -> None:
        app, rules = self.app, self.app.rules
        assert rules is not None
        if not effect.is_quiet:  # held too long: a notification only, no card
            app.windows.show_prompt(effect.seq, effect.can_snooze, completed_today,
                                    rules.daily_cap)
        # The whole choice, as on the card: a screen reader reads this, not the card.
        actions = {"start": _("Start")}
        if effect.can_snooze:
            actions["snooze"] = _("Snooze {duration}").format(
                duration=duration(DEFAULT_SNOOZE // timedelta(minutes=1)))
        actions["skip"] = _("Skip")
        minutes = round(rules.routine_length.total_seconds() / 60)
        app.notifier.notify(effect.seq, _("Time for a back break"),
                            ngettext("A {n}-minute hands-only routine for your upper back.",
                                     "A {n}-minute hands-only routine for your upper back.",
                                     minutes).format(n=minutes),
                            actions, self._notification_action(effect.seq))

    def at_a_pause_in_typing(self, show: Callable[[], None]) -> None:
        """Show a prompt at a pause in typing (no input for 10 s), waiting at most 2 minutes,
        so it does not land mid-sentence: read from a polled reader every second, told by an
        event-driven one (`Detectors.pauses`). Without an idle reader: at once."""
        detectors, stopping = self.app.detectors, self.app.stopping
        reader = detectors.idle_reader if detectors is not None else None
        pauses = detectors.pauses if detectors is not None else None
        if reader is None or (reader.is_event_driven and pauses is None):
            show()
            return
        pause = testhooks.seconds_or("PAUSE", TYPING_PAUSE_SECONDS)
        longest = testhooks.seconds_or("PAUSE_WAIT", PAUSE_WAIT_SECONDS)

        def wait_then_show() -> None:
            if pauses is not None:  # told by the compositor: no polling
                pauses.wait(longest)
                if not stopping.is_set():
                    show()
                return
            deadline = time.monotonic() + longest
            while time.monotonic() < deadline and not stopping.is_set():
                try:
                    if reader.idle_seconds() >= pause:
                        break
                except Exception:  # no reading: do not hold the prompt for it
                    break
                time.sleep(1.0)
            if not stopping.is_set():
                show()

        threading.Thread(target=wait_then_show, name="pointbreak-typing-pause",
                         daemon=True).start()

    def _notification_action(self, seq: int) -> Callable[[str], None]:
        def act(action: str) -> None:
            if action == "start":
                self.app.runner.post(StartRequested())
            elif action == "snooze":
                self.app.runner.post(Snooze().event(seq))
            elif action == "skip":
                self.app.runner.post(SkipRequested())
        return act

    def show(self, state: State) -> None:
        """The icon, its tooltip and the menu's lines, from the state."""
        from tray.adapters import autostart
        from tray.shell.texts import next_break_line, today_line, tooltip

        rules, icon = self.app.rules, self.app.icon
        assert rules is not None and icon is not None
        now = datetime.now(UTC)
        status = engine.status(state, now, rules)
        zone = rules.zone
        icon.show(View(mode=status.mode, tooltip=tooltip(status, now, zone),
                       next_line=next_break_line(status, now, zone),
                       today_line=today_line(status), is_paused=status.is_paused,
                       is_autostart_on=autostart.is_on()))
