"""Do not disturb, as the engine's QuietStarted/QuietEnded events.

X11: a window that is fullscreen on the active screen holds prompts. Watched through X events,
not by polling: PropertyNotify on the root window's _NET_ACTIVE_WINDOW and on the active
window's _NET_WM_STATE, read by a thread of its own on its own X connection. (Windows'
SHQueryUserNotificationState and GNOME's show-banners are the next detectors to add here.)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from tray.model import Event, QuietEnded, QuietStarted

log = logging.getLogger(__name__)

FULLSCREEN = "fullscreen"


class X11FullscreenWatcher:
    def __init__(self, post: Callable[[Event], None], display_name: str | None = None) -> None:
        from Xlib import X, display

        self._post = post
        self._display = display.Display(display_name)
        # A watched window may be destroyed at any moment (a player closing while fullscreen):
        # the errors that follow are expected and must not end the watch.
        self._display.set_error_handler(lambda *_: None)
        self._root = self._display.screen().root
        self._atoms = {name: self._display.intern_atom(name) for name in (
            "_NET_ACTIVE_WINDOW", "_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN")}
        self._root.change_attributes(event_mask=X.PropertyChangeMask)
        self._watched: Any = None
        self.is_fullscreen = False
        self._thread = threading.Thread(target=self._loop, name="pointbreak-fullscreen",
                                        daemon=True)

    def start(self) -> None:
        self._check()
        self._thread.start()

    def _active(self) -> Any:
        prop = self._root.get_full_property(self._atoms["_NET_ACTIVE_WINDOW"], 0)
        if prop is None or not prop.value or not prop.value[0]:
            return None
        return self._display.create_resource_object("window", int(prop.value[0]))

    def _check(self) -> None:
        from Xlib import X

        try:
            window = self._active()
            if window is not None:
                # Every time: X hands a closed window's id to the next client's window, so
                # "already watched" cannot be told from the id.
                window.change_attributes(event_mask=X.PropertyChangeMask | X.StructureNotifyMask)
                self._watched = window
            state = None if window is None else window.get_full_property(
                self._atoms["_NET_WM_STATE"], 0)
            is_full = bool(state is not None and
                           self._atoms["_NET_WM_STATE_FULLSCREEN"] in state.value)
        except Exception:  # the window went away meanwhile: not fullscreen
            is_full = False
        if is_full != self.is_fullscreen:
            self.is_fullscreen = is_full
            self._post(QuietStarted(FULLSCREEN) if is_full else QuietEnded(FULLSCREEN))

    def _loop(self) -> None:
        from Xlib import X

        wanted = {self._atoms["_NET_ACTIVE_WINDOW"], self._atoms["_NET_WM_STATE"]}
        while True:
            try:
                event = self._display.next_event()
            except Exception:  # the X connection is gone: stop watching
                log.info("fullscreen watch ended: the X connection closed")
                return
            if event.type in (X.PropertyNotify, X.DestroyNotify) and (
                    event.type == X.DestroyNotify or event.atom in wanted):
                self._check()


def start_watchers(post: Callable[[Event], None], *,
                   fullscreen: bool = True) -> tuple[list[str], list[Callable[[], None]]]:
    """Start every do-not-disturb detector that works here. Returns their names and the
    checks to run on the minute tick (for systems that only answer when asked)."""
    import os
    import sys

    started: list[str] = []
    minute_checks: list[Callable[[], None]] = []
    if fullscreen and sys.platform == "win32":
        poll = WindowsQuietPoll(post)
        poll.check()
        minute_checks.append(poll.check)
        started.append("fullscreen and presentation mode (Windows)")
    if fullscreen and os.environ.get("DISPLAY"):
        try:
            X11FullscreenWatcher(post).start()
            started.append("fullscreen (X11)")
        except Exception as error:  # no X server, no EWMH: not watched
            log.info("do not disturb: fullscreen is not watched: %s", error)
    log.info("do not disturb: watching %s", ", ".join(started) or "nothing")
    return started, minute_checks


# --- Windows: SHQueryUserNotificationState, asked on the minute tick ---------------------------

# QUERY_USER_NOTIFICATION_STATE (shellapi.h): what each value means for a prompt.
WINDOWS_QUIET = {
    1: "screen-off",      # QUNS_NOT_PRESENT: screen saver, locked, or fast user switching
    2: FULLSCREEN,        # QUNS_BUSY: a full-screen application
    3: FULLSCREEN,        # QUNS_RUNNING_D3D_FULL_SCREEN: a full-screen Direct3D game
    4: "presentation",    # QUNS_PRESENTATION_MODE
    6: "do-not-disturb",  # QUNS_QUIET_TIME: the first hour after a new user's first logon
    7: FULLSCREEN,        # QUNS_APP: a Windows Store app full screen
}


def windows_quiet_reason(state: int) -> str | None:
    """Pure: the quiet reason for a QUERY_USER_NOTIFICATION_STATE value (5: accepts)."""
    return WINDOWS_QUIET.get(state)


class WindowsQuietPoll:
    """Windows has no change notification for this: the tray asks once a minute."""

    def __init__(self, post: Callable[[Event], None], api: Callable[[], int] | None = None):
        self._post = post
        self._api = api or _windows_notification_state
        self.reason: str | None = None

    def check(self) -> None:
        try:
            reason = windows_quiet_reason(self._api())
        except OSError as error:
            log.info("cannot read the Windows notification state: %s", error)
            reason = None
        if reason != self.reason:
            if self.reason is not None:
                self._post(QuietEnded(self.reason))
            if reason is not None:
                self._post(QuietStarted(reason))
            self.reason = reason


def _windows_notification_state() -> int:
    import ctypes

    state = ctypes.c_int(0)
    result = ctypes.windll.shell32.SHQueryUserNotificationState(  # type: ignore[attr-defined]
        ctypes.byref(state))
    if result != 0:
        raise OSError(f"SHQueryUserNotificationState failed: {result:#x}")
    return state.value
