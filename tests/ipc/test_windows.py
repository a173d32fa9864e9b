"""The tray's side of window processes, with real child processes speaking the real protocol."""

from __future__ import annotations

import queue
from datetime import timedelta
from pathlib import Path

import pytest

from tray.core.events import PromptEnded, RoutineStarted, SnoozeRequested
from tray.core.model import Outcome
from tray.shell.window_processes import Windows

TESTS = str(Path(__file__).resolve().parents[1])


@pytest.fixture
def events(monkeypatch) -> queue.Queue:
    monkeypatch.setenv("PYTHONPATH", TESTS)
    return queue.Queue()


def windows(events: queue.Queue, mode: str) -> Windows:
    # The child runs `python -m fake_window MODE card ...`: the mode goes first.
    return Windows(events.put, timedelta(seconds=1), timedelta(seconds=1),
                   module="fake_window", slack=timedelta(seconds=1))


def collect(events: queue.Queue, count: int, timeout: float = 15) -> list:
    return [events.get(timeout=timeout) for _ in range(count)]


@pytest.mark.parametrize(("mode", "expected"), [
    ("complete", [RoutineStarted(7), PromptEnded(7, Outcome.COMPLETED)]),
    ("snooze", [SnoozeRequested(timedelta(minutes=5), 7)]),
    ("garbage", [PromptEnded(7, Outcome.SKIPPED)]),
    ("crash", [RoutineStarted(7), PromptEnded(7, Outcome.FAILED)]),
    ("hang", [RoutineStarted(7), PromptEnded(7, Outcome.FAILED)]),
], ids=["completed", "snoozed", "malformed-reports-ignored", "crashed", "hung-and-killed"])
def test_a_window_reports_become_engine_events(events, mode, expected) -> None:
    shell = windows(events, mode)
    shell._start(7, [mode, "card"])
    assert collect(events, len(expected)) == expected
    with pytest.raises(queue.Empty):
        events.get(timeout=0.5)  # and nothing more


def test_a_window_closed_by_the_tray_is_not_a_failure(events) -> None:
    shell = windows(events, "hang")
    shell._start(8, ["hang", "card"])
    assert collect(events, 1) == [RoutineStarted(8)]
    shell.close(8)
    with pytest.raises(queue.Empty):
        events.get(timeout=1.5)
