"""A crash is never silent: the real tray made to fail at start and in the engine's thread ends
with a non-zero status, says so on stderr, keeps a record; the next start tells the person
once, and doctor shows the last crash with the log's place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tray.base.exits import Exit

BIN = Path(sys.executable).parent
pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.parametrize("where, says", [("start", "in start-up"),
                                         ("engine", "in the break engine")])
def test_a_crash_ends_the_tray_non_zero_and_is_told(desktop, start_tray, profile, where: str,
                                                    says: str) -> None:
    env = {**profile.env, **desktop.env, "POINTBREAK_IDLE": "none",
           "POINTBREAK_TEST_FAIL_AT": where}
    crashed = subprocess.run([str(BIN / "pointbreak"), "--no-welcome"], env=env, text=True,
                             capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    assert crashed.returncode == Exit.CRASHED, crashed
    assert "Pointbreak stopped unexpectedly" in crashed.stderr, crashed.stderr
    assert "asked for by a test" in crashed.stderr
    log = profile.home / ".local" / "state" / "pointbreak" / "log" / "pointbreak.log"
    assert "Traceback" in log.read_text() and "RuntimeError" in log.read_text()

    doctor = profile.run("doctor").stdout
    assert "Last crash" in doctor and "RuntimeError" in doctor and str(log) in doctor, doctor

    tray = start_tray()  # the next start says what happened, once
    assert "told the person: Pointbreak stopped unexpectedly" in tray.log()
    assert says.removeprefix("in ") in tray.log().split("told the person: Pointbreak stopped")[1]
    assert profile.run("quit").returncode == 0
    assert tray.process.wait(30) == 0
    again = start_tray()
    assert again.log().count("told the person: Pointbreak stopped unexpectedly") == 1
