"""The control channel: how `pointbreak <command>` and a second start talk to the running tray.

A per-user local channel: a Unix socket in the user's runtime folder (folder 0700, socket 0600)
or, on Windows, a named pipe whose name includes the user. `multiprocessing.connection` frames
the messages; every message is read with `recv_bytes(maxlength)` and parsed as JSON, never
unpickled. A peer proves it may talk with an HMAC of a fresh challenge, keyed by a secret kept
in a 0600 file beside the socket. Each connection is served on its own short-lived thread with a
deadline, so a silent or slow peer can never block the others.

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
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

GREETING = b"pointbreak-control-1 "
MAX_MESSAGE = 4096
DEADLINE_S = 3.0
MAX_PEERS = 64
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
        raise BadRequest(f"takes no arguments, got {sorted(args)}")
    return {}


def _minutes(low: int, high: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def check(args: dict[str, Any]) -> dict[str, Any]:
        if set(args) - {"minutes"}:
            raise BadRequest(f"takes only minutes, got {sorted(args)}")
        minutes = args.get("minutes")
        if minutes is None:
            return {}
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not low <= minutes <= high:
            raise BadRequest(f"minutes must be a whole number from {low} to {high}, "
                             f"got {minutes!r}")
        return {"minutes": minutes}
    return check


def _pause_args(args: dict[str, Any]) -> dict[str, Any]:
    if "until" in args:
        if set(args) != {"until"} or args["until"] != "tomorrow":
            raise BadRequest(f'until must be "tomorrow", alone; got {args!r}')
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
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BadRequest(f"not a JSON message ({error.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise BadRequest(f"a request is a JSON object, got {type(data).__name__}")
    if set(data) - {"command", "args"}:
        raise BadRequest(f"unknown fields {sorted(set(data) - {'command', 'args'})}")
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


def _family() -> str:
    return "AF_PIPE" if IS_WINDOWS else "AF_UNIX"


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
        return bytes.fromhex(key_path(runtime).read_text().strip())
    except (OSError, ValueError) as error:
        raise TrayNotRunning(f"no usable key in {key_path(runtime)}") from error


def prepare_runtime(runtime: Path) -> None:
    """Create the runtime folder private to this user (0700)."""
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not IS_WINDOWS:
        os.chmod(runtime, 0o700)


# --- the tray's side -----------------------------------------------------------------------


class ControlServer:
    """Accepts connections on one thread and serves each on its own, with a deadline.

    `handle` runs on the connection's thread; it must only post to the engine (or ask it with
    a timeout) and return a reply dict.
    """

    def __init__(self, runtime: Path, handle: Callable[[Request], Reply]) -> None:
        self.runtime = runtime
        self._handle = handle
        self._listener: Listener | None = None
        self._key = b""
        self._peers = threading.BoundedSemaphore(MAX_PEERS)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, name="pointbreak-control",
                                        daemon=True)

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
        self._listener = Listener(where, family=_family(), backlog=MAX_PEERS)
        if not IS_WINDOWS:
            os.chmod(where, 0o600)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        with contextlib.suppress(Exception):
            # Wake the blocking accept() with a connection of our own, then close.
            Client(address(self.runtime), family=_family()).close()
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.close()
        self._thread.join(2.0)

    def _accept_loop(self) -> None:
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
            if not self._peers.acquire(blocking=False):
                log.warning("control channel: too many peers at once; one refused")
                conn.close()
                continue
            threading.Thread(target=self._serve, args=(conn,), name="pointbreak-control-peer",
                             daemon=True).start()

    def _serve(self, conn: Connection) -> None:
        try:
            _bound_reads(conn, DEADLINE_S)
            challenge = os.urandom(32)
            conn.send_bytes(GREETING + challenge)
            answer = _receive(conn, 64)
            if not _same(answer, _mac(self._key, challenge)):
                conn.send_bytes(b"denied")
                log.warning("control channel: a peer without the key was refused")
                return
            conn.send_bytes(b"ok")
            raw = _receive(conn, MAX_MESSAGE)
            try:
                request = parse_request(raw)
            except BadRequest as error:
                log.warning("control channel: bad request: %s", error)
                reply: Reply = {"ok": False, "error": str(error)}
            else:
                try:
                    reply = self._handle(request)
                except Exception as error:  # the thread's edge: log and answer
                    log.exception("control channel: %s failed", request.command)
                    reply = {"ok": False, "error": f"{request.command} failed: {error}"}
            conn.send_bytes(json.dumps(reply).encode("utf-8"))
        except (OSError, EOFError) as error:
            log.info("control channel: peer dropped (%s)", error.__class__.__name__)
        finally:
            with contextlib.suppress(OSError):
                conn.close()
            self._peers.release()


def _bound_reads(conn: Connection, seconds: float) -> None:
    """Make every blocking read on this connection give up after `seconds` (Unix sockets)."""
    if IS_WINDOWS:
        return
    sock = socket.socket(fileno=os.dup(conn.fileno()))
    try:
        whole = int(seconds)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,
                        struct.pack("ll", whole, int((seconds - whole) * 1e6)))
    finally:
        sock.close()


def _receive(conn: Connection, limit: int) -> bytes:
    if not conn.poll(DEADLINE_S):
        raise TimeoutError("the peer said nothing in time")
    return conn.recv_bytes(limit)  # raises OSError past `limit`: never a huge read


# --- a command's side ----------------------------------------------------------------------


def send(runtime: Path, command: str, args: dict[str, Any] | None = None,
         timeout: float = 10.0) -> Reply:
    """Send one request to the running tray and return its reply. Raises TrayNotRunning."""
    where = address(runtime)
    if not IS_WINDOWS and not os.path.exists(where):
        raise TrayNotRunning(where)
    try:
        conn = Client(where, family=_family())
    except OSError as error:
        raise TrayNotRunning(f"{where}: {error}") from error
    try:
        _bound_reads(conn, timeout)
        greeting = _receive_client(conn, 128, timeout)
        if not greeting.startswith(GREETING):
            raise TrayNotRunning(f"{where} is not a Pointbreak tray")
        key = _read_key(runtime)
        conn.send_bytes(_mac(key, greeting[len(GREETING):]))
        if _receive_client(conn, 16, timeout) != b"ok":
            raise TrayNotRunning(f"the tray refused this key ({key_path(runtime)})")
        conn.send_bytes(json.dumps({"command": command, "args": args or {}}).encode())
        reply = json.loads(_receive_client(conn, 1 << 20, timeout))
        if not isinstance(reply, dict):
            raise TrayNotRunning("the tray's reply was not an object")
        return reply
    except (OSError, EOFError, ValueError) as error:
        raise TrayNotAnswering(f"{where}: {error.__class__.__name__}: {error}") from error
    finally:
        conn.close()


def _receive_client(conn: Connection, limit: int, timeout: float) -> bytes:
    if not conn.poll(timeout):
        raise TimeoutError("the tray did not answer in time")
    return conn.recv_bytes(limit)


def _answers(runtime: Path) -> bool:
    try:
        return bool(send(runtime, "ping", timeout=2.0).get("ok"))
    except TrayNotRunning:
        return False
