"""The control channel under floods, slow peers and fuzzed messages; busy told from not running."""

from __future__ import annotations

import json
import os
import re
import socket
import struct
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tray.base.lockfile import InstanceLock
from tray.ipc import client, protocol
from tray.ipc.commands import COMMANDS, BadRequest, Command, Reply, Request, parse_request
from tray.ipc.server import MAX_WAITING, ControlServer


@pytest.fixture
def runtime() -> Iterator[Path]:
    yield Path(tempfile.mkdtemp(prefix="pb-", dir="/tmp")) / "run"


@pytest.fixture
def server(runtime: Path) -> Iterator[ControlServer]:
    srv = ControlServer(runtime, lambda request: Reply.done(request.command))
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def connect(runtime: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX)
    sock.connect(protocol.address(runtime))
    return sock


def frame(payload: bytes) -> bytes:
    return struct.pack("!i", len(payload)) + payload


def read_frame(sock: socket.socket) -> bytes:
    size = struct.unpack("!i", _exactly(sock, 4))[0]
    return _exactly(sock, size)


def _exactly(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def trusted(runtime: Path) -> socket.socket:
    """A peer past the key check, ready to send its request."""
    sock = connect(runtime)
    greeting = read_frame(sock)
    key = bytes.fromhex(protocol.key_path(runtime).read_text())
    sock.sendall(frame(protocol._mac(key, greeting[len(protocol.GREETING):])))
    assert read_frame(sock) == b"ok"
    return sock


def test_two_hundred_silent_connections_do_not_keep_status_out(server, runtime: Path) -> None:
    silent = [connect(runtime) for _ in range(200)]
    try:
        assert client.ask(runtime, Request(Command.STATUS)) == Reply.done("status")
    finally:
        for sock in silent:
            sock.close()


def test_a_flood_past_the_limit_closes_the_oldest_and_still_serves(server,
                                                                   runtime: Path) -> None:
    flood = [connect(runtime) for _ in range(MAX_WAITING + 40)]
    try:
        assert client.ask(runtime, Request(Command.STATUS)).is_ok is True
        oldest = flood[0]
        oldest.settimeout(30)
        read_frame(oldest)  # its greeting, then the end: closed to make room
        assert oldest.recv(1) == b""
    finally:
        for sock in flood:
            sock.close()


def test_slow_peers_are_closed_at_one_deadline_for_the_whole_exchange(server,
                                                                      runtime: Path) -> None:
    """64 peers trickle a byte at a time, each byte well inside any per-read timeout: every one
    is closed before it could finish, and status answers meanwhile."""
    request = frame(json.dumps({"command": "status", "args": {}}).encode())
    stop = threading.Event()
    closed_early: list[bool] = []

    def trickle() -> None:
        sock = trusted(runtime)
        sent = 0
        try:
            for byte in request:  # never finishes before the deadline: 1 byte per 0.2 s
                sock.send(bytes([byte]))
                sent += 1
                if stop.wait(0.2):
                    break
        except OSError:
            pass  # the tray hung up: good
        finally:
            closed_early.append(sent < len(request))
            sock.close()

    peers = [threading.Thread(target=trickle) for _ in range(64)]
    for peer in peers:
        peer.start()
    try:
        assert client.ask(runtime, Request(Command.STATUS)).is_ok is True
    finally:
        for peer in peers:
            peer.join(len(request) * 0.2 + 30)
        stop.set()
    assert closed_early == [True] * 64


def test_a_quit_reply_reaches_the_asker_before_the_channel_closes(runtime: Path) -> None:
    holder: list[ControlServer] = []

    def handle(request: Request) -> Reply:
        stopper = threading.Thread(target=holder[0].stop)  # as the tray's quit does
        stopper.start()
        return Reply.done("Pointbreak quits.")

    srv = ControlServer(runtime, handle)
    holder.append(srv)
    srv.start()
    assert client.ask(runtime, Request(Command.QUIT)) == Reply.done("Pointbreak quits.")
    srv.stop()
    assert not os.path.exists(protocol.address(runtime))


def test_busy_is_told_from_not_running(runtime: Path) -> None:
    protocol.prepare_runtime(runtime)
    with pytest.raises(protocol.TrayNotRunning) as nothing:
        client.ask(runtime, Request(Command.STATUS))
    assert not isinstance(nothing.value, protocol.TrayNotAnswering)
    lock = InstanceLock(client.instance_lock(runtime))  # a tray that runs but does not answer
    assert lock.acquire()
    try:
        with pytest.raises(protocol.TrayNotAnswering, match="running but its control channel"):
            client.ask(runtime, Request(Command.STATUS))
    finally:
        lock.release()


@pytest.mark.parametrize("command", [["status"], ["now"], ["quit"], ["snooze", "5"]])
def test_the_command_line_says_busy_and_never_starts_a_session_alone(
        profile, command: list[str]) -> None:
    """The instance lock held by another process (a tray starting, busy or quitting) and no
    channel: status and the commands say it did not answer, exit 1; `now` starts nothing."""
    import subprocess
    import sys

    runtime = profile.home / "run" / "pointbreak"
    protocol.prepare_runtime(runtime)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom tray.base.lockfile import InstanceLock\n"
         f"assert InstanceLock({str(client.instance_lock(runtime))!r}).acquire()\n"
         "print('held', flush=True)\nsys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        profile.env["DISPLAY"] = ":9999"  # `now` would open a window if it thought none ran
        result = profile.run(*command)
    finally:
        holder.communicate("", timeout=10)
    assert result.returncode == 1, result
    assert "is running but did not answer" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


# --- fuzzing the messages -------------------------------------------------------------------

_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats()
                     | st.text(max_size=10),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
_requests = st.fixed_dictionaries(
    {"command": st.sampled_from(sorted(COMMANDS)) | st.text(max_size=10)},
    optional={"args": st.dictionaries(st.sampled_from(["minutes", "until", "x"]),
                                      _json | st.integers(-5, 2000), max_size=2) | _json})


@settings(max_examples=500, deadline=None)
@given(raw=st.binary(max_size=200) | _json.map(lambda v: json.dumps(v).encode())
       | _requests.map(lambda v: json.dumps(v).encode()))
@example(raw=b"[" * 100_000)
@example(raw=b'{"command": "snooze", "args": {"minutes": 1e400}}')
@example(raw=b'{"command": "snooze", "args": {"minutes": ' + b"9" * 5000 + b"}}")
def test_any_message_is_a_valid_request_or_a_bad_one(raw: bytes) -> None:
    try:
        request = parse_request(raw)
    except BadRequest as error:
        assert len(str(error)) < 400
        return
    assert request.command in COMMANDS
    assert isinstance(request.args, COMMANDS[request.command].kind)
    minutes = getattr(request.args, "minutes", None)
    assert minutes is None or (isinstance(minutes, int) and 1 <= minutes <= 1440)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300) | _requests.map(lambda v: json.dumps(v).encode()))
def test_the_live_server_answers_any_message_and_goes_on(server, runtime: Path,
                                                         raw: bytes) -> None:
    sock = trusted(runtime)
    try:
        sock.sendall(frame(raw))
        sock.settimeout(30)
        reply = json.loads(read_frame(sock))
    finally:
        sock.close()
    assert isinstance(reply, dict) and isinstance(reply.get("ok"), bool)
    assert client.ask(runtime, Request(Command.PING)).is_ok is True


def test_a_peer_closed_to_make_room_in_the_same_round_does_not_stop_the_server(
        runtime: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With room for 4, each new connection closes the oldest, which the test closes itself at
    the same moment: the serving loop meets events of peers it has just dropped."""
    monkeypatch.setattr("tray.ipc.server.MAX_WAITING", 4)
    # only making room closes anything here
    monkeypatch.setattr("tray.ipc.server.DEADLINE_SECONDS", 60.0)
    srv = ControlServer(runtime, lambda request: Reply.done(request.command))
    srv.start()
    try:
        waiting = [connect(runtime) for _ in range(4)]
        for _ in range(300):
            waiting.append(connect(runtime))
            waiting.pop(0).close()
        first = waiting[0]
        # the serving thread lives:
        assert client.ask(runtime, Request(Command.STATUS)).is_ok is True
        first.settimeout(30)
        read_frame(first)  # its greeting; then closed to make room, long before 60 s
        for _ in range(4):
            waiting.append(connect(runtime))
        assert first.recv(1) == b""
    finally:
        for sock in waiting:
            sock.close()
        srv.stop()


def test_a_full_queue_is_waited_out_not_taken_for_no_answer(runtime: Path) -> None:
    """A listener that has not accepted yet, its queue full (EAGAIN for a new connect): the
    command keeps trying until the tray takes it, within its timeout."""
    runtime.mkdir(parents=True)
    where = protocol.address(runtime)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(where)
    listener.listen(0)
    queued = []
    while True:  # fill the queue
        sock = socket.socket(socket.AF_UNIX)
        sock.setblocking(False)
        try:
            sock.connect(where)
        except BlockingIOError:
            sock.close()
            break
        queued.append(sock)
    accepted: list[socket.socket] = []

    def accept_all() -> None:
        for _ in range(len(queued) + 1):
            accepted.append(listener.accept()[0])

    taker = threading.Thread(target=accept_all)
    taker.start()
    try:
        conn = client._connect(where, timeout=30)
        conn.close()
    finally:
        taker.join(30)
        for sock in [*queued, *accepted]:
            sock.close()
        listener.close()
    assert len(accepted) == len(queued) + 1


def test_a_foreign_peer_holding_the_socket_while_a_tray_runs_is_not_taken_for_none(
        runtime: Path) -> None:
    protocol.prepare_runtime(runtime)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(protocol.address(runtime))
    listener.listen(1)

    def greet_wrongly() -> None:
        peer, _ = listener.accept()
        peer.sendall(frame(b"HTTP/1.0 200 OK"))
        peer.close()

    threading.Thread(target=greet_wrongly, daemon=True).start()
    lock = InstanceLock(client.instance_lock(runtime))
    assert lock.acquire()
    try:
        with pytest.raises(protocol.TrayNotAnswering, match="is not a Pointbreak tray"):
            # `now` must not start a session of its own then:
            client.ask(runtime, Request(Command.NOW))
    finally:
        lock.release()
        listener.close()


def _peer_replying(runtime: Path, reply: bytes) -> socket.socket:
    """A peer on the tray's socket that takes any key and answers `reply`."""
    protocol.prepare_runtime(runtime)
    protocol.key_path(runtime).write_text("00" * 32)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(protocol.address(runtime))
    listener.listen(1)

    def answer() -> None:
        peer, _ = listener.accept()
        with peer:
            peer.sendall(frame(protocol.GREETING + b"x" * 32))
            read_frame(peer)
            peer.sendall(frame(b"ok"))
            read_frame(peer)
            peer.sendall(frame(reply))

    threading.Thread(target=answer, daemon=True).start()
    return listener


@pytest.mark.parametrize(("reply", "says"), [
    (b"[1, 2]", "the tray's reply was not an object"),
    (b'{"message": "hi"}', "the tray's reply has no ok true or false, got None"),
    (b'{"ok": "yes", "message": "hi"}', "the tray's reply has no ok true or false, got 'yes'"),
    (b'{"ok": true, "message": 5}', "the tray's reply's text is not a string: int"),
    (b'{"ok": false, "error": {"a": 1}}', "the tray's reply's text is not a string: dict"),
    (b"[" * 5000, "did not answer in time or hung up"),
], ids=["not-object", "no-ok", "ok-not-bool", "message-not-text", "error-not-text", "deep"])
def test_a_reply_that_is_not_a_reply_is_no_answer(runtime: Path, reply: bytes,
                                                   says: str) -> None:
    listener = _peer_replying(runtime, reply)
    try:
        with pytest.raises(protocol.TrayNotAnswering, match=re.escape(says)):
            client.ask(runtime, Request(Command.STATUS))
    finally:
        listener.close()


@pytest.mark.parametrize(("reply", "expected"), [
    (b'{"ok": true}', Reply.done("")),
    (b'{"ok": false}', Reply.refused("The tray refused.")),
    (b'{"ok": false, "message": "old words"}', Reply.refused("old words")),
    (b'{"ok": true, "message": "fine", "newer": [1]}', Reply.done("fine")),
], ids=["ok-alone", "refused-alone", "refused-with-message", "unknown-field-left"])
def test_replies_of_other_versions_are_read(runtime: Path, reply: bytes, expected: Reply) -> None:
    listener = _peer_replying(runtime, reply)
    try:
        assert client.ask(runtime, Request(Command.STATUS)) == expected
    finally:
        listener.close()


@pytest.mark.parametrize("request_", [Request(c, COMMANDS[c].read({})) for c in Command],
                         ids=[c.value for c in Command])
def test_every_request_goes_over_the_wire_and_back_unchanged(request_: Request) -> None:
    assert parse_request(request_.to_json()) == request_


def test_the_wire_keeps_the_bytes_an_older_pointbreak_sends_and_reads() -> None:
    from tray.core.choices import Pause, Snooze

    assert Request(Command.SNOOZE, Snooze(10)).to_json() == \
        b'{"command": "snooze", "args": {"minutes": 10}}'
    assert Request(Command.PAUSE, Pause(until_tomorrow=True)).to_json() == \
        b'{"command": "pause", "args": {"until": "tomorrow"}}'
    assert Request(Command.PAUSE, Pause(90)).to_json() == \
        b'{"command": "pause", "args": {"minutes": 90}}'
    assert Request(Command.STATUS).to_json() == b'{"command": "status", "args": {}}'
    assert json.dumps(Reply.done("hi").to_json()) == '{"ok": true, "message": "hi"}'
    assert json.dumps(Reply.refused("no").to_json()) == '{"ok": false, "error": "no"}'


def test_a_request_holds_its_command_to_its_arguments() -> None:
    from tray.core.choices import Snooze

    with pytest.raises(TypeError, match="pause takes Pause, not Snooze"):
        Request(Command.PAUSE, Snooze(5))
