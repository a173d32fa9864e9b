"""Do not disturb, as the engine's QuietStarted/QuietEnded events; `start_watchers` starts
every detector that works here and the settings allow.

- A fullscreen window. X11: watched through X events, not by polling: PropertyNotify on the
  root window's _NET_ACTIVE_WINDOW and on the active window's _NET_WM_STATE, read by a thread of
  its own. Windows: SHQueryUserNotificationState (also presentation mode), asked once a minute.
- The desktop's own do not disturb. GNOME: the `show-banners` setting, read with `gsettings`
  at start and again only when dconf announces a change on the session bus (its Writer's
  Notify signal), so nothing runs while nothing changes. Windows and macOS have no public API.
- A call: the microphone or the camera in use (tray.adapters.quiet.calls).

`capabilities()` says which of them exist on this system (the settings window and `doctor` ask
it, not `sys.platform`).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Protocol

from tray.adapters.choosing import system_of
from tray.adapters.quiet.reasons import Reason
from tray.base.i18n import _
from tray.core.events import Event, QuietEnded, QuietStarted

log = logging.getLogger(__name__)

FULLSCREEN = "fullscreen"


@dataclass(frozen=True)
class Detection:
    """One kind of detection on a system: `how` it is done ("windows", "x11", "gnome", "linux";
    None where it cannot be), `where` it works in the settings window's words ("" when nothing
    needs saying), and `why_not` in doctor's ("" for plainly "not on this system")."""

    how: str | None
    where: str = ""
    why_not: str = ""

    @property
    def can_detect(self) -> bool:
        return self.how is not None

    def label(self, text: str) -> str:
        """A settings checkbox's text: `text`, with where it works."""
        return _("{text} ({where})").format(text=text, where=self.where) if self.where else text


@dataclass(frozen=True)
class Capabilities:
    """What do not disturb can see on a system (like pystray's HAS_MENU): from the platform
    alone, so it is pure; whether the X server or the sound server answers is for later."""

    fullscreen: Detection
    system: Detection
    calls: Detection


def capabilities(platform: str = sys.platform) -> Capabilities:
    """This system's detections (`platform`: a `sys.platform` value), in the language shown."""
    no_api = _("this system offers no public API for its own do not disturb")
    system, os_name = Detection(None, _("not on this system"), no_api), system_of(platform)
    if os_name == "windows":
        return Capabilities(Detection("windows"), system, Detection("windows"))
    if os_name == "macos":
        return Capabilities(Detection(None, _("not on macOS"),
                                      _("macOS offers no public API for it")),
                            system, Detection(None, _("not on macOS")))
    if os_name == "linux":
        return Capabilities(Detection("x11"), Detection("gnome", _("GNOME only")),
                            Detection("linux"))
    return Capabilities(Detection("x11"), system, Detection(None, _("not on this system")))


class X11FullscreenWatcher:
    def __init__(self, post: Callable[[Event], None], display_name: str | None = None) -> None:
        from Xlib import X, display

        self._display = display.Display(display_name)
        # A watched window may be destroyed at any moment (a player closing while fullscreen):
        # the errors that follow are expected and must not end the watch.
        self._display.set_error_handler(lambda *_: None)
        self._root = self._display.screen().root
        self._atoms = {name: self._display.intern_atom(name) for name in (
            "_NET_ACTIVE_WINDOW", "_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN")}
        self._root.change_attributes(event_mask=X.PropertyChangeMask)
        self._watched: Any = None
        self._stopped = False
        self._state = Reason(post, FULLSCREEN)
        self._thread = threading.Thread(target=self._loop, name="pointbreak-fullscreen",
                                        daemon=True)

    def start(self) -> None:
        self._check()
        self._thread.start()

    def stop(self) -> None:
        self._stopped = True
        with suppress(Exception):
            self._display.close()  # the thread's next_event fails and it ends

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
        if not self._stopped:
            self._state.set(is_full)

    def _loop(self) -> None:
        from Xlib import X

        wanted = {self._atoms["_NET_ACTIVE_WINDOW"], self._atoms["_NET_WM_STATE"]}
        while True:
            try:
                event = self._display.next_event()
            except Exception:  # the X connection is gone: stop watching
                if not self._stopped:
                    log.info("fullscreen watch ended: the X connection closed")
                    self._state.set(False)  # what it held is released, never held for ever
                return
            if event.type in (X.PropertyNotify, X.DestroyNotify) and (
                    event.type == X.DestroyNotify or event.atom in wanted):
                self._check()


class Watcher(Protocol):
    """A detector that watches on its own (X or D-Bus events, a child, inotify) and sets its
    quiet/reasons.Reason, which posts QuietStarted and QuietEnded. Made on the thread that
    starts the detectors (`pointbreak-start`, or whichever thread reloads the settings: an
    APScheduler worker, `pointbreak-control-answer`); one that cannot work here raises
    OSError (or any error, which `Watchers.start` logs) while made or started."""

    def start(self) -> None:
        """Look once and post what is so now, then watch on a thread of its own, named
        `pointbreak-<what>`. Blocks for that first look (a round trip to the X server, a
        `gsettings` or `pactl` of at most 5 s), never longer."""
        ...

    def stop(self) -> None:
        """Stop watching (at quit, or when its switch goes off); its thread ends soon after,
        posting nothing more. Any thread; idempotent; never blocks for long; a peer already
        gone (the X server, the bus, the sound server) is no error."""
        ...


class Poll(Protocol):
    """A detector the system answers only when asked (Windows): no thread of its own."""

    def check(self) -> None:
        """Ask now and post what changed since the last answer (only changes). Runs on the
        minute tick (an APScheduler worker), first on the thread that starts the detectors;
        one system call, never blocks. A failed answer is logged and counts as not quiet;
        it never raises."""
        ...


@dataclass
class Watchers:
    names: list[str] = field(default_factory=list)
    minute_checks: list[Callable[[], None]] = field(default_factory=list)  # asked once a minute
    stops: list[Callable[[], None]] = field(default_factory=list)  # at quit

    def stop(self) -> None:
        for stop in self.stops:
            try:
                stop()
            except Exception:  # it is being stopped anyway: not a detector that stopped
                log.warning("a do-not-disturb watcher did not stop cleanly", exc_info=True)

    def start(self, name: str, make: Callable[[], Watcher]) -> None:
        """A detector that watches on its own (X or D-Bus events, a child, inotify); one that
        cannot work here (no X server, no sound server, not GNOME) is logged and left out."""
        try:
            watcher = make()
            watcher.start()
        except Exception as error:
            log.info("do not disturb: %s is not watched: %s", name, error)
            return
        self.stops.append(watcher.stop)
        self.names.append(name)

    def poll(self, name: str, poll: Poll) -> None:
        """A detector the system only answers when asked: asked now, then once a minute."""
        poll.check()
        self.minute_checks.append(poll.check)
        self.names.append(name)


def start_watchers(post: Callable[[Event], None], *, fullscreen: bool = True,
                   system: bool = True, calls: bool = True) -> Watchers:
    """Start every do-not-disturb detector that works here and is switched on."""
    watchers, can = Watchers(), capabilities()
    if fullscreen and can.fullscreen.how == "windows":
        watchers.poll("fullscreen and presentation mode (Windows)", WindowsQuietPoll(post))
    if fullscreen and can.fullscreen.how == "x11" and os.environ.get("DISPLAY"):
        watchers.start("fullscreen (X11)", lambda: X11FullscreenWatcher(post))
    if system and can.system.how == "gnome":
        watchers.start("do not disturb (GNOME)", lambda: GnomeBannersWatcher(post))
    if calls:
        _start_call_watchers(post, watchers, can.calls.how)
    log.info("do not disturb: watching %s", ", ".join(watchers.names) or "nothing")
    return watchers


def _start_call_watchers(post: Callable[[Event], None], watchers: Watchers,
                         how: str | None) -> None:
    from tray.adapters.quiet import calls

    if how == "windows":
        watchers.poll("microphone and camera (Windows)", calls.WindowsCallPoll(post))
    elif how == "linux":
        watchers.start("microphone (PulseAudio/PipeWire)",
                       lambda: calls.PulseMicrophoneWatcher(post))
        watchers.start("camera (/dev/video*)", lambda: calls.CameraWatcher(post))


# --- GNOME: show-banners ------------------------------------------------------------------------

DO_NOT_DISTURB = "do-not-disturb"
BANNERS_SCHEMA, BANNERS_KEY = "org.gnome.desktop.notifications", "show-banners"
BANNERS_PATH = "/org/gnome/desktop/notifications/show-banners"


def dconf_change_covers(prefix: str, changes: list[str], path: str = BANNERS_PATH) -> bool:
    """Pure: does a dconf Notify(prefix, changes) touch this key? (A change of a folder, such
    as a reset of /org/gnome/, covers every key below it.)"""
    return any(path.startswith(prefix + change) for change in (changes or [""]))


class GnomeBannersWatcher:
    def __init__(self, post: Callable[[Event], None], gsettings: str = "gsettings") -> None:
        found = shutil.which(gsettings)
        if found is None:
            raise OSError(_("{program} is not installed").format(program="gsettings"))
        self._gsettings = found
        self._state = Reason(post, DO_NOT_DISTURB)
        self._router: Any = None
        self.check()  # raises when there is no such schema: not GNOME

    def _banners_shown(self) -> bool:
        result = subprocess.run([self._gsettings, "get", BANNERS_SCHEMA, BANNERS_KEY],
                                capture_output=True, text=True, timeout=5)
        value = result.stdout.strip()
        if result.returncode != 0 or value not in ("true", "false"):
            raise OSError(_("{program} cannot read {key}: {error}").format(
                program="gsettings", key=f"{BANNERS_SCHEMA} {BANNERS_KEY}",
                error=(result.stderr or value).strip()))
        return value == "true"

    @property
    def is_quiet(self) -> bool:
        return self._state.is_on

    def check(self) -> None:
        self._state.set(not self._banners_shown())

    def start(self) -> None:
        from queue import Queue

        from jeepney import MatchRule, message_bus
        from jeepney.io.threading import Proxy

        from tray.adapters.bus import Router

        self._router = Router("SESSION")
        rule = MatchRule(type="signal", interface="ca.desrt.dconf.Writer", member="Notify")
        Proxy(message_bus, self._router, timeout=5).AddMatch(rule)
        queue: Queue[Any] = Queue(maxsize=64)
        self._router.filter(rule, queue=queue)
        threading.Thread(target=self._listen, args=(queue,), daemon=True,
                         name="pointbreak-gnome-dnd").start()

    def stop(self) -> None:
        if self._router is not None:
            self._router.close()  # its listener ends

    def _listen(self, queue: Any) -> None:
        from tray.adapters.bus import LOST, Ended

        while True:
            message = queue.get()
            if isinstance(message, Ended):
                if message is LOST:  # the thread's edge: it stopped watching
                    log.error("GNOME's do not disturb is no longer watched: the session bus "
                              "went away (%s)", self._router.lost)
                    self._state.set(False)
                return
            try:
                body = message.body
                if dconf_change_covers(str(body[0]), [str(c) for c in body[1]]):
                    self.check()
            except Exception:  # the thread's edge: a malformed signal, gsettings failing
                log.warning("GNOME's do-not-disturb setting could not be read; still watching",
                            exc_info=True)


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
