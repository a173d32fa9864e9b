"""Which detectors the tray starts follows the ports' capabilities: on a system without lock
and sleep signals or do-not-disturb detection (as the ports answer for macOS) none is started;
on this Linux the lock/sleep watcher is."""

from __future__ import annotations

import pytest
from helpers import make_rules

from tray.adapters import quiet, session
from tray.config.settings import Settings
from tray.shell.detectors import Detectors


class Runner:
    """The little of the engine's runner the detectors use: where they post."""

    def __init__(self) -> None:
        self.posted: list[object] = []

    def post(self, event: object) -> None:
        self.posted.append(event)


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_the_detectors_started_follow_the_capabilities(platform, monkeypatch, profile) -> None:
    monkeypatch.setenv("POINTBREAK_IDLE", "none")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    monkeypatch.delenv("DISPLAY", raising=False)
    for port in (quiet, session):
        can = port.capabilities(platform)
        monkeypatch.setattr(port, "capabilities", lambda can=can: can)
    detectors = Detectors(Runner(), tell=lambda _message: None)  # type: ignore[arg-type]
    detectors.start(make_rules(), Settings(hold_during_calls=False))
    try:
        assert (detectors.session_watch is not None) is (platform == "linux")
        assert detectors.quiet_watchers is not None
        if platform == "darwin":
            assert detectors.quiet_watchers.names == []
    finally:
        detectors.stop()
