"""What each lock/sleep signal means to the engine (the watcher itself runs end to end in
tests/e2e/test_tray_e2e.py against a fake logind on a private bus)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tray.adapters.session import event_for
from tray.core.events import AwayEnded, AwayStarted
from tray.core.model import Away

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("interface", "member", "body", "expected"), [
    ("org.freedesktop.login1.Manager", "PrepareForSleep", (True,),
     AwayStarted(Away.ASLEEP, NOW)),
    ("org.freedesktop.login1.Manager", "PrepareForSleep", (False,), AwayEnded(Away.ASLEEP)),
    ("org.freedesktop.login1.Session", "Lock", (), AwayStarted(Away.LOCKED, NOW)),
    ("org.freedesktop.login1.Session", "Unlock", (), AwayEnded(Away.LOCKED)),
    ("org.freedesktop.ScreenSaver", "ActiveChanged", (True,), AwayStarted(Away.LOCKED, NOW)),
    ("org.gnome.ScreenSaver", "ActiveChanged", (False,), AwayEnded(Away.LOCKED)),
    ("org.freedesktop.login1.Manager", "PrepareForShutdown", (True,), None),
    ("org.freedesktop.login1.Manager", "PrepareForSleep", (), None),
], ids=["sleep", "wake", "lock", "unlock", "screensaver-on", "gnome-screensaver-off",
        "other-signal", "malformed"])
def test_signals_become_engine_events(interface, member, body, expected) -> None:
    assert event_for(interface, member, body, NOW) == expected
