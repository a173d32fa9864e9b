"""Which tray host runs here, for `doctor`: a StatusNotifierWatcher on the session bus (and the
process that owns it), else an XEmbed system tray on the X display, else none.

Reads only, and quickly (a bus call or an X selection look, each with a short timeout); any
failure reads as "not there", with its reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tray.base.i18n import _

NO_DBUSMENU = ("swaybar",)  # watchers whose host shows no dbusmenu (ContextMenu instead)


@dataclass(frozen=True)
class Host:
    protocol: str  # "sni", "xembed" or "none"
    process: str = ""  # the watcher's process name (/proc/PID/comm), where it can be read
    pid: int | None = None
    shows_menus: bool = False
    reason: str = ""  # for "none": what was looked for, and what was met

    def __str__(self) -> str:
        if self.protocol == "sni":
            who = (_("{process}, pid {pid}").format(process=self.process or _("unknown"),
                                                    pid=self.pid) if self.pid else _("unknown"))
            menus = _("yes") if self.shows_menus else _("no, a click opens the control window")
            return _("StatusNotifierItem (watcher: {who}; menus: {menus})").format(who=who,
                                                                                   menus=menus)
        if self.protocol == "xembed":
            return _("XEmbed (a system tray on the X display)")
        return _("none ({reason})").format(reason=self.reason)


def find_host() -> Host:
    sni = _watcher()
    if isinstance(sni, Host):
        return sni
    xembed = _xembed_tray()
    if xembed is None:
        return Host("xembed")
    return Host("none", reason=_("{first}; {second}").format(first=sni, second=xembed))


def _watcher() -> Host | str:
    """The SNI host, or why there is none."""
    from jeepney import DBusAddress, MessageType, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    from tray.adapters.icon.registration import WATCHER

    bus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                      interface="org.freedesktop.DBus")
    try:
        with open_dbus_connection("SESSION") as connection:
            reply = connection.send_and_get_reply(new_method_call(
                bus, "GetConnectionUnixProcessID", "s", (WATCHER,)), timeout=3)
    except (OSError, KeyError, ValueError, TimeoutError) as error:
        return _("no session bus ({error})").format(
            error=f"{error.__class__.__name__}: {error}")
    if reply.header.message_type is MessageType.error:
        return _("no {name} on the session bus").format(name=WATCHER)
    pid = int(reply.body[0])
    try:
        process = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        process = ""
    return Host("sni", process, pid, shows_menus=process not in NO_DBUSMENU)


def _xembed_tray() -> str | None:
    """None where an XEmbed system tray owns its selection on the display, else why not."""
    if not os.environ.get("DISPLAY"):
        return _("no X display (DISPLAY is not set)")
    try:
        from Xlib import X, display
        from Xlib.error import DisplayError

        try:
            shown = display.Display()
        except DisplayError as error:
            return _("cannot open the X display: {error}").format(error=error)
        try:
            selection = shown.intern_atom(f"_NET_SYSTEM_TRAY_S{shown.get_default_screen()}")
            owner = shown.get_selection_owner(selection)
        finally:
            shown.close()
    except ImportError:
        return _("{package} is not installed").format(package="python-xlib")
    except Exception as error:  # a display that went away mid-look
        return _("the X display failed: {error}").format(error=error)
    return None if getattr(owner, "id", owner) != X.NONE else _("no system tray on the X display")
