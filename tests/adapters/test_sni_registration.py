"""The SNI item keeps itself registered (tray.adapters.icon.registration), on a private bus with
a stand-in watcher: one that answers a registration and then drops the item, as GNOME's was
seen to (issue 13's memo, 3.6), and one whose name goes and comes back. (xfce4-panel's real
watcher, restarted, is in tests/e2e/test_sni_e2e.py.)"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator

import pytest
from buses import private_bus, require
from desktop import wait_for
from jeepney import MatchRule, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.threading import Proxy

from tray.adapters.bus import Ended, Router
from tray.adapters.icon import Actions
from tray.adapters.icon.sni import SniIcon
from tray.core.records import fields_of

WATCHER = "org.kde.StatusNotifierWatcher"


class StandInWatcher:
    """Owns the watcher's name; lists what registers, in `form`, unless `drops` is left."""

    def __init__(self, form: str, drops: int = 0) -> None:
        self.form, self.drops = form, drops
        self.registered: list[str] = []
        self.items: list[str] = []
        self._router = Router("SESSION")
        self._calls: queue.Queue[object] = queue.Queue()
        self._router.filter(MatchRule(type="method_call"), queue=self._calls)
        self._bus = Proxy(message_bus, self._router, timeout=5)
        assert self._bus.RequestName(WATCHER, 4) == (1,)
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            call = self._calls.get()
            if isinstance(call, Ended):
                return
            member = call.header.fields[3]  # HeaderFields.member
            if member == "RegisterStatusNotifierItem":
                sender = call.header.fields[7]  # HeaderFields.sender
                self.registered.append(call.body[0])
                if self.drops:
                    self.drops -= 1  # answered, and not listed
                else:
                    entry = call.body[0]
                    self.items = [f"{sender}@{entry}" if entry.startswith("/") else
                                  entry if self.form == "name" else
                                  f"{entry}/StatusNotifierItem"]
                self._router.send(new_method_return(call))
            elif member == "Get":
                self._router.send(new_method_return(call, "v", (("as", self.items),)))

    def leave(self) -> None:
        self._router.close()


@pytest.fixture
def bus() -> Iterator[str]:
    require("linux")
    with private_bus() as peer:
        saved = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = peer.address
        try:
            yield peer.address
        finally:
            if saved is None:
                del os.environ["DBUS_SESSION_BUS_ADDRESS"]
            else:
                os.environ["DBUS_SESSION_BUS_ADDRESS"] = saved


def running(icon: SniIcon) -> tuple[threading.Thread, threading.Event]:
    ready = threading.Event()
    thread = threading.Thread(target=icon.run, args=(ready.set,), daemon=True)
    thread.start()
    assert ready.wait(15), "setup did not run"
    return thread, ready


def nothing() -> Actions:
    return Actions(*[lambda *_a: None] * len(fields_of(Actions)))


def test_without_a_watcher_the_sni_icon_is_not_made(bus: str) -> None:
    with pytest.raises(RuntimeError, match=r"no org\.kde\.StatusNotifierWatcher"):
        SniIcon(nothing())


@pytest.mark.parametrize("form", ["name", "name/path"])
def test_an_item_the_watcher_dropped_registers_again_until_listed(bus: str, form: str) -> None:
    watcher = StandInWatcher(form, drops=2)
    icon = SniIcon(nothing(), confirm_after_seconds=0.1)
    thread, _ = running(icon)
    try:
        wait_for(lambda: watcher.items, what="the item listed")
        assert watcher.registered == [icon.bus_name] * 3  # the first, then twice again
    finally:
        icon.stop()
        thread.join(10)
        watcher.leave()
    assert not thread.is_alive()


def test_a_watcher_that_restarts_gets_the_item_again(bus: str) -> None:
    first = StandInWatcher("name")
    icon = SniIcon(nothing(), confirm_after_seconds=0.1)
    thread, _ = running(icon)
    try:
        wait_for(lambda: first.items, what="the first registration")
        first.leave()
        second = StandInWatcher("name/path")
        wait_for(lambda: second.registered == [icon.bus_name], what="a registration again")
        wait_for(lambda: second.items, what="the item listed by the new watcher")
    finally:
        icon.stop()
        thread.join(10)
    assert not thread.is_alive()
    # Quit leaves nothing: the name, and so the item, is off the bus.
    router = Router("SESSION")
    try:
        assert Proxy(message_bus, router, timeout=5).NameHasOwner(icon.bus_name) == (0,)
    finally:
        router.close()
    second.leave()


def test_the_port_chooses_by_name_and_says_what_it_met(bus: str, monkeypatch) -> None:
    from tray.adapters import icon
    from tray.adapters.choosing import UnknownChoice

    monkeypatch.setenv("POINTBREAK_TRAY", "appindicator")
    with pytest.raises(UnknownChoice, match="POINTBREAK_TRAY=appindicator is not one of sni, "
                                            "xembed"):
        icon.select(nothing())
    with pytest.raises(icon.NoTray, match=r"sni: no org\.kde\.StatusNotifierWatcher on the"):
        icon.select(nothing(), "sni")  # forced, and no watcher: no fallback
    watcher = StandInWatcher("name")
    try:
        chosen = icon.select(nothing(), "auto")
        assert chosen.capabilities().backend == "sni" and chosen.icon is None
        assert chosen.has_menu
    finally:
        watcher.leave()


def call(bus_name: str, path: str, interface: str, member: str, signature: str | None = None,
         body: tuple = ()):
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection() as connection:
        return connection.send_and_get_reply(new_method_call(
            DBusAddress(path, bus_name=bus_name, interface=interface), member, signature, body),
            timeout=5)


def test_the_item_answers_what_it_serves_and_refuses_the_rest_saying_why(bus: str) -> None:
    from jeepney import MessageType

    import icons
    from tray.adapters.icon import View
    from tray.core.model import Mode

    watcher = StandInWatcher("name")
    icon = SniIcon(nothing(), confirm_after_seconds=0.1)
    signals: queue.Queue[object] = queue.Queue()
    listener = Router("SESSION")
    rule = MatchRule(type="signal", sender=None)
    listener.filter(rule, queue=signals)
    Proxy(message_bus, listener, timeout=5).AddMatch(rule)
    thread, _ = running(icon)
    name, props = icon.bus_name, "org.freedesktop.DBus.Properties"
    try:
        root = call(name, "/", "org.freedesktop.DBus.Introspectable", "Introspect").body[0]
        assert '<node name="StatusNotifierItem"/>' in root and '<node name="MenuBar"/>' in root
        everything = call(name, "/StatusNotifierItem", props, "GetAll", "s",
                          ("org.kde.StatusNotifierItem",)).body[0]
        assert everything["Id"] == ("s", "pointbreak") and everything["Menu"] == ("o", "/MenuBar")
        assert everything["Status"] == ("s", "Active")
        pixmaps = everything["IconPixmap"][1]
        assert [(w, h) for w, h, _ in pixmaps] == [(s, s) for s in (16, 22, 24, 32, 48, 64)]
        shipped = icons.image(icons.Marker.NORMAL, 16).getpixel((8, 8))
        argb = pixmaps[0][2][(8 * 16 + 8) * 4:(8 * 16 + 8) * 4 + 4]
        assert tuple(argb) == (shipped[3], *shipped[:3])  # A, R, G, B: network byte order
        errors = {
            "UnknownProperty": call(name, "/StatusNotifierItem", props, "Get", "ss",
                                    ("org.kde.StatusNotifierItem", "Colour")),
            "UnknownObject": call(name, "/Nowhere", props, "GetAll", "s", ("",)),
            "UnknownMethod": call(name, "/StatusNotifierItem", "org.kde.StatusNotifierItem",
                                  "Dance"),
            "InvalidArgs": call(name, "/MenuBar", "com.canonical.dbusmenu", "GetLayout", "s",
                                ("everything",)),
        }
        for error, reply in errors.items():
            assert reply.header.message_type is MessageType.error, error
            assert reply.header.fields[4] == f"org.freedesktop.DBus.Error.{error}"  # error name
        layout = call(name, "/MenuBar", "com.canonical.dbusmenu", "GetLayout", "iias",
                      (0, -1, []))  # it goes on answering
        assert layout.header.message_type is MessageType.method_return
        icon.show(View(mode=Mode.DUE, tooltip="A break is due", is_autostart_on=True))
        seen: list[str] = []
        wait_for(lambda: _drain(signals, seen) >= {"NewIcon", "NewStatus", "NewToolTip",
                                                   "ItemsPropertiesUpdated", "LayoutUpdated"},
                 what="the change's signals")
        assert call(name, "/StatusNotifierItem", props, "Get", "ss", (
            "org.kde.StatusNotifierItem", "Status")).body[0] == ("s", "NeedsAttention")
    finally:
        icon.stop()
        thread.join(10)
        listener.close()
        watcher.leave()


def _drain(signals: queue.Queue[object], seen: list[str]) -> set[str]:
    while True:
        try:
            signal = signals.get_nowait()
        except queue.Empty:
            return set(seen)
        if not isinstance(signal, Ended):
            seen.append(signal.header.fields[3])  # member
