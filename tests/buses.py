"""Private peers for the ports' contract tests, each started here and ended here: a D-Bus bus
(dbus-daemon), a bare X server (Xvfb), so a test can make them vanish under a live adapter.
On a system that cannot run a peer (Windows and macOS in CI) its tests are skipped, saying
so, as the end-to-end tests are."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from desktop import wait_for


def require(kind: str) -> None:
    """Skip unless this system can run such a peer: "linux" (Xvfb, dbus-daemon, PulseAudio,
    inotify) or "posix" (a stand-in command written as a sh script)."""
    if kind == "linux" and not sys.platform.startswith("linux"):
        pytest.skip("this peer (Xvfb, D-Bus, PulseAudio or inotify) runs on Linux only")
    if kind == "posix" and sys.platform == "win32":
        pytest.skip("the stand-in command is a sh script, and a FIFO needs POSIX")


@dataclass
class Peer:
    address: str  # the bus address, or the X display
    pid: int

    def vanish(self) -> None:
        """End it (idempotent), and wait until it is gone."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)  # ours (Xvfb); dbus-daemon forked away, so not ours

        def gone() -> bool:  # no such process, or only its exit status is left (a zombie)
            try:
                stat = Path(f"/proc/{self.pid}/stat").read_text()
            except FileNotFoundError:
                return True
            return stat.rsplit(")", 1)[1].split()[0] == "Z"

        wait_for(gone, what=f"process {self.pid} to end")


@contextlib.contextmanager
def private_bus(env: dict[str, str] | None = None) -> Iterator[Peer]:
    """A dbus-daemon of its own (session configuration: it starts services such as
    dconf-service on demand, in `env`)."""
    out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1",
                          "--print-pid=1"], capture_output=True, text=True, check=True,
                         env=env).stdout.split()
    bus = Peer(out[0], int(out[1]))
    try:
        yield bus
    finally:
        bus.vanish()


@contextlib.contextmanager
def private_x() -> Iterator[Peer]:
    """A bare Xvfb (no window manager) on a free display."""
    require("linux")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-noreset", "-screen", "0",
                               "640x480x24", "-nolisten", "tcp"], pass_fds=(write_fd,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as reader:
        number = reader.readline().strip()
    x = Peer(f":{number}", server.pid)
    try:
        yield x
    finally:
        x.vanish()
        server.wait()
