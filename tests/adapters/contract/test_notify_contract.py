"""The notification port's contract (tray.adapters.notify.NotificationPath), run against every
path: D-Bus, notify-send and plyer with a real notification server (dunst, on an Xvfb and a bus
of their own, asked with dunstctl what it shows); osascript as a stand-in on PATH that records
its arguments; pystray's through a stand-in icon with HAS_NOTIFICATION; and the silent path.
Then SafeNotifier, which every call of the tray goes through."""

from __future__ import annotations

import logging
import os
import queue
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from buses import Peer, private_bus, private_x, require
from desktop import wait_for

from tray.adapters import notify

pytestmark = pytest.mark.filterwarnings(
    "error::pytest.PytestUnhandledThreadExceptionWarning",
    "ignore:The Python dbus package is not installed")  # plyer's, on its way to notify-send
ACTIONS = {"start": "Start", "snooze": "Snooze 10 minutes"}
FAILURES = (notify.NotifyError, OSError, subprocess.SubprocessError)


@dataclass
class Harness:
    make: Callable[[], notify.NotificationPath]
    shown: Callable[[], int]  # how many of its notifications are on screen now
    vanish: Callable[[], None]  # the server (or the command) goes away
    can_tell: bool = True  # whether a failure comes back as an error (plyer's never does)
    can_withdraw: bool = False  # whether close() takes it off the screen
    replaces: bool = False  # whether a second notify of a key replaces the first


@dataclass
class Server:
    bus: Peer
    env: dict[str, str]

    def shown(self) -> int:
        return sum(int(subprocess.run(["dunstctl", "count", what], env=self.env, text=True,
                                      capture_output=True, check=True).stdout)
                   for what in ("displayed", "waiting"))


@pytest.fixture
def server(tmp_path, monkeypatch) -> Iterator[Server]:
    """dunst on an X display and a session bus of its own. Its context menu (`dunstctl
    context`) hands the buttons to a stand-in dmenu, which presses the first "Start"."""
    picker = tmp_path / "dmenu"
    picker.write_text("#!/bin/sh\nexec grep -m1 '^#Start '\n")
    picker.chmod(0o755)
    config = tmp_path / "dunstrc"
    config.write_text(f"[global]\n    dmenu = {picker}\n")
    with private_x() as x, private_bus() as bus:
        env = dict(os.environ, DISPLAY=x.address, DBUS_SESSION_BUS_ADDRESS=bus.address)
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
        dunst = subprocess.Popen(["dunst", "-config", str(config)], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: subprocess.run(["dunstctl", "count", "displayed"], env=env,
                                            capture_output=True).returncode == 0,
                     what="dunst on the bus")
            yield Server(bus, env)
        finally:
            dunst.kill()
            dunst.wait()


def dbus(server: Server) -> Harness:
    return Harness(notify.DBusNotifier, server.shown, server.bus.vanish, can_withdraw=True,
                   replaces=True)


def notify_send(server: Server) -> Harness:
    return Harness(notify.NotifySendNotifier, server.shown, server.bus.vanish)


def plyer(server: Server) -> Harness:
    return Harness(notify.PlyerNotifier, server.shown, server.bus.vanish, can_tell=False)


def osascript(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Harness:
    folder, said = tmp_path / "bin", tmp_path / "osascript-calls.txt"
    folder.mkdir()
    fake = folder / "osascript"
    fake.write_text(f'#!/bin/sh\n[ "$1" = "-e" ] && printf "%s\\n" "$2" >> "{said}"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")

    def shown() -> int:
        return len(said.read_text().splitlines()) if said.exists() else 0

    def vanish() -> None:
        fake.write_text("#!/bin/sh\necho 'execution error: Not authorized' >&2\nexit 1\n")

    return Harness(notify.OsascriptNotifier, shown, vanish)


class StandInIcon:
    """pystray's Icon as PystrayNotifier uses it: its flag, and notify(message, title)."""

    HAS_NOTIFICATION = True

    def __init__(self) -> None:
        self.notes: list[tuple[str, str]] = []

    def notify(self, message: str, title: str | None = None) -> None:
        self.notes.append((message, title or ""))


def pystray() -> Harness:
    icon = StandInIcon()
    return Harness(lambda: notify.PystrayNotifier(icon), lambda: len(icon.notes),
                   lambda: None, can_tell=False)


def silent() -> Harness:
    return Harness(notify.Notifier, lambda: 0, lambda: None, can_tell=False)


MAKERS: dict[str, Callable[..., Harness]] = {
    "dbus": dbus, "notify-send": notify_send, "plyer": plyer, "osascript": osascript,
    "pystray": pystray, "none": silent}


def test_every_path_of_the_port_is_held_to_the_contract() -> None:
    assert {*notify._paths(None), "none"} == set(MAKERS)


@pytest.fixture(params=sorted(MAKERS))
def harness(request) -> Harness:
    make = MAKERS[request.param]
    if request.param == "osascript":
        require("posix")  # its osascript is a sh script
    names = make.__code__.co_varnames[:make.__code__.co_argcount]
    return make(**{name: request.getfixturevalue(name) for name in names})


def test_it_has_its_name_and_says_whether_it_has_buttons(harness: Harness) -> None:
    path = harness.make()
    assert path.name in MAKERS
    assert isinstance(path.has_actions, bool)
    if path.name == "dbus":
        assert path.has_actions  # dunst shows actions


def test_a_notification_shows_and_its_key_replaces_where_the_path_can(harness: Harness) -> None:
    path = harness.make()
    shows = path.name != "none"
    path.notify(1, "Time for a back break", "A 5-minute routine.", ACTIONS, lambda _a: None)
    wait_for(lambda: harness.shown() == int(shows), what="the notification")
    path.notify(1, "Time for a back break", "Again.", ACTIONS, lambda _a: None)
    expected = 1 if harness.replaces else 2 * int(shows)
    wait_for(lambda: harness.shown() == expected, what="the second notification")
    assert harness.shown() == expected


def test_close_withdraws_where_it_can_and_is_idempotent(harness: Harness) -> None:
    path = harness.make()
    path.notify(7, "Time for a back break", "A 5-minute routine.", {}, lambda _a: None)
    path.close(7)
    path.close(7)
    path.close(12345)  # never shown: nothing to do
    if harness.can_withdraw:
        wait_for(lambda: harness.shown() == 0, what="the notification withdrawn")


def test_a_vanished_server_is_an_error_where_the_path_can_tell(harness: Harness) -> None:
    path = harness.make()
    path.notify(1, "Before", "it went away", {}, lambda _a: None)
    harness.vanish()
    started = time.monotonic()
    if harness.can_tell:
        with pytest.raises(FAILURES):
            path.notify(2, "After", "it went away", {}, lambda _a: None)
    else:
        path.notify(2, "After", "it went away", {}, lambda _a: None)
    assert time.monotonic() - started < 6  # at most its 5 s
    path.close(1)  # never raises: logged


def test_a_pressed_button_calls_back_with_its_action_on_the_listening_thread(
        server: Server) -> None:
    """The one path with buttons: what `on_action` gets, on which thread, and only from the
    notification server itself."""
    path = notify.DBusNotifier()
    pressed: queue.Queue[tuple[str, str]] = queue.Queue()
    path.notify(1, "Time for a back break", "A 5-minute routine.", ACTIONS,
                lambda action: pressed.put((action, threading.current_thread().name)))
    wait_for(lambda: server.shown() == 1, what="the notification")
    # Another client of the bus sends the same signal first: it presses nothing.
    from jeepney import DBusAddress, new_signal
    from jeepney.io.blocking import open_dbus_connection

    server_id = path._ids[1]
    with open_dbus_connection(bus="SESSION") as other:
        other.send(new_signal(DBusAddress("/org/freedesktop/Notifications",
                                          interface="org.freedesktop.Notifications"),
                              "ActionInvoked", "us", (server_id, "snooze")))
    subprocess.run(["dunstctl", "context"], env=server.env, check=True, timeout=10)
    assert pressed.get(timeout=5) == ("start", "pointbreak-notify")
    assert pressed.empty()


# --- SafeNotifier: how the tray calls every path ----------------------------------------------


class Failing(notify.Notifier):
    name = "failing"

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.release = threading.Event()

    def notify(self, key, title, message, actions, on_action) -> None:
        self.release.wait(5)  # a slow server: the caller must not wait for it
        self.calls.append(threading.current_thread().name)
        raise notify.NotifyError("Notify: org.freedesktop.DBus.Error.ServiceUnknown")


def test_safe_notifier_never_blocks_the_caller_and_says_a_failure_once(caplog) -> None:
    inner = Failing()
    safe = notify.SafeNotifier(inner)
    assert safe.name == "failing"
    with caplog.at_level(logging.WARNING, logger="tray.adapters.notify"):
        def caller() -> None:
            for key in range(3):
                safe.notify(key, "Title", "Message", {}, lambda _a: None)
            safe.close(0)

        calling = threading.Thread(target=caller)
        calling.start()
        calling.join(30)  # the inner notifier is held until release: a caller that waited
        assert not calling.is_alive()  # for it would still be here
        inner.release.set()
        wait_for(lambda: len(inner.calls) == 3, what="the three notifications tried")
    assert set(inner.calls) == {"pointbreak-notify-send"}
    # (Only this notifier's: a D-Bus notifier of an earlier test may say its bus went away.)
    warnings = [r.getMessage() for r in caplog.records if "via failing" in r.getMessage()]
    assert warnings == ["notifications via failing failed (said once): Notify: "
                        "org.freedesktop.DBus.Error.ServiceUnknown"]
