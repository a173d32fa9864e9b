"""Keeping a StatusNotifierItem registered with the watcher (org.kde.StatusNotifierWatcher),
on the thread that runs the item's `run` (the main thread).

The item's bus name is asked for first (the objects are served already: KDE's watcher checks
the item before taking it), then `RegisterStatusNotifierItem`, with a timeout: GNOME answers
only after it has read the item back. A watcher that restarts (a panel restarted, GNOME's
extension turned off and on) says so with NameOwnerChanged, and the item registers again. A
watcher has been seen to answer a registration and then drop the item (GNOME, issue 13's memo
3.6), so a while after each registration `RegisteredStatusNotifierItems` is read, and an item
not listed registers again, each wait twice the last, a few times.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from jeepney import DBusAddress, MatchRule, MessageType, new_method_call
from jeepney.wrappers import DBusErrorResponse

from tray.adapters.bus import LOST, Ended, Router

log = logging.getLogger(__name__)

WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_ADDRESS = DBusAddress("/StatusNotifierWatcher", bus_name=WATCHER, interface=WATCHER)
DEFAULT_ITEM_PATH = "/StatusNotifierItem"
REGISTER_TIMEOUT_SECONDS = 10.0
CHECKS = 5  # registrations again after one not listed, before giving up until the next watcher
DO_NOT_QUEUE, PRIMARY_OWNER = 4, 1
_WAKE = object()


def parse_item(entry: str) -> tuple[str, str]:
    """(bus name, object path) of one entry of RegisteredStatusNotifierItems, in each form the
    watchers write: `name` (XFCE's and GNOME's for a name), `name/path` (XFCE, KDE, swaybar),
    `:1.58@/path` (GNOME, for a path)."""
    if "@" in entry:
        name, path = entry.split("@", 1)
        return name, path or DEFAULT_ITEM_PATH
    if "/" in entry:
        name, rest = entry.split("/", 1)
        return name, f"/{rest}"
    return entry, DEFAULT_ITEM_PATH


def owner_changes() -> MatchRule:
    rule = MatchRule(type="signal", sender="org.freedesktop.DBus",
                     interface="org.freedesktop.DBus", member="NameOwnerChanged",
                     path="/org/freedesktop/DBus")
    rule.add_arg_condition(0, WATCHER)
    return rule


class Registration:
    def __init__(self, router: Router, bus: Any, name: str, path: str,
                 confirm_after_seconds: float) -> None:
        self._router, self._bus = router, bus
        self.name, self.path = name, path
        self._confirm_after = confirm_after_seconds
        self._events: queue.Queue[Any] = queue.Queue()
        router.filter(owner_changes(), queue=self._events)
        bus.AddMatch(owner_changes())

    def wake(self) -> None:
        """Make `run` look at its stop event now (any thread)."""
        self._events.put(_WAKE)

    def run(self, stopped: threading.Event, on_first: Callable[[], None]) -> None:
        """Take the name, register, call `on_first`, then keep the item registered until
        `stopped` is set or the bus goes away."""
        self._take_name()
        self._register()
        on_first()
        tries = 0
        check_at: float | None = time.monotonic() + self._confirm_after
        while not stopped.is_set():
            wait = None if check_at is None else max(0.0, check_at - time.monotonic())
            try:
                event = self._events.get(timeout=wait)
            except queue.Empty:
                event = None
            if stopped.is_set() or event is _WAKE:
                continue
            if isinstance(event, Ended):
                if event is LOST:
                    log.error("the session bus went away (%s): the tray icon is gone",
                              self._router.lost)
                return
            if event is None:  # time to check the watcher still lists the item
                check_at, tries = self._check(tries)
            elif self._is_new_watcher(event):
                self._register()
                check_at, tries = time.monotonic() + self._confirm_after, 0

    def _take_name(self) -> None:
        try:
            answer = self._bus.RequestName(self.name, DO_NOT_QUEUE)[0]
        except DBusErrorResponse as error:
            answer = error
        if answer != PRIMARY_OWNER:
            log.warning("cannot own %s (%s): registering the tray icon by its unique name",
                        self.name, answer)
            self.name = self._router.unique_name

    def _register(self) -> bool:
        call = new_method_call(WATCHER_ADDRESS, "RegisterStatusNotifierItem", "s", (self.name,))
        try:
            reply = self._router.send_and_get_reply(call, timeout=REGISTER_TIMEOUT_SECONDS)
        except (TimeoutError, OSError) as error:
            log.warning("the tray's StatusNotifierWatcher did not answer the registration of "
                        "%s: %s", self.name, error or "timed out")
            return False
        if reply.header.message_type is MessageType.error:
            log.warning("the StatusNotifierWatcher refused %s: %s", self.name, reply.body)
            return False
        log.info("tray icon registered with the StatusNotifierWatcher as %s", self.name)
        return True

    def _check(self, tries: int) -> tuple[float | None, int]:
        listed = self.listed()
        if listed is None:
            return None, tries  # no watcher: the next one's NameOwnerChanged registers
        if listed:
            log.info("the StatusNotifierWatcher lists the tray icon")
            return None, 0
        if tries >= CHECKS:
            log.warning("the StatusNotifierWatcher dropped the tray icon %s times; not "
                        "registering again until the watcher restarts", tries)
            return None, tries
        tries += 1
        log.warning("the StatusNotifierWatcher does not list the tray icon; registering again "
                    "(%s of %s)", tries, CHECKS)
        self._register()
        return time.monotonic() + self._confirm_after * 2 ** tries, tries

    def listed(self) -> bool | None:
        """Whether RegisteredStatusNotifierItems names this item; None if it cannot be read."""
        call = new_method_call(DBusAddress("/StatusNotifierWatcher", bus_name=WATCHER,
                                           interface="org.freedesktop.DBus.Properties"),
                               "Get", "ss", (WATCHER, "RegisteredStatusNotifierItems"))
        try:
            reply = self._router.send_and_get_reply(call, timeout=REGISTER_TIMEOUT_SECONDS)
        except (TimeoutError, OSError) as error:
            log.info("cannot read the watcher's items: %s", error or "timed out")
            return None
        if reply.header.message_type is MessageType.error:
            log.info("cannot read the watcher's items: %s", reply.body)
            return None
        signature, items = reply.body[0]
        if signature != "as":
            log.warning("the watcher's RegisteredStatusNotifierItems is %r, not a list of "
                        "strings", signature)
            return None
        mine = {(self.name, self.path), (self._router.unique_name, self.path)}
        return any(parse_item(entry) in mine for entry in items)

    def _is_new_watcher(self, signal: Any) -> bool:
        body = signal.body
        if len(body) != 3 or not all(isinstance(part, str) for part in body):
            log.warning("a NameOwnerChanged of unexpected shape: %r", body)
            return False
        if body[2]:
            log.info("a StatusNotifierWatcher appeared (%s): registering the tray icon", body[2])
            return True
        log.info("the StatusNotifierWatcher went away (it was %s)", body[1])
        return False
