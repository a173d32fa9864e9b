"""The tray icon port: the icon and its menu.

Backends: `sni` (sni.py: a StatusNotifierItem with a dbusmenu menu, over jeepney; Linux, where
a StatusNotifierWatcher runs: KDE, XFCE, GNOME with the AppIndicator extension, LXQt, MATE,
Cinnamon, swaybar, waybar), `xembed` (xembed.py: an XEmbed icon on python-xlib, Linux where
nothing else exists; no install needs PyGObject) and, on Windows and macOS, `pystray`
(pystray_backend.py: pystray's native backend). `select` chooses, as every port does
(tray/adapters/choosing.py; `POINTBREAK_TRAY` forces one). Chosen by itself on XEmbed, the icon
moves to SNI when a watcher appears later (moving.py). Every backend renders the one menu tree
of menu.py, built from the shell's `View` and `Actions`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tray.adapters.choosing import first_that_works, forced, system_of
from tray.adapters.icon.menu import MARKER_OF_MODE, Actions, Entry, View, entries
from tray.adapters.icon.ports import Capabilities, Icon, backend_name, capabilities

__all__ = ["MARKER_OF_MODE", "VARIABLE", "Actions", "Capabilities", "Entry", "Host", "Icon",
           "View", "backend_name", "capabilities", "entries", "find_host", "names", "select"]

if TYPE_CHECKING:
    from tray.adapters.icon.hosts import Host, find_host

VARIABLE = "POINTBREAK_TRAY"


def __getattr__(name: str) -> Any:
    """`Host` and `find_host` (hosts.py, for `doctor`), imported when first asked for: the tray
    does not need them before its icon shows."""
    if name in ("Host", "find_host"):
        from tray.adapters.icon import hosts

        return getattr(hosts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def names(platform: str = sys.platform) -> tuple[str, ...]:
    """The backends a system has, in the order `select` tries them."""
    return ("sni", "xembed") if system_of(platform) == "linux" else ("pystray",)


class NoTray(RuntimeError):
    """No backend could make a tray icon here; says what each one met."""


def select(actions: Actions, choice: str | None = None, view: View | None = None) -> Icon:
    """The tray icon for this system (main thread, before anything else of the tray starts),
    showing `view` until the first `show`.

    `choice` (else POINTBREAK_TRAY) forces a backend; UnknownChoice for a name this system has
    not. Raises NoTray, saying why, where no backend works."""
    name = forced(VARIABLE, names(), choice)
    failures: list[str] = []

    def noted(what: str, make: Callable[[], Icon]) -> Callable[[], Icon]:
        def attempt() -> Icon:
            try:
                return make()
            except Exception as error:
                failures.append(f"{what}: {error}")
                raise
        return attempt

    def sni() -> Icon:
        from tray.adapters.icon.sni import SniIcon

        return SniIcon(actions, view=view)

    def xembed() -> Icon:
        from tray.adapters.icon.xembed import XembedIcon

        return XembedIcon(actions, view)

    def pystray() -> Icon:
        from tray.adapters.icon.pystray_backend import TrayIcon

        return TrayIcon(actions, view)

    def xembed_until_sni() -> Icon:
        from tray.adapters.icon.moving import MovingIcon

        return MovingIcon(xembed(), sni)

    if system_of() != "linux":
        candidates: list[tuple[str, Callable[[], Icon]]] = [
            ("pystray", pystray)]
    elif name == "sni":
        candidates = [("sni", sni)]
    elif name == "xembed":
        candidates = [("xembed", xembed)]
    else:
        candidates = [("sni", sni), ("xembed", xembed_until_sni)]
    chosen = first_that_works("tray icon", [(what, noted(what, make))
                                            for what, make in candidates])
    if chosen is None:
        raise NoTray("; ".join(failures))
    return chosen
