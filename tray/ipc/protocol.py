"""The control channel's protocol: how `pointbreak <command>` and a second start talk to the
running tray (served by tray.ipc.server, spoken by tray.ipc.client).

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

import getpass
import os
import struct
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from tray.base import guard

APP = "Pointbreak"
GREETING = b"pointbreak-control-1 "
MAX_MESSAGE = 4096
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


def prepare_runtime(runtime: Path) -> None:
    """Create the runtime folder private to this user (0700)."""
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not IS_WINDOWS:
        os.chmod(runtime, 0o700)



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
