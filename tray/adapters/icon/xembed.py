"""The XEmbed tray icon of Linux desktops without a StatusNotifierWatcher, on python-xlib alone.

The system tray protocol (freedesktop's System Tray and XEmbed specifications): the tray host owns
the selection `_NET_SYSTEM_TRAY_S<screen>`; the icon is a small window of ours that asks the
owner to dock it (SYSTEM_TRAY_REQUEST_DOCK), after which the host reparents it into its panel
and maps it. A host that starts later (or again, after a crash) announces itself with a MANAGER
message on the root window: the icon docks there then. A host that goes away gives the window
back to the root window (where a window manager could frame it) or destroys it: the icon then
makes a new window, never mapped by itself, for the next host. Each host gets a window of the
visual it asks for.

The icon draws the shipped raw pixels (`icons.rgba`) of the largest size that fits its slot,
centred, blended over what the panel shows beneath it: the window's background is its parent's
(ParentRelative), read back after clearing. A host that offers a 32-bit visual
(`_NET_SYSTEM_TRAY_VISUAL`, a composited panel) gets a window of that visual with transparent
pixels instead. No menu: an XEmbed host shows only the window, so a click (left or right) opens
the control window, with the same actions as the menu elsewhere.

One X connection, used only by the loop (`run`, the main thread). Other threads only put the
newest view in a slot and wake the loop through a pipe (`show`, `stop`): nothing waits on the
loop, and nothing but the loop talks to the X server. Neither Pillow nor pystray is loaded: the
icon shows before the rest of the tray is imported (tray/shell/app.py).
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import icons
from tray.adapters.icon.menu import MARKER_OF_MODE, Actions, View
from tray.adapters.icon.ports import Capabilities
from tray.adapters.icon.xpixels import blend, side_for

log = logging.getLogger(__name__)

DRAWN_WAIT_SECONDS = 1.0  # the rest of the tray starts then, drawn in a tray or not
FIRST_SIZE = 24  # the window's size until the host gives it its slot
CLICKS = (1, 3)  # the left and the right button open the control window
REQUEST_DOCK = 0  # SYSTEM_TRAY_REQUEST_DOCK
XEMBED_INFO = (0, 1)  # XEmbed version 0, XEMBED_MAPPED: the host maps the window


@contextmanager
def without_x_extensions() -> Iterator[None]:
    """X connections opened meanwhile load none of python-xlib's extension modules.

    python-xlib's Display() imports and initialises a module for every extension the server
    lists (RANDR, XInput, XFIXES...: on Xvfb 37 ms for the first connection, against 5 without).
    The icon uses none of them. Only while no other thread runs, which could open a connection
    of its own meanwhile (the detectors' connections, opened later, get them all)."""
    from Xlib import ext

    if threading.active_count() > 1:
        yield
        return
    kept = ext.__extensions__
    ext.__extensions__ = ()
    try:
        yield
    finally:
        ext.__extensions__ = kept


# No menu (a click opens the control window); a StatusNotifierItem host would give it one.
CAPABILITIES = Capabilities("xembed", has_menu=False, has_default_action=True,
                            has_notification=False, menu_with_sni_host=True)


class XembedIcon:
    _window: Any  # the icon's X window: a new one for each host that needs it
    _size: tuple[int, int]  # the window's, as the host made it

    def __init__(self, actions: Actions, view: View | None = None) -> None:
        """The icon's window, made and showing `view` (default: a plain one); docked in the
        tray host, if one runs, when `run` starts. Raises where there is no X display."""
        from Xlib import X, display

        self._x = X
        self._actions = actions
        self._view = view or View()
        self._newest: View | None = None
        self._newest_lock = threading.Lock()
        self._stopping = threading.Event()
        with without_x_extensions():
            self._display = display.Display()
        try:
            self._set_up(X)
        except BaseException:
            self._display.close()
            raise
        self._wake_read, self._wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self._pipe_lock = threading.Lock()
        self._pipe_closed = False

    def _set_up(self, X: Any) -> None:
        self._display.set_error_handler(self._x_error)
        self._screen = self._display.screen()
        self._root = self._screen.root
        self._selection = self._atom(f"_NET_SYSTEM_TRAY_S{self._display.get_default_screen()}")
        self._manager_atom = self._atom("MANAGER")
        self._pixels: dict[tuple[str, int], bytes] = {}
        self._order = ("BGRA" if self._display.display.info.image_byte_order == X.LSBFirst
                       else "ARGB")
        # MANAGER messages, asked for before the owner is read: a host that starts in between
        # (the panel and the tray starting together at login) is then seen either way.
        self._root.change_attributes(event_mask=X.StructureNotifyMask)
        self._manager = self._current_manager()
        self._visual = self._argb_visual(self._manager)
        self._create_window()

    @property
    def has_menu(self) -> bool:
        return False

    @property
    def icon(self) -> Any:
        return None

    def capabilities(self) -> Capabilities:
        return CAPABILITIES

    # --- any thread ---------------------------------------------------------------------------

    def show(self, view: View) -> None:
        """Have the loop show `view` (any thread; never blocks; the newest view wins)."""
        with self._newest_lock:
            self._newest = view
        self._wake()

    def stop(self) -> None:
        """End the loop: `run` returns (any thread; idempotent; does not wait)."""
        self._stopping.set()
        self._wake()

    def _wake(self) -> None:
        with self._pipe_lock:  # never a write to a closed (and perhaps reused) descriptor
            if self._pipe_closed:
                return
            with suppress(BlockingIOError):  # a full pipe: the loop has wakes waiting already
                os.write(self._wake_write, b"!")

    # --- the loop (the main thread) -----------------------------------------------------------

    def run(self, setup: Callable[[], None]) -> None:
        """Dock the icon and run its loop until `stop`. `setup` runs on `pointbreak-start` once
        the host has drawn the icon, or DRAWN_WAIT_SECONDS after the start if none has (no tray
        yet, or a slow one): the rest of the start, a few hundred milliseconds of imports,
        would otherwise hold back the icon's first drawing. A lost X server ends the loop."""
        from Xlib.error import ConnectionClosedError

        deadline: float | None = time.monotonic() + DRAWN_WAIT_SECONDS
        try:
            if not self._stopping.is_set():
                self._dock(self._manager)
            while not self._stopping.is_set():
                while self._display.pending_events() and not self._stopping.is_set():
                    self._handle(self._display.next_event())
                self._apply_newest()
                if deadline is not None and (self._drawn or time.monotonic() >= deadline):
                    if self._drawn:
                        log.info("the icon is drawn in its tray")
                    else:
                        log.info("the icon is not drawn in a tray after %s s (none yet?); "
                                 "starting the rest anyway", DRAWN_WAIT_SECONDS)
                    deadline = None
                    threading.Thread(target=setup, name="pointbreak-start", daemon=True).start()
                self._display.flush()
                if self._stopping.is_set() or self._display.pending_events():
                    continue
                wait = None if deadline is None else max(0.0, deadline - time.monotonic())
                ready, _, _ = select.select([self._display, self._wake_read], [], [], wait)
                if self._wake_read in ready:
                    self._drain_wakes()
        except (ConnectionClosedError, OSError) as error:
            log.warning("the X display's connection ended (%s): the XEmbed icon is gone", error)
        finally:
            self._close()

    def _drain_wakes(self) -> None:
        try:
            while os.read(self._wake_read, 512):
                pass
        except BlockingIOError:
            pass

    def _close(self) -> None:
        try:
            self._window.destroy()
            self._display.close()
        except Exception as error:  # a display already gone
            log.debug("closing the X display: %s", error)
        with self._pipe_lock:
            self._pipe_closed = True
            os.close(self._wake_read)
            os.close(self._wake_write)

    def _handle(self, event: Any) -> None:
        from Xlib.error import ConnectionClosedError

        X = self._x
        try:
            mine = _same(getattr(event, "window", None), self._window)
            if event.type == X.Expose and mine and event.count == 0:
                self._draw()
            elif event.type == X.ConfigureNotify and mine:
                if (event.width, event.height) != self._size:
                    self._size = (event.width, event.height)
                    self._draw()
            elif event.type == X.ReparentNotify and mine:
                self._embedded = not _same(event.parent, self._root)
                if not self._embedded:  # the host went away: no stray window on the desktop
                    self._renew_window()
            elif event.type == X.DestroyNotify and mine:  # by the host: a new one for it
                log.info("the tray icon's window was destroyed by its host: making a new one")
                self._create_window()
                self._dock(self._manager)
            elif event.type == X.ButtonPress and mine and event.detail in CLICKS:
                self._actions.open_panel()
            elif (event.type == X.DestroyNotify and self._manager is not None
                  and _same(event.window, self._manager)):
                log.info("the XEmbed tray host has gone; the icon docks in the next one")
                self._manager = None
            elif (event.type == X.ClientMessage and _same(event.window, self._root)
                  and event.client_type == self._manager_atom
                  and event.data[1][1] == self._selection):
                self._new_host(self._display.create_resource_object("window", event.data[1][2]))
        except ConnectionClosedError:
            raise
        except Exception:  # the loop's edge: an event never ends the icon
            log.exception("cannot handle the X event %s", event.__class__.__name__)

    def _new_host(self, manager: Any) -> None:
        if _same(manager, self._manager):
            return  # asked already: it started as the owner was read
        log.info("an XEmbed tray host has started: docking there")
        visual = self._argb_visual(manager)
        if visual != self._visual:  # a window of the visual this host asks for
            self._visual = visual
            self._renew_window()
        self._dock(manager)

    def _apply_newest(self) -> None:
        with self._newest_lock:
            view, self._newest = self._newest, None
        if view is None or view == self._view:
            return
        from Xlib.error import ConnectionClosedError

        mode_changed = view.mode is not self._view.mode
        self._view = view
        try:
            self._set_title(view.tooltip)
            if mode_changed:
                self._draw()
        except ConnectionClosedError:
            raise
        except Exception:  # a view never ends the icon
            log.exception("cannot show the tray icon's new view")

    # --- X requests (the loop, or the constructor before it) ----------------------------------

    def _atom(self, name: str) -> int:
        return int(self._display.intern_atom(name))

    def _x_error(self, error: Any, request: Any) -> None:
        # Errors of requests without a reply (a host that vanished as the icon docked there):
        # logged; the MANAGER message of the next host docks it again.
        log.warning("X error on the tray icon: %s", error)

    def _current_manager(self) -> Any:
        owner = self._display.get_selection_owner(self._selection)
        if isinstance(owner, int) or owner.id == self._x.NONE:  # python-xlib: 0 for none
            return None
        return owner

    def _renew_window(self) -> None:
        """A new, unmapped window in place of the one given back to the root (where a window
        manager would frame it once the server maps it) or made for another visual."""
        with suppress(Exception):
            self._window.destroy()
        self._create_window()

    def _create_window(self) -> None:
        from Xlib import Xutil

        X = self._x
        masks = X.ExposureMask | X.StructureNotifyMask | X.ButtonPressMask
        self._embedded = self._drawn = False
        self._size = (FIRST_SIZE, FIRST_SIZE)
        visual = self._visual
        if visual is not None:
            colormap = self._root.create_colormap(visual, X.AllocNone)
            window = self._root.create_window(0, 0, *self._size, 0, 32, X.InputOutput, visual,
                                              background_pixel=0, border_pixel=0,
                                              colormap=colormap, event_mask=masks)
            depth = 32
        else:
            window = self._root.create_window(0, 0, *self._size, 0, self._screen.root_depth,
                                              X.InputOutput, X.CopyFromParent,
                                              background_pixmap=X.ParentRelative,
                                              event_mask=masks)
            depth = self._screen.root_depth
        if depth not in self._depths_of_32_bits():
            raise RuntimeError(f"the X server keeps {depth}-bit pixels in an unusual format")
        window.set_wm_class("pointbreak", "Pointbreak")
        window.set_wm_normal_hints(flags=Xutil.PMinSize, min_width=16, min_height=16)
        xembed_info = self._atom("_XEMBED_INFO")
        window.change_property(xembed_info, xembed_info, 32, XEMBED_INFO)
        self._window, self._depth = window, depth
        self._gc = window.create_gc()
        self._set_title(self._view.tooltip)

    def _depths_of_32_bits(self) -> set[int]:
        return {each.depth for each in self._display.display.info.pixmap_formats
                if each.bits_per_pixel == 32}

    def _argb_visual(self, manager: Any) -> int | None:
        """The 32-bit visual the host asks icons to use, if it asks for one."""
        if manager is None:
            return None
        try:
            asked = manager.get_full_property(self._atom("_NET_SYSTEM_TRAY_VISUAL"),
                                              self._x.AnyPropertyType)
        except Exception:  # the host went away meanwhile
            return None
        if asked is None or not asked.value:
            return None
        for depth in self._screen.allowed_depths:
            if depth.depth == 32 and any(v.visual_id == asked.value[0] for v in depth.visuals):
                return int(asked.value[0])
        return None

    def _set_title(self, title: str) -> None:
        # WM_NAME holds Latin-1 only: what Latin-1 holds there, the whole text in _NET_WM_NAME.
        self._window.set_wm_name(title.encode("latin-1", "replace").decode("latin-1"))
        self._window.change_property(self._atom("_NET_WM_NAME"), self._atom("UTF8_STRING"), 8,
                                     title.encode("utf-8"))

    def _dock(self, manager: Any) -> None:
        if manager is None:
            log.info("no XEmbed tray host yet: the icon docks when one starts")
            return
        from Xlib.protocol import event

        self._manager = manager
        manager.change_attributes(event_mask=self._x.StructureNotifyMask)  # its DestroyNotify
        manager.send_event(event.ClientMessage(
            window=manager, client_type=self._atom("_NET_SYSTEM_TRAY_OPCODE"),
            data=(32, (self._x.CurrentTime, REQUEST_DOCK, self._window.id, 0, 0))),
            event_mask=self._x.NoEventMask)
        self._display.flush()

    def _draw(self) -> None:
        if not self._embedded:
            return
        from Xlib.error import XError

        X = self._x
        width, height = self._size
        side = side_for(width, height)
        marker = MARKER_OF_MODE[self._view.mode]
        pixels = self._pixels.get((marker, side))
        if pixels is None:
            pixels = self._pixels[(marker, side)] = icons.rgba(marker, side)
        wide, high = min(side, width), min(side, height)  # a slot under 16 px: its corner
        if (wide, high) != (side, side):
            pixels = b"".join(pixels[row * side * 4:(row * side + wide) * 4]
                              for row in range(high))
        left, top = (width - wide) // 2, (height - high) // 2
        try:
            self._window.clear_area(left, top, wide, high)
            under = self._window.get_image(left, top, wide, high, X.ZPixmap, 0xFFFFFFFF).data
            self._window.put_image(self._gc, left, top, wide, high, X.ZPixmap, self._depth, 0,
                                   blend(pixels, under, self._order))
        except XError as error:  # not viewable at this moment: the next Expose draws it
            log.debug("cannot draw the tray icon now: %s", error)
            return
        self._drawn = True


def _same(window: Any, other: Any) -> bool:
    """Whether two python-xlib windows (or None) are the same X window."""
    return window is not None and other is not None and window.id == other.id
