"""The tray icon through pystray: XEmbed on Linux (its xorg backend, or GTK's where
PYSTRAY_BACKEND asks for it), the notification area on Windows, the menu bar on macOS.

pystray's loop runs on the main thread (`TrayIcon.run`); `show` may be called from any thread:
pystray's backends marshal icon and title changes to their own loop. Menu callbacks run on
pystray's thread and only call the shell's actions, which post to the engine. The menu is
rendered from the port's one menu tree (`menu.entries`).

pystray's xorg backend (the one Linux gets without PyGObject) creates its icon window without
ButtonPressMask, so no click ever reaches it under trayer, tint2 or MATE (pystray issue #151),
and it re-sends the dock request at every icon change, after which trayer drops the clicks.
`_MendedXorgIcon`, a subclass of that backend's Icon, mends both by overriding two of its
methods. They are pystray 0.19.5's internals: the fixes apply only to the versions named in
`MENDED_PYSTRAY` (a newer pystray is logged, and runs unmended), pystray is pinned below 0.20,
and the end-to-end test changes the icon, then clicks it for real.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import icons
from tray.adapters.icon.menu import MARKER_OF_MODE, Actions, Entry, View, by_id, entries
from tray.adapters.icon.ports import Capabilities, capabilities
from tray.adapters.icon.views import NewestView
from tray.core.model import Mode

if TYPE_CHECKING:
    from tray.adapters.icon.ports import Icon

log = logging.getLogger(__name__)

ICON_SIZE = 64
MENDED_PYSTRAY = ("0.19.5",)  # the versions whose xorg internals the fixes were checked on


def _icon_class(pystray: Any) -> Any:
    """pystray's Icon, or for its xorg backend the mended subclass (see the module doc)."""
    base = pystray.Icon
    if not base.__module__.endswith("._xorg"):
        return base
    from importlib import metadata

    version = metadata.version("pystray")
    if version not in MENDED_PYSTRAY:
        log.warning("pystray %s: the xorg backend's click and docking fixes are made for %s "
                    "only and are not applied; the icon may not take clicks", version,
                    ", ".join(MENDED_PYSTRAY))
        return base
    from Xlib import X

    class _MendedXorgIcon(base):  # type: ignore[misc, valid-type]
        def _create_window(self) -> Any:
            # Its icon window lacks ButtonPressMask, so no click would reach it.
            window = super()._create_window()
            mask = window.get_attributes().your_event_mask
            window.change_attributes(event_mask=mask | X.ButtonPressMask)
            return window

        def _assert_docked(self) -> None:
            # Every icon change re-sends the dock request, and trayer then re-embeds the window
            # into a new slot that takes no clicks: dock only while not docked (a lost tray
            # still re-docks).
            if self._systray_manager is None:
                super()._assert_docked()

    log.info("xorg backend: ButtonPressMask added to the icon window; docking once")
    return _MendedXorgIcon


class TrayIcon:
    def __init__(self, actions: Actions) -> None:
        import pystray

        self._pystray = pystray
        self._actions = actions
        self._view = View()
        self._current = by_id(entries(self._view, actions))
        self._mode: Mode | None = None
        self.icon = _icon_class(pystray)("pointbreak", icons.image(MARKER_OF_MODE[Mode.NORMAL],
                                                                   ICON_SIZE),
                                         "Pointbreak", menu=self._menu())
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

        `setup` runs on a thread of its own as soon as pystray's loop is ready, beside the
        showing of the icon, so neither waits for the other.
        """
        def on_ready(icon: Any) -> None:
            threading.Thread(target=setup, name="pointbreak-start", daemon=True).start()
            icon.visible = True

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
        if view == self._view and self._mode is not None:
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
