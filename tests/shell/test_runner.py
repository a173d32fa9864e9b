"""The scheduler adapter with the real APScheduler, and the clock watchdog through its seam."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import make_rules

from tray.core import engine
from tray.core.events import AwayEnded, AwayStarted, ClockChanged, ShowPrompt, Ticked, TrayStarted
from tray.core.model import Away, Rules, State
from tray.shell.runner import WAKE_JOB, EngineRunner
from tray.shell.watchdog import ClockSet, Slept, TickSample, classify
from tray.store import Store

T0 = datetime(2026, 11, 25, 10, tzinfo=UTC)


def sample(wall_seconds: float, mono: float, boot: float | None) -> TickSample:
    return TickSample(T0 + timedelta(seconds=wall_seconds), mono, boot)


@pytest.mark.parametrize(("current", "expected"), [
    (sample(60, 60, 60), None),                                    # an ordinary tick
    (sample(62, 62, None), None),                                  # a little late
    (sample(60 + 70 * 60, 60, 60 + 70 * 60), Slept),               # Linux: suspended 70 min
    (sample(60 + 70 * 60, 60, None), Slept),                       # macOS: monotonic stopped
    (sample(60 + 70 * 60, 60 + 70 * 60, None), Slept),             # Windows: it kept running
    (sample(60 - 3600, 60, 60), ClockSet),                         # set back an hour
    (sample(60 - 3600, 60, None), ClockSet),                       # ...without a boot clock
    (sample(60 + 3600, 60, 60), ClockSet),                         # Linux: set forward an hour
    (sample(60 + 70 * 60, 60 + 70 * 60, 60 + 70 * 60), None),     # the process was stopped
], ids=["tick", "late-tick", "linux-sleep", "macos-sleep", "windows-sleep", "set-back",
        "set-back-no-boot", "set-forward", "stopped-process"])
def test_the_watchdog_tells_sleeps_from_clock_changes(current, expected) -> None:
    found = classify(sample(0, 0, 0 if current.boottime is not None else None), current)
    assert (found is None) if expected is None else isinstance(found, expected)
    if isinstance(found, Slept):
        assert found.until - found.since == timedelta(seconds=60 + 70 * 60)
    if isinstance(found, ClockSet):
        assert abs(found.by) == timedelta(hours=1)


class FakeClocks:
    """The watchdog's seam: clocks the test moves by hand."""

    def __init__(self) -> None:
        self.wall = T0
        self.mono = 0.0
        self.boot = 0.0

    def sample(self) -> TickSample:
        return TickSample(self.wall, self.mono, self.boot)

    def now(self) -> datetime:
        return self.wall


def recording_runner(rules: Rules, clocks: FakeClocks | None = None, store: Store | None = None,
                     **kwargs):
    decisions: list[engine.Decision] = []
    seen = threading.Event()

    def on_decision(decision: engine.Decision) -> None:
        decisions.append(decision)
        seen.set()

    extra = {} if clocks is None else {"now": clocks.now, "sample": clocks.sample}
    runner = EngineRunner(rules, State(), store, on_decision, **extra, **kwargs)
    return runner, decisions, seen


def test_one_wake_job_at_the_engines_next_wake_and_it_fires(tmp_path: Path) -> None:
    # A real scheduler and a real clock: an interval of a few seconds' worth.
    rules = make_rules(interval=timedelta(minutes=15))
    store = Store(tmp_path / "history")
    runner, decisions, _ = recording_runner(rules, store=store)
    shown = threading.Event()
    runner._on_decision = lambda d: (decisions.append(d),
                                     d.of_type(ShowPrompt) and shown.set())
    start = datetime.now(UTC)
    # Started 15 minutes minus one second ago, inside all-day hours: due in about 1 s.
    from helpers import ALL_DAY
    runner.rules = make_rules(interval=timedelta(minutes=15), hours=ALL_DAY)
    runner.state = State(work_from=start - timedelta(minutes=15) + timedelta(seconds=1))
    runner.start(Ticked())
    try:
        assert shown.wait(10), "the wake job did not fire"
        assert runner.scheduled_jobs() in ([WAKE_JOB], [])  # the one job, or none left
        assert runner.is_ticking
        # The prompt (and the state) went to the store from the engine thread.
        assert Store(store.folder).load_state() == runner.state
        assert runner.state.open is not None
    finally:
        runner.stop()


def test_a_wake_time_in_the_past_still_runs(tmp_path: Path) -> None:
    from helpers import ALL_DAY
    rules = make_rules(hours=ALL_DAY)
    runner, decisions, seen = recording_runner(rules)
    runner.state = State(work_from=datetime.now(UTC) - timedelta(hours=3))
    runner.start(TrayStarted(last_alive_at=datetime.now(UTC)))
    try:
        assert seen.wait(5)
        assert any(d.of_type(ShowPrompt) for d in decisions)
    finally:
        runner.stop()


def test_ask_returns_the_decision_and_rescheduling_keeps_one_job() -> None:
    from helpers import ALL_DAY
    runner, _, _ = recording_runner(make_rules(hours=ALL_DAY))
    runner.start(TrayStarted(None))
    try:
        for _ in range(5):
            decision = runner.ask(Ticked())
            assert decision.wake_at is not None
        assert runner.scheduled_jobs() == [WAKE_JOB]  # the minute tick is a thread of its own
        assert runner.wake_at == decision.wake_at
    finally:
        runner.stop()


def test_the_minute_tick_is_a_thread_that_survives_an_error_and_stops(tmp_path: Path) -> None:
    """`pointbreak-tick` runs the minute (a short one here) on its own thread: it marks the
    tray alive and calls the shell's minute; an error in one minute does not end it; stop
    ends it."""
    minutes: list[str] = []
    ticked = threading.Semaphore(0)

    def minute() -> None:
        minutes.append(threading.current_thread().name)
        ticked.release()
        if len(minutes) == 1:
            raise RuntimeError("a minute that fails")

    alive = tmp_path / "alive"
    runner, _, _ = recording_runner(make_rules(), watchdog_period=0.01, on_minute=minute,
                                    alive_path=alive)
    runner.start(TrayStarted(None))
    try:
        for _ in range(3):
            assert ticked.acquire(timeout=10), "the minute tick stopped"
        assert set(minutes) == {"pointbreak-tick"} and alive.exists()
    finally:
        runner.stop()
    runner._ticker.join(10)
    assert not runner.is_ticking


def test_the_watchdog_turns_a_suspend_into_one_away_period(tmp_path: Path) -> None:
    clocks = FakeClocks()
    runner, _decisions, _ = recording_runner(make_rules(), clocks,
                                            alive_path=tmp_path / "alive")
    posted: list = []
    runner.post = posted.append  # type: ignore[method-assign]
    runner._last_tick = clocks.sample()
    clocks.wall += timedelta(minutes=71)  # slept 70 minutes: boot clock on, monotonic not
    clocks.mono += 60
    clocks.boot += 71 * 60
    runner._watch()
    assert posted == [AwayStarted(Away.ASLEEP, T0), AwayEnded(Away.ASLEEP)]
    assert (tmp_path / "alive").exists()
    posted.clear()
    clocks.wall += timedelta(seconds=60) - timedelta(hours=1)  # a tick, and the clock set back
    clocks.mono += 60
    clocks.boot += 60
    runner._watch()
    assert posted == [ClockChanged(-timedelta(hours=1))]


def test_a_failed_save_is_told_once_and_the_engine_goes_on(tmp_path: Path, caplog) -> None:
    from helpers import ALL_DAY
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    store = Store(blocker / "history")  # its folder is a file: every save fails
    runner, _decisions, _ = recording_runner(make_rules(hours=ALL_DAY), store=store)
    runner.start(TrayStarted(None))
    try:
        for _ in range(3):
            runner.ask(Ticked())
        runner.ask(AwayStarted(Away.IDLE, datetime.now(UTC)))
        assert runner.state.away == {Away.IDLE}
    finally:
        runner.stop()
    assert [r.message for r in caplog.records].count(
        next(r.message for r in caplog.records if "cannot save" in r.message)) == 1


def test_after_a_resume_the_sleep_is_posted_before_the_overdue_wake() -> None:
    clocks = FakeClocks()
    runner, _, _ = recording_runner(make_rules(), clocks)
    posted: list = []
    runner.post = posted.append  # type: ignore[method-assign]
    runner._last_tick = clocks.sample()
    clocks.wall += timedelta(minutes=61)  # slept an hour; the wake job was due meanwhile
    clocks.mono += 1
    clocks.boot += 61 * 60
    runner._wake()
    assert posted == [AwayStarted(Away.ASLEEP, T0), AwayEnded(Away.ASLEEP), Ticked()]


def test_the_tray_loads_apscheduler_without_asyncio_and_openssl() -> None:
    """tray/shell/lean.py: APScheduler's one use of asyncio is answered by inspect (~7 MiB saved);
    its jobs still run; a later real `import asyncio` still gets the real module."""
    import subprocess
    import sys

    probe = (
        "import sys, threading, inspect\n"
        "import tray.shell.runner\n"
        "assert 'asyncio' not in sys.modules and 'ssl' not in sys.modules, 'asyncio loaded'\n"
        "import apscheduler.util\n"
        "assert apscheduler.util.iscoroutinefunction is inspect.iscoroutinefunction\n"
        "from apscheduler.schedulers.background import BackgroundScheduler\n"
        "done = threading.Event()\n"
        "s = BackgroundScheduler(); s.start(); s.add_job(done.set); assert done.wait(10)\n"
        "s.shutdown()\n"
        "import asyncio\n"
        "assert hasattr(asyncio, 'run'), 'the real asyncio'\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr


def test_an_error_in_a_posted_call_is_logged_and_the_engine_goes_on(
        caplog: pytest.LogCaptureFixture) -> None:
    """post_call has nobody to hand an error to: it must reach the log, never vanish."""
    runner = EngineRunner(make_rules(), State(), None)
    runner.start(TrayStarted(None))
    try:
        def broken() -> None:
            raise ValueError("a menu refresh that failed")

        with caplog.at_level("ERROR", logger="tray.shell.runner"):
            runner.post_call(broken)
            assert runner.call(lambda: "still here") == "still here"  # after it, in order
        assert any("a call posted to the engine thread failed" in r.getMessage()
                   and r.exc_info and "a menu refresh that failed" in str(r.exc_info[1])
                   for r in caplog.records), caplog.records
    finally:
        runner.stop()
