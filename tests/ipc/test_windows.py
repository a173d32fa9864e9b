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


def test_a_window_opened_from_the_menu_or_the_control_window_is_reaped(
        desktop, profile, monkeypatch) -> None:
    """children.open_window (the menu's and the control window's Settings… and History…): the
    real window shows, and once it is closed its process is waited for: no zombie is left."""
    import os
    import threading

    from desktop import wait_for

    from tray.ipc.children import open_window

    for name, value in {**profile.env, **desktop.env}.items():
        monkeypatch.setenv(name, value)
    assert open_window("tray.ui.history_window")
    window = wait_for(lambda: desktop.visible_windows("^Pointbreak history$"),
                      what="the history window")[0]
    reaper = next(t for t in threading.enumerate()
                  if t.name == "pointbreak-tray.ui.history_window")
    desktop.keys(window, "Escape")
    reaper.join(15)
    assert not reaper.is_alive()

    def zombies() -> list[str]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] == "Z" and int(fields[1]) == os.getpid():
                found.append(stat.parent.name)
        return found

    assert zombies() == []


def test_a_window_that_cannot_start_is_logged_not_raised(monkeypatch, caplog) -> None:
    from tray.ipc import children

    monkeypatch.setattr(children, "command", lambda module, args=(): ["/nonexistent/python"])
    assert children.open_window("tray.ui.history_window") is False
    assert "cannot open the window tray.ui.history_window" in caplog.text
