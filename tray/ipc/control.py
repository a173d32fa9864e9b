"""The control channel: how `pointbreak <command>` and a second start talk to the running tray.

A per-user local channel: a Unix socket in the user's runtime folder (folder 0700, socket 0600)
or, on Windows, a named pipe whose name includes the user. `multiprocessing.connection` frames
the messages; every message is read with `recv_bytes(maxlength)` and parsed as JSON, never
unpickled. A peer proves it may talk with an HMAC of a fresh challenge, keyed by a secret kept
in a 0600 file beside the socket. Each connection has one deadline for the
peer's whole part, and a flood of connections closes the oldest, so a silent, slow or
flooding peer can never keep the person's own commands out (ControlServer).

Protocol (all messages are framed byte strings):
    tray -> peer   b"pointbreak-control-1 " + 32 random bytes
    peer -> tray   HMAC-SHA256(key, those 32 bytes)
    tray -> peer   b"ok" (or b"denied", then it hangs up)
    peer -> tray   {"command": "snooze", "args": {"minutes": 10}}
    tray -> peer   {"ok": true, "message": "..."}   or   {"ok": false, "error": "..."}
"""

from __future__ import annotations

import contextlib
import getpass
import json
import logging
import os
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any

from tray.base import guard
from tray.base.lockfile import is_held

log = logging.getLogger(__name__)

APP = "Pointbreak"
GREETING = b"pointbreak-control-1 "
MAX_MESSAGE = 4096
DEADLINE_S = 3.0   # for a peer's whole part of an exchange
MAX_WAITING = 256  # connections waiting for their peer; past it the oldest is closed
IS_WINDOWS = sys.platform == "win32"

Reply = dict[str, Any]


class BadRequest(ValueError):
    """A message that is not a valid request; the text says what is wrong."""


class TrayNotRunning(Exception):
    """Nobody answers on the channel."""


class TrayNotAnswering(TrayNotRunning):
    """A tray is there but did not answer in time, or answered nonsense: it may still act."""


class AlreadyRunning(Exception):
    """Another tray of this user holds the channel."""


@dataclass(frozen=True)
class Request:
    command: str
    args: dict[str, Any] = field(default_factory=dict)


def _no_args(args: dict[str, Any]) -> dict[str, Any]:
    if args:
        raise BadRequest(f"takes no arguments, got {guard.shorten(', '.join(sorted(args)))}")
    return {}


def _minutes(low: int, high: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def check(args: dict[str, Any]) -> dict[str, Any]:
        if set(args) - {"minutes"}:
            raise BadRequest(f"takes only minutes, got {guard.shorten(', '.join(sorted(args)))}")
        minutes = args.get("minutes")
        if minutes is None:
            return {}
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not low <= minutes <= high:
            raise BadRequest(f"minutes must be a whole number from {low} to {high}, "
                             f"got {guard.shorten(repr(minutes))}")
        return {"minutes": minutes}
    return check


def _pause_args(args: dict[str, Any]) -> dict[str, Any]:
    if "until" in args:
        if set(args) != {"until"} or args["until"] != "tomorrow":
            raise BadRequest(f'until must be "tomorrow", alone; got {guard.shorten(repr(args))}')
        return {"until": "tomorrow"}
    return _minutes(1, 1440)(args)


COMMANDS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "ping": _no_args, "status": _no_args, "show": _no_args, "now": _no_args,
    "snooze": _minutes(1, 120), "skip": _no_args, "pause": _pause_args, "resume": _no_args,
    "quit": _no_args, "reload": _no_args, "forget": _no_args,
}


def parse_request(raw: bytes) -> Request:
    """Validate one request message. Raises BadRequest naming what is wrong."""
    try:
        data = guard.parse_json(raw, max_depth=4)
    except guard.Refused as error:
        raise BadRequest(f"not a usable JSON message: it {error}") from None
    if not isinstance(data, dict):
        raise BadRequest(f"a request is a JSON object, got {type(data).__name__}")
    if set(data) - {"command", "args"}:
        unknown = ", ".join(sorted(set(data) - {"command", "args"}))
        raise BadRequest(f"unknown fields {guard.shorten(unknown)}")
    command = data.get("command")
    if not isinstance(command, str) or command not in COMMANDS:
        is_short = isinstance(command, str) and len(command) < 40
        shown = command if is_short else type(command).__name__
        raise BadRequest(f"unknown command {shown!r}; known: {', '.join(sorted(COMMANDS))}")
    args = data.get("args", {})
    if not isinstance(args, dict):
        raise BadRequest(f"args must be a JSON object, got {type(args).__name__}")
    try:
        return Request(command, COMMANDS[command](args))
    except BadRequest as error:
        raise BadRequest(f"{command}: {error}") from None


# --- where ---------------------------------------------------------------------------------


def address(runtime: Path) -> str:
    if IS_WINDOWS:
        user = "".join(c if c.isalnum() else "_" for c in getpass.getuser())
        return rf"\\.\pipe\pointbreak-control-{user}"
    return str(runtime / "control.sock")


def key_path(runtime: Path) -> Path:
    return runtime / "control.key"


def _mac(key: bytes, challenge: bytes) -> bytes:
    # hmac (and OpenSSL behind it) is loaded on the first connection, not at start-up: the
    # tray idles for hours and most people never type a command.
    import hashlib
    import hmac

    return hmac.new(key, challenge, hashlib.sha256).digest()


def _same(a: bytes, b: bytes) -> bool:
    import hmac

    return hmac.compare_digest(a, b)


def _write_key(runtime: Path) -> bytes:
    key = os.urandom(32)
    path = key_path(runtime)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(key.hex().encode())
    os.replace(temporary, path)
    return key


def _read_key(runtime: Path) -> bytes:
    try:
        raw = guard.read_file(key_path(runtime), limit=256)
        return bytes.fromhex(guard.text_of(raw or b"").strip())
    except (guard.Refused, ValueError) as error:
        raise _unless_running(runtime, f"no usable key in {key_path(runtime)}") from error


def prepare_runtime(runtime: Path) -> None:
    """Create the runtime folder private to this user (0700)."""
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not IS_WINDOWS:
        os.chmod(runtime, 0o700)


# --- the tray's side -----------------------------------------------------------------------


class ControlServer:
    """Serves the channel on one thread, `pointbreak-control`; each request that passed the
    key check is answered on a thread of its own, `pointbreak-control-answer`.

    Every connection has one deadline for the peer's whole part (the key and the request):
    a peer that is silent or sends a byte a second is closed when it passes, however it
    trickles. Connections waiting for their peer cost a file descriptor and a few bytes; when
    too many wait at once, the oldest is closed, so a flood can never keep out a command
    that answers at once. `handle` runs on the answer thread; it must only post to the
    engine (or ask it with a timeout) and return a reply dict.
    """

    def __init__(self, runtime: Path, handle: Callable[[Request], Reply]) -> None:
        self.runtime = runtime
        self._handle = handle
        self._key = b""
        self._stopping = threading.Event()
        self._answers: set[threading.Thread] = set()
        self._answers_lock = threading.Lock()
        self._listener: Any = None
        self._thread = threading.Thread(
            target=self._pipe_loop if IS_WINDOWS else self._socket_loop,
            name="pointbreak-control", daemon=True)
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None

    def start(self) -> None:
        """Listen; cleans up a stale socket. Raises AlreadyRunning if a tray answers."""
        prepare_runtime(self.runtime)
        where = address(self.runtime)
        if not IS_WINDOWS and os.path.exists(where):
            if _answers(self.runtime):
                raise AlreadyRunning(where)
            log.info("removing a stale control socket %s", where)
            os.unlink(where)
        self._key = _write_key(self.runtime)
        if IS_WINDOWS:
            self._listener = Listener(where, family="AF_PIPE", backlog=MAX_WAITING)
        else:
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(where)
            os.chmod(where, 0o600)
            listener.listen(128)
            listener.setblocking(False)
            self._listener = listener
            self._wake_r, self._wake_w = socket.socketpair()
            self._wake_r.setblocking(False)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening; the answers under way are finished first (a quit's reply reaches
        the one who asked before the channel closes)."""
        self._stopping.set()
        if self._wake_w is not None:
            with contextlib.suppress(OSError):
                self._wake_w.send(b"x")
        elif IS_WINDOWS:
            with contextlib.suppress(Exception):  # wake the blocking accept()
                Client(address(self.runtime), family="AF_PIPE").close()
        self._thread.join(2.0)
        with self._answers_lock:
            answers = list(self._answers)
        until = time.monotonic() + DEADLINE_S  # one wait for them all, not one each
        for thread in answers:
            if thread is not threading.current_thread():
                thread.join(max(0.0, until - time.monotonic()))
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.close()
        if not IS_WINDOWS:
            with contextlib.suppress(OSError):
                os.unlink(address(self.runtime))

    # --- Unix: one thread, every connection non-blocking ------------------------------------

    def _socket_loop(self) -> None:
        import selectors

        assert self._listener is not None and self._wake_r is not None
        selector = selectors.DefaultSelector()
        selector.register(self._listener, selectors.EVENT_READ, None)
        selector.register(self._wake_r, selectors.EVENT_READ, None)
        waiting: dict[socket.socket, _Peer] = {}  # oldest first
        try:
            while not self._stopping.is_set():
                now = time.monotonic()
                timeout = (max(0.0, min(p.deadline for p in waiting.values()) - now)
                           if waiting else None)
                for key, _ in selector.select(timeout):
                    if key.fileobj is self._listener:
                        self._accept_all(selector, waiting)
                    elif key.fileobj is not self._wake_r:
                        peer = waiting.get(key.fileobj)  # type: ignore[call-overload]
                        if peer is None:  # closed earlier in this round (made room for one)
                            continue
                        if self._read(peer):
                            continue
                        selector.unregister(peer.sock)
                        del waiting[peer.sock]
                        if peer.request is not None:
                            self._answer_later(peer.sock, peer.request)
                        else:
                            peer.sock.close()
                now = time.monotonic()
                for peer in [p for p in waiting.values() if p.deadline <= now]:
                    log.info("control channel: a peer did not finish in time; closed")
                    self._drop(selector, waiting, peer)
        except Exception:  # the thread's edge: without it no command reaches the tray
            log.exception("control channel: the serving thread failed")
        finally:
            for peer in list(waiting.values()):
                peer.sock.close()
            selector.close()
            closing: list[Any] = [self._listener, self._wake_r, self._wake_w]
            for sock in closing:  # a dead loop must not leave clients queueing on its socket
                with contextlib.suppress(OSError, AttributeError):
                    sock.close()

    def _accept_all(self, selector: Any, waiting: dict[socket.socket, _Peer]) -> None:
        import selectors

        assert self._listener is not None
        while True:
            try:
                sock, _ = self._listener.accept()
            except BlockingIOError:
                return
            except OSError as error:  # out of file descriptors: make room, oldest first
                log.warning("control channel: accept failed (%s)", error)
                for peer in list(waiting.values())[: max(1, len(waiting) // 2)]:
                    self._drop(selector, waiting, peer)
                return
            if len(waiting) >= MAX_WAITING:
                oldest = next(iter(waiting.values()))
                self._drop(selector, waiting, oldest)
                self._warn_flood()
            sock.setblocking(False)
            peer = _Peer(sock, time.monotonic() + DEADLINE_S, os.urandom(32))
            try:
                sock.send(_frame(GREETING + peer.challenge))  # a fresh socket's buffer is empty
            except OSError:
                sock.close()
                continue
            waiting[sock] = peer
            selector.register(sock, selectors.EVENT_READ, None)

    def _drop(self, selector: Any, waiting: dict[socket.socket, _Peer], peer: _Peer) -> None:
        selector.unregister(peer.sock)
        del waiting[peer.sock]
        peer.sock.close()

    _flood_warned_at = 0.0

    def _warn_flood(self) -> None:
        now = time.monotonic()
        if now - self._flood_warned_at > 60:
            self._flood_warned_at = now
            log.warning("control channel: more than %s connections wait at once; the oldest "
                        "are closed", MAX_WAITING)

    def _read(self, peer: _Peer) -> bool:
        """Take what the peer sent; False when it is done with (a request, or hung up)."""
        try:
            data = peer.sock.recv(1 << 16)
        except BlockingIOError:
            return True
        except OSError:
            return False
        if not data:
            return False
        peer.buffer.extend(data)
        try:
            while (frame := _unframe(peer.buffer, MAX_MESSAGE)) is not None:
                if not peer.is_trusted:
                    if not _same(frame, _mac(self._key, peer.challenge)):
                        log.warning("control channel: a peer without the key was refused")
                        with contextlib.suppress(OSError):
                            peer.sock.send(_frame(b"denied"))
                        return False
                    peer.is_trusted = True
                    peer.sock.send(_frame(b"ok"))
                else:
                    peer.request = frame
                    return False
        except (_TooLong, OSError) as error:
            log.warning("control channel: a peer was closed (%s)", error)
            return False
        return True

    def _answer_later(self, sock: socket.socket, raw: bytes) -> None:
        thread = threading.Thread(target=self._answer, args=(sock, raw), daemon=True,
                                  name="pointbreak-control-answer")
        with self._answers_lock:
            self._answers.add(thread)
        thread.start()

    def _answer(self, sock: socket.socket, raw: bytes) -> None:
        try:
            reply = self._reply_to(raw)
            sock.setblocking(True)
            sock.settimeout(DEADLINE_S)
            sock.sendall(_frame(json.dumps(reply).encode("utf-8")))
        except OSError as error:
            log.info("control channel: the reply could not be sent (%s)", error)
        finally:
            sock.close()
            with self._answers_lock:
                self._answers.discard(threading.current_thread())

    def _reply_to(self, raw: bytes) -> Reply:
        try:
            request = parse_request(raw)
        except BadRequest as error:
            log.warning("control channel: bad request: %s", error)
            return {"ok": False, "error": str(error)}
        try:
            return self._handle(request)
        except Exception as error:  # the thread's edge: log and answer
            log.exception("control channel: %s failed", request.command)
            return {"ok": False, "error": f"{request.command} failed: {error}"}

    # --- Windows: a named pipe, a thread per connection ------------------------------------

    def _pipe_loop(self) -> None:
        """Pipe messages arrive whole, so a poll with what is left of the deadline before each
        read bounds the whole exchange."""
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                conn = self._listener.accept()
            except OSError:
                if self._stopping.is_set():
                    return
                log.exception("control channel: accept failed")
                continue
            if self._stopping.is_set():
                conn.close()
                return
            with self._answers_lock:
                is_full = len(self._answers) >= MAX_WAITING
            if is_full:  # a flood: the newest waits its turn in the pipe's queue no more
                log.warning("control channel: more than %s connections at once; one closed",
                            MAX_WAITING)
                conn.close()
                continue
            thread = threading.Thread(target=self._serve_pipe, args=(conn,), daemon=True,
                                      name="pointbreak-control-answer")
            with self._answers_lock:
                self._answers.add(thread)
            try:
                thread.start()
            except RuntimeError:  # no more threads: this one waits for none
                with self._answers_lock:
                    self._answers.discard(thread)
                conn.close()

    def _serve_pipe(self, conn: Connection) -> None:
        deadline = time.monotonic() + DEADLINE_S
        try:
            challenge = os.urandom(32)
            conn.send_bytes(GREETING + challenge)
            if not _same(_receive(conn, 64, deadline), _mac(self._key, challenge)):
                conn.send_bytes(b"denied")
                log.warning("control channel: a peer without the key was refused")
                return
            conn.send_bytes(b"ok")
            reply = self._reply_to(_receive(conn, MAX_MESSAGE, deadline))
            conn.send_bytes(json.dumps(reply).encode("utf-8"))
        except (OSError, EOFError) as error:
            log.info("control channel: peer dropped (%s)", error.__class__.__name__)
        finally:
            with contextlib.suppress(OSError):
                conn.close()
            with self._answers_lock:
                self._answers.discard(threading.current_thread())


@dataclass
class _Peer:
    sock: socket.socket
    deadline: float
    challenge: bytes
    buffer: bytearray = field(default_factory=bytearray)
    is_trusted: bool = False
    request: bytes | None = None


class _TooLong(Exception):
    pass


def _frame(payload: bytes) -> bytes:
    """multiprocessing.connection's framing: a 4-byte big-endian length, then the bytes."""
    return struct.pack("!i", len(payload)) + payload


def _unframe(buffer: bytearray, limit: int) -> bytes | None:
    """The first whole frame in `buffer` (taken out of it), or None while it is incomplete."""
    if len(buffer) < 4:
        return None
    (size,) = struct.unpack("!i", buffer[:4])
    if size < 0 or size > limit:  # -1 announces a frame over 2 GB
        raise _TooLong(f"a message longer than {limit} bytes")
    if len(buffer) < 4 + size:
        return None
    frame = bytes(buffer[4:4 + size])
    del buffer[:4 + size]
    return frame


def _receive(conn: Connection, limit: int, deadline: float) -> bytes:
    if not conn.poll(max(0.0, deadline - time.monotonic())):
        raise TimeoutError("the peer said nothing in time")
    return conn.recv_bytes(limit)  # raises OSError past `limit`: never a huge read


# --- a command's side ----------------------------------------------------------------------


def send(runtime: Path, command: str, args: dict[str, Any] | None = None,
         timeout: float = 10.0) -> Reply:
    """Send one request to the running tray and return its reply, all within `timeout`.

    Raises TrayNotRunning when no tray holds this user's instance lock, and TrayNotAnswering
    (a kind of TrayNotRunning) when one does but the exchange failed: it may be busy, starting
    or quitting, and may have acted on the request.
    """
    where = address(runtime)
    deadline = time.monotonic() + timeout
    try:
        conn = _connect(where, timeout)
    except OSError as error:
        if is_running(runtime):
            raise TrayNotAnswering(f"{APP} is running but its control channel {where} does "
                                   f"not answer ({error.__class__.__name__})") from error
        raise TrayNotRunning(f"{where}: {error}") from error
    try:
        _bound_reads(conn, timeout)
        greeting = _receive_client(conn, 128, deadline)
        if not greeting.startswith(GREETING):
            raise _unless_running(runtime, f"{where} is not a Pointbreak tray")
        key = _read_key(runtime)
        conn.send_bytes(_mac(key, greeting[len(GREETING):]))
        if _receive_client(conn, 16, deadline) != b"ok":
            raise _unless_running(runtime, f"the tray refused this key ({key_path(runtime)})")
        conn.send_bytes(json.dumps({"command": command, "args": args or {}}).encode())
        reply = guard.parse_json(_receive_client(conn, 1 << 20, deadline))
        if not isinstance(reply, dict):
            raise TrayNotAnswering("the tray's reply was not an object")
        return reply
    except TrayNotRunning:
        raise
    except (OSError, EOFError, ValueError) as error:
        raise TrayNotAnswering(f"{APP} did not answer in time or hung up ({where}: "
                               f"{error.__class__.__name__})") from error
    finally:
        conn.close()


def _connect(where: str, timeout: float) -> Connection:
    if IS_WINDOWS:
        return Client(where, family="AF_PIPE")
    deadline = time.monotonic() + timeout
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            sock.connect(where)
            sock.settimeout(None)  # blocking again: Connection reads the bare descriptor
            return Connection(sock.detach())
        except BlockingIOError:  # the tray's queue is full (EAGAIN): it is there, try again
            sock.close()
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.02)
        except OSError:
            sock.close()
            raise


def _bound_reads(conn: Connection, seconds: float) -> None:
    """Make every blocking read on this connection give up after `seconds` (Unix sockets);
    `_receive_client` bounds the whole exchange on top of it."""
    if IS_WINDOWS:
        return
    sock = socket.socket(fileno=os.dup(conn.fileno()))
    try:
        whole = int(seconds)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,
                        struct.pack("ll", whole, int((seconds - whole) * 1e6)))
    finally:
        sock.close()


def _unless_running(runtime: Path, message: str) -> TrayNotRunning:
    """What to raise when the peer is not the tray it should be: while a tray holds the lock,
    it may have acted (never take that for "not running": `now` would start a second session)."""
    return TrayNotAnswering(message) if is_running(runtime) else TrayNotRunning(message)


def is_running(runtime: Path) -> bool:
    """Whether a tray of this user runs, asked without disturbing it (its instance lock)."""
    return is_held(instance_lock(runtime))


def instance_lock(runtime: Path) -> Path:
    return runtime / "tray.lock"


def _receive_client(conn: Connection, limit: int, deadline: float) -> bytes:
    if not conn.poll(max(0.0, deadline - time.monotonic())):
        raise TimeoutError("the tray did not answer in time")
    return conn.recv_bytes(limit)


def _answers(runtime: Path) -> bool:
    try:
        return bool(send(runtime, "ping", timeout=2.0).get("ok"))
    except TrayNotRunning:
        return False
