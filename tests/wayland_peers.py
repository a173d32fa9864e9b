"""Wayland compositors for the idle reader's tests, each started here and ended here by its PID:
KWin (`kwin_wayland --virtual`, which offers ext_idle_notifier_v1 and, with its permission
checks off, org_kde_kwin_fake_input to move the pointer), sway 1.7 headless (org_kde_kwin_idle
only), and a scripted compositor in this process that speaks the same messages and can be
told to misbehave.

Both real ones refuse root: as root they run as `nobody`, with a HOME and a runtime folder of
their own; root's test process reaches their socket all the same. KWin runs from a copy of its
binary, which `cp` leaves without the file capability (cap_sys_resource) that `nobody` may not
take. KWin offers fake input only to a client whose executable it can read, so the input
helper (tests/wayland_input.py) runs as the compositor's user, with Debian's python3."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from desktop import wait_for

TESTS = Path(__file__).resolve().parent
NOBODY = 65534


def require_compositor(command: str) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the Wayland compositors run on Linux only")
    if shutil.which(command) is None:
        pytest.fail(f"missing {command}: `bash tests/run.sh` installs it")


def _as_compositor_user() -> list[str]:
    """The command prefix that runs a program as the compositor's user (nobody, for root)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@dataclass
class Compositor:
    socket: str  # its absolute path: what WAYLAND_DISPLAY may name
    process: subprocess.Popen[bytes]
    env: dict[str, str]  # its user's own (HOME, XDG_RUNTIME_DIR, then WAYLAND_DISPLAY)
    log: Path
    _input: subprocess.Popen[str] | None = field(default=None, repr=False)

    def move_pointer(self) -> None:
        """Real input, returned from once the compositor has taken it: KWin's through
        org_kde_kwin_fake_input, sway's through its IPC (`swaymsg seat - cursor move`)."""
        ipc = list(Path(self.env["XDG_RUNTIME_DIR"]).glob("sway-ipc.*.sock"))
        if ipc:
            subprocess.run([*_as_compositor_user(), "swaymsg", "seat", "-", "cursor", "move",
                            "10", "10"], env=dict(self.env, SWAYSOCK=str(ipc[0])), check=True,
                           capture_output=True, timeout=10)
            return
        if self._input is None:
            self._input = subprocess.Popen(
                [*_as_compositor_user(), "/usr/bin/python3", str(TESTS / "wayland_input.py")],
                env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                bufsize=1)
            assert self._input.stdout is not None
            line = self._input.stdout.readline().strip()
            assert line == "ready", f"the input helper said {line!r}; {self.log.read_text()}"
        assert self._input.stdin is not None and self._input.stdout is not None
        self._input.stdin.write("move\n")
        assert self._input.stdout.readline().strip() == "moved"

    def vanish(self) -> None:
        """End it (idempotent) and wait until it is gone."""
        if self._input is not None:
            self._input.kill()
            self._input.wait()
            self._input = None
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)


@contextlib.contextmanager
def _compositor(command: list[str], extra_env: dict[str, str],
                copy_binary: str | None = None) -> Iterator[Compositor]:
    folder = Path(tempfile.mkdtemp(prefix="pb-wl-", dir="/tmp"))
    home, runtime = folder / "home", folder / "run"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    if copy_binary is not None:  # a copy: no file capabilities, and keep its name
        binary = folder / "bin" / Path(copy_binary).name
        binary.parent.mkdir()
        shutil.copy(copy_binary, binary)
        command = [str(binary), *command]
    if os.geteuid() == 0:
        folder.chmod(0o755)
        for path in (home, runtime):
            os.chown(path, NOBODY, NOBODY)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime),
           "LANG": "C.UTF-8", **extra_env}
    log = folder / "compositor.log"
    with log.open("wb") as out:
        process = subprocess.Popen([*_as_compositor_user(), *command], env=env, cwd=home,
                                   stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    compositor = Compositor("", process, env, log)
    try:
        def listening() -> list[Path]:  # KWin's is the name it is given; sway's wayland-N
            if process.poll() is not None:
                raise AssertionError(f"{command[0]} ended: {log.read_text()[-2000:]}")
            return [p for p in runtime.iterdir()
                    if p.is_socket() and p.name.startswith(("wl-", "wayland-"))]

        found = wait_for(listening, timeout=30, what=f"{Path(command[0]).name}'s socket")[0]
        compositor.socket, env["WAYLAND_DISPLAY"] = str(found), found.name
        yield compositor
    finally:
        compositor.vanish()
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def kwin() -> Iterator[Compositor]:
    require_compositor("kwin_wayland")
    with _compositor(["--virtual", "--no-lockscreen", "--socket", "wl-pb"],
                     {"KWIN_WAYLAND_NO_PERMISSION_CHECKS": "1"},
                     copy_binary=shutil.which("kwin_wayland")) as compositor:
        yield compositor


@contextlib.contextmanager
def sway() -> Iterator[Compositor]:
    require_compositor("sway")
    folder = Path(tempfile.mkdtemp(prefix="pb-sway-", dir="/tmp"))
    config = folder / "config"
    config.write_text("output HEADLESS-1 resolution 800x600\n")
    folder.chmod(0o755)
    config.chmod(0o644)
    try:
        with _compositor(["sway", "-c", str(config)],
                         {"WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman",
                          "WLR_LIBINPUT_NO_DEVICES": "1"}) as found:
            yield found
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- a scripted compositor ---------------------------------------------------------------------

SEAT, EXT, KDE = 1, 2, 3  # the global names it offers


class ScriptedCompositor:
    """A compositor in a thread of this process, on a socket of its own, for one client: it
    answers the registry, `sync` and the binds, records the idle notifications asked for, and
    sends what a test tells it to (well-formed events, or any bytes at all)."""

    def __init__(self, folder: Path, offers: tuple[str, ...] = ("ext_idle_notifier_v1",),
                 answers: bool = True) -> None:
        self.path = str(folder / "wl-scripted")
        self.offers, self.answers = offers, answers
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(self.path)
        self._server.listen(1)
        self.client: socket.socket | None = None
        self.bound: dict[int, str] = {}  # client's id -> interface
        self.notifications: list[tuple[int, int]] = []  # (id, timeout ms), as asked
        self.asked = threading.Condition()
        self.on_sync: Callable[[int], bytes] = self.done  # what a sync is answered with
        self._last_id = 1  # wl_display's
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @staticmethod
    def message(target: int, opcode: int, payload: bytes = b"") -> bytes:
        return struct.pack("=II", target, (8 + len(payload)) << 16 | opcode) + payload

    @staticmethod
    def text(value: str) -> bytes:
        data = value.encode() + b"\0"
        return struct.pack("=I", len(data)) + data + b"\0" * (-len(data) % 4)

    def done(self, callback: int) -> bytes:
        return self.message(callback, 0, struct.pack("=I", 1))

    def send(self, data: bytes) -> None:
        assert self.client is not None
        self.client.sendall(data)

    def idled(self, which: int = 0) -> None:
        self.send(self.message(self.notifications[which][0], 0))

    def resumed(self, which: int = 0) -> None:
        self.send(self.message(self.notifications[which][0], 1))

    def wait_for_notifications(self, count: int) -> None:
        with self.asked:
            assert self.asked.wait_for(lambda: len(self.notifications) >= count, 5), \
                self.notifications

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            self.client, _ = self._server.accept()
            buffer = b""
            while data := self.client.recv(4096):
                buffer += data
                while len(buffer) >= 8:
                    target, word = struct.unpack_from("=II", buffer)
                    size = word >> 16
                    if len(buffer) < size:
                        break
                    self._request(target, word & 0xFFFF, buffer[8:size])
                    buffer = buffer[size:]

    def _new_id(self, oid: int, request: str) -> bool:
        """As libwayland: a new id must be the next one, or the client is cut off."""
        if oid != self._last_id + 1:
            self.send(self.message(1, 0, struct.pack("=II", 1, 1) + self.text(
                f"invalid arguments for {request}")))
            return False
        self._last_id = oid
        return True

    def _request(self, target: int, opcode: int, payload: bytes) -> None:
        words = [struct.unpack_from("=I", payload, at)[0] for at in range(0, len(payload), 4)]
        new_id = {(1, 0): 0, (1, 1): 0}.get((target, opcode))
        if new_id is not None and not self._new_id(words[new_id], "wl_display@1"):
            return
        if target == 1 and opcode == 1:  # get_registry
            for name, interface in ((SEAT, "wl_seat"), (EXT, "ext_idle_notifier_v1"),
                                    (KDE, "org_kde_kwin_idle")):
                if interface == "wl_seat" or interface in self.offers:
                    self.send(self.message(words[0], 0, struct.pack("=I", name)
                                           + self.text(interface) + struct.pack("=I", 1)))
        elif target == 1 and opcode == 0 and self.answers:  # sync
            self.send(self.on_sync(words[0]))
        elif opcode == 0 and len(words) > 2 and target not in self.bound:  # registry.bind
            interface = payload[8:8 + words[1] - 1].decode()
            if self._new_id(words[-1], f"wl_registry@{target}.bind"):
                self.bound[words[-1]] = interface
        elif self.bound.get(target) in ("ext_idle_notifier_v1", "org_kde_kwin_idle"):
            interface = self.bound[target]
            # ext: get_idle_notification(id, timeout, seat) = 1; kde: (id, seat, timeout) = 0
            oid, timeout, seat = (words if interface == "ext_idle_notifier_v1"
                                  else (words[0], words[2], words[1]))
            expected = 1 if interface == "ext_idle_notifier_v1" else 0
            if opcode != expected or self.bound.get(seat) != "wl_seat":
                self.send(self.message(1, 0, struct.pack("=II", target, 1) + self.text(
                    f"invalid arguments for {interface}@{target}")))
                return
            if not self._new_id(oid, f"{interface}@{target}"):
                return
            with self.asked:
                self.notifications.append((oid, timeout))
                self.asked.notify_all()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            if self.client is not None:
                self.client.shutdown(socket.SHUT_RDWR)
        self._server.close()
        self._thread.join(5)


def ends(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
