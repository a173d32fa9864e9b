"""The StatusNotifierItem floor: the least a tray app on these libraries can cost where the
panel hosts status notifier items. Not Pointbreak; a yardstick beside bench/floor.py.

It imports its whole stack first (plyer, APScheduler with one job running, an empty TinyDB
loaded, Pillow drawing the icon), then serves a bare StatusNotifierItem over jeepney on one
blocking connection: its properties (one 64 px IconPixmap), a dbusmenu with one Quit entry,
registered with the watcher under the name hosts expect (org.kde.StatusNotifierItem-PID-1).
No thread of its own, no re-registration, no icon changes: nothing Pointbreak's item must do.
"""

from __future__ import annotations

import os
import sys

from floor_stack import loaded, picture  # bench/: plyer, APScheduler, TinyDB, Pillow
from jeepney import DBusAddress, MessageType, new_error, new_method_call, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from jeepney.low_level import HeaderFields
from PIL import Image

ITEM = "org.kde.StatusNotifierItem"
MENU = "com.canonical.dbusmenu"
PROPERTIES = "org.freedesktop.DBus.Properties"
INTROSPECTION = """<node><interface name="org.kde.StatusNotifierItem"/>
<interface name="com.canonical.dbusmenu"/></node>"""


def pixmap() -> list[tuple[int, int, bytes]]:
    red, green, blue, alpha = picture().split()
    argb = Image.merge("RGBA", (alpha, red, green, blue))  # the bytes in ARGB order
    return [(64, 64, argb.tobytes())]


def item_properties() -> dict[str, tuple[str, object]]:
    return {"Category": ("s", "ApplicationStatus"), "Id": ("s", "floor"),
            "Title": ("s", "floor"), "Status": ("s", "Active"), "IconName": ("s", ""),
            "IconPixmap": ("a(iiay)", pixmap()), "ItemIsMenu": ("b", False),
            "Menu": ("o", "/MenuBar"), "ToolTip": ("(sa(iiay)ss)", ("", [], "floor", ""))}


MENU_PROPERTIES = {"Version": ("u", 3), "TextDirection": ("s", "ltr"),
                   "Status": ("s", "normal"), "IconThemePath": ("as", [])}
ENTRIES = {0: {"children-display": ("s", "submenu")}, 1: {"label": ("s", "Quit")}}


def layout() -> tuple[int, tuple[int, dict, list]]:
    return 1, (0, ENTRIES[0], [("(ia{sv}av)", (1, ENTRIES[1], []))])


def answer(message, properties: dict) -> object | None:
    """The reply to one method call (None: the floor quits)."""
    header = message.header.fields
    interface, member = header.get(HeaderFields.interface), header.get(HeaderFields.member)
    args = message.body
    if interface == PROPERTIES:
        table = properties if args[0] == ITEM else MENU_PROPERTIES
        if member == "GetAll":
            return new_method_return(message, "a{sv}", (table,))
        if member == "Get" and args[1] in table:
            return new_method_return(message, "v", (table[args[1]],))
    if member == "Introspect":
        return new_method_return(message, "s", (INTROSPECTION,))
    if interface == MENU:
        if member == "GetLayout":
            return new_method_return(message, "u(ia{sv}av)", layout())
        if member == "GetGroupProperties":
            return new_method_return(message, "a(ia{sv})",
                                     ([(i, ENTRIES[i]) for i in args[0] if i in ENTRIES],))
        if member == "AboutToShow":
            return new_method_return(message, "b", (False,))
        if member == "AboutToShowGroup":
            return new_method_return(message, "aiai", ([], []))
        if member == "Event":
            return None if args[0] == 1 and args[1] == "clicked" else new_method_return(message)
        if member == "EventGroup":
            if any(i == 1 and what == "clicked" for i, what, _data, _time in args[0]):
                return None
            return new_method_return(message, "ai", ([],))
    if interface == ITEM and member in ("Activate", "SecondaryActivate", "ContextMenu",
                                        "Scroll"):
        return new_method_return(message)
    return new_error(message, "org.freedesktop.DBus.Error.UnknownMethod")


def main() -> int:
    scheduler = loaded()
    scheduler.start()
    properties = item_properties()
    name = f"{ITEM}-{os.getpid()}-1"
    with open_dbus_connection() as bus:
        bus.send_and_get_reply(message_bus.RequestName(name), timeout=5)
        # Sent without waiting: the watcher may call the item's properties before it answers.
        bus.send(new_method_call(DBusAddress("/StatusNotifierWatcher",
                                             bus_name="org.kde.StatusNotifierWatcher",
                                             interface="org.kde.StatusNotifierWatcher"),
                                 "RegisterStatusNotifierItem", "s", (name,)))
        while True:
            message = bus.receive()
            if message.header.message_type != MessageType.method_call:
                continue
            reply = answer(message, properties)
            if reply is None:
                bus.send(new_method_return(message))
                break
            bus.send(reply)
    scheduler.shutdown(wait=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
