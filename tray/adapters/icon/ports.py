"""The tray icon port's shapes: `Capabilities` (what a backend can do) and the `Icon` Protocol
every backend keeps (tests/adapters/contract/test_icon_contract.py holds each to it)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Protocol

from tray.adapters.choosing import system_of
from tray.adapters.icon.menu import View
from tray.core.records import record


def backend_name(icon_class: type) -> str:
    """The pystray backend an Icon class is, or is made from ("xorg", "win32", "darwin")."""
    for cls in icon_class.__mro__:
        if cls.__module__.startswith("pystray._") and cls.__module__ != "pystray._base":
            return cls.__module__.rsplit("_", 1)[-1]
    return icon_class.__module__.rsplit("_", 1)[-1]


@record
class Capabilities:
    """What the tray icon can do here: its backend ("sni", or pystray's: "xorg", "win32",
    "darwin") and that backend's flags (pystray's HAS_MENU and the rest), and whether a tray
    host of the other kind would give it a menu (on Linux, a StatusNotifierItem host: the
    icon moves there by itself when one starts)."""

    backend: str
    has_menu: bool
    has_default_action: bool
    has_notification: bool
    menu_with_sni_host: bool

    def __str__(self) -> str:
        return (f"backend={self.backend} HAS_MENU={self.has_menu} "
                f"HAS_DEFAULT_ACTION={self.has_default_action} "
                f"HAS_NOTIFICATION={self.has_notification}")


def capabilities(icon_class: Any, platform: str = sys.platform) -> Capabilities:
    """The capabilities of a pystray Icon class (pure: its flags and `platform`)."""
    has_menu = bool(icon_class.HAS_MENU)
    return Capabilities(backend_name(icon_class), has_menu,
                        bool(icon_class.HAS_DEFAULT_ACTION), bool(icon_class.HAS_NOTIFICATION),
                        menu_with_sni_host=not has_menu and system_of(platform) == "linux")


class Icon(Protocol):
    """The port: the tray icon and its menu. Made on the main thread, before anything else
    of the tray starts."""

    @property
    def has_menu(self) -> bool:
        """False where the backend has no menu: a click opens the control window."""
        ...

    @property
    def icon(self) -> Any:
        """The toolkit's own icon (pystray's Icon, for Windows' balloons), or None."""
        ...

    def run(self, setup: Callable[[], None]) -> None:
        """Show the icon and run the GUI loop on the main thread until `stop`: it blocks for
        the tray's whole life. `setup` runs once on `pointbreak-start` as the loop is ready."""
        ...

    def show(self, view: View) -> None:
        """Make the icon, tooltip and menu show `view`, the newest view winning. Any thread;
        never blocks (applied on `pointbreak-icon`, or the icon's own loop); never raises for
        a GUI that is stuck or gone (that is logged there)."""
        ...

    def stop(self) -> None:
        """End the loop, so `run` returns. Any thread (a menu callback's, `pointbreak-quit`);
        idempotent; does not wait for the loop."""
        ...

    def capabilities(self) -> Capabilities:
        """What this icon's backend can do (any thread; pure)."""
        ...
