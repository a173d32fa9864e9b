"""The tray icon through pystray: XEmbed on Linux (its xorg backend, always: its GTK and
AppIndicator backends would need PyGObject, and the StatusNotifierItem of sni.py gives the menu
they gave), the notification area on Windows, the menu bar on macOS.

pystray's loop runs on the main thread (`TrayIcon.run`); `show` may be called from any thread:
pystray's backends marshal icon and title changes to their own loop. Menu callbacks run on
pystray's thread and only call the shell's actions, which post to the engine. The menu is
rendered from the port's one menu tree (`menu.entries`).

pystray's xorg backend creates its icon window without ButtonPressMask, so no click ever
reaches it under trayer, tint2 or MATE (pystray issue #151), and it re-sends the dock request
at every icon change, after which trayer drops the clicks.
Its calls from other threads (showing the icon, a new icon or title, stop) all wait on one
shared queue and send on the loop's own X connection; on a loaded machine that was seen to
hang, about once in five starts and stops: an answer taken by the wrong caller, the loop missing
its window's destruction, python-xlib deadlocking the loop's own request. `_MendedXorgIcon`, a
subclass of that backend's Icon, mends all of it by overriding its methods: each call waits for
its own answer (5 s at most) and wakes the loop over an X connection of the callers' own, and a
loop still running 1.5 s after stop is ended by closing its connection's reads. Its title is
written as Latin-1 only, which raises on a translated tooltip: it gets a UTF-8 one. They are pystray
0.19.5's internals: the fixes apply only to the versions named in
`MENDED_PYSTRAY` (a newer pystray is logged, and runs unmended), pystray is pinned below 0.20,
and the end-to-end test changes the icon, then clicks it for real.
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import icons
from tray.adapters.choosing import system_of
from tray.adapters.icon.menu import MARKER_OF_MODE, Actions, Entry, View, by_id, entries
from tray.adapters.icon.ports import Capabilities, capabilities
from tray.adapters.icon.views import NewestView
from tray.core.modes import Mode

if TYPE_CHECKING:
    from tray.adapters.icon.ports import Icon

log = logging.getLogger(__name__)

ICON_SIZE = 64
MENDED_PYSTRAY = ("0.19.5",)  # the versions whose xorg internals the fixes were checked on


STOP_GRACE_SECONDS = 1.5  # an X11 icon loop still running this long after stop is ended
CALL_WAIT_SECONDS = 5.0  # a change the X11 icon loop has not made by then is given up
DRAWN_WAIT_SECONDS = 1.0  # the rest of the tray starts then, drawn in a tray or not


def load_pystray() -> Any:
    """pystray, with its xorg backend on Linux whatever PYSTRAY_BACKEND said (pystray reads it
    at its import; a GTK or AppIndicator backend is not one Pointbreak uses)."""
    if system_of() == "linux":
        asked = os.environ.get("PYSTRAY_BACKEND")
        if asked not in (None, "", "xorg"):
            log.warning("PYSTRAY_BACKEND=%s is not used: on Linux Pointbreak's tray is a "
                        "StatusNotifierItem, else pystray's xorg (XEmbed) backend", asked)
        os.environ["PYSTRAY_BACKEND"] = "xorg"
    import pystray

    return pystray


@contextmanager
def without_x_extensions() -> Iterator[None]:
    """X connections opened meanwhile load none of python-xlib's extension modules.

    python-xlib's Display() imports and initialises a module for every extension the server
    lists (RANDR, XInput, XFIXES...: on Xvfb 37 ms for the first connection, 10 for each after,
    against 5 without). pystray's xorg backend uses none of them, and its two connections (one
    at its import, to check the display; one for the icon) are made before the icon shows.
    Connections opened after (the detectors', the icon's sender) get them all again. Only
    while no other thread runs, which could open a connection of its own meanwhile."""
    try:
        from Xlib import ext
    except ImportError:  # not Linux, or no python-xlib: nothing to leave out
        ext = None
    if ext is None or threading.active_count() > 1:
        yield
        return
    kept = ext.__extensions__
    ext.__extensions__ = ()
    try:
        yield
    finally:
        ext.__extensions__ = kept


def _icon_class(pystray: Any) -> Any:
    """pystray's Icon, or for its xorg backend the mended subclass (see the module doc)."""
    base = pystray.Icon
    if not base.__module__.endswith("._xorg"):
        return base
    from pystray import _info  # its version, without importlib.metadata's 15 ms

    version = ".".join(str(part) for part in _info.__version__)
    if version not in MENDED_PYSTRAY:
        log.warning("pystray %s: the xorg backend's click and docking fixes are made for %s "
                    "only and are not applied; the icon may not take clicks", version,
                    ", ".join(MENDED_PYSTRAY))
        return base
    from Xlib import X

    class _MendedXorgIcon(base):  # type: ignore[misc, valid-type]
        # Shown on the main thread before its loop starts: no round trip to a loop that is not
        # running yet, and no second X connection opened just to ask it (see TrayIcon.run).
        SHOWS_BEFORE_LOOP = True

        def _create_window(self) -> Any:
            # Its icon window lacks ButtonPressMask, so no click would reach it.
            window = super()._create_window()
            mask = window.get_attributes().your_event_mask
            window.change_attributes(event_mask=mask | X.ButtonPressMask)
            return window

        def _update_title(self) -> None:
            # pystray writes the title as a Latin-1 WM_NAME, which raises on "…" or any text
            # beyond Latin-1 (a translated tooltip): WM_NAME gets what Latin-1 holds, and the
            # UTF-8 _NET_WM_NAME the whole text.
            title = self.title or ""
            self._window.set_wm_name(title.encode("latin-1", "replace").decode("latin-1"))
            self._window.change_property(self._display.intern_atom("_NET_WM_NAME"),
                                         self._display.intern_atom("UTF8_STRING"), 8,
                                         title.encode("utf-8"))

        def _rewrite_implementation(self, *originals: Any) -> None:
            # pystray's own version has every caller from another thread wait on one shared
            # queue (an answer can go to the wrong caller) and send on the loop's own X
            # connection, which python-xlib has been seen to deadlock with the loop's own
            # requests. Here each call waits for its own answer, and the wake-up is sent over
            # a connection of the callers' own.
            self._calls: queue.SimpleQueue[tuple[Callable[[], None], queue.Queue[Any]]] = (
                queue.SimpleQueue())
            self._sender: Any = None
            self._sender_lock = threading.Lock()
            self._wake = self._display.intern_atom("_POINTBREAK_CALL")
            for original in originals:
                setattr(self, original.__name__, self._on_loop(original))
            self._message_handlers[X.ClientMessage] = self._run_calls
            # Set once the icon has been drawn in its tray: the rest of the tray waits for it.
            self.drawn = threading.Event()
            draw = self._message_handlers[X.Expose]

            def drawn(event: Any) -> None:
                draw(event)
                if event.window.id == self._window.id and self._systray_manager is not None:
                    self.drawn.set()
            self._message_handlers[X.Expose] = drawn

        def _on_loop(self, original: Callable[[], None]) -> Callable[[], None]:
            def call() -> None:
                loop = getattr(self, "_thread", None)
                if loop is None or loop is threading.current_thread():
                    original()
                    return
                if not loop.is_alive():
                    return  # the loop has ended: there is no icon left to change
                answer: queue.Queue[Any] = queue.Queue(1)
                self._calls.put((original, answer))
                self._send_wake()
                try:
                    error = answer.get(timeout=CALL_WAIT_SECONDS)
                except queue.Empty:
                    log.warning("the X11 icon loop did not run %s within %s s",
                                original.__name__, CALL_WAIT_SECONDS)
                    return
                if error is not None:
                    raise error
            return call

        def _send_wake(self) -> None:
            import Xlib.display
            from Xlib.protocol import event

            with self._sender_lock:
                try:
                    if self._sender is None:
                        self._sender = Xlib.display.Display()
                    window = self._sender.create_resource_object("window", self._window.id)
                    window.send_event(event.ClientMessage(
                        window=window, client_type=self._wake, data=(32, (0, 0, 0, 0, 0))),
                        event_mask=X.NoEventMask)
                    self._sender.flush()
                except Exception as error:  # a closed display: the call then times out
                    log.warning("cannot wake the X11 icon loop: %s", error)

        def _run_calls(self, message: Any) -> None:
            if message.client_type != self._wake:
                return
            while True:
                try:
                    original, answer = self._calls.get_nowait()
                except queue.Empty:
                    return
                try:
                    original()
                    answer.put(None)
                except Exception as error:  # handed to its caller
                    answer.put(error)

        def stop(self) -> None:
            super().stop()
            # python-xlib's threads: the loop has been seen (about once in five stops on a
            # loaded machine) to miss its own window's destruction and wait for ever for the
            # next event. Wake it, if it is still waiting a moment later, by ending the reads
            # of its display connection: the loop then ends as on a lost X server.
            loop = getattr(self, "_thread", None)
            if loop is not None and loop is not threading.current_thread():
                threading.Thread(target=self._end_if_stuck, args=(loop,), daemon=True,
                                 name="pointbreak-icon-stop").start()

        def _end_if_stuck(self, loop: threading.Thread) -> None:
            loop.join(STOP_GRACE_SECONDS)
            if not loop.is_alive():
                return
            log.warning("the X11 icon loop did not end %s s after it was stopped; ending its "
                        "display connection", STOP_GRACE_SECONDS)
            import socket

            try:
                self._display.display.socket.shutdown(socket.SHUT_RDWR)
            except OSError as error:
                log.warning("cannot end the X11 icon loop's connection: %s", error)

        def _assert_docked(self) -> None:
            # Every icon change re-sends the dock request, and trayer then re-embeds the window
            # into a new slot that takes no clicks: dock only while not docked (a lost tray
            # still re-docks).
            if self._systray_manager is None:
                super()._assert_docked()

    log.info("xorg backend: ButtonPressMask added to the icon window; docking once")
    return _MendedXorgIcon


class TrayIcon:
    def __init__(self, actions: Actions, view: View | None = None) -> None:
        """The icon, showing `view` (default: a plain one) until the first `show`."""
        self._actions = actions
        self._view = view or View()
        self._current = by_id(entries(self._view, actions))
        self._mode: Mode = self._view.mode
        # pystray's import opens (and closes) a display to check it; the icon opens its own.
        with without_x_extensions():
            self._pystray = pystray = load_pystray()
            self.icon = _icon_class(pystray)("pointbreak",
                                             icons.image(MARKER_OF_MODE[self._mode], ICON_SIZE),
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
        (on xorg the icon is shown here, before the loop starts, and `setup` waits until the
        tray has embedded it and it is drawn, DRAWN_WAIT_SECONDS at most: the rest of the
        start, a few hundred milliseconds of imports, would otherwise hold back the loop's
        drawing; elsewhere a round trip to the loop, a few milliseconds). Not beside the
        showing: a `stop` from `setup` (a quit asked for at once) could then destroy the window
        before the icon is shown, and the showing would wait for ever for a loop that has
        ended, keeping the process alive (seen on xorg on a loaded machine).
        """
        def on_ready(icon: Any) -> None:
            icon.visible = True  # shown already where SHOWS_BEFORE_LOOP
            drawn = getattr(icon, "drawn", None)
            if drawn is not None:
                if drawn.wait(DRAWN_WAIT_SECONDS):
                    log.info("the icon is drawn in its tray")
                else:
                    log.info("the icon is not drawn in a tray after %s s (none yet?); starting "
                             "the rest anyway", DRAWN_WAIT_SECONDS)
            threading.Thread(target=setup, name="pointbreak-start", daemon=True).start()

        if getattr(self.icon, "SHOWS_BEFORE_LOOP", False):
            self.icon.visible = True
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
