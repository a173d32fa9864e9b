"""The tray icon and its menu (pystray).

pystray's loop runs on the main thread (`TrayIcon.run`); `show` may be called from any thread:
pystray's backends marshal icon and title changes to their own loop. Menu callbacks run on
pystray's thread and only call the shell's actions, which post to the engine.

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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import icons
from icons import Marker
from tray.adapters.choosing import system_of
from tray.core.choices import PAUSE_CHOICES, SNOOZE_MINUTES, Pause, Snooze, minutes_label
from tray.core.model import Mode

log = logging.getLogger(__name__)

ICON_SIZE = 64


@dataclass(frozen=True)
class View:
    """What the icon and menu show; made by the shell from the engine's status."""

    mode: Mode = Mode.NORMAL
    tooltip: str = "Pointbreak"
    next_line: str = "Starting…"
    today_line: str = ""
    is_paused: bool = False
    is_autostart_on: bool = False


@dataclass(frozen=True)
class Actions:
    start_now: Callable[[], None]
    snooze: Callable[[Snooze], None]
    skip: Callable[[], None]
    pause: Callable[[Pause], None]
    resume: Callable[[], None]
    settings: Callable[[], None]
    history: Callable[[], None]
    about: Callable[[], None]
    open_panel: Callable[[], None]
    quit: Callable[[], None]
    toggle_autostart: Callable[[], None]


_ICON_FOR_MODE = {Mode.NORMAL: Marker.NORMAL, Mode.DUE: Marker.DUE,
                  Mode.SNOOZED: Marker.SNOOZED, Mode.PAUSED: Marker.PAUSED,
                  Mode.DONE: Marker.DONE}


MENDED_PYSTRAY = ("0.19.5",)  # the versions whose xorg internals the fixes were checked on


def backend_name(icon_class: type) -> str:
    """The pystray backend an Icon class is, or is made from ("xorg", "gtk", "appindicator",
    "win32", "darwin")."""
    for cls in icon_class.__mro__:
        if cls.__module__.startswith("pystray._") and cls.__module__ != "pystray._base":
            return cls.__module__.rsplit("_", 1)[-1]
    return icon_class.__module__.rsplit("_", 1)[-1]


@dataclass(frozen=True)
class Capabilities:
    """What the tray icon can do here: pystray's flags of its backend (HAS_MENU and the rest)
    and whether a backend with a menu can be installed (GTK's AppIndicator, on Linux)."""

    backend: str
    has_menu: bool
    has_default_action: bool
    has_notification: bool
    can_install_menu: bool

    def __str__(self) -> str:
        return (f"backend={self.backend} HAS_MENU={self.has_menu} "
                f"HAS_DEFAULT_ACTION={self.has_default_action} "
                f"HAS_NOTIFICATION={self.has_notification}")


def capabilities(icon_class: Any, platform: str = sys.platform) -> Capabilities:
    """The capabilities of a pystray Icon class (pure: its flags and `platform`)."""
    has_menu = bool(icon_class.HAS_MENU)
    return Capabilities(backend_name(icon_class), has_menu,
                        bool(icon_class.HAS_DEFAULT_ACTION), bool(icon_class.HAS_NOTIFICATION),
                        can_install_menu=not has_menu and system_of(platform) == "linux")


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


class Icon(Protocol):
    """The port: the tray icon and its menu. Made on the main thread, before anything else
    of the tray starts."""

    has_menu: bool  # False where the backend has no menu: a click opens the control window

    def run(self, setup: Callable[[], None]) -> None:
        """Show the icon and run the GUI loop on the main thread until `stop`: it blocks for
        the tray's whole life. `setup` runs once on `pointbreak-start` as the loop is ready."""
        ...

    def show(self, view: View) -> None:
        """Make the icon, tooltip and menu show `view`, the newest view winning. Any thread;
        never blocks (the change is applied on `pointbreak-icon`); never raises for a GUI that
        is stuck or gone (that is logged there)."""
        ...

    def stop(self) -> None:
        """End the loop, so `run` returns. Any thread (a menu callback's, `pointbreak-quit`);
        idempotent; does not wait for the loop."""
        ...

    def capabilities(self) -> Capabilities:
        """What this icon's backend can do (any thread; pure)."""
        ...


class TrayIcon:
    def __init__(self, actions: Actions) -> None:
        import pystray

        self._pystray = pystray
        self._actions = actions
        self._view = View()
        self._mode: Mode | None = None
        self.icon = _icon_class(pystray)("pointbreak", icons.image(Marker.NORMAL, ICON_SIZE),
                                 "Pointbreak", menu=self._menu())
        self.has_menu = bool(self.icon.HAS_MENU)
        self._changed = threading.Condition()
        self._pending: View | None = None
        self._submitted: View | None = None
        self._updater: threading.Thread | None = None

    def capabilities(self) -> Capabilities:
        return capabilities(type(self.icon))

    def _menu(self) -> Any:
        item, menu, actions = self._pystray.MenuItem, self._pystray.Menu, self._actions
        if not self._pystray.Icon.HAS_MENU:
            # No menu here: a click opens the control window, with the same actions.
            return menu(item("Open Pointbreak", lambda: actions.open_panel(), default=True))

        def pause(choice: Pause) -> Callable[[], None]:
            return lambda: actions.pause(choice)

        def snooze(minutes: int) -> Callable[[], None]:
            return lambda: actions.snooze(Snooze(minutes))

        return menu(
            item("Start a session now", lambda: actions.start_now(),
                 default=bool(self._pystray.Icon.HAS_DEFAULT_ACTION)),
            item(lambda _: self._view.next_line, None, enabled=False),
            item(lambda _: self._view.today_line, None, enabled=False),
            menu.SEPARATOR,
            item("Snooze", menu(*(item(minutes_label(m), snooze(m)) for m in SNOOZE_MINUTES))),
            item("Skip next break", lambda: actions.skip()),
            item("Pause", menu(*(item(c.label, pause(c.pause)) for c in PAUSE_CHOICES)),
                 visible=lambda _: not self._view.is_paused),
            item("Resume", lambda: actions.resume(), visible=lambda _: self._view.is_paused),
            menu.SEPARATOR,
            item("Start at login", lambda: actions.toggle_autostart(),
                 checked=lambda _: self._view.is_autostart_on),
            item("Settings…", lambda: actions.settings()),
            item("History…", lambda: actions.history()),
            item("About Pointbreak", lambda: actions.about()),
            item("Quit", lambda: actions.quit()),
        )

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
        has; a dedicated thread waits for that, so a busy or stuck GUI never stalls the engine.
        """
        with self._changed:
            if view == self._submitted:
                return  # nothing new: do not wake the GUI (the minute tick often has nothing)
            self._submitted = view
            self._pending = view
            self._changed.notify()
        if self._updater is None:
            self._updater = threading.Thread(target=self._apply_views, daemon=True,
                                             name="pointbreak-icon")
            self._updater.start()

    def _apply_views(self) -> None:
        while True:
            with self._changed:
                while self._pending is None:
                    self._changed.wait()
                view, self._pending = self._pending, None
            try:
                if sys.platform == "darwin":
                    # AppKit objects belong to the main thread; pystray's darwin backend
                    # does not hand the change over itself.
                    from PyObjCTools import AppHelper

                    AppHelper.callAfter(self._apply, view)
                else:
                    self._apply(view)
            except Exception:  # the thread's edge
                log.exception("cannot update the tray icon")

    def _apply(self, view: View) -> None:
        if view == self._view and self._mode is not None:
            return
        self._view = view
        if view.mode is not self._mode:
            self._mode = view.mode
            self.icon.icon = icons.image(_ICON_FOR_MODE[view.mode], ICON_SIZE)
        self.icon.title = view.tooltip
        if self.has_menu:
            self.icon.update_menu()

    def stop(self) -> None:
        self.icon.stop()


if TYPE_CHECKING:  # mypy holds the icon to the port's Protocol
    _TRAY_ICON: type[Icon] = TrayIcon
