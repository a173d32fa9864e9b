"""The presence watcher: turns idle time into the engine's AwayStarted/AwayEnded(IDLE) events.

It polls the idle reader every 30 s while the person is there and every 5 s while they are
away, so a return is seen within 5 s, and it sleeps in between (one wake-up each poll). Its
thread only reads the idle time and posts events; the engine decides what being away means.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tray.adapters.idle import IdleReader
from tray.core.events import AwayEnded, AwayStarted, Event
from tray.core.model import Away

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Polling:
    away_after: float = 300.0   # seconds without input that make a person away
    while_present: float = 30.0
    while_away: float = 5.0


def step(is_away: bool, idle: float, now: datetime,
         polling: Polling) -> tuple[bool, Event | None, float]:
    """Pure: from the last state and an idle reading, the new state, the event to post (if
    any) and the seconds until the next reading."""
    if not is_away and idle >= polling.away_after:
        return True, AwayStarted(Away.IDLE, since=now - timedelta(seconds=idle)), \
            polling.while_away
    if is_away and idle < polling.away_after:
        return False, AwayEnded(Away.IDLE), polling.while_present
    if is_away:
        return True, None, polling.while_away
    # Present: read again in time to notice the threshold, but not more often than needed.
    return False, None, max(polling.while_away,
                            min(polling.while_present, polling.away_after - idle))


class PresenceWatcher:
    def __init__(self, reader: IdleReader, post: Callable[[Event], None],
                 polling: Polling = Polling(),
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.reader = reader
        self._post = post
        self.polling = polling
        self._now = now
        self._stop = threading.Event()
        self.is_away = False
        self._thread = threading.Thread(target=self._loop, name="pointbreak-presence",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(2.0)

    def _loop(self) -> None:
        wait = 0.0
        has_failed = False
        while not self._stop.wait(wait):
            try:
                idle = self.reader.idle_seconds()
            except Exception as error:  # the thread's edge: log once, try again later
                if not has_failed:
                    log.warning("idle time via %s failed (said once): %s", self.reader.name,
                                error)
                has_failed = True
                wait = self.polling.while_present
                continue
            self.is_away, event, wait = step(self.is_away, idle, self._now(), self.polling)
            if event is not None:
                self._post(event)
