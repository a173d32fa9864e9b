"""Fakes of the ports that tests drive by hand, each held to its port's contract by the suites
in tests/adapters/contract/, and the recorded outputs the OS-facing fakes replay."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from pathlib import Path

# Written from ioreg's documented output format for IOHIDSystem (not captured: no Mac here).
IOREG_SAMPLE = """\
+-o Root  <class IORegistryEntry, id 0x100000100, retain 12>
  +-o IOResources  <class IOResources, id 0x100000103, registered, matched, active>
    +-o IOHIDSystem  <class IOHIDSystem, id 0x100000321, registered, matched, active>
        {
          "IOClass" = "IOHIDSystem"
          "HIDIdleTime" = 4512345678
          "HIDParameters" = {"HIDClickTime"=500000000}
        }
"""


def ioreg_output(idle_ns: int) -> str:
    """IOREG_SAMPLE with another HIDIdleTime (nanoseconds)."""
    return IOREG_SAMPLE.replace("4512345678", str(idle_ns))


class ScriptedIdle:
    """An idle reader that answers from a script: each reading takes the next value, the last
    one stays; a value below zero is a failed reading (OSError), as the real readers fail."""

    name = "scripted"
    is_event_driven = False

    def __init__(self, values: list[float]) -> None:
        self.values = values
        self.is_closed = False

    def idle_seconds(self) -> float:
        if self.values and self.values[0] < 0:
            if len(self.values) > 1:
                self.values.pop(0)
            raise OSError("the scripted source went away")
        if len(self.values) > 1:
            return self.values.pop(0)
        return self.values[0]

    def close(self) -> None:
        self.is_closed = True


# Commands a login entry must carry whole, each a trap for one system's quoting.
COMMANDS = {
    "plain": ["/usr/bin/pointbreak"],
    "spaces": ["/home/Jo Doe/My Apps/venv/bin/pointbreak"],
    "non-ascii": ["/home/zoë/Prögramme/pointbreak", "--flag"],
    "specials": ['/opt/we"ird/$HOME/back\\slash/50%/pointbreak'],
    "windows": [r"C:\Users\Jo Doe\AppData\Local\Programs\Pointbreak\pointbreak-tray.exe"],
}


HOLDER = "import sys, time; f = open(sys.argv[1], 'rb'); print('open', flush=True); time.sleep(60)"


def hold(path: Path) -> subprocess.Popen[str]:
    """A process that holds the file open (until killed), once it has it open."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "open\n"
    return holder


class Posted:
    """Where a detector posts: each event with the thread it came on."""

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[object, str]] = queue.Queue()

    def __call__(self, event: object) -> None:
        self.events.put((event, threading.current_thread().name))

    def next(self, timeout: float = 10) -> tuple[object, str]:
        return self.events.get(timeout=timeout)

    def none_within(self, seconds: float) -> bool:
        try:
            self.events.get(timeout=seconds)
        except queue.Empty:
            return True
        return False
