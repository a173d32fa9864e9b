"""The tray icon through pystray, on Windows (the notification area) and macOS (the menu bar).
Linux has icons of its own: the StatusNotifierItem of sni.py and the XEmbed icon of xembed.py.

pystray's loop runs on the main thread (`TrayIcon.run`); `show` may be called from any thread:
pystray's backends marshal icon and title changes to their own loop (on macOS `_hand_over`
hands them to AppKit's main thread). Menu callbacks run on pystray's thread and only call the
shell's actions, which post to the engine. The menu is rendered from the port's one menu tree
(`menu.entries`).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import icons
from tray.adapters.icon.menu import MARKER_OF_MODE, Actions, Entry, View, by_id, entries
from tray.adapters.icon.ports import Capabilities, capabilities
from tray.adapters.icon.views import NewestView
from tray.core.modes import Mode

if TYPE_CHECKING:
    from tray.adapters.icon.ports import Icon

ICON_SIZE = 64


def load_pystray() -> Any:
    """pystray, with the native backend of this system."""
    import pystray

    return pystray


class TrayIcon:
    def __init__(self, actions: Actions, view: View | None = None) -> None:
        """The icon, showing `view` (default: a plain one) until the first `show`."""
        self._actions = actions
        self._view = view or View()
        self._current = by_id(entries(self._view, actions))
        self._mode: Mode = self._view.mode
        self._pystray = pystray = load_pystray()
        self.icon = pystray.Icon("pointbreak", icons.image(MARKER_OF_MODE[self._mode], ICON_SIZE),
                                 self._view.tooltip, menu=self._menu())
        self.has_menu = bool(self.icon.HAS_MENU)
        self._views = NewestView(self._hand_over)

    def capabilities(self) -> Capabilities:
        return capabilities(type(self.icon))

    def _menu(self) -> Any:
        item, menu, actions = self._pystray.MenuItem, self._pystray.Menu, self._actions
        if not self._pystray.Icon.HAS_MENU:
            # No menu here: a click opens the control window, with the same actions.
            return menu(item("Open Pointbreak", lambda: actions.open_panel(), default=True))
        has_default = bool(self._pystray.Icon.HAS_DEFAULT_ACTION)

        def render(entry: Entry) -> Any:
            if entry.is_separator:
                return menu.SEPARATOR
            ident = entry.id

            def now() -> Entry:  # the entry as the newest view has it
                return self._current[ident]

            action: Any = (menu(*(render(child) for child in entry.children))
                           if entry.children else _call(now) if entry.action else None)
            return item(lambda _: now().label, action,
                        enabled=lambda _: now().enabled, visible=lambda _: now().visible,
                        checked=None if entry.checked is None else lambda _: bool(now().checked),
                        default=entry.is_default and has_default)

        return menu(*(render(entry) for entry in entries(self._view, actions)))

    def run(self, setup: Callable[[], None]) -> None:
        """Show the icon and run pystray's loop on this (the main) thread until `stop`.

        `setup` runs on a thread of its own once pystray's loop is ready and the icon shows
        (after the showing, not beside it: a `stop` from `setup`, a quit asked for at once,
        could otherwise end the loop before the icon is shown)."""
        def on_ready(icon: Any) -> None:
            icon.visible = True
            threading.Thread(target=setup, name="pointbreak-start", daemon=True).start()

        self.icon.run(on_ready)

    def show(self, view: View) -> None:
        """Ask for the icon, tooltip and menu lines to show `view` (any thread; never blocks).

        pystray applies changes on its own loop and some backends block the caller until it
        has; `pointbreak-icon` waits for that, so a busy or stuck GUI never stalls the engine.
        """
        self._views.offer(view)

    def _hand_over(self, view: View) -> None:
        if sys.platform == "darwin":
            # AppKit objects belong to the main thread; pystray's darwin backend does not
            # hand the change over itself.
            from PyObjCTools import AppHelper

            AppHelper.callAfter(self._apply, view)
        else:
            self._apply(view)

    def _apply(self, view: View) -> None:
        if view == self._view:
            return
        self._view = view
        self._current = by_id(entries(view, self._actions))
        if view.mode is not self._mode:
            self._mode = view.mode
            self.icon.icon = icons.image(MARKER_OF_MODE[view.mode], ICON_SIZE)
        self.icon.title = view.tooltip
        if self.has_menu:
            self.icon.update_menu()

    def stop(self) -> None:
        self.icon.stop()


def _call(entry: Callable[[], Entry]) -> Callable[[], None]:
    def clicked() -> None:
        action = entry().action
        if action is not None:
            action()
    return clicked


if TYPE_CHECKING:  # mypy holds the icon to the port's Protocol
    _TRAY_ICON: type[Icon] = TrayIcon
