"""The X11 fullscreen watcher for real under Xvfb + openbox, window after window: X reuses a
closed window's id for the next client's window, which once made the watcher go deaf."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
from pathlib import Path

import pytest
from desktop import wait_for

from tray.model import QuietEnded, QuietStarted
from tray.quiet import FULLSCREEN, X11FullscreenWatcher

pytestmark = pytest.mark.e2e
PRESENTER = Path(__file__).with_name("fullscreen_window.py")


def test_fullscreen_windows_come_and_go_and_each_is_seen(desktop) -> None:
    events: queue.Queue = queue.Queue()
    X11FullscreenWatcher(events.put, desktop.display).start()
    for _ in range(3):
        presenter = subprocess.Popen([sys.executable, str(PRESENTER)],
                                     env={**os.environ, **desktop.env}, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        try:
            assert presenter.stdout is not None and presenter.stdin is not None
            assert presenter.stdout.readline().strip() == "shown"
            assert events.get(timeout=5) == QuietStarted(FULLSCREEN)
            presenter.stdin.write("leave\n")
            assert events.get(timeout=5) == QuietEnded(FULLSCREEN)
        finally:
            presenter.kill()  # closed without a goodbye, as a crashing player would
            presenter.wait()
        wait_for(lambda: not desktop.visible_windows("^Fullscreen test$"),
                 what="the window to go")


# Values recorded from QUERY_USER_NOTIFICATION_STATE's documentation (shellapi.h); Windows
# itself cannot run here, so the poll is driven through its one seam.
@pytest.mark.parametrize(("state", "reason"), [
    (1, "screen-off"), (2, "fullscreen"), (3, "fullscreen"), (4, "presentation"),
    (5, None), (6, "do-not-disturb"), (7, "fullscreen")],
    ids=["not-present", "busy", "d3d", "presentation", "accepts", "quiet-time", "app"])
def test_windows_notification_states(state: int, reason: str | None) -> None:
    from tray.quiet import windows_quiet_reason

    assert windows_quiet_reason(state) == reason


def test_the_windows_poll_posts_only_changes() -> None:
    from tray.quiet import WindowsQuietPoll

    answers = iter([5, 4, 4, 2, 5])
    posted: list = []
    poll = WindowsQuietPoll(posted.append, api=lambda: next(answers))
    for _ in range(5):
        poll.check()
    assert posted == [QuietStarted("presentation"), QuietEnded("presentation"),
                      QuietStarted(FULLSCREEN), QuietEnded(FULLSCREEN)]
