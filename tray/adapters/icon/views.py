"""Views handed to the icon from any thread and applied on `pointbreak-icon`, newest first: so a
busy or stuck GUI or bus never stalls the engine, and a burst of views shows only the last."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from tray.adapters.icon.menu import View

log = logging.getLogger(__name__)


class NewestView:
    def __init__(self, apply: Callable[[View], None]) -> None:
        self._apply = apply
        self._changed = threading.Condition()
        self._pending: View | None = None
        self._submitted: View | None = None
        self._updater: threading.Thread | None = None

    def offer(self, view: View) -> None:
        """Have `view` applied (any thread; never blocks; the same view twice is applied once:
        the minute tick often has nothing new)."""
        with self._changed:
            if view == self._submitted:
                return
            self._submitted = self._pending = view
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
                self._apply(view)
            except Exception:  # the thread's edge
                log.exception("cannot update the tray icon")
