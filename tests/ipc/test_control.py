"""The control channel against malformed and hostile peers: each refused, the tray still answers."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import socket
import struct
import tempfile
import threading
import time
from collections.abc import Iterator
from multiprocessing.connection import Client
from pathlib import Path

import pytest

from tray.core.choices import Pause, Snooze
from tray.ipc import client, protocol
from tray.ipc.commands import BadRequest, Command, Reply, Request, parse_request, request_from
from tray.ipc.protocol import AlreadyRunning, TrayNotRunning
from tray.ipc.server import DEADLINE_SECONDS, ControlServer


@pytest.fixture
def runtime() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="pb-", dir="/tmp")) / "run"
    yield folder


@pytest.fixture
def server(runtime: Path) -> Iterator[tuple[ControlServer, list[Request]]]:
    seen: list[Request] = []

    def handle(request: Request) -> Reply:
        seen.append(request)
        return Reply.done(f"did {request.command}")

    srv = ControlServer(runtime, handle)
    srv.start()
    try:
        yield srv, seen
    finally:
        srv.stop()


def still_answers(runtime: Path) -> None:
    assert client.ask(runtime, Request(Command.PING)).is_ok is True


def test_a_request_and_its_reply(server, runtime: Path) -> None:
    _, seen = server
    reply = client.ask(runtime, Request(Command.SNOOZE, Snooze(15)))
    assert reply == Reply.done("did snooze")
    assert seen == [Request(Command.SNOOZE, Snooze(15))]


def test_a_request_in_the_wires_shape_is_checked_as_the_tray_does(server, runtime: Path) -> None:
    """request_from(): the name and arguments as the wire has them, checked before anything is
    sent (the same check the tray makes of what it receives)."""
    _, seen = server
    wired = request_from({"command": "pause", "args": {"until": "tomorrow"}})
    assert client.ask(runtime, wired).to_json() == {"ok": True, "message": "did pause"}
    assert seen == [Request(Command.PAUSE, Pause(until_tomorrow=True))]
    with pytest.raises(BadRequest, match="snooze: minutes must be a whole number from 1 to 120"):
        client.ask(runtime, request_from({"command": "snooze", "args": {"minutes": 0}}))
    assert len(seen) == 1


def test_the_socket_and_key_are_private(server, runtime: Path) -> None:
    assert (runtime.stat().st_mode & 0o777) == 0o700
    assert (os.stat(protocol.address(runtime)).st_mode & 0o777) == 0o600
    assert (protocol.key_path(runtime).stat().st_mode & 0o777) == 0o600


def frame(payload: bytes) -> bytes:
    return struct.pack("!i", len(payload)) + payload


def raw_session(runtime: Path, key: bytes | None = None) -> socket.socket:
    """A hand-made peer: connects, reads the greeting, answers it (with `key`, or the real one)."""
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(10)
    sock.connect(protocol.address(runtime))
    size = struct.unpack("!i", sock.recv(4))[0]
    greeting = b""
    while len(greeting) < size:
        greeting += sock.recv(size - len(greeting))
    import hashlib
    import hmac
    real = bytes.fromhex(protocol.key_path(runtime).read_text())
    digest = hmac.new(key or real, greeting[len(protocol.GREETING):], hashlib.sha256).digest()
    sock.sendall(frame(digest))
    return sock


def read_frame(sock: socket.socket) -> bytes:
    head = b""
    while len(head) < 4:
        chunk = sock.recv(4 - len(head))
        if not chunk:
            return b""
        head += chunk
    size = struct.unpack("!i", head)[0]
    body = b""
    while len(body) < size:
        chunk = sock.recv(size - len(body))
        if not chunk:
            break
        body += chunk
    return body


def send_raw(runtime: Path, payload: bytes) -> dict:
    sock = raw_session(runtime)
    try:
        assert read_frame(sock) == b"ok"
        sock.sendall(frame(payload))
        return json.loads(read_frame(sock))
    finally:
        sock.close()


class Boom:
    def __reduce__(self):
        return (os.system, ("touch /tmp/pointbreak-pwned",))


HOSTILE = {
    "not-json": b"garbage",
    "empty": b"",
    "invalid-utf8": b"\xff\xfe\x00",
    "json-list": b"[1, 2, 3]",
    "json-string": b'"status"',
    "json-number": b"42",
    "json-null": b"null",
    "unknown-command": b'{"command": "format-disk"}',
    "command-not-string": b'{"command": 7}',
    "no-command": b'{"args": {}}',
    "args-not-object": b'{"command": "snooze", "args": [10]}',
    "extra-field": b'{"command": "status", "sudo": true}',
    "snooze-zero": b'{"command": "snooze", "args": {"minutes": 0}}',
    "snooze-huge": b'{"command": "snooze", "args": {"minutes": 100000}}',
    "snooze-text": b'{"command": "snooze", "args": {"minutes": "ten"}}',
    "snooze-bool": b'{"command": "snooze", "args": {"minutes": true}}',
    "snooze-float": b'{"command": "snooze", "args": {"minutes": 10.5}}',
    "pause-yesterday": b'{"command": "pause", "args": {"until": "yesterday"}}',
    "status-with-args": b'{"command": "status", "args": {"x": 1}}',
    "deep-nesting": b"[" * 2000 + b"]" * 2000,
    "pickle": pickle.dumps(Boom()),
}


@pytest.mark.parametrize("name", list(HOSTILE), ids=list(HOSTILE))
def test_a_malformed_request_gets_an_error_reply(server, runtime: Path, name: str) -> None:
    _, seen = server
    reply = send_raw(runtime, HOSTILE[name])
    assert reply["ok"] is False and reply["error"]
    assert seen == []  # nothing reached the tray's handler
    assert not Path("/tmp/pointbreak-pwned").exists()  # and nothing was unpickled
    still_answers(runtime)


def test_a_huge_payload_is_cut_off_unread(server, runtime: Path) -> None:
    sock = raw_session(runtime)
    assert read_frame(sock) == b"ok"
    # The tray may hang up before reading it all: that is the point.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        sock.sendall(frame(b"x" * (8 << 20)))
    sock.close()
    still_answers(runtime)


def test_a_peer_without_the_key_is_refused(server, runtime: Path) -> None:
    _, seen = server
    sock = raw_session(runtime, key=b"\x00" * 32)
    assert read_frame(sock) == b"denied"
    sock.close()
    key = protocol.key_path(runtime)
    real = key.read_text()
    key.write_text("00" * 32)  # a client holding the wrong key gets a clear error
    with pytest.raises(TrayNotRunning, match="refused this key"):
        client.ask(runtime, Request(Command.STATUS))
    key.write_text(real)
    assert seen == []
    still_answers(runtime)


def test_silent_peers_do_not_block_the_others(server, runtime: Path) -> None:
    silent = []
    for _ in range(10):
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(protocol.address(runtime))
        silent.append(sock)  # connects and says nothing
    started = time.monotonic()
    still_answers(runtime)
    assert time.monotonic() - started < DEADLINE_SECONDS  # served while they wait
    for sock in silent:
        sock.close()


def test_a_peer_that_stalls_mid_message_is_dropped(server, runtime: Path) -> None:
    sock = raw_session(runtime)
    assert read_frame(sock) == b"ok"
    sock.sendall(struct.pack("!i", 100) + b'{"comm')  # promises 100 bytes, sends 6
    still_answers(runtime)
    sock.settimeout(DEADLINE_SECONDS + 5)
    assert sock.recv(1) == b""  # the tray hung up on it after its deadline
    sock.close()


def test_a_peer_speaking_another_protocol_is_dropped(server, runtime: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.connect(protocol.address(runtime))
    sock.sendall(b"GET / HTTP/1.0\r\n\r\n")
    sock.close()
    still_answers(runtime)


def test_many_peers_at_once(server, runtime: Path) -> None:
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(
        client.ask(runtime, Request(Command.STATUS)).is_ok)) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert results == [True] * 30


def test_a_second_server_finds_the_first(server, runtime: Path) -> None:
    with pytest.raises(AlreadyRunning):
        ControlServer(runtime, lambda r: Reply.done("")).start()
    still_answers(runtime)


def test_a_stale_socket_is_cleaned_up(runtime: Path) -> None:
    protocol.prepare_runtime(runtime)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(protocol.address(runtime))  # bound, never listening: as a killed tray leaves it
    stale.close()
    assert os.path.exists(protocol.address(runtime))
    with pytest.raises(TrayNotRunning):
        client.ask(runtime, Request(Command.STATUS))
    srv = ControlServer(runtime, lambda r: Reply.done("fresh"))
    srv.start()
    try:
        assert client.ask(runtime, Request(Command.STATUS)).text == "fresh"
    finally:
        srv.stop()


def test_no_tray_means_tray_not_running(runtime: Path) -> None:
    with pytest.raises(TrayNotRunning):
        client.ask(runtime, Request(Command.STATUS))


def test_a_handler_that_fails_gives_an_error_reply(runtime: Path) -> None:
    def broken(request: Request) -> Reply:
        raise RuntimeError("engine on fire")

    srv = ControlServer(runtime, broken)
    srv.start()
    try:
        reply = client.ask(runtime, Request(Command.STATUS))
        assert reply.is_ok is False and "engine on fire" in reply.text
        assert client.ask(runtime, Request(Command.PING)).is_ok is False  # still serving
    finally:
        srv.stop()


@pytest.mark.parametrize(("raw", "expected"), [
    (b'{"command": "pause"}', Request(Command.PAUSE, Pause())),
    (b'{"command": "pause", "args": {"minutes": 90}}', Request(Command.PAUSE, Pause(90))),
    (b'{"command": "pause", "args": {"until": "tomorrow"}}',
     Request(Command.PAUSE, Pause(until_tomorrow=True))),
    (b'{"command": "snooze", "args": {}}', Request(Command.SNOOZE, Snooze())),
    (b'{"command": "snooze", "args": {"minutes": 120}}', Request(Command.SNOOZE, Snooze(120))),
    (b'{"command": "now"}', Request(Command.NOW)),
], ids=["pause", "pause-90", "pause-tomorrow", "snooze-default", "snooze-120", "now"])
def test_valid_requests_parse(raw: bytes, expected: Request) -> None:
    assert parse_request(raw) == expected


def test_the_client_library_is_not_used_with_pickles(server, runtime: Path) -> None:
    # multiprocessing's Connection.send() pickles; a peer that uses it is refused like any other.
    conn = Client(protocol.address(runtime), family="AF_UNIX")
    conn.recv_bytes()
    conn.send({"command": "status"})  # a pickle, and no key
    assert conn.recv_bytes() == b"denied"
    conn.close()
    still_answers(runtime)


def test_the_pauses_offered_go_over_the_wire_as_before() -> None:
    from tray.base import words
    from tray.core.choices import PAUSE_CHOICES
    from tray.ipc.commands import COMMANDS

    assert [(words.pause_label(c), COMMANDS[Command.PAUSE].write(c)) for c in PAUSE_CHOICES] == [
        ("30 min", {"minutes": 30}), ("1 hour", {"minutes": 60}), ("2 hours", {"minutes": 120}),
        ("Until tomorrow", {"until": "tomorrow"}), ("Until resumed", {})]
