"""The tray icon as a StatusNotifierItem (org.kde.StatusNotifierItem) with its menu over
com.canonical.dbusmenu, in pure Python over jeepney: what KDE, XFCE, GNOME's AppIndicator
extension, LXQt, MATE, Cinnamon, swaybar and waybar show.

Threads: `run` holds the main thread for the tray's life. It asks for the bus name, registers
with the watcher (a call that GNOME answers only after reading the item back, hence never from
the serving thread) and keeps the item registered (`registration`). `pointbreak-sni` answers
every method call addressed to the item, from one catch-all filter with an unbounded queue (the
router would drop calls otherwise, and a host would wait for its own timeout), from the newest
view; menu clicks call the shell's actions there. `show` hands views to `pointbreak-icon`, which
swaps the served view and sends the signals. The connection is closed at the end, which takes
the name, and so the item, off the bus (the watchers have no Unregister).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from jeepney import DBusAddress, HeaderFields, MatchRule, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.threading import Proxy

import icons
from tray.adapters.bus import Ended, Router
from tray.adapters.icon import dbusmenu
from tray.adapters.icon.menu import MARKER_OF_MODE, Actions, Entry, View, default_entry, entries
from tray.adapters.icon.ports import Capabilities
from tray.adapters.icon.registration import WATCHER, Registration
from tray.adapters.icon.views import NewestView
from tray.core.modes import Mode

if TYPE_CHECKING:
    from jeepney import Message

    from tray.adapters.icon.ports import Icon

log = logging.getLogger(__name__)

ITEM = "org.kde.StatusNotifierItem"
ITEM_PATH, MENU_PATH = "/StatusNotifierItem", "/MenuBar"
PROPERTIES = "org.freedesktop.DBus.Properties"
INTROSPECTABLE = "org.freedesktop.DBus.Introspectable"
PEER = "org.freedesktop.DBus.Peer"
PIXMAP_SIZES = icons.RAW_SIZES  # of the shipped icons; a host picks the nearest
NO_REPLY_EXPECTED = 1

ITEM_XML = f"""<interface name="{ITEM}">
 {"".join(f'<property name="{n}" type="{t}" access="read"/>' for n, t in (
    ("Category", "s"), ("Id", "s"), ("Title", "s"), ("Status", "s"), ("WindowId", "i"),
    ("IconName", "s"), ("IconPixmap", "a(iiay)"), ("OverlayIconName", "s"),
    ("OverlayIconPixmap", "a(iiay)"), ("AttentionIconName", "s"),
    ("AttentionIconPixmap", "a(iiay)"), ("AttentionMovieName", "s"), ("IconThemePath", "s"),
    ("IconAccessibleDesc", "s"), ("AttentionAccessibleDesc", "s"),
    ("ToolTip", "(sa(iiay)ss)"), ("ItemIsMenu", "b"), ("Menu", "o")))}
 {"".join(f'<method name="{m}"><arg name="x" type="i" direction="in"/><arg name="y" type="i" '
          'direction="in"/></method>' for m in ("Activate", "SecondaryActivate", "ContextMenu"))}
 <method name="Scroll"><arg name="delta" type="i" direction="in"/><arg name="orientation" \
type="s" direction="in"/></method>
 {"".join(f'<signal name="{s}"/>' for s in ("NewTitle", "NewIcon", "NewAttentionIcon",
                                             "NewOverlayIcon", "NewToolTip"))}
 <signal name="NewStatus"><arg name="status" type="s"/></signal>
</interface>"""
COMMON_XML = f"""<interface name="{PROPERTIES}">
 <method name="Get"><arg type="s" direction="in"/><arg type="s" direction="in"/>\
<arg type="v" direction="out"/></method>
 <method name="GetAll"><arg type="s" direction="in"/><arg type="a{{sv}}" direction="out"/></method>
</interface>
<interface name="{INTROSPECTABLE}">
 <method name="Introspect"><arg type="s" direction="out"/></method>
</interface>"""
INTROSPECTION = {
    "/": f'<node>{COMMON_XML}<node name="StatusNotifierItem"/><node name="MenuBar"/></node>',
    ITEM_PATH: f"<node>{ITEM_XML}{COMMON_XML}</node>",
    MENU_PATH: f"<node>{dbusmenu.XML}{COMMON_XML}</node>",
}


@cache
def pixmaps(marker: icons.Marker) -> tuple[tuple[int, int, bytes], ...]:
    """The icon of `marker` as IconPixmap wants it: each shipped size, ARGB32 in network byte
    order (per pixel the bytes A, R, G, B), not premultiplied. From the raw pixels: no Pillow
    before the icon shows."""
    found = []
    for size in PIXMAP_SIZES:
        pixels = icons.rgba(marker, size)
        argb = bytearray(len(pixels))
        argb[0::4], argb[1::4], argb[2::4], argb[3::4] = (
            pixels[3::4], pixels[0::4], pixels[1::4], pixels[2::4])
        found.append((size, size, bytes(argb)))
    return tuple(found)


def status_of(mode: Mode) -> str:
    """NeedsAttention while a break is due, else Active (never Passive: hosts hide that)."""
    return "NeedsAttention" if mode is Mode.DUE else "Active"


def item_properties(view: View) -> dict[str, tuple[str, Any]]:
    marker = MARKER_OF_MODE[view.mode]
    return {
        "Category": ("s", "ApplicationStatus"), "Id": ("s", "pointbreak"),
        "Title": ("s", "Pointbreak"), "Status": ("s", status_of(view.mode)),
        "WindowId": ("i", 0),
        # IconName: the symbolic icon, which a host finds under IconThemePath (the shipped
        # folder, in the hicolor layout) and draws in its own text colour; a host that cannot
        # find it draws IconPixmap, the colour icon.
        "IconName": ("s", icons.symbolic_name(marker)),
        "IconPixmap": ("a(iiay)", list(pixmaps(marker))),
        "OverlayIconName": ("s", ""), "OverlayIconPixmap": ("a(iiay)", []),
        "AttentionIconName": ("s", icons.symbolic_name(icons.Marker.DUE)),
        "AttentionIconPixmap": ("a(iiay)", list(pixmaps(icons.Marker.DUE))),
        "AttentionMovieName": ("s", ""), "IconThemePath": ("s", str(icons.folder())),
        "IconAccessibleDesc": ("s", view.tooltip),
        "AttentionAccessibleDesc": ("s", view.tooltip),
        "ToolTip": ("(sa(iiay)ss)", ("", [], "Pointbreak", view.tooltip)),
        "ItemIsMenu": ("b", False), "Menu": ("o", MENU_PATH),
    }


class NoWatcher(RuntimeError):
    """No StatusNotifierWatcher on the session bus: no host would show the item."""


class SniIcon:
    has_menu = True
    icon = None  # no toolkit icon: nothing rides on it

    def __init__(self, actions: Actions, *, bus: str = "SESSION",
                 confirm_after_seconds: float = 3.0, view: View | None = None) -> None:
        """The item, showing `view` (default: a plain one) until the first `show`."""
        self._actions = actions
        self._router = Router(bus)
        try:
            self._bus = Proxy(message_bus, self._router, timeout=5)
            if not self._bus.NameHasOwner(WATCHER)[0]:
                raise NoWatcher(f"no {WATCHER} on the session bus")
            self._calls: queue.Queue[Any] = queue.Queue()  # unbounded: no call is dropped
            self._router.filter(MatchRule(type="method_call"), queue=self._calls)
            self._registration = Registration(self._router, self._bus,
                                              f"{ITEM}-{os.getpid()}-1", ITEM_PATH,
                                              confirm_after_seconds)
        except BaseException:
            self._router.close()
            raise
        self._lock = threading.Lock()
        self._view = view or View()
        self._menu = dbusmenu.DbusMenu(entries(self._view, actions), self._clicked)
        self._views = NewestView(self._apply)
        self._stopped = threading.Event()
        self._menu_read = False  # by a host: said once in the log (a click before opens none)

    @property
    def bus_name(self) -> str:
        return self._registration.name

    def capabilities(self) -> Capabilities:
        return Capabilities("sni", has_menu=True, has_default_action=True,
                            has_notification=False, menu_with_sni_host=False)

    def run(self, setup: Callable[[], None]) -> None:
        """Serve the item, register it, run `setup` on `pointbreak-start` once the first
        registration is answered (or failed: the tray goes on without an icon, saying so),
        then keep it registered until `stop`. Closes the connection before returning."""
        server = threading.Thread(target=self._serve, name="pointbreak-sni", daemon=True)
        server.start()
        try:
            self._registration.run(self._stopped, lambda: threading.Thread(
                target=setup, name="pointbreak-start", daemon=True).start())
        finally:
            self._stopped.set()
            self._router.close()  # the name goes with the connection, and the item with it
            server.join(5)

    def stop(self) -> None:
        self._stopped.set()
        self._registration.wake()

    def show(self, view: View) -> None:
        """Hand `view` to `pointbreak-icon` (any thread; never blocks; the newest wins)."""
        self._views.offer(view)

    def _apply(self, view: View) -> None:
        with self._lock:
            before, self._view = self._view, view
        signals = self._menu.update(entries(view, self._actions))
        for name, signature, body in signals:
            self._emit(MENU_PATH, dbusmenu.INTERFACE, name, signature, body)
        if (before.mode, before.tooltip) != (view.mode, view.tooltip):
            # XFCE redraws only on NewIcon (and re-reads everything then), GNOME and KDE
            # switch to the attention icon on NewStatus.
            self._emit(ITEM_PATH, ITEM, "NewIcon")
            self._emit(ITEM_PATH, ITEM, "NewStatus", "s", (status_of(view.mode),))
            self._emit(ITEM_PATH, ITEM, "NewToolTip")

    def _emit(self, path: str, interface: str, name: str, signature: str | None = None,
              body: tuple[Any, ...] = ()) -> None:
        if not self._stopped.is_set():
            self._router.send(new_signal(DBusAddress(path, interface=interface), name,
                                         signature, body))

    # --- pointbreak-sni: the method calls ----------------------------------------------------

    def _serve(self) -> None:
        while True:
            message = self._calls.get()
            if isinstance(message, Ended):
                return
            try:
                reply = self._reply(message)
            except dbusmenu.Fault as fault:
                reply = new_error(message, fault.name, "s", (str(fault),))
            except (ValueError, TypeError, KeyError, IndexError) as error:  # a malformed call
                log.warning("a malformed D-Bus call to the tray icon: %s (%s, signature %r)",
                            _describe(message), error, message.header.fields.get(
                                HeaderFields.signature, ""))
                reply = new_error(message, "org.freedesktop.DBus.Error.InvalidArgs", "s",
                                  (f"{error.__class__.__name__}: {error}",))
            except Exception as error:  # the thread's edge: a bad call, answered and logged
                log.exception("the tray icon's D-Bus call failed: %s", _describe(message))
                reply = new_error(message, "org.freedesktop.DBus.Error.Failed", "s",
                                  (f"{error.__class__.__name__}: {error}",))
            if not message.header.flags & NO_REPLY_EXPECTED:
                try:
                    self._router.send(reply)
                except OSError as error:
                    log.info("cannot answer %s: %s", _describe(message), error)

    def _reply(self, message: Message) -> Message:
        fields = message.header.fields
        path = fields.get(HeaderFields.path, "")
        interface = fields.get(HeaderFields.interface)
        member = fields.get(HeaderFields.member, "")
        if path not in INTROSPECTION:
            raise dbusmenu.Fault("UnknownObject", f"no object {path}")
        if member == "Introspect" and interface in (INTROSPECTABLE, None):
            return new_method_return(message, "s", (INTROSPECTION[path],))
        if member == "Ping" and interface in (PEER, None):
            return new_method_return(message)
        if interface == PROPERTIES and path != "/":
            return self._property(message, path, member)
        if path == ITEM_PATH and interface in (ITEM, None):
            self._item_call(member)
            return new_method_return(message)
        if path == MENU_PATH and interface in (dbusmenu.INTERFACE, None):
            signature, body = self._menu.answer(member, message.body)
            if member == "GetLayout" and not self._menu_read:
                self._menu_read = True
                log.info("the tray host has read the menu")
            return new_method_return(message, signature or None, body)
        raise dbusmenu.Fault("UnknownMethod", f"no method {interface}.{member} on {path}")

    def _property(self, message: Message, path: str, member: str) -> Message:
        own, values = ((ITEM, self._item_values) if path == ITEM_PATH
                       else (dbusmenu.INTERFACE, lambda: dbusmenu.PROPERTIES))
        asked = message.body[0] if message.body else ""
        if member == "GetAll":
            return new_method_return(message, "a{sv}", (values() if asked in (own, "") else {},))
        if member == "Get":
            found = values() if asked == own else {}
            if message.body[1] not in found:
                raise dbusmenu.Fault("UnknownProperty", f"no property {asked}.{message.body[1]}")
            return new_method_return(message, "v", (found[message.body[1]],))
        if member == "Set":
            raise dbusmenu.Fault("PropertyReadOnly", "the tray icon's properties are read-only")
        raise dbusmenu.Fault("UnknownMethod", f"no method {PROPERTIES}.{member}")

    def _item_values(self) -> dict[str, tuple[str, Any]]:
        with self._lock:
            view = self._view
        return item_properties(view)

    def _item_call(self, member: str) -> None:
        if member == "Activate":  # a left click: the menu's default entry
            with self._lock:
                view = self._view
            chosen = default_entry(entries(view, self._actions))
            if chosen is not None:
                self._clicked(chosen)
        elif member == "ContextMenu":  # a host without dbusmenu (swaybar): the control window
            self._run(self._actions.open_panel, "ContextMenu")
        elif member not in ("SecondaryActivate", "Scroll"):
            raise dbusmenu.Fault("UnknownMethod", f"no method {ITEM}.{member}")

    def _clicked(self, entry: Entry) -> None:
        if entry.action is not None:
            self._run(entry.action, entry.label)

    def _run(self, action: Callable[[], None], what: str) -> None:
        log.info("tray menu: %s", what)
        try:
            action()
        except Exception:  # a menu callback's edge
            log.exception("the tray menu's %r failed", what)


def _describe(message: Message) -> str:
    fields = message.header.fields
    return (f"{fields.get(HeaderFields.interface)}.{fields.get(HeaderFields.member)} on "
            f"{fields.get(HeaderFields.path)} from {fields.get(HeaderFields.sender)}")


if TYPE_CHECKING:  # mypy holds the icon to the port's Protocol
    _SNI_ICON: type[Icon] = SniIcon
