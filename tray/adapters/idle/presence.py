"""The presence watcher: turns idle time into the engine's AwayStarted/AwayEnded(IDLE) events.

A polled reader is read every 30 s while the person is there and every 5 s while they are
away, so a return is seen within 5 s, on `pointbreak-presence`, which sleeps in between (one
wake-up each poll). An event-driven reader (Wayland's idle protocols) is watched instead: no
thread of the watcher's own, no wake-up but the compositor's "idled" and "resumed", on the
reader's thread. Either way the watcher only posts events; the engine decides what being away
means. `Pauses` tells a pause in typing the same way, for the prompts.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from tray.adapters.idle import IdleEvents, IdleReader
from tray.core.events import AwayEnded, AwayStarted, Event
from tray.core.model import Away

log = logging.getLogger(__name__)

TYPING_PAUSE_SECONDS = 10.0  # no input this long is a pause in typing (not being away)


@dataclass(frozen=True)
class Polling:
    away_after: float = 300.0   # seconds without input that make a person away
    # Present, the idle time can reach the threshold no sooner than `away_after - idle` from
    # now (it grows with the clock at most), so the next reading is then, not every so often:
    # one X round trip per few minutes instead of two wake-ups every 30 s. A longest wait may
    # be set (the tests do); none by default.
    while_present: float = math.inf
    while_away: float = 5.0


def step(is_away: bool, idle: float, now: datetime,
         polling: Polling) -> tuple[bool, Event | None, float]:
    """Pure: from the last state and an idle reading, the new state, the event to post (if
    any) and the seconds until the next reading."""
    if not is_away and idle >= polling.away_after:
        return True, AwayStarted(Away.IDLE, since=now - timedelta(seconds=idle)), \
            polling.while_away
    if is_away and idle < polling.away_after:
        return False, AwayEnded(Away.IDLE), max(
            polling.while_away, min(polling.while_present, polling.away_after - idle))
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
        self._lock = threading.Lock()  # the reader's thread and stop()
        self._thread = threading.Thread(target=self._loop, name="pointbreak-presence",
                                        daemon=True)

    def start(self) -> None:
        if not self.reader.is_event_driven:
            self._thread.start()
            return
        try:
            cast(IdleEvents, self.reader).watch(self.polling.away_after, self._idled,
                                                self._resumed, self._ended)
        except OSError as error:  # it stopped between its choice and now: as a failed read
            log.warning("idle time via %s failed: %s", self.reader.name, error)

    def stop(self) -> None:
        with self._lock:
            self._stop.set()
        if self._thread.is_alive():
            self._thread.join(2.0)

    def _idled(self) -> None:
        """No input for `away_after` (the reader's event, on its thread)."""
        since = self._now() - timedelta(seconds=self.polling.away_after)
        self._change(True, AwayStarted(Away.IDLE, since=since))

    def _resumed(self) -> None:
        self._change(False, AwayEnded(Away.IDLE))

    def _ended(self, _why: str) -> None:
        """The reader stopped (it logged why): nobody is away on its word any longer."""
        self._change(False, AwayEnded(Away.IDLE))

    def _change(self, is_away: bool, event: Event) -> None:
        with self._lock:
            if self._stop.is_set() or self.is_away == is_away:
                return
            self.is_away = is_away
            self._post(event)

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


class Pauses:
    """Whether the person has paused typing for `seconds` (no input), from an event-driven
    reader: a watch of its own on the reader's connection, made at start, so a pause already
    going on when a prompt comes counts (the compositor counts from the watch's creation)."""

    def __init__(self, reader: IdleEvents, seconds: float) -> None:
        self.seconds = seconds
        self._is_paused = threading.Event()
        reader.watch(seconds, self._is_paused.set, self._is_paused.clear,
                     lambda _why: self._is_paused.set())  # no reader: never hold a prompt

    def wait(self, timeout: float) -> bool:
        """Until a pause (True at once during one), at most `timeout` seconds."""
        return self._is_paused.wait(timeout)
