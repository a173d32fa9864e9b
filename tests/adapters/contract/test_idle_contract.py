"""The idle port's contract (tray.adapters.idle.IdleReader), run against every reader: X11 for
real on an Xvfb of its own; Mutter's and the ScreenSaver's over a real private bus with a small
real service (tests/fake_idle_monitor.py); Wayland's for real on a headless KWin
(ext_idle_notifier_v1, input through its fake-input protocol) and a headless sway 1.7
(org_kde_kwin_idle, input through its IPC), and on a scripted compositor speaking the latter
(tests/wayland_peers.py); Windows through its
one seam (GetLastInputInfo and GetTickCount's two numbers); macOS through a stand-in `ioreg` on
PATH printing IOKit's documented output, so its real subprocess path runs; and the tests' own
ScriptedIdle.

Each harness can make the person touch the keyboard (`touch`), let time pass without input
(`leave`), and make its source vanish, step by step (`vanishings`). An event-driven reader
(Wayland) is also held to `watch`: "idled" after the time, "resumed" at the next input, and
`ended` when its source goes; its readings are what its watches know, so its harness watches
0.8 s from the start."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import wayland_peers
from buses import private_bus, private_x, require
from desktop import wait_for
from fake_ports import ScriptedIdle, ioreg_output

from tray.adapters import idle
from tray.adapters.idle.wayland import WaylandIdle

TESTS = Path(__file__).resolve().parents[2]


@dataclass
class Harness:
    reader: idle.IdleReader
    touch: Callable[[], None]  # an input now: the next reading is near 0
    leave: Callable[[float], None]  # no input for this long: the next reading is at least it
    vanishings: list[Callable[[], None]] = field(default_factory=list)


def x11() -> Iterator[Harness]:
    with private_x() as x:
        env = dict(os.environ, DISPLAY=x.address)
        reader = idle.X11Idle(x.address)

        def touch() -> None:
            for where in ("10", "200"):  # a move for certain, wherever the pointer was
                subprocess.run(["xdotool", "mousemove", where, where], env=env, check=True)

        yield Harness(reader, touch, time.sleep, [x.vanish])  # the X server's own clock
        reader.close()


def dbus(kind: type[idle.IdleReader]) -> Callable[[pytest.MonkeyPatch], Iterator[Harness]]:
    def make(monkeypatch: pytest.MonkeyPatch) -> Iterator[Harness]:
        with private_bus() as bus:
            monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
            service = subprocess.Popen([sys.executable, str(TESTS / "fake_idle_monitor.py"),
                                        bus.address], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, text=True, bufsize=1)
            assert service.stdout is not None and service.stdin is not None
            assert service.stdout.readline().strip() == "ready"

            def set_ms(ms: int) -> None:
                assert service.stdin is not None and service.stdout is not None
                service.stdin.write(f"{ms}\n")
                assert service.stdout.readline().strip() == f"set {ms}"

            def service_ends() -> None:
                service.kill()
                service.wait()

            reader = kind()
            try:
                yield Harness(reader, lambda: set_ms(0), lambda s: set_ms(round(s * 1000)),
                              [service_ends, bus.vanish])
            finally:
                reader.close()
                service.kill()
                service.wait()
    return make


WATCH = 0.8  # the Wayland harnesses' watch: readings at least this long are known


def _watching(reader: WaylandIdle) -> WaylandIdle:
    reader.watch(WATCH, lambda: None, lambda: None, lambda _why: None)
    return reader


def wayland_kwin() -> Iterator[Harness]:
    with wayland_peers.kwin() as kwin:
        reader = _watching(WaylandIdle(kwin.socket))
        assert reader.detail == "ext_idle_notifier_v1 v1"
        try:  # KWin's own clock; touch returns once KWin has taken the input
            yield Harness(reader, kwin.move_pointer, time.sleep, [kwin.vanish])
        finally:
            reader.close()


def wayland_sway() -> Iterator[Harness]:
    """org_kde_kwin_idle (seat before timeout), sway 1.7's only idle protocol."""
    with wayland_peers.sway() as sway:
        reader = _watching(WaylandIdle(sway.socket))
        assert reader.detail == "org_kde_kwin_idle v1"
        try:
            yield Harness(reader, sway.move_pointer, time.sleep, [sway.vanish])
        finally:
            reader.close()


def wayland_scripted(tmp_path: Path) -> Iterator[Harness]:
    """org_kde_kwin_idle on a scripted compositor that says "idle" once each notification's
    time has passed since the last input, and "resumed" at the next, as sway does."""
    peer = wayland_peers.ScriptedCompositor(tmp_path, offers=("org_kde_kwin_idle",))
    reader = _watching(WaylandIdle(peer.path))
    assert reader.detail == "org_kde_kwin_idle v1"
    peer.wait_for_notifications(1)
    assert peer.notifications == [(peer.notifications[0][0], round(WATCH * 1000))]
    last_input = time.monotonic()
    idled: set[int] = set()  # the notifications told "idle" since the last input

    def touch() -> None:
        nonlocal last_input
        for which in sorted(idled):
            peer.resumed(which)
        idled.clear()
        last_input = time.monotonic()

    def leave(seconds: float) -> None:  # each notification "idle" once its time passed, as sway
        end = time.monotonic() + seconds
        reader.idle_seconds()  # a round trip: every watch asked before has reached the peer
        for which, (_oid, ms) in sorted(enumerate(peer.notifications), key=lambda n: n[1][1]):
            due = last_input + ms / 1000
            if which not in idled and due <= end:
                time.sleep(max(0.0, due - time.monotonic()))
                peer.idled(which)
                idled.add(which)
        time.sleep(max(0.0, end - time.monotonic()))

    try:
        yield Harness(reader, touch, leave, [peer.close])
    finally:
        reader.close()
        peer.close()


def windows() -> Iterator[Harness]:
    ticks = {"last": 50_000, "now": 50_000}
    is_gone = threading.Event()

    def api() -> tuple[int, int]:  # the two numbers the real read() takes from user32/kernel32
        if is_gone.is_set():
            raise OSError("GetLastInputInfo failed")  # what the real read() raises
        return ticks["last"], ticks["now"]

    def touch() -> None:
        ticks["last"] = ticks["now"]

    def leave(seconds: float) -> None:
        ticks["now"] = (ticks["now"] + round(seconds * 1000)) % (1 << 32)

    yield Harness(idle.WindowsIdle(api=api), touch, leave, [is_gone.set])


def macos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Harness]:
    output = tmp_path / "ioreg.out"
    output.write_text(ioreg_output(0))
    fake = tmp_path / "bin" / "ioreg"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\n[ "$*" = "-c IOHIDSystem -d 4" ] || exit 2\n'
                    f'exec cat "{output}"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    reader = idle.MacIdle()

    def leave(seconds: float) -> None:
        output.write_text(ioreg_output(round(seconds * 1e9)))

    yield Harness(reader, lambda: leave(0), leave,
                  [output.unlink, fake.unlink])  # ioreg fails; then there is no ioreg


def scripted() -> Iterator[Harness]:
    reader = ScriptedIdle([0.0])

    def leave(seconds: float) -> None:
        reader.values[:] = [seconds]

    def vanish() -> None:
        reader.values[:] = [-1.0]

    yield Harness(reader, lambda: leave(0.0), leave, [vanish])


MAKERS: dict[str, Callable[..., Iterator[Harness]]] = {
    "x11": x11, "mutter": dbus(idle.MutterIdle), "screensaver": dbus(idle.ScreenSaverIdle),
    "wayland": wayland_kwin, "wayland-sway": wayland_sway, "wayland-scripted": wayland_scripted,
    "windows": windows, "macos": macos, "scripted": scripted}
EVENT_DRIVEN = ("wayland", "wayland-sway", "wayland-scripted")


def test_every_reader_of_the_port_is_held_to_the_contract() -> None:
    assert set(idle.READERS) <= set(MAKERS)


def _made(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Harness]:
    make = MAKERS[kind]
    if kind == "macos":
        require("posix")  # its ioreg is a sh script
    if kind.startswith("wayland"):
        require("linux")  # a compositor, or a Unix socket's peer
    arguments = {"tmp_path": tmp_path, "monkeypatch": monkeypatch}
    names = make.__code__.co_varnames[:make.__code__.co_argcount]
    yield from make(**{name: arguments[name] for name in names})


@pytest.fixture(params=sorted(MAKERS))
def harness(request, tmp_path, monkeypatch) -> Iterator[Harness]:
    yield from _made(request.param, tmp_path, monkeypatch)


def test_it_has_the_name_its_variable_takes(harness: Harness) -> None:
    name = harness.reader.name
    assert isinstance(name, str)
    assert name in idle.READERS or name == "scripted"
    assert harness.reader.is_event_driven is (name in idle.capabilities("linux").event_driven)


def test_a_reading_is_seconds_since_the_last_input(harness: Harness) -> None:
    harness.touch()
    first = harness.reader.idle_seconds()
    assert isinstance(first, float) and 0.0 <= first < 0.5
    harness.leave(1.2)
    assert harness.reader.idle_seconds() >= 1.0
    harness.touch()
    assert harness.reader.idle_seconds() < 0.5


def test_two_threads_may_read_at_once(harness: Harness) -> None:
    """The presence watcher and the typing-pause wait read the same reader."""
    readings: list[object] = []

    def read() -> None:
        for _ in range(25):
            try:
                readings.append(harness.reader.idle_seconds())
            except Exception as error:  # recorded: the assertion says which
                readings.append(error)

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(readings) == 50 and all(isinstance(r, float) for r in readings), readings[:3]


def test_a_vanished_source_is_an_oserror_and_said_at_once(harness: Harness) -> None:
    for vanish in harness.vanishings:
        vanish()
        started = time.monotonic()
        with pytest.raises(OSError):
            harness.reader.idle_seconds()
        # never a hang: at most one round trip with its deadline (the margin is for load)
        assert time.monotonic() - started < 10.0
    harness.reader.close()  # and it still closes


def test_close_is_idempotent_and_later_readings_fail_only_as_oserror(harness: Harness) -> None:
    harness.reader.close()
    harness.reader.close()
    try:
        reading = harness.reader.idle_seconds()
    except OSError:
        return
    assert isinstance(reading, float)  # a reader with nothing to close reads on


@pytest.fixture(params=EVENT_DRIVEN)
def watched(request, tmp_path, monkeypatch) -> Iterator[Harness]:
    yield from _made(request.param, tmp_path, monkeypatch)


def test_an_event_driven_reader_says_so_and_the_capabilities_name_it(watched) -> None:
    assert watched.reader.is_event_driven
    assert watched.reader.name in idle.capabilities("linux").event_driven


def test_a_watch_says_idled_after_its_time_then_resumed_at_the_next_input(watched) -> None:
    events: list[tuple[str, float]] = []
    reader: WaylandIdle = watched.reader  # type: ignore[assignment]
    started = time.monotonic()  # before the input: the compositor counts from the input itself
    watched.touch()
    reader.watch(1.0, lambda: events.append(("idled", time.monotonic() - started)),
                 lambda: events.append(("resumed", time.monotonic() - started)),
                 lambda why: events.append((f"ended: {why}", 0.0)))
    watched.leave(1.3)
    wait_for(lambda: events, what="idled")
    assert events[0][0] == "idled" and events[0][1] >= 0.95, events
    assert reader.idle_seconds() >= 1.0
    watched.touch()
    wait_for(lambda: len(events) == 2, what="resumed")
    assert events[1][0] == "resumed", events
    assert reader.idle_seconds() < WATCH


def test_a_vanished_source_ends_each_watch_and_is_logged_as_an_error(watched, caplog) -> None:
    ended: list[str] = []
    reader: WaylandIdle = watched.reader  # type: ignore[assignment]
    reader.watch(60, lambda: None, lambda: None, ended.append)
    for vanish in watched.vanishings:
        vanish()
    wait_for(lambda: ended, what="the watch told of the end")
    assert len(ended) == 1 and ended[0], ended
    assert any(r.levelname == "ERROR" and "idle time via Wayland" in r.getMessage()
               and r.name.startswith("tray.adapters.idle") for r in caplog.records)
    with pytest.raises(OSError):
        reader.watch(1.0, lambda: None, lambda: None, ended.append)
