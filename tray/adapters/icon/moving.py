"""An XEmbed icon that moves to a StatusNotifierItem when a watcher appears on the session bus
after the tray started (a panel started after the tray, GNOME's extension turned on).

`pointbreak-tray-watch` waits for NameOwnerChanged of org.kde.StatusNotifierWatcher. When one
comes it makes the SNI icon, hands it the newest view, and stops the XEmbed icon: its loop
returns on the main thread, and `run` goes on with the SNI icon's loop (the tray's setup has
run already, and does not run again). The shell sees one icon throughout.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tray.adapters.bus import Ended, Router
from tray.adapters.icon.menu import View
from tray.adapters.icon.ports import Capabilities
from tray.adapters.icon.registration import owner_changes

if TYPE_CHECKING:
    from tray.adapters.icon.ports import Icon

log = logging.getLogger(__name__)


class MovingIcon:
    def __init__(self, first: Icon, make_next: Callable[[], Icon]) -> None:
        self._current = first
        self._next: Icon | None = None
        self._make_next = make_next
        self._lock = threading.Lock()
        self._view: View | None = None
        self._stopped = False
        self._router: Router | None = None
        self._watcher: threading.Thread | None = None

    @property
    def has_menu(self) -> bool:
        return self._current.has_menu

    @property
    def icon(self) -> Any:
        return self._current.icon

    def capabilities(self) -> Capabilities:
        return self._current.capabilities()


    def run(self, setup: Callable[[], None]) -> None:
        once = threading.Lock()

        def setup_once() -> None:
            if once.acquire(blocking=False):
                setup()

        self._watch()
        try:
            while True:
                self._current.run(setup_once)
                with self._lock:
                    if self._stopped or self._next is None:
                        return
                    self._current, self._next = self._next, None
                log.info("tray icon: moved to %s", self._current.capabilities())
        finally:
            if self._router is not None:
                self._router.close()

    def show(self, view: View) -> None:
        with self._lock:
            self._view = view
            current = self._current
        current.show(view)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            current = self._current
        current.stop()

    def _watch(self) -> None:
        try:
            router = Router("SESSION")
        except (OSError, ValueError, KeyError) as error:
            log.info("no session bus (%s): the tray icon stays on XEmbed", error)
            return
        self._router = router
        changes: queue.Queue[Any] = queue.Queue()
        router.filter(owner_changes(), queue=changes)
        from jeepney.bus_messages import message_bus
        from jeepney.io.threading import Proxy

        try:
            Proxy(message_bus, router, timeout=5).AddMatch(owner_changes())
        except Exception as error:  # a bus that will not take the match: no move
            log.warning("cannot watch for a StatusNotifierWatcher: %s", error)
            return
        self._watcher = threading.Thread(target=self._wait_for_watcher, args=(changes,),
                                         name="pointbreak-tray-watch", daemon=True)
        self._watcher.start()

    def _wait_for_watcher(self, changes: queue.Queue[Any]) -> None:
        while True:
            signal = changes.get()
            if isinstance(signal, Ended):
                return
            body = signal.body
            if len(body) == 3 and isinstance(body[2], str) and body[2]:
                log.info("a StatusNotifierWatcher appeared (%s): moving the tray icon to it",
                         body[2])
                if self._move():
                    return

    def _move(self) -> bool:
        try:
            following = self._make_next()
        except Exception as error:  # the watcher went again, the bus refused: stay
            log.warning("cannot move the tray icon to the StatusNotifierWatcher: %s", error)
            return False
        with self._lock:
            if self._stopped:
                return True
            self._next = following
            previous = self._current
            if self._view is not None:
                following.show(self._view)
        previous.stop()
        return True
