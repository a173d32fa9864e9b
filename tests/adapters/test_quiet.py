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

from tray.adapters.quiet import (
    DO_NOT_DISTURB,
    FULLSCREEN,
    GnomeBannersWatcher,
    X11FullscreenWatcher,
    dconf_change_covers,
)
from tray.core.events import QuietEnded, QuietStarted

pytestmark = pytest.mark.e2e
PRESENTER = Path(__file__).parents[1].joinpath("fullscreen_window.py")


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
    from tray.adapters.quiet import windows_quiet_reason

    assert windows_quiet_reason(state) == reason


# --- GNOME's own do not disturb (show-banners) --------------------------------------------------


@pytest.mark.parametrize(("prefix", "changes", "covers"), [
    ("/org/gnome/desktop/notifications/show-banners", [""], True),
    ("/org/gnome/desktop/notifications/", ["show-banners", "application-children"], True),
    ("/org/gnome/", [""], True),  # a reset of a whole folder
    ("/org/gnome/desktop/notifications/", ["show-in-lock-screen"], False),
    ("/org/gnome/desktop/interface/", ["gtk-theme"], False),
])
def test_which_dconf_changes_touch_show_banners(prefix, changes, covers) -> None:
    assert dconf_change_covers(prefix, changes) is covers


def test_gnome_do_not_disturb_holds_and_releases(session_bus) -> None:
    events: queue.Queue = queue.Queue()
    watcher = GnomeBannersWatcher(events.put)
    watcher.start()
    try:
        assert events.empty() and not watcher.is_quiet
        subprocess.run(["gsettings", "set", "org.gnome.desktop.notifications", "show-banners",
                        "false"], env=session_bus.env, check=True)
        assert events.get(timeout=10) == QuietStarted(DO_NOT_DISTURB)
        # Another key of the same folder changes: no event.
        subprocess.run(["gsettings", "set", "org.gnome.desktop.notifications",
                        "show-in-lock-screen", "false"], env=session_bus.env, check=True)
        subprocess.run(["gsettings", "reset", "org.gnome.desktop.notifications", "show-banners"],
                       env=session_bus.env, check=True)
        assert events.get(timeout=10) == QuietEnded(DO_NOT_DISTURB)
        assert events.empty()
    finally:
        watcher.stop()


def test_no_gnome_setting_means_not_watched(monkeypatch, tmp_path) -> None:
    with pytest.raises(OSError, match="gsettings is not installed"):
        GnomeBannersWatcher(lambda e: None, gsettings="no-such-gsettings")
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path))  # a system with no GNOME schemas
    with pytest.raises(OSError, match=r"cannot read org\.gnome\.desktop\.notifications"):
        GnomeBannersWatcher(lambda e: None)
