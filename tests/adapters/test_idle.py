"""Idle time: Windows' and macOS's arithmetic and parsing with recorded values; the presence
watcher's decisions as a table, and its thread for real. (What every reader promises, the X11
one under Xvfb among them, is in contract/test_idle_contract.py.)"""

from __future__ import annotations

import queue
from datetime import UTC, datetime, timedelta

import pytest
from fake_ports import IOREG_SAMPLE, ScriptedIdle

from tray.adapters import idle
from tray.adapters.idle.presence import Polling, PresenceWatcher, step
from tray.core.events import AwayEnded, AwayStarted
from tray.core.model import Away

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


# Recorded from GetLastInputInfo/GetTickCount's documented behaviour: both are milliseconds
# since boot in a 32-bit counter, so the difference wraps after 49.7 days.
@pytest.mark.parametrize(("last", "now", "expected"), [
    (1_000, 6_000, 5.0), (0, 0, 0.0), (0xFFFF_FC18, 1_000, 2.0)],
    ids=["plain", "just-now", "tick-count-wrapped"])
def test_the_windows_reader_through_its_seam(last: int, now: int, expected: float) -> None:
    assert idle.WindowsIdle(api=lambda: (last, now)).idle_seconds() == expected


def test_the_macos_reader_parses_ioreg() -> None:
    reader = idle.MacIdle(run=lambda: IOREG_SAMPLE)
    assert reader.idle_seconds() == pytest.approx(4.512345678)
    with pytest.raises(OSError, match="HIDIdleTime"):
        idle.parse_ioreg("+-o Root <class IORegistryEntry>")


@pytest.mark.parametrize(("is_away", "idle_seconds", "expected"), [
    (False, 10, (False, None, 290.0)),                 # the threshold is 290 s away at least
    (False, 290, (False, None, 10.0)),                 # read again at the threshold
    (False, 299.5, (False, None, 5.0)),                # but not faster than the away poll
    (False, 300, (True, AwayStarted(Away.IDLE, NOW - timedelta(seconds=300)), 5.0)),
    (False, 3600, (True, AwayStarted(Away.IDLE, NOW - timedelta(hours=1)), 5.0)),
    (True, 400, (True, None, 5.0)),
    (True, 2, (False, AwayEnded(Away.IDLE), 298.0)),
], ids=["present", "nearly-away", "very-nearly", "away-now", "away-since-an-hour",
        "still-away", "back"])
def test_the_presence_decisions(is_away: bool, idle_seconds: float, expected) -> None:
    assert step(is_away, idle_seconds, NOW, Polling()) == expected


def test_a_longest_wait_while_present_is_honoured() -> None:
    assert step(False, 10, NOW, Polling(while_present=30.0)) == (False, None, 30.0)
    assert step(True, 2, NOW, Polling(while_present=30.0)) == (False, AwayEnded(Away.IDLE), 30.0)


def test_the_watcher_posts_away_then_back_and_survives_a_failing_reader() -> None:
    events: queue.Queue = queue.Queue()
    watcher = PresenceWatcher(ScriptedIdle([-1, 0.1, 2.5, 3.0, 0.2]), events.put,
                              Polling(away_after=2.0, while_present=0.05, while_away=0.05))
    watcher.start()
    try:
        first = events.get(timeout=5)
        assert isinstance(first, AwayStarted) and first.reason is Away.IDLE
        assert events.get(timeout=5) == AwayEnded(Away.IDLE)
    finally:
        watcher.stop()
    assert not watcher.is_away


def test_select_honours_the_override(monkeypatch) -> None:
    monkeypatch.setenv("POINTBREAK_IDLE", "none")
    assert idle.select() is None
    monkeypatch.setenv("POINTBREAK_IDLE", "x11")
    monkeypatch.setenv("DISPLAY", ":9999")  # no such display: the reader is not usable
    assert idle.select() is None
