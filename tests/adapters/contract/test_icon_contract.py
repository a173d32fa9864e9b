"""The tray icon port's contract (tray.adapters.icon.Icon), run against each pystray backend
this system has, on the test desktop (Xvfb, openbox, trayer), each in a process of its own (a
pystray backend is chosen once, at its import): `show` never blocks, from before the loop runs
or from another thread, and the newest view wins; `setup` runs on `pointbreak-start`; `stop` is
idempotent and ends `run` on the main thread; its capabilities are its backend's. (The icon
clicked for real is in tests/e2e/test_tray_e2e.py.)"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e

PROBE = r"""
import threading, time
from tray.adapters.icon import Actions, Capabilities, TrayIcon, View
from tray.core.model import Mode

def nothing(*_args):
    pass

icon = TrayIcon(Actions(*[nothing] * len(Actions.__dataclass_fields__)))
started = time.monotonic()
icon.show(View(mode=Mode.DUE, tooltip="before the loop"))
print("show before run returns at once:", time.monotonic() - started < 0.5)
can = icon.capabilities()
print("capabilities:", isinstance(can, Capabilities), can.backend, can.has_menu == icon.has_menu)
LAST = "the newest view"

def setup():
    print("setup runs on:", threading.current_thread().name)
    started = time.monotonic()
    for mode in Mode:
        icon.show(View(mode=mode, tooltip=str(mode)))
    icon.show(View(mode=Mode.DONE, tooltip=LAST))
    print("show from another thread returns at once:", time.monotonic() - started < 0.5)
    deadline = time.monotonic() + 10
    while icon.icon.title != LAST and time.monotonic() < deadline:
        time.sleep(0.05)
    print("the newest view is shown:", icon.icon.title == LAST)
    print("it is applied on:", sorted(t.name for t in threading.enumerate()
                                      if t.name == "pointbreak-icon"))
    icon.stop()
    icon.stop()

icon.run(setup)
print("run returned on the main thread:", threading.current_thread() is threading.main_thread())
"""


def _backends() -> list[str]:
    found = ["xorg"]
    try:
        import gi  # noqa: F401
    except ImportError:
        return found
    return [*found, "gtk", "appindicator"]


@pytest.mark.parametrize("backend", _backends())
def test_the_icon_keeps_the_ports_promises(backend: str, desktop) -> None:
    env = {**os.environ, **desktop.env, "PYSTRAY_BACKEND": backend}
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        "show before run returns at once: True",
        f"capabilities: True {backend} True",
        "setup runs on: pointbreak-start",
        "show from another thread returns at once: True",
        "the newest view is shown: True",
        "it is applied on: ['pointbreak-icon']",
        "run returned on the main thread: True",
    ], result.stdout + result.stderr
