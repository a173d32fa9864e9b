"""The lock-and-sleep port's contract (tray.adapters.session.LockAndSleep), run against its
watcher with each source on a real private bus: logind as tests/fake_logind.py on the "system"
bus, the freedesktop ScreenSaver as tests/fake_idle_monitor.py on the session bus. (The tray
with logind, end to end, is in tests/e2e/test_tray_e2e.py.)"""

from __future__ import annotations

import logging
import queue
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from buses import Peer, private_bus
from desktop import wait_for
from fake_ports import Posted

from tray.adapters import session
from tray.core.events import AwayEnded, AwayStarted
from tray.core.model import Away

# A thread that dies of an error is a broken promise here, not a warning.
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
TESTS = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
NOWHERE = "unix:path=/nonexistent/bus"


@dataclass
class Source:
    name: str  # as `watching` names it
    bus: Peer
    send: Callable[[str], None]  # a signal by its fake's command
    signals: dict[str, object]  # command -> the event it means


def _service(script: str, address: str) -> tuple[subprocess.Popen[str], Callable[[str], None]]:
    service = subprocess.Popen([sys.executable, str(TESTS / script), address],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                               bufsize=1)
    assert service.stdout is not None and service.stdout.readline().strip() == "ready"

    def send(command: str) -> None:
        assert service.stdin is not None and service.stdout is not None
        service.stdin.write(command + "\n")
        assert service.stdout.readline().strip() == f"sent {command}"

    return service, send


@pytest.fixture(params=["logind", "screensaver"])
def source(request, monkeypatch) -> Iterator[Source]:
    with private_bus() as bus:
        is_logind = request.param == "logind"
        monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", bus.address if is_logind else NOWHERE)
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", NOWHERE if is_logind else bus.address)
        monkeypatch.delenv("XDG_SESSION_ID", raising=False)
        if is_logind:
            service, send = _service("fake_logind.py", bus.address)
            signals = {"lock": AwayStarted(Away.LOCKED, NOW), "unlock": AwayEnded(Away.LOCKED),
                       "sleep": AwayStarted(Away.ASLEEP, NOW), "wake": AwayEnded(Away.ASLEEP)}
        else:
            service, send = _service("fake_idle_monitor.py", bus.address)
            signals = {"active": AwayStarted(Away.LOCKED, NOW),
                       "inactive": AwayEnded(Away.LOCKED)}
        try:
            yield Source(request.param, bus, send, signals)
        finally:
            service.kill()
            service.wait()


def test_this_system_has_the_port() -> None:
    assert session.capabilities().can_watch is sys.platform.startswith("linux")


def test_each_signal_becomes_its_event_on_the_watch_thread(source: Source) -> None:
    posted = Posted()
    watcher = session.SessionWatcher(posted, now=lambda: NOW)
    watcher.start()
    try:
        assert watcher.watching == [source.name]
        for command, event in source.signals.items():
            source.send(command)
            assert posted.events.get(timeout=5) == (event, "pointbreak-session-watch")
    finally:
        watcher.stop()


def test_stop_is_idempotent_and_nothing_is_posted_after_it(source: Source) -> None:
    posted = Posted()
    watcher = session.SessionWatcher(posted, now=lambda: NOW)
    watcher.start()
    watcher.stop()
    watcher.stop()
    command = next(iter(source.signals))
    source.send(command)
    source.send(command)
    with pytest.raises(queue.Empty):
        posted.events.get(timeout=0.5)


def test_a_vanished_bus_is_said_as_a_detector_stopping(source: Source, caplog) -> None:
    """An error in the port's log is how a detector says it stopped (the tray tells it once
    and lists it); no thread dies of it (this module turns that into a failure)."""
    posted = Posted()
    watcher = session.SessionWatcher(posted, now=lambda: NOW)
    with caplog.at_level(logging.INFO, logger="tray.adapters.session"):
        watcher.start()
        source.bus.vanish()
        wait_for(lambda: [r for r in caplog.records if r.levelno == logging.ERROR],
                 what="the watcher to say it stopped")
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "bus went away" in errors[0], errors
    watcher.stop()  # no error, whatever the bus did
    watcher.stop()
    assert posted.events.empty()


def test_no_source_at_all_is_watching_nothing_and_no_error(monkeypatch) -> None:
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", NOWHERE)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", NOWHERE)
    watcher = session.SessionWatcher(Posted())
    watcher.start()
    assert watcher.watching == []
    watcher.stop()
    watcher.stop()
