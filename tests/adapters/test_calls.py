"""Do not disturb during a call: the microphone and the camera.

The Linux watchers run for real: a PulseAudio server started here with a null microphone and a
null speaker, `parecord` as the call; inotify and /proc for the camera, with a file standing in
for /dev/video0 (no camera exists here; the watcher is given the folder to look in). The Windows
consent store cannot exist here: it is read through a fake of winreg's API holding the layout
Windows documents and writes (ConsentStore\\<capability>\\<app> and \\NonPackaged\\<path with #>,
REG_QWORD LastUsedTimeStart/LastUsedTimeStop as FILETIMEs, Stop = 0 while in use)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from desktop import wait_for
from fake_ports import hold
from fake_winreg import FILETIME_2026, FakeConsentRegistry, app_entry, consent_store

from tray.adapters.quiet import calls
from tray.core.events import QuietEnded, QuietStarted

SOURCES = "0\tmic\tmodule-null-source.c\ts16le 2ch 44100Hz\tIDLE\n" \
          "1\tspeaker.monitor\tmodule-null-sink.c\ts16le 2ch 44100Hz\tRUNNING\n"


def test_recording_streams_leave_out_monitors() -> None:
    outputs = "4\t0\t7\tprotocol-native.c\ts16le 1ch 16000Hz\n" \
              "5\t1\t8\tprotocol-native.c\tfloat32le 2ch 48000Hz\n"
    assert calls.recording_streams(SOURCES, outputs) == ["4"]
    assert calls.recording_streams(SOURCES, "5\t1\t8\tprotocol-native.c\tx\n") == []
    assert calls.recording_streams(SOURCES, "") == []
    assert calls.recording_streams("", "garbage line\n\n") == []


@pytest.mark.parametrize(("line", "wanted"), [
    ("Event 'new' on source-output #12\n", True),
    ("Event 'remove' on source-output #12\n", True),
    ("Event 'change' on source-output #12\n", False),  # volume moves: not a new call
    ("Event 'new' on sink-input #3\n", False),
    ("Event 'change' on server\n", False),
])
def test_which_pactl_events_matter(line: str, wanted: bool) -> None:
    assert calls.is_stream_event(line) is wanted


def _events() -> tuple[queue.Queue, Callable[[object], None]]:
    events: queue.Queue = queue.Queue()
    return events, events.put


def test_a_recording_from_the_microphone_holds_and_its_end_releases(pulse) -> None:
    events, post = _events()
    watcher = calls.PulseMicrophoneWatcher(post)
    watcher.start()
    try:
        assert events.empty() and not watcher._state.is_on
        # Recording what the speaker plays (a level meter, a screen recorder) is not a call.
        meter = subprocess.Popen(["parecord", "-d", "speaker.monitor", os.devnull], env=pulse)
        wait_for(lambda: "protocol-native" in subprocess.run(
            ["pactl", "list", "short", "source-outputs"], env=pulse, capture_output=True,
            text=True).stdout, what="the meter's stream")
        call = subprocess.Popen(["parecord", "-d", "mic", os.devnull], env=pulse)
        assert events.get(timeout=10) == QuietStarted("microphone")
        call.send_signal(signal.SIGINT)
        call.wait(10)
        assert events.get(timeout=10) == QuietEnded("microphone")
        meter.kill()
        meter.wait()
        assert events.empty()
    finally:
        watcher.stop()


def test_the_microphone_watch_needs_pactl_and_a_server(monkeypatch, tmp_path) -> None:
    with pytest.raises(OSError, match="pactl is not installed"):
        calls.PulseMicrophoneWatcher(lambda e: None, pactl="no-such-pactl")
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path}/nothing-here")
    watcher = calls.PulseMicrophoneWatcher(lambda e: None)
    with pytest.raises(subprocess.CalledProcessError):
        watcher.start()  # the tray logs this and goes on without the microphone


def test_a_process_holding_a_camera_open_holds_and_its_exit_releases(tmp_path: Path) -> None:
    (tmp_path / "video0").write_bytes(b"")
    (tmp_path / "null").write_bytes(b"")
    events, post = _events()
    watcher = calls.CameraWatcher(post, folder=tmp_path)
    watcher.start()
    assert events.empty()
    # Other devices in the folder are not cameras.
    other = hold(tmp_path / "null")
    for device in ("video0", "video2"):
        if device == "video2":  # a camera plugged in later is watched too
            (tmp_path / device).write_bytes(b"")
            wait_for(lambda: len(watcher._devices) == 2, what="the new camera watched")
        camera = hold(tmp_path / device)
        assert events.get(timeout=10) == QuietStarted("camera")
        camera.kill()
        camera.wait()
        assert events.get(timeout=10) == QuietEnded("camera")
    other.kill()
    other.wait()
    assert events.empty()


def test_inotify_events_are_parsed_with_their_padding() -> None:
    raw = calls._EVENT.pack(1, calls.IN_OPEN, 0, 0) + \
        calls._EVENT.pack(2, calls.IN_CREATE, 0, 16) + b"video1".ljust(16, b"\0")
    assert list(calls.inotify_names(raw)) == [(1, calls.IN_OPEN, ""),
                                             (2, calls.IN_CREATE, "video1")]


# --- Windows: the consent store ----------------------------------------------------------------


def test_the_consent_store_tells_which_apps_use_the_microphone_and_camera() -> None:
    registry = FakeConsentRegistry(consent_store(
        microphone={
            "Microsoft.WindowsSoundRecorder_8wekyb3d8bbwe":
                app_entry(FILETIME_2026, FILETIME_2026 + 5),
            "NonPackaged": {
                "C:#Program Files#Zoom#bin#Zoom.exe": app_entry(FILETIME_2026, 0),  # in a call
                "C:#Tools#never-used.exe": {"Value": "Allow"},  # allowed, never used
            }},
        webcam={"Microsoft.WindowsCamera_8wekyb3d8bbwe":
                app_entry(FILETIME_2026, FILETIME_2026 + 9)}))
    assert calls.apps_in_use(registry, "microphone") == [r"C:\Program Files\Zoom\bin\Zoom.exe"]
    assert calls.apps_in_use(registry, "webcam") == []
    assert calls.apps_in_use(registry, "bluetooth") == []  # no such key: nothing in use
    assert registry.open_handles == 0


def test_the_windows_poll_posts_changes_for_each_capability() -> None:
    microphone: dict = {"NonPackaged": {}}
    webcam: dict = {}
    registry = FakeConsentRegistry(consent_store(microphone, webcam))
    posted: list = []
    poll = calls.WindowsCallPoll(posted.append, registry=registry)
    poll.check()
    assert posted == []
    store = registry.tree
    for part in calls.CONSENT_STORE.split("\\"):
        store = store[part]
    store["webcam"]["Microsoft.Teams_8wekyb3d8bbwe"] = app_entry(FILETIME_2026, 0)
    store["microphone"]["NonPackaged"]["C:#Apps#call.exe"] = app_entry(FILETIME_2026, 0)
    poll.check()
    poll.check()
    assert posted == [QuietStarted("microphone"), QuietStarted("camera")]
    store["webcam"]["Microsoft.Teams_8wekyb3d8bbwe"]["LastUsedTimeStop"] = FILETIME_2026 + 1
    poll.check()
    assert posted[2:] == [QuietEnded("camera")]
