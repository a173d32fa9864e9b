"""The Wayland idle reader's wire protocol against compositors that misbehave (short frames, a
size field that lies, a huge length, garbage, silence, a trickle, an error, the end), each
a real peer on a real Unix socket: the reader ends with an OSError or its watches' `ended`,
never a hang or a crash. Then its place in the idle port: the candidates on each session, the
presence watcher and the typing pause fed by its events. (What every reader promises, this one
on a real KWin among them, is in contract/test_idle_contract.py.)"""

from __future__ import annotations

import contextlib
import logging
import queue
import re
import shutil
import socket
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from buses import private_x, require
from wayland_peers import ScriptedCompositor, kwin

from tray.adapters import idle
from tray.adapters.idle import wayland
from tray.adapters.idle.presence import Pauses, Polling, PresenceWatcher
from tray.adapters.idle.wayland import WaylandError, WaylandIdle
from tray.core.events import AwayEnded, AwayStarted
from tray.core.model import Away

NOW = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)


@pytest.fixture
def folder() -> Iterator[Path]:
    """A short folder for the sockets: a Unix socket's path must fit in 104 bytes (macOS)."""
    folder = Path(tempfile.mkdtemp(prefix="pb-wl-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="Unix sockets only")


@contextlib.contextmanager
def raw_peer(folder: Path, script: Callable[[socket.socket], None]) -> Iterator[str]:
    """A compositor that runs `script` on the client's connection (reading nothing unless the
    script does); yields the socket's path."""
    path = str(folder / "wl-raw")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    stop = threading.Event()

    def serve() -> None:
        with contextlib.suppress(OSError):
            client, _ = server.accept()
            with client:
                script(client)
                stop.wait(10)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield path
    finally:
        stop.set()
        server.close()
        thread.join(5)


def message(target: int, opcode: int, payload: bytes = b"", size: int | None = None) -> bytes:
    return struct.pack("=II", target, (size or 8 + len(payload)) << 16 | opcode) + payload


def answer_with(data: bytes) -> Callable[[socket.socket], None]:
    def script(client: socket.socket) -> None:
        client.recv(4096)  # get_registry and sync
        client.sendall(data)
    return script


def trickle(client: socket.socket) -> None:
    for byte in message(2, 0, b"\x01\0\0\0" + ScriptedCompositor.text("wl_seat") * 50):
        client.sendall(bytes([byte]))
        time.sleep(0.05)


HOSTILE: dict[str, tuple[Callable[[socket.socket], None], str]] = {
    "short-frame": (answer_with(message(2, 0, size=4)), r"malformed message \(size 4\)"),
    "huge-length": (answer_with(message(2, 0, b"\0" * 8, size=0xFFFC)),
                    r"malformed message \(size 65532\)"),
    "size-lies": (answer_with(message(2, 0, struct.pack("=II", 1, 1000) + b"wl_seat\0")),
                  "a string of 1000 bytes"),
    "garbage": (answer_with(bytes(range(7, 255, 3)) * 3), "malformed message"),
    "silence": (lambda client: None, "did not answer in time"),
    "trickle": (trickle, "did not answer in time"),
    "closes": (lambda client: client.close(),  # seen first by a read or by a write
               "closed the connection|reset by peer|went away: .*Broken pipe"),
    "error": (answer_with(message(1, 0, struct.pack("=II", 1, 3)
                                  + ScriptedCompositor.text("out of memory"))),
              "protocol error on object 1, code 3: out of memory$"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_compositor_that_misbehaves_at_the_start_is_an_oserror_in_bounded_time(
        kind: str, folder: Path) -> None:
    script, said = HOSTILE[kind]
    with raw_peer(folder, script) as path:
        started = time.monotonic()
        with pytest.raises(OSError, match="compositor") as raised:
            WaylandIdle(path)
        # the reader's own deadline ends it (silence, a trickle): never a hang; the margin is
        # for a loaded machine, not a speed to reach
        assert time.monotonic() - started < wayland.SETUP_SECONDS + 10.0
    assert isinstance(raised.value, WaylandError)
    assert re.search(said, str(raised.value)), raised.value


def test_the_requests_are_the_wire_format(folder: Path) -> None:
    """The bytes the research memo recorded from a client KWin and sway answered."""
    heard = queue.Queue[bytes]()

    def listen(client: socket.socket) -> None:
        data = b""
        while len(data) < 24 and (more := client.recv(24 - len(data))):
            data += more
        heard.put(data)

    with raw_peer(folder, listen) as path, pytest.raises(OSError):
        WaylandIdle(path)
    assert heard.get(timeout=5).hex(" ", 4) == (
        "01000000 01000c00 02000000 01000000 00000c00 03000000")  # get_registry, sync
    bind = message(2, 0, wayland.uint(12) + wayland.string("wl_seat") + wayland.uint(1)
                   + wayland.uint(4))
    assert bind.hex(" ", 4) == ("02000000 00002000 0c000000 08000000 776c5f73 65617400 "
                                "01000000 04000000")


def test_no_seat_or_no_idle_protocol_is_said(folder: Path) -> None:
    peer = ScriptedCompositor(folder, offers=())
    try:
        with pytest.raises(OSError, match="no idle protocol"):
            WaylandIdle(peer.path)
    finally:
        peer.close()


@pytest.fixture
def peer(folder: Path) -> Iterator[ScriptedCompositor]:
    scripted = ScriptedCompositor(folder)
    yield scripted
    scripted.close()


@pytest.mark.parametrize("sent", [
    message(7, 0, size=0xFFFF), message(1, 9), b"\xff" * 40,
    message(1, 0, struct.pack("=II", 5, 1) + struct.pack("=I", 4000))],
    ids=["huge-length", "unknown-event", "garbage", "error-with-a-lying-string"])
def test_a_compositor_that_misbehaves_later_ends_the_reader_and_the_tray_goes_on(
        peer: ScriptedCompositor, sent: bytes, caplog: pytest.LogCaptureFixture) -> None:
    reader = WaylandIdle(peer.path)
    ended = queue.Queue[str]()
    reader.watch(300, lambda: None, lambda: None, ended.put)
    peer.wait_for_notifications(1)
    assert reader.idle_seconds() == 0.0
    with caplog.at_level(logging.ERROR, logger="tray.adapters.idle"):
        peer.send(sent)
        why = ended.get(timeout=5)
    assert "compositor" in why
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [
        f"idle time via Wayland (ext_idle_notifier_v1 v1) stopped: {why}; away from the "
        "keyboard is no longer seen"]
    with pytest.raises(OSError):
        reader.idle_seconds()
    reader.close()
    assert not any(t.name == "pointbreak-wayland-idle" and t.is_alive()
                   for t in threading.enumerate() if t is reader._thread)


def test_late_events_of_unknown_objects_are_let_go(peer: ScriptedCompositor) -> None:
    reader = WaylandIdle(peer.path)
    try:
        peer.send(message(999, 0) * 50)  # a destroyed object's late events
        assert reader.idle_seconds() == 0.0
    finally:
        reader.close()


def test_a_silent_compositor_is_an_oserror_within_a_round_trip(peer: ScriptedCompositor) -> None:
    reader = WaylandIdle(peer.path)
    try:
        peer.answers = False
        started = time.monotonic()
        with pytest.raises(OSError, match="did not answer in time"):
            reader.idle_seconds()
        assert time.monotonic() - started < wayland.READING_SECONDS + 1.0
    finally:
        reader.close()


def test_close_ends_the_thread_quietly(peer: ScriptedCompositor, caplog) -> None:
    reader = WaylandIdle(peer.path)
    reader.close()
    reader._thread.join(5)
    assert not reader._thread.is_alive()
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_the_socket_is_found_as_libwayland_finds_it() -> None:
    assert wayland.socket_path({"WAYLAND_DISPLAY": "/run/x/wl-9"}) == "/run/x/wl-9"
    assert wayland.socket_path({"WAYLAND_DISPLAY": "wl-1", "XDG_RUNTIME_DIR": "/r"}) == "/r/wl-1"
    assert wayland.socket_path({"XDG_RUNTIME_DIR": "/r"}) == "/r/wayland-0"
    with pytest.raises(OSError, match="XDG_RUNTIME_DIR"):
        wayland.socket_path({"WAYLAND_DISPLAY": "wl-1"})


# --- its place in the port ---------------------------------------------------------------------

@pytest.mark.parametrize(("env", "expected"), [
    ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "KDE"},
     ["wayland", "mutter", "screensaver"]),
    ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"},
     ["mutter", "wayland", "screensaver"]),
    ({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "sway"},
     ["wayland", "mutter", "screensaver"]),
    ({"DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "XFCE"}, ["x11", "mutter", "screensaver"]),
    ({}, ["mutter", "screensaver"])],
    ids=["kde-wayland", "gnome-wayland", "sway-by-session-type", "x11", "no-display"])
def test_the_candidates_never_read_xwayland_in_a_wayland_session(env, expected) -> None:
    order, why = idle.candidates(env, "linux")
    assert order == expected
    if "WAYLAND_DISPLAY" in env or "XDG_SESSION_TYPE" in env:
        assert "never XWayland" in why
        # KWin's ScreenSaver answers NotSupported: the protocol comes before it
        assert order.index("wayland") < order.index("screensaver")


def test_a_wayland_session_without_a_compositor_reads_nothing_rather_than_xwayland(
        monkeypatch, folder) -> None:
    require("linux")
    with private_x() as x:  # an X server whose idle time would read fine
        assert idle.X11Idle(x.address).idle_seconds() >= 0
        monkeypatch.setenv("DISPLAY", x.address)
        monkeypatch.setenv("WAYLAND_DISPLAY", str(folder / "no-such-socket"))
        monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
        monkeypatch.delenv("POINTBREAK_IDLE", raising=False)
        monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
        failures: list[tuple[str, str]] = []
        assert idle.select(failures=failures) is None
    assert [name for name, _ in failures] == ["wayland", "mutter", "screensaver"]


def test_on_kwin_the_wayland_reader_is_chosen_over_xwayland(monkeypatch) -> None:
    require("linux")
    with kwin() as compositor, private_x() as x:
        monkeypatch.setenv("DISPLAY", x.address)
        monkeypatch.setenv("WAYLAND_DISPLAY", compositor.socket)
        monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
        monkeypatch.delenv("POINTBREAK_IDLE", raising=False)
        reader = idle.select()
        assert reader is not None and reader.name == "wayland"
        assert reader.is_event_driven
        reader.close()


def test_the_presence_watcher_posts_from_the_events_with_the_right_since(
        peer: ScriptedCompositor) -> None:
    events: queue.Queue = queue.Queue()
    reader = WaylandIdle(peer.path)
    watcher = PresenceWatcher(reader, events.put, Polling(away_after=300.0), now=lambda: NOW)
    watcher.start()
    try:
        peer.wait_for_notifications(1)
        assert peer.notifications[0][1] == 300_000  # milliseconds
        peer.idled()
        assert events.get(timeout=5) == AwayStarted(Away.IDLE, NOW - timedelta(seconds=300))
        peer.idled()  # said twice: still one away
        peer.resumed()
        assert events.get(timeout=5) == AwayEnded(Away.IDLE)
        peer.idled()
        assert isinstance(events.get(timeout=5), AwayStarted)
        peer.close()  # the compositor goes while the person is away: not away on its word
        assert events.get(timeout=5) == AwayEnded(Away.IDLE)
    finally:
        watcher.stop()
        reader.close()
    assert events.empty()
    assert not watcher._thread.is_alive()  # no polling thread for an event-driven reader


def test_a_stopped_watcher_posts_nothing_more(peer: ScriptedCompositor) -> None:
    events: queue.Queue = queue.Queue()
    reader = WaylandIdle(peer.path)
    watcher = PresenceWatcher(reader, events.put, Polling(away_after=5.0))
    watcher.start()
    peer.wait_for_notifications(1)
    watcher.stop()
    peer.idled()
    assert reader.idle_seconds() >= 5.0  # the event came, and was read
    assert events.empty()
    reader.close()


def test_a_typing_pause_is_its_own_watch_on_the_same_connection(peer) -> None:
    reader = WaylandIdle(peer.path)
    PresenceWatcher(reader, lambda _event: None, Polling(away_after=300.0)).start()
    pauses = Pauses(reader, 10.0)
    try:
        peer.wait_for_notifications(2)
        assert [ms for _oid, ms in peer.notifications] == [300_000, 10_000]
        assert not pauses.wait(0.2)
        peer.idled(1)
        assert pauses.wait(5)
        peer.resumed(1)
        reader.idle_seconds()  # a round trip: the event was handled
        assert not pauses.wait(0.1)
        peer.close()  # no reader: a prompt is not held for it
        assert pauses.wait(5)
    finally:
        reader.close()
