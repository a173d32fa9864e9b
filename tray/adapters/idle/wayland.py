"""Idle time from a Wayland compositor, as events: a small client of the Wayland wire protocol
in the standard library alone (no libwayland, no pywayland).

It binds `wl_seat` and `ext_idle_notifier_v1` (KWin 5.27+, sway 1.8+), else `org_kde_kwin_idle`
(sway 1.7, older KWin), and asks one idle notification per `watch`: the compositor says
"idled" once there was no input for that long and "resumed" at the next input. It never says
how long a person has been idle, and its timer counts from the notification's creation (idle
time before it is unknown). GNOME's Mutter offers neither: there `mutter` reads idle time.

Every read is bounded (a message is at most 4096 bytes; its size field, its strings and its
arguments are checked; a round trip has a deadline), so a broken or hostile compositor ends
this reader with a WaylandError, never the tray. The events are read on `pointbreak-wayland-idle`;
a protocol error or the end of the connection stops it, logged once as an error (the idle
port's way of telling a stopped detector), and its watches are told through `ended`.
"""

from __future__ import annotations

import logging
import os
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field

from tray.base.i18n import _

log = logging.getLogger(__name__)

MAX_MESSAGE = 4096  # libwayland's limit for one message, header included
DISPLAY = 1  # wl_display, the one object that exists from the start
SETUP_SECONDS = 3.0  # the registry, the binds and their round trips, all told
READING_SECONDS = 2.0  # one round trip for a reading
WORD = struct.Struct("=I")  # the wire is in the host's byte order
HEADER = struct.Struct("=II")  # object id, (size << 16) | opcode

# Where a notification is asked, and the argument order of each (seat and timeout swap).
NOTIFIERS = ("ext_idle_notifier_v1", "org_kde_kwin_idle")


class WaylandError(OSError):
    """The compositor broke the protocol, reported an error, went silent or went away."""


def socket_path(env: Mapping[str, str] = os.environ) -> str:
    """$WAYLAND_DISPLAY if it is a path, else under $XDG_RUNTIME_DIR (libwayland's rule)."""
    name = env.get("WAYLAND_DISPLAY") or "wayland-0"
    if os.path.isabs(name):
        return name
    runtime = env.get("XDG_RUNTIME_DIR")
    if not runtime:
        raise WaylandError(_("XDG_RUNTIME_DIR is not set, so the Wayland socket cannot be found"))
    return os.path.join(runtime, name)


def uint(value: int) -> bytes:
    return WORD.pack(value & 0xFFFFFFFF)


def string(text: str) -> bytes:
    data = text.encode() + b"\0"
    return uint(len(data)) + data + b"\0" * (-len(data) % 4)


class Arguments:
    """An event's arguments read in order, each read checked against the message's end."""

    def __init__(self, payload: bytes) -> None:
        self._payload, self._at = payload, 0

    def uint(self) -> int:
        if self._at + 4 > len(self._payload):
            raise WaylandError(_("the compositor sent a message shorter than its arguments"))
        (value,) = WORD.unpack_from(self._payload, self._at)
        self._at += 4
        return int(value)

    def string(self) -> str:
        length = self.uint()  # with its NUL; 0 is a null string
        end = self._at + length + (-length % 4)
        if length > len(self._payload) or end > len(self._payload):
            raise WaylandError(_("the compositor sent a string of {length} bytes in a message of "
                                 "{value}").format(
                length=length, value=len(self._payload) + 8))
        text = self._payload[self._at:self._at + max(0, length - 1)]
        self._at = end
        return text.decode(errors="replace")


Handler = Callable[[int, Arguments], None]  # (opcode, arguments)


class Connection:
    """One client connection: requests out, events in and to their objects' handlers. Sending
    may happen on any thread; reading on one thread at a time."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path or socket_path()
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.sock.settimeout(SETUP_SECONDS)
            self.sock.connect(self.path)
        except OSError as error:
            self.sock.close()
            raise WaylandError(_("no Wayland compositor at {path}: {error}").format(
                path=self.path, error=error)) from error
        self._buffer = b""
        self._next_id = 2
        # A new id must be the next one on the wire too (libwayland refuses one out of turn,
        # "invalid arguments"): hold this from taking an id until its request is sent.
        self.sending = threading.RLock()
        self.handlers: dict[int, Handler] = {DISPLAY: self._on_display}
        self.globals: dict[str, tuple[int, int]] = {}  # interface -> (name, version)
        self.registry = 0

    def new_id(self) -> int:
        with self.sending:
            self._next_id += 1
            return self._next_id - 1

    def send(self, target: int, opcode: int, *arguments: bytes) -> None:
        payload = b"".join(arguments)
        with self.sending:
            try:  # never waits: a compositor that reads nothing must not hold a thread here
                self.sock.sendall(HEADER.pack(target, (8 + len(payload)) << 16 | opcode)
                                  + payload, socket.MSG_DONTWAIT)
            except BlockingIOError as error:
                raise WaylandError(_("the compositor reads nothing it is sent")) from error
            except OSError as error:
                raise WaylandError(_("the compositor went away: {error}").format(
                    error=error)) from error

    def _on_display(self, opcode: int, args: Arguments) -> None:
        if opcode == 0:  # error(object_id object, uint code, string message)
            target, code, message = args.uint(), args.uint(), args.string()
            raise WaylandError(_("the compositor reported a protocol error on object {target}, "
                                 "code {code}: {message}").format(
                target=target, code=code, message=message))
        if opcode != 1:  # 1: delete_id(uint id); ids are never reused here
            raise WaylandError(_("the compositor sent wl_display an unknown event {opcode}").format(
                opcode=opcode))

    def read(self, timeout: float | None) -> bool:
        """Read once (at most `timeout` seconds; None: until something comes) and dispatch every
        whole message; False when nothing came in time."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(MAX_MESSAGE)
        except TimeoutError:
            return False
        except OSError as error:
            raise WaylandError(_("the connection to the compositor failed: {error}").format(
                error=error)) from error
        if not data:
            raise WaylandError(_("the compositor closed the connection"))
        self._buffer += data  # at most two messages' worth: a whole one is taken out below
        while len(self._buffer) >= 8:
            target, word = HEADER.unpack_from(self._buffer)
            size, opcode = word >> 16, word & 0xFFFF
            if size < 8 or size % 4 or size > MAX_MESSAGE:
                raise WaylandError(_("the compositor sent a malformed message (size "
                                     "{size})").format(size=size))
            if len(self._buffer) < size:
                break
            payload, self._buffer = self._buffer[8:size], self._buffer[size:]
            handler = self.handlers.get(target)
            if handler is not None:  # else an object this client let go of: its late events
                handler(opcode, Arguments(payload))
        return True

    def roundtrip(self, deadline: float) -> None:
        """wl_display.sync, reading until its `done` (so every earlier event came first);
        only while no other thread reads."""
        done = threading.Event()
        with self.sending:
            callback = self.new_id()
            self.handlers[callback] = lambda _opcode, _args: done.set()
            self.send(DISPLAY, 0, uint(callback))
        while not done.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                raise WaylandError(_("the compositor did not answer in time"))
            self.read(left)
        del self.handlers[callback]

    def get_registry(self, deadline: float) -> None:
        def on_registry(opcode: int, args: Arguments) -> None:
            if opcode == 0:  # global(uint name, string interface, uint version)
                name, interface, version = args.uint(), args.string(), args.uint()
                if len(self.globals) < 256 and interface not in self.globals:
                    self.globals[interface] = (name, version)
            elif opcode != 1:  # 1: global_remove(uint name); a seat unplugged, say
                raise WaylandError(_("the compositor sent wl_registry an unknown event "
                                     "{opcode}").format(opcode=opcode))
        with self.sending:
            self.registry = self.new_id()
            self.handlers[self.registry] = on_registry
            self.send(DISPLAY, 1, uint(self.registry))
        self.roundtrip(deadline)

    def bind(self, interface: str, version: int) -> tuple[int, int]:
        """Bind the global (at most `version`): (its id, the version bound); (0, 0) if absent."""
        if interface not in self.globals:
            return 0, 0
        name, offered = self.globals[interface]
        bound = max(1, min(version, offered))
        with self.sending:
            oid = self.new_id()
            self.handlers[oid] = _ignore
            self.send(self.registry, 0, uint(name), string(interface), uint(bound), uint(oid))
        return oid, bound

    def close(self) -> None:
        with suppress(OSError):
            self.sock.close()


def _ignore(_opcode: int, _args: Arguments) -> None:
    """A seat's capabilities and name: not needed."""


@dataclass
class _Watch:
    seconds: float
    idled: Callable[[], None]
    resumed: Callable[[], None]
    ended: Callable[[str], None]
    idled_at: float | None = field(default=None)  # time.monotonic() of the last "idled"


class WaylandIdle:
    """The idle port's event-driven reader (`is_event_driven`): `watch` calls back; a reading
    is what the watches know, a lower bound (see `idle_seconds`)."""

    name = "wayland"
    is_event_driven = True

    def __init__(self, path: str | None = None) -> None:
        connection = Connection(path)
        try:
            deadline = time.monotonic() + SETUP_SECONDS
            connection.get_registry(deadline)
            self._seat, _version = connection.bind("wl_seat", 1)
            if not self._seat:
                raise WaylandError(_("the compositor offers no wl_seat"))
            for interface in NOTIFIERS:
                self._notifier, version = connection.bind(interface, 1)
                if self._notifier:
                    self.protocol, self.detail = interface, f"{interface} v{version}"
                    break
            else:
                raise WaylandError(_("the compositor offers no idle protocol (neither "
                                   "ext_idle_notifier_v1 nor org_kde_kwin_idle)"))
            connection.roundtrip(deadline)  # a refused bind is an error before this returns
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        self._watches: dict[int, _Watch] = {}
        self._lock = threading.Lock()
        self._ended: str | None = None
        self._closing = False
        self._syncs: set[threading.Event] = set()  # readings waiting for their round trip
        self._thread = threading.Thread(target=self._read_events,
                                        name="pointbreak-wayland-idle", daemon=True)
        self._thread.start()

    def watch(self, seconds: float, idled: Callable[[], None], resumed: Callable[[], None],
              ended: Callable[[str], None]) -> None:
        """Call `idled` once there was no input for `seconds` (counted from now at the
        earliest), `resumed` at the next input after it, `ended(why)` if the reader stops;
        each on `pointbreak-wayland-idle`. Raises OSError if it has stopped already."""
        milliseconds = min(0xFFFFFFFF, max(1, round(seconds * 1000)))
        connection = self._connection
        with connection.sending:
            oid = connection.new_id()
            with self._lock:
                if self._ended is not None:
                    raise WaylandError(self._ended)
                self._watches[oid] = _Watch(seconds, idled, resumed, ended)
                connection.handlers[oid] = lambda op, _args: self._on_notification(oid, op)
            if self.protocol == "ext_idle_notifier_v1":  # get_idle_notification(id, ms, seat)
                connection.send(self._notifier, 1, uint(oid), uint(milliseconds),
                                uint(self._seat))
            else:  # org_kde_kwin_idle.get_idle_timeout(id, seat, ms)
                connection.send(self._notifier, 0, uint(oid), uint(self._seat),
                                uint(milliseconds))

    def _on_notification(self, oid: int, opcode: int) -> None:
        with self._lock:
            watch = self._watches[oid]
            if opcode not in (0, 1):
                raise WaylandError(_("the compositor sent {protocol}'s notification an unknown "
                                     "event {opcode}").format(
                    protocol=self.protocol, opcode=opcode))
            was_idle = watch.idled_at is not None
            watch.idled_at = time.monotonic() if opcode == 0 else None
        if opcode == 0 and not was_idle:
            watch.idled()
        elif opcode == 1 and was_idle:
            watch.resumed()

    def _read_events(self) -> None:
        why = "the reader stopped"
        try:
            while True:
                self._connection.read(None)
        except Exception as error:  # the end of this reader, whatever the compositor did
            why = str(error) if isinstance(error, OSError) else f"{error!r}"
        with self._lock:
            closing, self._ended = self._closing, why
            watches = list(self._watches.values())
            for waiting in self._syncs:
                waiting.set()
        self._connection.close()
        if closing:
            return
        log.error("idle time via Wayland (%s) stopped: %s; away from the keyboard is no longer "
                  "seen", self.detail, why)
        for watch in watches:
            watch.ended(why)

    def idle_seconds(self) -> float:
        """At least this many seconds since the last input, from the watches: the longest
        watch that has idled, plus the time since. 0 when none has (the truth is then below
        the shortest watch). One round trip first (at most 2 s), so a compositor gone or
        silent is an OSError now."""
        done = threading.Event()
        connection = self._connection
        callback = 0
        try:
            with connection.sending:
                callback = connection.new_id()
                with self._lock:
                    if self._ended is not None:
                        raise WaylandError(self._ended)
                    self._syncs.add(done)
                    connection.handlers[callback] = lambda _opcode, _args: done.set()
                connection.send(DISPLAY, 0, uint(callback))
            if not done.wait(READING_SECONDS):
                raise WaylandError(_("the compositor did not answer in time"))
        finally:
            with self._lock:
                self._syncs.discard(done)
            connection.handlers.pop(callback, None)
        now = time.monotonic()
        with self._lock:
            if self._ended is not None:
                raise WaylandError(self._ended)
            return max([w.seconds + now - w.idled_at for w in self._watches.values()
                        if w.idled_at is not None] or [0.0])

    def close(self) -> None:
        with self._lock:
            self._closing = True
        with suppress(OSError):  # wakes the reading thread, which closes the socket
            self._connection.sock.shutdown(socket.SHUT_RDWR)
