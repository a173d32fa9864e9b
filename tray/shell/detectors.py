"""The detectors' lifecycle: away (idle time), lock and sleep (Linux), and do not disturb,
started after the engine, restarted when their settings change, stopped at quit. Each posts
its events to the engine; none is needed for prompts to come."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from tray.adapters.choosing import AUTO, UnknownChoice
from tray.base import testhooks
from tray.core.events import QuietEnded
from tray.core.model import Rules

if TYPE_CHECKING:
    from tray.adapters.idle import IdleReader
    from tray.adapters.idle.presence import Pauses, PresenceWatcher
    from tray.adapters.quiet import Watchers
    from tray.adapters.session import SessionWatcher
    from tray.config.settings import Settings
    from tray.shell.runner import EngineRunner

log = logging.getLogger(__name__)


class Detectors:
    def __init__(self, runner: EngineRunner, tell: Callable[[str], None]) -> None:
        self.runner = runner
        self._tell = tell
        self.presence: PresenceWatcher | None = None
        self.pauses: Pauses | None = None  # typing pauses, from an event-driven reader
        self.session_watch: SessionWatcher | None = None
        self.quiet_watchers: Watchers | None = None
        self._quiet_switches: tuple[bool, bool, bool] | None = None

    @property
    def idle_reader(self) -> IdleReader | None:
        return self.presence.reader if self.presence is not None else None

    @property
    def minute_checks(self) -> list[Callable[[], None]]:
        return self.quiet_watchers.minute_checks if self.quiet_watchers is not None else []

    def start(self, rules: Rules, settings: Settings) -> None:
        self._watch_presence(rules)
        from tray.adapters import session

        if session.capabilities().can_watch:
            self.session_watch = session.SessionWatcher(self.runner.post)
            self.session_watch.start()
        self.watch_quiet(settings)

    def _watch_presence(self, rules: Rules) -> None:
        """Idle time -> natural breaks (a reader per system; none: the engine goes without)."""
        from tray.adapters import idle
        from tray.adapters.idle.presence import (
            TYPING_PAUSE_SECONDS,
            Pauses,
            Polling,
            PresenceWatcher,
        )

        try:
            reader = idle.select()
        except UnknownChoice as error:
            log.error("%s", error)
            self._tell(str(error))
            reader = idle.select(AUTO)
        if reader is None:
            return
        polling = Polling(away_after=rules.away_after.total_seconds())
        quick = testhooks.seconds("POLL")  # tests only
        if quick:
            polling = Polling(polling.away_after, quick, quick)
        self.presence = PresenceWatcher(reader, self.runner.post, polling)
        self.presence.start()
        if reader.is_event_driven:  # a second watch on the same connection, for the prompts
            try:
                self.pauses = Pauses(cast(idle.IdleEvents, reader),
                                     testhooks.seconds_or("PAUSE", TYPING_PAUSE_SECONDS))
            except OSError as error:  # it stopped already: prompts come without waiting
                log.warning("idle time: no typing pauses from %s: %s", reader.name, error)

    def watch_quiet(self, settings: Settings) -> None:
        """Start the do-not-disturb detectors the settings ask for (again after a change: the
        old ones stop, and what they held is released before the new ones look)."""
        from tray.adapters.quiet import start_watchers

        switches = (settings.hold_when_fullscreen, settings.hold_when_system_quiet,
                    settings.hold_during_calls)
        if self.quiet_watchers is not None:
            if switches == self._quiet_switches:
                return
            old, self.quiet_watchers = self.quiet_watchers, None
            old.stop()
            # Released before the new detectors start, so their events come after these.
            runner = self.runner
            for reason in runner.call(lambda: sorted(runner.state.quiet)):
                runner.post(QuietEnded(reason))
        self._quiet_switches = switches
        self.quiet_watchers = start_watchers(
            self.runner.post, fullscreen=switches[0], system=switches[1], calls=switches[2])

    def stop(self) -> None:
        for watcher in (self.presence, self.session_watch, self.quiet_watchers):
            if watcher is not None:
                watcher.stop()
        if self.presence is not None:
            self.presence.reader.close()
