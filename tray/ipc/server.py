"""The tray's side of the control channel: ControlServer, the thread that accepts connections
(one selector on Unix, a named-pipe loop on Windows), checks each peer's key and answers its
request. The messages and the framing are in tray.ipc.protocol."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any

from tray.base.i18n import _
from tray.ipc.client import _answers
from tray.ipc.commands import BadRequest, Reply, Request, parse_request
from tray.ipc.protocol import (
    GREETING,
    IS_WINDOWS,
    MAX_MESSAGE,
    AlreadyRunning,
    _frame,
    _mac,
    _receive,
    _same,
    _TooLong,
    _unframe,
    address,
    key_path,
    prepare_runtime,
)

log = logging.getLogger(__name__)

DEADLINE_SECONDS = 3.0   # for a peer's whole part of an exchange
MAX_WAITING = 256  # connections waiting for their peer; past it the oldest is closed


def _write_key(runtime: Path) -> bytes:
    key = os.urandom(32)
    path = key_path(runtime)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(key.hex().encode())
    os.replace(temporary, path)
    return key



class ControlServer:
    """Serves the channel on one thread, `pointbreak-control`; each request that passed the
    key check is answered on a thread of its own, `pointbreak-control-answer`.

    Every connection has one deadline for the peer's whole part (the key and the request):
    a peer that is silent or sends a byte a second is closed when it passes, however it
    trickles. Connections waiting for their peer cost a file descriptor and a few bytes; when
    too many wait at once, the oldest is closed, so a flood can never keep out a command
    that answers at once. `handle` runs on the answer thread; it must only post to the
    engine (or ask it with a timeout) and return a Reply.
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
        until = time.monotonic() + DEADLINE_SECONDS  # one wait for them all, not one each
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
                for key, _events in selector.select(timeout):
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
                sock, _address = self._listener.accept()
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
            peer = _Peer(sock, time.monotonic() + DEADLINE_SECONDS, os.urandom(32))
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
            sock.settimeout(DEADLINE_SECONDS)
            sock.sendall(_frame(json.dumps(reply.to_json()).encode("utf-8")))
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
            return Reply.refused(str(error))
        try:
            return self._handle(request)
        except Exception as error:  # the thread's edge: log and answer
            log.exception("control channel: %s failed", request.command)
            # TRANSLATORS: {command} is the command's name (snooze, pause, ...).
            return Reply.refused(_("{command} failed: {error}").format(
                command=request.command, error=error))

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
        deadline = time.monotonic() + DEADLINE_SECONDS
        try:
            challenge = os.urandom(32)
            conn.send_bytes(GREETING + challenge)
            if not _same(_receive(conn, 64, deadline), _mac(self._key, challenge)):
                conn.send_bytes(b"denied")
                log.warning("control channel: a peer without the key was refused")
                return
            conn.send_bytes(b"ok")
            reply = self._reply_to(_receive(conn, MAX_MESSAGE, deadline))
            conn.send_bytes(json.dumps(reply.to_json()).encode("utf-8"))
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
