"""The engine's home in the tray process: one thread, one APScheduler job, one minute tick.

Threads:
- `pointbreak-engine` owns the engine state and is the only caller of `handle` and of the
  store's writes. An unexpected error there is handed to `on_failure` (the tray then ends,
  saying so) and the thread stops. Everything else (menu callbacks, the control channel,
  scheduler jobs, OS watchers) only calls `post` or `ask`, which put an event on its queue
  and never block on it (`ask` blocks its caller until the decision is made, up to a
  timeout).
- APScheduler's BackgroundScheduler keeps exactly one job, `wake`, at the engine's next wake
  time, with no misfire grace limit (a late job still runs, however late) and coalescing on.
- `pointbreak-tick`, once a minute: the clock watchdog (a suspend, a clock set), marking the
  tray alive, and the shell's minute (`on_minute`). A thread of its own that sleeps a minute
  and runs the tick itself: as an APScheduler interval job it took the scheduler's thread and
  a pool worker, which wake each other and wait for each other's hold on the interpreter, some
  four wake-ups a minute where this takes one. After a suspend the overdue wake job looks at
  the clocks first (`_wake`), so a sleep is still seen at once.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from tray.core import engine
from tray.core.events import (
    AwayEnded,
    AwayStarted,
    ClockChanged,
    Event,
    SaveRecord,
    SaveState,
    Ticked,
)
from tray.core.model import Away, Rules, State
from tray.shell import watchdog
from tray.store import Store, StoreWriteError

from tray.shell.lean import import_apscheduler  # isort: skip

import_apscheduler()  # first: APScheduler without asyncio and OpenSSL (see tray/shell/lean.py)
from apscheduler.jobstores.base import JobLookupError  # noqa: E402
from apscheduler.schedulers.background import BackgroundScheduler  # noqa: E402

log = logging.getLogger(__name__)
T = TypeVar("T")

WAKE_JOB = "wake"

@dataclass(frozen=True)
class _Stop:
    pass


@dataclass(frozen=True)
class _NewRules:
    rules: Rules


@dataclass(frozen=True)
class _Call:
    function: Callable[[], object]


class EngineRunner:
    def __init__(self, rules: Rules, state: State, store: Store | None,
                 on_decision: Callable[[engine.Decision], None] = lambda _: None, *,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 sample: Callable[[], watchdog.TickSample] = watchdog.sample,
                 watchdog_period: float = watchdog.PERIOD.total_seconds(),
                 alive_path: Path | None = None,
                 on_minute: Callable[[], None] | None = None,
                 on_failure: Callable[[BaseException], None] | None = None,
                 on_save_problem: Callable[[str | None], None] = lambda _: None) -> None:
        self.rules = rules
        self.state = state
        self._store = store
        self._on_decision = on_decision
        self._now = now
        self._sample = sample
        self._alive_path = alive_path
        self._on_minute = on_minute
        self._on_failure = on_failure
        self._on_save_problem = on_save_problem
        self.save_problem: str | None = None  # why history is not being saved, if it is not
        self._watchdog_period = watchdog_period
        self._queue: queue.SimpleQueue[tuple[Event | _Stop | _NewRules | _Call,
                                             Future[Any] | None]] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="pointbreak-engine", daemon=True)
        self._ticker = threading.Thread(target=self._tick, name="pointbreak-tick", daemon=True)
        self._stopping = threading.Event()
        self._scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1})
        self._last_tick: watchdog.TickSample | None = None
        self._clock_lock = threading.Lock()
        self.wake_at: datetime | None = None

    # --- any thread ------------------------------------------------------------------------

    def start(self, first: Event) -> None:
        self._scheduler.start()
        self._last_tick = self._sample()
        self._thread.start()
        self._ticker.start()
        self.post(first)

    def post(self, event: Event) -> None:
        self._queue.put((event, None))

    def ask(self, event: Event, timeout: float = 5.0) -> engine.Decision:
        """Post an event and wait for the engine's decision (for replies to commands)."""
        future: Future[engine.Decision] = Future()
        self._queue.put((event, future))
        return future.result(timeout)

    def call(self, function: Callable[[], T], timeout: float = 5.0) -> T:
        """Run `function` on the engine thread (to read state or the store safely)."""
        future: Future[Any] = Future()
        self._queue.put((_Call(function), future))
        result: T = future.result(timeout)
        return result

    def post_call(self, function: Callable[[], object]) -> None:
        """Run `function` on the engine thread, without waiting for it (an error is logged:
        nobody waits for it to hand it to)."""
        self._queue.put((_Call(function), None))

    def set_rules(self, rules: Rules) -> None:
        self._queue.put((_NewRules(rules), None))

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._queue.put((_Stop(), None))
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def scheduled_jobs(self) -> list[str]:
        return [job.id for job in self._scheduler.get_jobs()]

    @property
    def is_ticking(self) -> bool:
        return self._ticker.is_alive()

    # --- the scheduler's and the tick's threads: post only ------------------------------------

    def _wake(self) -> None:
        # After a resume the overdue wake job and the watchdog fire together; look at the
        # clocks first, so that the engine hears of the sleep before it decides anything.
        self._check_clocks()
        self.post(Ticked())

    def _tick(self) -> None:
        while not self._stopping.wait(self._watchdog_period):
            try:
                self._watch()
            except Exception:  # the thread's edge: the next minute tries again
                log.exception("the minute tick failed")

    def _watch(self) -> None:
        if self._alive_path is not None:
            mark_alive(self._alive_path)
        self._check_clocks()
        if self._on_minute is not None:
            try:
                self._on_minute()
            except Exception:  # a scheduler thread's edge
                log.exception("the minute tick failed")

    def _check_clocks(self) -> None:
        with self._clock_lock:  # the wake job and the watchdog may run at once
            current = self._sample()
            previous, self._last_tick = self._last_tick, current
        if previous is None:
            return
        found = watchdog.classify(previous, current,
                                  watchdog.PERIOD * (self._watchdog_period / 60))
        if isinstance(found, watchdog.Slept):
            log.info("the machine slept from %s to %s", found.since, found.until)
            self.post(AwayStarted(Away.ASLEEP, found.since))
            self.post(AwayEnded(Away.ASLEEP))
        elif isinstance(found, watchdog.ClockSet):
            log.info("the wall clock was set by %s", found.by)
            self.post(ClockChanged(found.by))

    # --- the engine thread -----------------------------------------------------------------

    def _loop(self) -> None:
        while True:
            item, future = self._queue.get()
            if isinstance(item, _Stop):
                return
            if isinstance(item, _Call):
                try:
                    result = item.function()
                except Exception as error:  # the thread's edge: to the caller, or the log
                    if future is None:
                        log.exception("a call posted to the engine thread failed")
                    else:
                        future.set_exception(error)
                    continue
                if future is not None:
                    future.set_result(result)
                continue
            try:
                if isinstance(item, _NewRules):
                    self.rules = item.rules
                    item = Ticked()
                decision = engine.handle(self.state, item, self._now(), self.rules)
                self.state = decision.state
                self._save(decision)
                self._schedule(decision.wake_at)
                if future is not None:
                    future.set_result(decision)
                self._on_decision(decision)
            except Exception as error:  # the thread's edge: log, answer, and end the tray
                log.exception("the engine failed on %r", item)
                if future is not None and not future.done():
                    future.set_exception(error)
                if self._on_failure is not None:  # a broken rule must never fail silently
                    self._on_failure(error)
                    return

    def _save(self, decision: engine.Decision) -> None:
        if self._store is None:
            return
        records = [e.record for e in decision.of_type(SaveRecord)]
        if not records and not decision.of_type(SaveState):
            return
        self._write(lambda store: store.save(self.state, records))

    def save_again(self) -> None:
        """Try once more to write what could not be saved (any thread; the minute tick)."""
        store = self._store
        if store is not None and store.has_unsaved:
            self.post_call(lambda: self._write(lambda s: s.save(None, [])))

    def _write(self, write: Callable[[Store], None]) -> None:
        """On the engine thread. What cannot be written stays in memory (today's count holds)
        and goes out with the next write; the person is told once, and again when it works."""
        assert self._store is not None
        try:
            write(self._store)
        except StoreWriteError as error:
            if self.save_problem is None:  # say it once, not at every change
                log.error("cannot save history: %s", error)
                self.save_problem = str(error)
                self._on_save_problem(self.save_problem)
            return
        if self.save_problem is not None:
            log.info("history is saved again")
            self.save_problem = None
            self._on_save_problem(None)

    def _schedule(self, when: datetime | None) -> None:
        self.wake_at = when
        if when is None:
            with suppress(JobLookupError):  # it may have just run and gone by itself
                self._scheduler.remove_job(WAKE_JOB)
            return
        self._scheduler.add_job(self._wake, "date", run_date=when, id=WAKE_JOB,
                                replace_existing=True)


def mark_alive(path: Path) -> None:
    """Touch the file whose time says when the tray was last seen alive (never raises)."""
    try:
        os.utime(path)
    except FileNotFoundError:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        except OSError as error:
            log.warning("cannot mark the tray alive in %s: %s", path, error)
    except OSError as error:
        log.warning("cannot mark the tray alive in %s: %s", path, error)
