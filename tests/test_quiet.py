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
