"""Screen lock and suspend on Linux, from D-Bus (jeepney), as engine events.

- logind on the system bus: `PrepareForSleep(true/false)` on org.freedesktop.login1.Manager
  (asleep / awake) and `Lock` / `Unlock` on this login session's object.
- the freedesktop (and GNOME) ScreenSaver on the session bus: `ActiveChanged(bool)`.
Either may be missing (no logind in a container, no screensaver service): each is tried on its
own and what works is logged. Every system also has the clock watchdog (tray.shell.watchdog), which
sees a sleep after the fact; the engine takes both without double counting.

Threads: one router thread per bus (jeepney) and one listener per bus that only posts events.
`capabilities()` says whether this system has them at all (Linux only).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from tray.adapters.choosing import system_of
from tray.core.events import AwayEnded, AwayStarted, Event
from tray.core.model import Away

log = logging.getLogger(__name__)

LOGIN1 = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"
SCREENSAVERS = (("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
                ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"))


@dataclass(frozen=True)
class Capabilities:
    """What this port can watch on a system: lock and sleep come from logind and the
    ScreenSaver on D-Bus, which only Linux desktops have."""

    can_watch: bool


def capabilities(platform: str = sys.platform) -> Capabilities:
    """This system's (`platform`: a `sys.platform` value); pure."""
    return Capabilities(can_watch=system_of(platform) == "linux")


def event_for(interface: str, member: str, body: tuple[Any, ...],
              now: datetime) -> Event | None:
    """Pure: the engine event a D-Bus signal means, if any."""
    if interface == f"{LOGIN1}.Manager" and member == "PrepareForSleep" and body:
        return AwayStarted(Away.ASLEEP, now) if body[0] else AwayEnded(Away.ASLEEP)
    if interface == f"{LOGIN1}.Session" and member in ("Lock", "Unlock"):
        return AwayStarted(Away.LOCKED, now) if member == "Lock" else AwayEnded(Away.LOCKED)
    if member == "ActiveChanged" and interface.endswith("ScreenSaver") and body:
        return AwayStarted(Away.LOCKED, now) if body[0] else AwayEnded(Away.LOCKED)
    return None


class LockAndSleep(Protocol):
    """The port: lock and sleep as AwayStarted/AwayEnded (LOCKED, ASLEEP) posted to the engine.
    Made and started on `pointbreak-start`, stopped at quit."""

    watching: list[str]  # what is watched ("logind", "screensaver"), after `start`

    def start(self) -> None:
        """Subscribe to every source that answers here; one that does not is logged and left
        out (never raises for it). Blocks for the subscriptions (D-Bus round trips of at most
        5 s each). Its signals are read and posted on `pointbreak-session-watch`."""
        ...

    def stop(self) -> None:
        """Stop watching (at quit, on the thread that quits): nothing is posted after it.
        Idempotent; never blocks; a bus already gone is no error."""
        ...


class SessionWatcher:
    def __init__(self, post: Callable[[Event], None],
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._post = post
        self._now = now
        self.watching: list[str] = []
        self._routers: list[Any] = []

    def start(self) -> None:
        for name, start in (("logind", self._logind), ("screensaver", self._screensaver)):
            try:
                start()
                self.watching.append(name)
            except Exception as error:  # a missing service is normal: say which, go on
                log.info("lock/sleep: %s is not watched: %s", name, error)
        log.info("lock/sleep: watching %s", ", ".join(self.watching) or "nothing (the clock "
                 "watchdog still sees sleeps)")

    def stop(self) -> None:
        for router in self._routers:
            router.close()  # its listener ends

    def _router(self, bus: str) -> Any:
        from tray.adapters.bus import Router

        router = Router(bus)
        self._routers.append(router)
        return router

    def _subscribe(self, router: Any, rules: list[dict[str, str]]) -> None:
        """Ask the bus for these signals (by the service's well-known name) and catch them
        here (by everything but the sender: locally a signal carries the unique name)."""
        from queue import Queue

        from jeepney import MatchRule, message_bus
        from jeepney.io.threading import Proxy

        queue: Queue[Any] = Queue(maxsize=64)
        for rule in rules:
            Proxy(message_bus, router, timeout=5).AddMatch(MatchRule(type="signal", **rule))
            local = {k: v for k, v in rule.items() if k != "sender"}
            router.filter(MatchRule(type="signal", **local), queue=queue)
        threading.Thread(target=self._listen, args=(router, queue), daemon=True,
                         name="pointbreak-session-watch").start()

    def _logind(self) -> None:
        from jeepney import DBusAddress, new_method_call

        router = self._router("SYSTEM")
        manager = DBusAddress(LOGIN1_PATH, bus_name=LOGIN1, interface=f"{LOGIN1}.Manager")
        session_id = os.environ.get("XDG_SESSION_ID")
        call = (new_method_call(manager, "GetSession", "s", (session_id,)) if session_id
                else new_method_call(manager, "GetSessionByPID", "u", (os.getpid(),)))
        reply = router.send_and_get_reply(call, timeout=5)
        session = str(reply.body[0]) if reply.body and str(reply.body[0]).startswith("/") \
            else None
        rules = [{"sender": LOGIN1, "interface": f"{LOGIN1}.Manager",
                  "member": "PrepareForSleep", "path": LOGIN1_PATH}]
        if session is None:
            log.info("lock/sleep: this process's login session is unknown; any session's "
                     "Lock counts")
        for member in ("Lock", "Unlock"):
            rule = {"sender": LOGIN1, "interface": f"{LOGIN1}.Session", "member": member}
            if session:
                rule["path"] = session
            rules.append(rule)
        self._subscribe(router, rules)

    def _screensaver(self) -> None:
        router = self._router("SESSION")
        self._subscribe(router, [{"sender": name, "interface": name, "member": "ActiveChanged",
                                  "path": path} for name, path in SCREENSAVERS])

    def _listen(self, router: Any, queue: Any) -> None:
        from jeepney import HeaderFields

        from tray.adapters.bus import LOST, Ended

        while True:
            message = queue.get()
            if isinstance(message, Ended):
                if message is LOST:  # the thread's edge: it stopped watching
                    log.error("lock/sleep: the %s bus went away (%s); what it told is no "
                              "longer watched", router.bus.lower(), router.lost)
                return
            try:
                fields = message.header.fields
                event = event_for(str(fields.get(HeaderFields.interface, "")),
                                  str(fields.get(HeaderFields.member, "")),
                                  tuple(message.body), self._now())
            except Exception:  # the thread's edge: a malformed signal
                log.warning("a lock/sleep signal could not be read; still watching",
                            exc_info=True)
                continue
            if event is not None:
                self._post(event)


if TYPE_CHECKING:  # mypy holds the watcher to the port's Protocol
    _SESSION_WATCHER: type[LockAndSleep] = SessionWatcher
