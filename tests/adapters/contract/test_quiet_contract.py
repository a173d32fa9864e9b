"""The do-not-disturb port's contract (tray.adapters.quiet.Watcher and Poll), run against every
detector with its real peer: the X11 fullscreen watcher on an Xvfb of its own with openbox and a
real fullscreen Tk window; GNOME's show-banners through gsettings and dconf on a private bus;
the microphone on a real PulseAudio server (parecord as the call); the camera through inotify
and /proc on a file standing in for /dev/video0; Windows' two polls through their seams
(SHQueryUserNotificationState's number, the consent store in tests/fake_winreg.py).

Each harness can make its reason come (`start_it`), go (`end_it`), and its peer vanish."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from buses import private_x, require
from desktop import wait_for
from fake_ports import Posted, hold
from fake_winreg import FILETIME_2026, FakeConsentRegistry, app_entry, consent_store

from tray.adapters import quiet
from tray.adapters.quiet import calls
from tray.core.events import QuietEnded, QuietStarted

# A thread that dies of an error is a broken promise here, not a warning.
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
TESTS = Path(__file__).resolve().parents[2]


@dataclass
class Harness:
    make: Callable[[Posted], quiet.Watcher]
    reason: str
    thread: str  # the name of its thread
    start_it: Callable[[], None]
    end_it: Callable[[], None]
    vanish: Callable[[], None]
    cleanups: list[Callable[[], None]] = field(default_factory=list)


def x11() -> Iterator[Harness]:
    with private_x() as x:
        env = {**os.environ, "DISPLAY": x.address}
        manager = subprocess.Popen(["openbox", "--sm-disable"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        windows: list[subprocess.Popen[str]] = []

        def start_it() -> None:
            window = subprocess.Popen([sys.executable, str(TESTS / "fullscreen_window.py")],
                                      env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      text=True, bufsize=1)
            windows.append(window)
            assert window.stdout is not None and window.stdout.readline().strip() == "shown"
            wait_for(is_fullscreen, what="the window active and fullscreen")

        def is_fullscreen() -> bool:  # as the window manager says, read with xprop
            active = subprocess.run(["xprop", "-root", "_NET_ACTIVE_WINDOW"], env=env, text=True,
                                    capture_output=True).stdout.split()[-1]
            state = subprocess.run(["xprop", "-id", active, "_NET_WM_STATE"], env=env, text=True,
                                   capture_output=True).stdout
            return "_NET_WM_STATE_FULLSCREEN" in state

        def end_it() -> None:
            assert windows[-1].stdin is not None
            windows[-1].stdin.write("leave\n")

        harness = Harness(lambda post: quiet.X11FullscreenWatcher(post, x.address),
                          quiet.FULLSCREEN, "pointbreak-fullscreen", start_it, end_it,
                          x.vanish)
        try:
            yield harness
        finally:
            for process in [*windows, manager]:
                process.kill()
                process.wait()


def gnome(session_bus) -> Iterator[Harness]:
    def banners(value: str) -> Callable[[], None]:
        return lambda: subprocess.run(["gsettings", "set", "org.gnome.desktop.notifications",
                                       "show-banners", value], env=session_bus.env, check=True)

    yield Harness(quiet.GnomeBannersWatcher, quiet.DO_NOT_DISTURB, "pointbreak-gnome-dnd",
                  banners("false"), banners("true"), session_bus.bus.vanish)


def microphone(pulse: dict[str, str]) -> Iterator[Harness]:
    recordings: list[subprocess.Popen[bytes]] = []

    def start_it() -> None:  # returns once the server has the recording stream
        recordings.append(subprocess.Popen(["parecord", "-d", "mic", os.devnull], env=pulse))
        wait_for(lambda: subprocess.run(["pactl", "list", "short", "source-outputs"], env=pulse,
                                        capture_output=True, text=True).stdout.strip(),
                 what="the recording stream")

    def end_it() -> None:
        recordings[-1].kill()
        recordings[-1].wait()

    def vanish() -> None:
        subprocess.run(["pactl", "exit"], env=pulse, check=False)

    try:
        yield Harness(calls.PulseMicrophoneWatcher, calls.MICROPHONE, "pointbreak-microphone",
                      start_it, end_it, vanish)
    finally:
        for recording in recordings:
            recording.kill()
            recording.wait()


def camera(tmp_path: Path) -> Iterator[Harness]:
    device = tmp_path / "video0"
    device.write_bytes(b"")
    holders: list[subprocess.Popen[str]] = []

    def start_it() -> None:
        holders.append(hold(device))

    def end_it() -> None:
        holders[-1].kill()
        holders[-1].wait()

    try:  # it vanishes as a camera unplugged while in use
        yield Harness(lambda post: calls.CameraWatcher(post, folder=tmp_path), calls.CAMERA,
                      "pointbreak-camera", start_it, end_it, device.unlink)
    finally:
        for holder in holders:
            holder.kill()
            holder.wait()


WATCHERS: dict[str, Callable[..., Iterator[Harness]]] = {
    "x11-fullscreen": x11, "gnome": gnome, "microphone": microphone, "camera": camera}


@pytest.fixture(params=sorted(WATCHERS))
def harness(request) -> Iterator[Harness]:
    require("linux")  # each watches a Linux peer (X11, D-Bus, PulseAudio, inotify)
    make = WATCHERS[request.param]
    names = make.__code__.co_varnames[:make.__code__.co_argcount]
    yield from make(**{name: request.getfixturevalue(name) for name in names})


def _threads(name: str) -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name == name and t.is_alive()}


def test_start_posts_nothing_while_nothing_is_on(harness: Harness) -> None:
    posted = Posted()
    watcher = harness.make(posted)
    watcher.start()
    try:
        assert posted.none_within(0.5)
    finally:
        watcher.stop()


def test_on_and_off_are_posted_from_its_own_thread(harness: Harness) -> None:
    posted = Posted()
    watcher = harness.make(posted)
    watcher.start()
    try:
        harness.start_it()
        assert posted.next() == (QuietStarted(harness.reason), harness.thread)
        harness.end_it()
        assert posted.next() == (QuietEnded(harness.reason), harness.thread)
        assert posted.none_within(0.5)  # each change once
    finally:
        watcher.stop()


def test_what_is_on_at_start_is_posted_by_the_first_look(harness: Harness) -> None:
    harness.start_it()
    posted = Posted()
    watcher = harness.make(posted)
    watcher.start()
    try:
        event, _ = posted.events.get_nowait()  # posted before start returned
        assert event == QuietStarted(harness.reason)
    finally:
        watcher.stop()


def test_stop_is_idempotent_ends_its_thread_and_nothing_comes_after(harness: Harness) -> None:
    before = _threads(harness.thread)
    posted = Posted()
    watcher = harness.make(posted)
    watcher.start()
    assert _threads(harness.thread) - before  # it watches on a thread of its own
    watcher.stop()
    watcher.stop()
    wait_for(lambda: not _threads(harness.thread) - before, what="its thread to end")
    harness.start_it()
    assert posted.none_within(1.0)


def test_a_vanished_peer_releases_what_it_held(harness: Harness) -> None:
    posted = Posted()
    watcher = harness.make(posted)
    watcher.start()
    try:
        harness.start_it()
        assert posted.next()[0] == QuietStarted(harness.reason)
        harness.vanish()
        assert posted.next()[0] == QuietEnded(harness.reason)  # never held for ever
    finally:
        watcher.stop()  # and it stops without an error
        watcher.stop()


# --- the polls: Windows answers only when asked ----------------------------------------------


@dataclass
class PollHarness:
    poll: quiet.Poll
    answer: Callable[[str | None], None]  # what the system says next: a reason, or None
    vanish: Callable[[], None]  # the system's answer fails


def windows_quiet(posted: Posted) -> PollHarness:
    states = {None: 5, quiet.FULLSCREEN: 2, "presentation": 4}
    state = {"value": 5, "fails": False}

    def api() -> int:
        if state["fails"]:
            raise OSError("SHQueryUserNotificationState failed: 0x80004005")
        return state["value"]

    def answer(reason: str | None) -> None:
        state["value"] = states[reason]

    return PollHarness(quiet.WindowsQuietPoll(posted, api=api), answer,
                       lambda: state.update(fails=True))


def windows_calls(posted: Posted) -> PollHarness:
    registry = FakeConsentRegistry(consent_store({"NonPackaged": {}}, {}))
    store = registry.tree
    for part in calls.CONSENT_STORE.split("\\"):
        store = store[part]

    def answer(reason: str | None) -> None:
        apps = store["microphone"]["NonPackaged"]
        apps.clear()
        if reason is not None:
            apps["C:#Apps#call.exe"] = app_entry(FILETIME_2026, 0)

    def vanish() -> None:
        registry.is_denied = True

    return PollHarness(calls.WindowsCallPoll(posted, registry=registry), answer, vanish)


POLLS: dict[str, tuple[Callable[[Posted], PollHarness], str]] = {
    "windows-fullscreen": (windows_quiet, quiet.FULLSCREEN),
    "windows-calls": (windows_calls, calls.MICROPHONE)}


@pytest.mark.parametrize("name", sorted(POLLS))
def test_a_poll_posts_only_changes_on_the_asking_thread(name: str) -> None:
    make, reason = POLLS[name]
    posted = Posted()
    harness = make(posted)
    harness.poll.check()
    assert posted.none_within(0)
    harness.answer(reason)
    harness.poll.check()
    harness.poll.check()
    assert posted.next(0) == (QuietStarted(reason), threading.current_thread().name)
    assert posted.none_within(0)
    harness.answer(None)
    harness.poll.check()
    assert posted.next(0)[0] == QuietEnded(reason)


@pytest.mark.parametrize("name", sorted(POLLS))
def test_a_failed_answer_is_not_quiet_and_never_raises(name: str) -> None:
    make, reason = POLLS[name]
    posted = Posted()
    harness = make(posted)
    harness.answer(reason)
    harness.poll.check()
    assert posted.next(0)[0] == QuietStarted(reason)
    harness.vanish()
    harness.poll.check()
    harness.poll.check()
    assert posted.next(0)[0] == QuietEnded(reason)
    assert posted.none_within(0)


def test_every_detector_of_the_port_is_held_to_the_contract() -> None:
    """The detectors start_watchers can start, by what makes them."""
    import inspect

    def is_detector(cls: type) -> bool:
        if cls in (quiet.Watchers, quiet.Watcher, quiet.Poll):  # the port's own
            return False
        watches = hasattr(cls, "start") and hasattr(cls, "stop")
        polls = hasattr(cls, "check") and not hasattr(cls, "start")
        return watches or polls

    made = {cls.__name__ for module in (quiet, calls)
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if cls.__module__ == module.__name__ and is_detector(cls)}
    assert made == {"X11FullscreenWatcher", "GnomeBannersWatcher", "PulseMicrophoneWatcher",
                    "CameraWatcher", "WindowsQuietPoll", "WindowsCallPoll"}
    assert len(WATCHERS) + len(POLLS) == len(made)
