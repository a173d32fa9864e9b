"""A D-Bus connection for the ports that listen for signals (session, quiet's GNOME watcher,
notify): jeepney's thread-safe router, which also says when it ends.

jeepney's DBusRouter (jeepney.io.threading) may be used from any number of threads: sends take
the connection's lock, and one receiver thread of its own hands replies to their callers and
signals to the queues of `filter`. But when the bus goes away (dbus-daemon ends, the session
is torn down) its receiver thread dies of the ConnectionResetError, unseen by the port, and a
listener waiting on a queue waits for ever. `Router` ends every queue instead: CLOSED when it
is closed, LOST when the bus went away (`lost` then says why), so a listener ends, and a
detector can log that it stopped watching. (Its receiver override is checked by the ports'
contract suites, which make buses vanish under them.)
"""

from __future__ import annotations

import queue
import threading
from typing import Any

from jeepney.io.threading import DBusRouter, open_dbus_connection


class Ended:
    """What a filter's queue gets last: CLOSED or LOST."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


CLOSED, LOST = Ended("CLOSED"), Ended("LOST")


class Router(DBusRouter):  # type: ignore[misc]
    def __init__(self, bus: str) -> None:
        self.bus = bus  # "SESSION" or "SYSTEM"
        self._queues: list[queue.Queue[Any]] = []
        self.lost: BaseException | None = None  # why the bus went away, once it has
        self._close_lock = threading.Lock()
        self._is_closed = False
        super().__init__(open_dbus_connection(bus=bus))

    def filter(self, rule: Any, *, queue: queue.Queue[Any] | None = None,
               bufsize: int = 1) -> Any:
        handle = super().filter(rule, queue=queue, bufsize=bufsize)
        self._queues.append(handle.queue)
        return handle

    def _receiver(self) -> None:
        try:
            super()._receiver()  # returns when closed
            ended = CLOSED
        except Exception as error:  # the bus went away under it
            self.lost, ended = error, LOST
        for waiting in self._queues:
            _put_last(waiting, ended)

    def close(self) -> None:
        """Stop receiving and close the connection (waits for the receiver thread, which
        ends at once). Idempotent; never raises: a bus already gone is no error."""
        with self._close_lock:
            if self._is_closed:
                return
            self._is_closed = True
        try:
            super().close()
        except OSError:  # the connection is gone already
            pass
        finally:
            self.conn.close()


def _put_last(waiting: queue.Queue[Any], item: Ended) -> None:
    """Put `item` in a queue that may be full (of signals nobody reads any more)."""
    while True:
        try:
            waiting.put_nowait(item)
            return
        except queue.Full:
            try:
                waiting.get_nowait()
            except queue.Empty:
                continue
