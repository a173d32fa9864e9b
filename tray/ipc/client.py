"""A command's side of the control channel: ask() is what `pointbreak <command>`, a second
start and the windows use to talk to the running tray (a typed Request in, a typed Reply out);
is_running() and instance_lock() say whether a tray holds this user's instance lock."""

from __future__ import annotations

import os
import socket
import struct
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tray.base import guard
from tray.base.i18n import _
from tray.base.lockfile import is_held
from tray.ipc.commands import Command, Reply, Request
from tray.ipc.protocol import (  # instance_lock: kept here for the callers of this module
    APP,
    GREETING,
    IS_WINDOWS,
    TrayNotAnswering,
    TrayNotRunning,
    _mac,
    address,
    instance_lock,
    key_path,
)

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


def _read_key(runtime: Path) -> bytes:
    try:
        raw = guard.read_file(key_path(runtime), limit=256)
        return bytes.fromhex(guard.text_of(raw or b"").strip())
    except (guard.Refused, ValueError) as error:
        raise _unless_running(runtime, _("no usable key in {path}").format(
            path=key_path(runtime))) from error



def ask(runtime: Path, request: Request, timeout: float = 10.0) -> Reply:
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
            raise TrayNotAnswering(_("{app} is running but its control channel {where} does "
                                     "not answer ({error})").format(
                                         app=APP, where=where,
                                         error=error.__class__.__name__)) from error
        raise TrayNotRunning(f"{where}: {error}") from error
    try:
        _bound_reads(conn, timeout)
        greeting = _receive_client(conn, 128, deadline)
        if not greeting.startswith(GREETING):
            raise _unless_running(runtime, _("{where} is not a Pointbreak tray").format(
                where=where))
        key = _read_key(runtime)
        conn.send_bytes(_mac(key, greeting[len(GREETING):]))
        if _receive_client(conn, 16, deadline) != b"ok":
            raise _unless_running(runtime, _("the tray refused this key ({path})").format(
                path=key_path(runtime)))
        conn.send_bytes(request.to_json())
        reply = guard.parse_json(_receive_client(conn, 1 << 20, deadline))
        try:
            return Reply.from_json(reply)
        except ValueError as error:
            raise TrayNotAnswering(str(error)) from None
    except TrayNotRunning:
        raise
    except (OSError, EOFError, ValueError) as error:
        raise TrayNotAnswering(_("{app} did not answer in time or hung up ({where}: {error})")
                               .format(app=APP, where=where,
                                       error=error.__class__.__name__)) from error
    finally:
        conn.close()


def _connect(where: str, timeout: float) -> Connection:
    # multiprocessing (a few ms to import) only once there is a tray to talk to: `pointbreak
    # status` without one never needs it.
    if IS_WINDOWS:
        from multiprocessing.connection import Client

        return Client(where, family="AF_PIPE")
    deadline = time.monotonic() + timeout
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            sock.connect(where)
            sock.settimeout(None)  # blocking again: Connection reads the bare descriptor
            from multiprocessing.connection import Connection

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


def _receive_client(conn: Connection, limit: int, deadline: float) -> bytes:
    if not conn.poll(max(0.0, deadline - time.monotonic())):
        raise TimeoutError("the tray did not answer in time")
    return conn.recv_bytes(limit)


def _answers(runtime: Path) -> bool:
    try:
        return ask(runtime, Request(Command.PING), timeout=2.0).is_ok
    except TrayNotRunning:
        return False
