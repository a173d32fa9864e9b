"""The xorg backend's two fixes are a subclass of pystray's own Icon, applied only to the pystray
versions they were checked on; a newer pystray is said in the log and runs unmended. (The fixes
themselves are proven end to end: tests/e2e/test_tray_e2e.py changes the icon, then clicks it.)"""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import logging, sys
logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(levelname)s %(message)s")
import pystray
from tray.adapters import icon
from tray.adapters.icon import pystray_backend
assert pystray.Icon.__module__ == "pystray._xorg", pystray.Icon.__module__
chosen = pystray_backend._icon_class(pystray)
print("chosen", chosen.__name__, issubclass(chosen, pystray.Icon))
print("backend", icon.backend_name(chosen))
from pystray import _info  # where pystray says its version
_info.__version__ = (0, 20, 0)
print("newer", pystray_backend._icon_class(pystray) is pystray.Icon)
"""


def probe(display: dict[str, str]) -> list[str]:
    env = {**os.environ, **display, "PYSTRAY_BACKEND": "xorg"}  # pystray's xorg needs a display
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


def test_the_xorg_fixes_are_a_subclass_and_only_for_the_checked_version(desktop) -> None:
    lines = probe(desktop.env)
    assert "chosen _MendedXorgIcon True" in lines, lines
    assert "backend xorg" in lines, lines  # the subclass still counts as the xorg backend
    assert "newer True" in lines, lines  # an unchecked version: pystray's own Icon
    warning = [line for line in lines if line.startswith("WARNING")]
    assert len(warning) == 1 and "pystray 0.20.0" in warning[0] and "not applied" in warning[0]
