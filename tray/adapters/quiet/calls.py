"""Do not disturb during a call: the microphone or the camera in use, as QuietStarted/QuietEnded.

- Linux microphone: PulseAudio's (or PipeWire's pulse server's) source outputs, through `pactl`:
  one `pactl subscribe` child for the tray's life tells when a recording stream comes or goes,
  and only then is the list read again. Streams recording a monitor (a speaker's output: level
  meters, screen recorders) are not a call.
- Linux camera: a process holding /dev/video* open. inotify on each device node (IN_OPEN,
  IN_CLOSE) says when to look; /proc/*/fd says who still holds one. No polling.
- Windows: the CapabilityAccessManager consent store, where Windows itself records which app
  uses the microphone or the camera (the privacy indicator): an entry whose LastUsedTimeStop is
  0 is in use now. Read on the minute tick; there is no change notification.
- macOS: no public API short of AVFoundation/CoreAudio from Objective-C; not detected.
"""

from __future__ import annotations

import ctypes
import logging
import os
import select
import shutil
import struct
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from tray.adapters.quiet.reasons import Reason
from tray.base.i18n import _
from tray.core.events import Event

log = logging.getLogger(__name__)

MICROPHONE = "microphone"
CAMERA = "camera"


# --- Linux microphone: pactl ------------------------------------------------------------------


def recording_streams(sources: str, outputs: str) -> list[str]:
    """Pure: the source outputs of `pactl list short source-outputs` that record a real input,
    given `pactl list short sources` (index, name, ...). Monitors are not microphones."""
    monitors = set()
    for line in sources.splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and fields[1].endswith(".monitor"):
            monitors.add(fields[0])
    streams = []
    for line in outputs.splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and fields[0].strip().isdigit() and fields[1] not in monitors:
            streams.append(fields[0])
    return streams


def is_stream_event(line: str) -> bool:
    """Pure: a `pactl subscribe` line about a recording stream coming or going."""
    return line.startswith("Event ") and "source-output" in line and "'change'" not in line


class PulseMicrophoneWatcher:
    def __init__(self, post: Callable[[Event], None], pactl: str = "pactl") -> None:
        found = shutil.which(pactl)
        if found is None:
            raise OSError(_("{program} is not installed (Debian: {package})").format(
                program="pactl", package="pulseaudio-utils"))
        self._pactl = found
        self._state = Reason(post, MICROPHONE)
        self._child: subprocess.Popen[str] | None = None

    def _run(self, *args: str) -> str:
        return subprocess.run([self._pactl, *args], capture_output=True, text=True, timeout=5,
                              check=True, env={**os.environ, "LC_ALL": "C"}).stdout

    def check(self) -> None:
        try:
            streams = recording_streams(self._run("list", "short", "sources"),
                                        self._run("list", "short", "source-outputs"))
        except (OSError, subprocess.SubprocessError) as error:
            log.info("cannot list recording streams: %s", error)
            streams = []
        self._state.set(bool(streams))

    RETRY_SECONDS = (5, 15, 60)  # after the sound server went away (a restart, an upgrade)

    def start(self) -> None:
        self._run("info")  # fails here, not in the thread, when there is no sound server
        self._stopped = threading.Event()
        self._subscribe()
        threading.Thread(target=self._loop, name="pointbreak-microphone", daemon=True).start()

    def _subscribe(self) -> None:
        self._child = subprocess.Popen([self._pactl, "subscribe"], stdout=subprocess.PIPE,
                                       stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       text=True, env={**os.environ, "LC_ALL": "C"})
        self.check()

    def stop(self) -> None:
        self._stopped.set()
        if self._child is not None and self._child.poll() is None:
            self._child.terminate()

    def _loop(self) -> None:
        failures = 0
        while not self._stopped.is_set():
            assert self._child is not None and self._child.stdout is not None
            for line in self._child.stdout:
                failures = 0
                if is_stream_event(line):
                    self.check()
            self._child.wait()
            self._state.set(False)
            if self._stopped.is_set():
                return
            wait = self.RETRY_SECONDS[min(failures, len(self.RETRY_SECONDS) - 1)]
            failures += 1
            log.info("microphone watch: pactl subscribe ended (the sound server restarted?); "
                     "again in %s s", wait)
            if self._stopped.wait(wait):
                return
            try:
                self._subscribe()
            except OSError as error:
                log.info("microphone watch: pactl cannot start: %s", error)


# --- Linux camera: inotify on /dev/video*, /proc/*/fd ------------------------------------------

IN_OPEN, IN_CLOSE_WRITE, IN_CLOSE_NOWRITE = 0x20, 0x08, 0x10
IN_CREATE, IN_DELETE, IN_CLOEXEC = 0x100, 0x200, 0o2000000
_EVENT = struct.Struct("iIII")  # struct inotify_event: wd, mask, cookie, len (then the name)


def inotify_names(buffer: bytes) -> Iterator[tuple[int, int, str]]:
    """Pure: (watch, mask, name) of each struct inotify_event in a read()'s bytes."""
    offset = 0
    while offset + _EVENT.size <= len(buffer):
        watch, mask, _, length = _EVENT.unpack_from(buffer, offset)
        raw = buffer[offset + _EVENT.size: offset + _EVENT.size + length]
        yield watch, mask, raw.rstrip(b"\0").decode("utf-8", "replace")
        offset += _EVENT.size + length


def holders(devices: Iterable[Path], proc: Path = Path("/proc")) -> set[int]:
    """The processes (that this user may look at) holding one of these files open."""
    wanted = {str(d) for d in devices}
    found: set[int] = set()
    if not wanted:
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) in wanted:
                    found.add(int(entry.name))
                    break
        except OSError:  # not ours to read, or gone meanwhile
            continue
    return found


class CameraWatcher:
    SETTLE = 0.5  # seconds: an app probing every camera opens and closes them in a burst

    def __init__(self, post: Callable[[Event], None], folder: Path = Path("/dev"),
                 prefix: str = "video") -> None:
        self._libc = ctypes.CDLL(None, use_errno=True)
        self._folder, self._prefix = folder, prefix
        self._state = Reason(post, CAMERA)
        fd = self._libc.inotify_init1(IN_CLOEXEC)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self._fd = fd
        self._wake_read, self._wake_write = os.pipe()  # stop() writes: the thread ends
        self._stop_lock = threading.Lock()
        self._stopping = False
        self._folder_watch = self._add(folder, IN_CREATE | IN_DELETE)
        self._devices: dict[int, Path] = {}
        for device in self.devices():
            self._watch_device(device)

    def _add(self, path: Path, mask: int) -> int:
        watch = self._libc.inotify_add_watch(self._fd, os.fsencode(path), mask)
        if watch < 0:
            error = ctypes.get_errno()
            raise OSError(error, f"cannot watch {path}: {os.strerror(error)}")
        return int(watch)

    def devices(self) -> list[Path]:
        return sorted(self._folder.glob(self._prefix + "*"))

    def _watch_device(self, device: Path) -> None:
        try:
            self._devices[self._add(device, IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE)] = device
        except OSError as error:
            log.info("camera %s is not watched: %s", device, error)

    def check(self) -> None:
        self._state.set(bool(holders(self.devices())))

    def start(self) -> None:
        self.check()
        self.thread = threading.Thread(target=self._loop, name="pointbreak-camera", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        with self._stop_lock:  # once: the thread closes the pipe when it sees the byte
            if not self._stopping:
                self._stopping = True
                os.write(self._wake_write, b"x")

    def _loop(self) -> None:
        while True:
            try:
                ready = select.select([self._fd, self._wake_read], [], [])[0]
                if self._wake_read in ready:
                    for fd in (self._fd, self._wake_read, self._wake_write):
                        os.close(fd)
                    return
                buffer = os.read(self._fd, 4096)
                # Let a burst of opens and closes settle, then look once.
                while select.select([self._fd], [], [], self.SETTLE)[0]:
                    buffer += os.read(self._fd, 4096)
                for watch, mask, name in inotify_names(buffer):
                    if (watch == self._folder_watch and mask & IN_CREATE
                            and name.startswith(self._prefix)):
                        self._watch_device(self._folder / name)
                self.check()
            except Exception:  # the thread's edge: log, stop watching, never hold for ever
                log.exception("camera watch ended")
                self._state.set(False)
                return


# --- Windows: the CapabilityAccessManager consent store ----------------------------------------

CONSENT_STORE = r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"
CAPABILITIES = {"microphone": MICROPHONE, "webcam": CAMERA}


def _subkeys(registry: Any, key: Any) -> Iterator[str]:
    index = 0
    while True:
        try:
            yield registry.EnumKey(key, index)
        except OSError:  # ERROR_NO_MORE_ITEMS
            return
        index += 1


def _in_use(registry: Any, key: Any) -> bool:
    """An app's entry: in use when it started and has not stopped (LastUsedTimeStop = 0)."""
    try:
        start = registry.QueryValueEx(key, "LastUsedTimeStart")[0]
        stop = registry.QueryValueEx(key, "LastUsedTimeStop")[0]
    except OSError:
        return False
    return isinstance(start, int) and start > 0 and stop == 0


def apps_in_use(registry: Any, capability: str) -> list[str]:
    """The apps the consent store says use a capability now: packaged apps under the
    capability's key, desktop apps under its NonPackaged key (paths with '#' for '\\')."""
    found: list[str] = []
    try:
        root = registry.OpenKey(registry.HKEY_CURRENT_USER, rf"{CONSENT_STORE}\{capability}")
    except OSError:
        return found
    with root:
        for name in list(_subkeys(registry, root)):
            try:
                with registry.OpenKey(root, name) as app:
                    if name == "NonPackaged":
                        for path in list(_subkeys(registry, app)):
                            with registry.OpenKey(app, path) as desktop_app:
                                if _in_use(registry, desktop_app):
                                    found.append(path.replace("#", "\\"))
                    elif _in_use(registry, app):
                        found.append(name)
            except OSError:  # removed meanwhile
                continue
    return found


class WindowsCallPoll:
    """Asked on the minute tick (Windows tells no one when the indicator changes)."""

    def __init__(self, post: Callable[[Event], None], registry: Any = None) -> None:
        if registry is None:
            import importlib

            registry = importlib.import_module("winreg")
        self._registry = registry
        self._states = {capability: Reason(post, reason)
                        for capability, reason in CAPABILITIES.items()}

    def check(self) -> None:
        for capability, state in self._states.items():
            state.set(bool(apps_in_use(self._registry, capability)))
