"""How long since the person last touched the keyboard or mouse, per system, behind one reader.

Readers (each importable everywhere; OS-only imports inside them), chosen once by `select`,
`POINTBREAK_IDLE=x11|mutter|wayland|screensaver|windows|macos|none` forces one:
- X11: the XScreenSaver extension (python-xlib, already there for pystray).
- Wayland: GNOME's Mutter IdleMonitor on the session bus; other compositors (KWin, sway...)
  through their own idle protocol (`wayland`, tray.adapters.idle.wayland), which gives events
  ("idle for N seconds", "back"), not a counter: such a reader `is_event_driven` and is
  watched (`IdleEvents.watch`), not polled; else the freedesktop ScreenSaver's
  GetSessionIdleTime where it answers (KWin's answers NotSupported). Never XWayland's X11 idle
  time inside a Wayland session: it sees only X apps' input, so it would say "away" while the
  person types in a Wayland window. No reader is better than one that lies.
- Windows: GetLastInputInfo (ctypes). macOS: IOKit's HIDIdleTime, read from `ioreg`.
Where none works `select` returns None: the engine then runs without natural breaks from idle,
and `pointbreak doctor` says so (and why each candidate was not usable).
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Protocol

from tray.adapters import choosing
from tray.base.i18n import _

log = logging.getLogger(__name__)


class IdleReader(Protocol):
    """How long since the last input, from one source. Made by `select` on `pointbreak-start`
    (making one may block up to 5 s: a first reading proves it works here)."""

    name: str  # the name POINTBREAK_IDLE takes for it
    is_event_driven: bool  # True: an IdleEvents, to watch rather than poll

    def idle_seconds(self) -> float:
        """Seconds since the last input, >= 0. Runs on `pointbreak-presence` and
        `pointbreak-typing-pause`, often both at once: a reader with a connection reads under
        its own lock. Blocks for one round trip (X, D-Bus: at most 2 s; `ioreg`: at most
        5 s), so never on the engine's thread. A source that fails or has gone away (the X
        server, the bus, the service) raises OSError, nothing else; so may a reading after
        `close` (a reader with nothing to close reads on)."""
        ...

    def close(self) -> None:
        """Let go of the source's connection (at quit, on the thread that quits; `doctor`
        after its look). Idempotent; never blocks, never raises."""
        ...


class IdleEvents(IdleReader, Protocol):
    """A reader whose source says when a person went idle and came back (Wayland's idle
    protocols). Its `idle_seconds` is a lower bound: what its watches know (0 until one of them
    has idled)."""

    detail: str  # the protocol it speaks, for `doctor`

    def watch(self, seconds: float, idled: Callable[[], None], resumed: Callable[[], None],
              ended: Callable[[str], None]) -> None:
        """Call `idled` once there was no input for `seconds` (counted from this call at the
        earliest), then `resumed` at the next input, and so on; `ended(why)` once if the source
        stops (also logged as an error). Each on the reader's own thread; a callback must not
        block. Raises OSError if the source has stopped already."""
        ...


class X11Idle:
    name = "x11"
    is_event_driven = False

    def __init__(self, display_name: str | None = None) -> None:
        from Xlib import display

        self._display: Any = display.Display(display_name)
        if not self._display.has_extension("MIT-SCREEN-SAVER"):
            self._display.close()
            raise OSError(_("the X server has no MIT-SCREEN-SAVER extension"))
        self._root = self._display.screen().root
        self._lock = threading.Lock()  # one X connection: one request at a time

    def idle_seconds(self) -> float:
        with self._lock:
            if self._display is None:
                raise OSError(_("the X connection is closed"))
            try:
                return float(self._root.screensaver_query_info().idle) / 1000.0
            except OSError:
                raise
            except Exception as error:  # python-xlib's own errors: the server went away
                raise OSError(_("the X server does not answer: {error}").format(
                    error=repr(error))) from error

    def close(self) -> None:
        with self._lock:
            display, self._display = self._display, None
        if display is not None:
            with suppress(Exception):
                display.close()


class _DBusIdle:
    name = "dbus"
    is_event_driven = False
    BUS_NAME = ""
    PATH = ""
    INTERFACE = ""
    METHOD = ""

    def __init__(self) -> None:
        from jeepney import DBusAddress
        from jeepney.io.blocking import open_dbus_connection

        self._connection: Any = open_dbus_connection(bus="SESSION")
        self._lock = threading.Lock()  # a blocking jeepney connection: one call at a time
        self._address = DBusAddress(self.PATH, bus_name=self.BUS_NAME, interface=self.INTERFACE)
        try:
            self.idle_seconds()  # it must answer now, or it is not usable here
        except OSError:
            self.close()
            raise

    def idle_seconds(self) -> float:
        from jeepney import MessageType, new_method_call

        with self._lock:
            if self._connection is None:
                raise OSError(_("the D-Bus connection is closed"))
            try:
                reply = self._connection.send_and_get_reply(
                    new_method_call(self._address, self.METHOD), timeout=2)
            except OSError:  # the bus went away (a reset connection), or no reply in time
                raise
            except Exception as error:  # jeepney's own: the bus closed the connection
                raise OSError(_("the session bus does not answer: {error}").format(
                    error=repr(error))) from error
        if reply.header.message_type is MessageType.error:
            raise OSError(f"{self.BUS_NAME}.{self.METHOD}: {reply.body}")
        try:
            return float(reply.body[0]) / 1000.0
        except (IndexError, TypeError, ValueError) as error:
            raise OSError(f"{self.BUS_NAME}.{self.METHOD} answered {reply.body!r}") from error

    def close(self) -> None:
        with self._lock:
            connection, self._connection = self._connection, None
        if connection is not None:
            with suppress(Exception):
                connection.close()


class MutterIdle(_DBusIdle):
    name = "mutter"
    BUS_NAME = "org.gnome.Mutter.IdleMonitor"
    PATH = "/org/gnome/Mutter/IdleMonitor/Core"
    INTERFACE = "org.gnome.Mutter.IdleMonitor"
    METHOD = "GetIdletime"


class ScreenSaverIdle(_DBusIdle):
    name = "screensaver"
    BUS_NAME = "org.freedesktop.ScreenSaver"
    PATH = "/org/freedesktop/ScreenSaver"
    INTERFACE = "org.freedesktop.ScreenSaver"
    METHOD = "GetSessionIdleTime"


def windows_idle_ms(last_input_tick: int, tick_now: int) -> int:
    """Idle time from GetLastInputInfo's dwTime and GetTickCount (both wrap at 2**32 ms)."""
    return (tick_now - last_input_tick) % (1 << 32)


class WindowsIdle:
    name = "windows"
    is_event_driven = False

    def __init__(self, api: Any = None) -> None:
        self._api = api if api is not None else _win32_api()

    def idle_seconds(self) -> float:
        last, now = self._api()
        return windows_idle_ms(last, now) / 1000.0

    def close(self) -> None:
        """Nothing to let go of: each reading is two calls into user32 and kernel32."""


def _win32_api() -> Callable[[], tuple[int, int]]:
    import ctypes
    from ctypes import wintypes

    class LastInputInfo(ctypes.Structure):
        _fields_ = [("cbSize", wintypes.UINT), ("dwTime", wintypes.DWORD)]

    user32 = ctypes.windll.user32  # type: ignore[attr-defined]
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]

    def read() -> tuple[int, int]:
        info = LastInputInfo()
        info.cbSize = ctypes.sizeof(info)
        if not user32.GetLastInputInfo(ctypes.byref(info)):
            raise OSError(_("GetLastInputInfo failed"))
        return int(info.dwTime), int(kernel32.GetTickCount()) & 0xFFFFFFFF

    return read


_HID_IDLE = re.compile(r'"HIDIdleTime"\s*=\s*(\d+)')


def parse_ioreg(output: str) -> float:
    """Seconds from `ioreg -c IOHIDSystem -d 4` output (HIDIdleTime is in nanoseconds)."""
    match = _HID_IDLE.search(output)
    if match is None:
        raise OSError(_("ioreg printed no HIDIdleTime"))
    return int(match.group(1)) / 1e9


class MacIdle:
    name = "macos"
    is_event_driven = False

    def __init__(self, run: Callable[[], str] | None = None) -> None:
        self._run = run or _ioreg
        self.idle_seconds()

    def idle_seconds(self) -> float:
        return parse_ioreg(self._run())

    def close(self) -> None:
        """Nothing to let go of: each reading is an `ioreg` of its own."""


def _ioreg() -> str:
    try:
        return subprocess.run(["ioreg", "-c", "IOHIDSystem", "-d", "4"], capture_output=True,
                              text=True, check=True, timeout=5).stdout
    except subprocess.SubprocessError as error:  # it failed or hung: no reading
        raise OSError(f"ioreg: {error}") from error


def _wayland() -> IdleReader:
    from tray.adapters.idle.wayland import WaylandIdle

    return WaylandIdle()


READERS: dict[str, Callable[[], IdleReader]] = {
    "x11": X11Idle, "mutter": MutterIdle, "wayland": _wayland, "screensaver": ScreenSaverIdle,
    "windows": WindowsIdle, "macos": MacIdle}


@dataclass(frozen=True)
class Capabilities:
    """The readers a system has (whether each works is found by trying it), and which of them
    give events rather than a reading to poll."""

    readers: tuple[str, ...]
    event_driven: tuple[str, ...] = ()


def capabilities(platform: str = sys.platform) -> Capabilities:
    """This system's (`platform`: a `sys.platform` value); pure."""
    system = choosing.system_of(platform)
    if system in ("windows", "macos"):
        return Capabilities((system,))
    return Capabilities(("x11", "mutter", "wayland", "screensaver"), ("wayland",))


def is_wayland_session(env: Mapping[str, str] = os.environ) -> bool:
    return bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE") == "wayland"


def candidates(env: Mapping[str, str] = os.environ,
               platform: str | None = None) -> tuple[list[str], str]:
    """This system's readers, best first, and why in that order (for `doctor`)."""
    readers = capabilities(platform or sys.platform).readers
    if "x11" not in readers:
        return list(readers), _("this system's one reader")
    if is_wayland_session(env):
        xwayland = bool(env.get("DISPLAY"))
        if "GNOME" in env.get("XDG_CURRENT_DESKTOP", "").upper():
            return ["mutter", "wayland", "screensaver"], (
                _("a GNOME Wayland session: Mutter's IdleMonitor first; never XWayland's X11 "
                  "idle time (it sees only X apps' input)") if xwayland
                else _("a GNOME Wayland session: Mutter's IdleMonitor first"))
        return ["wayland", "mutter", "screensaver"], (
            _("a Wayland session: the compositor's idle protocol first; never XWayland's X11 "
              "idle time (it sees only X apps' input)") if xwayland
            else _("a Wayland session: the compositor's idle protocol first"))
    if env.get("DISPLAY"):
        return ["x11", "mutter", "screensaver"], _("an X11 session: the X server's idle time")
    return ["mutter", "screensaver"], _("no display: only a desktop's D-Bus service may answer")


def select(choice: str | None = None,
           failures: list[tuple[str, str]] | None = None) -> IdleReader | None:
    """The first reader that works here, or the one `choice` (else POINTBREAK_IDLE) names;
    None where none works or `none` is asked. Raises UnknownChoice for an unknown name.
    `failures` (if given) gets each reader tried in vain, and why."""
    name = choosing.forced("POINTBREAK_IDLE", [*READERS, choosing.NONE], choice)
    if name == choosing.NONE:
        return None
    reader = choosing.first_that_works(
        "idle time", [(n, READERS[n]) for n in ([name] if name else candidates()[0])],
        failures)
    if reader is None:
        log.warning("idle time: no reader works here; natural breaks come only from lock/sleep")
    return reader
