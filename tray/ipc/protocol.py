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

The commands, their arguments, requests and replies are tray.ipc.commands.
"""

from __future__ import annotations

import getpass
import os
import struct
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

APP = "Pointbreak"
GREETING = b"pointbreak-control-1 "
MAX_MESSAGE = 4096
IS_WINDOWS = sys.platform == "win32"


class TrayNotRunning(Exception):
    """Nobody answers on the channel."""


class TrayNotAnswering(TrayNotRunning):
    """A tray is there but did not answer in time, or answered nonsense: it may still act."""


class AlreadyRunning(Exception):
    """Another tray of this user holds the channel."""


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


def instance_lock(runtime: Path) -> Path:
    """The lock a running tray holds (tray.base.lockfile), in the runtime folder."""
    return runtime / "tray.lock"


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
