"""The tray icon port's contract (tray.adapters.icon.Icon), run against each backend this system
has, each in a process of its own: the XEmbed icon on the test desktop (Xvfb, openbox,
trayer), the StatusNotifierItem on xfce4-panel's systray, and the icon the port chooses by
itself on the XEmbed-only desktop (XEmbed, ready to move to SNI when a watcher appears).
`show` never blocks, from before the loop runs or from another thread, and the newest view wins
(as the host would read it: for the SNI item, its ToolTip over the bus; for the XEmbed icon,
its window's _NET_WM_NAME), applied on `pointbreak-icon` (SNI) or the icon's own loop (XEmbed:
no thread of its own); `setup` runs on `pointbreak-start`; `stop` is idempotent and ends `run`
on the main thread; its capabilities are its backend's. (The icons clicked for real are in
tests/e2e/.)"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e

PROBE = r"""
import os, threading, time
from tray.adapters.icon import Actions, Capabilities, View, select
from tray.core.records import fields_of
from tray.core.model import Mode

def nothing(*_args):
    pass

BACKEND = os.environ["PROBE_BACKEND"]
icon = select(Actions(*[nothing] * len(fields_of(Actions))),
              {"sni": "sni", "xembed": "xembed", "moving": None}[BACKEND])

def shown():
    if BACKEND != "sni":  # the XEmbed icon's window, as the tray host reads it
        from Xlib import display
        window_id = (icon if BACKEND == "xembed" else icon._current)._window.id
        viewer = display.Display()
        try:
            window = viewer.create_resource_object("window", window_id)
            name = window.get_full_property(viewer.intern_atom("_NET_WM_NAME"), 0)
        finally:
            viewer.close()
        return name.value.decode() if name else None
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection
    with open_dbus_connection() as bus:
        reply = bus.send_and_get_reply(new_method_call(
            DBusAddress("/StatusNotifierItem", bus_name=icon.bus_name,
                        interface="org.freedesktop.DBus.Properties"),
            "Get", "ss", ("org.kde.StatusNotifierItem", "ToolTip")), timeout=5)
    return reply.body[0][1][3]

icon.show(View(mode=Mode.DUE, tooltip="before the loop"))  # no loop yet: waiting would hang
print("show before run returns")
can = icon.capabilities()
print("capabilities:", isinstance(can, Capabilities), can.backend, can.has_menu == icon.has_menu)
print("class:", type(icon).__name__)
LAST = "the newest view"

def setup():
    print("setup runs on:", threading.current_thread().name)
    for mode in Mode:
        icon.show(View(mode=mode, tooltip=str(mode)))
    icon.show(View(mode=Mode.DONE, tooltip=LAST))
    print("show from another thread returns")
    deadline = time.monotonic() + 10
    while shown() != LAST and time.monotonic() < deadline:
        time.sleep(0.05)
    print("the newest view is shown:", shown() == LAST)
    print("it is applied on:", sorted(t.name for t in threading.enumerate()
                                      if t.name == "pointbreak-icon"))
    icon.stop()
    icon.stop()

icon.run(setup)
print("run returned on the main thread:", threading.current_thread() is threading.main_thread())
import sys
print("GTK or pystray loaded:", sorted(m for m in sys.modules if m == "gi" or m.startswith(("gi.",
      "pystray"))))
"""


CLASS = {"xembed": "XembedIcon", "sni": "SniIcon", "moving": "MovingIcon"}


@pytest.mark.parametrize("backend", list(CLASS))
def test_the_icon_keeps_the_ports_promises(backend: str, request) -> None:
    desktop = request.getfixturevalue("panel_desktop" if backend == "sni" else "desktop")
    # Whatever PYSTRAY_BACKEND asks, Linux's icons load no GTK (nor pystray).
    env = {**os.environ, **desktop.env, "PROBE_BACKEND": backend,
           "PYSTRAY_BACKEND": "appindicator"}
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        "show before run returns",
        f"capabilities: True {'sni' if backend == 'sni' else 'xembed'} True",
        f"class: {CLASS[backend]}",
        "setup runs on: pointbreak-start",
        "show from another thread returns",
        "the newest view is shown: True",
        f"it is applied on: {['pointbreak-icon'] if backend == 'sni' else []}",
        "run returned on the main thread: True",
        "GTK or pystray loaded: []",
    ], result.stdout + result.stderr
