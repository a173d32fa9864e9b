"""A data folder that cannot be written, as a person meets it: the tray runs without root's
power to ignore file modes (setpriv drops CAP_DAC_OVERRIDE). It is told once, status and doctor
say so, today's count holds in memory, and quit still quits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from desktop import wait_for

from tray.core.model import State
from tray.store import Store

WITHOUT_ROOTS_POWERS = ("setpriv", "--inh-caps=-all",
                        "--bounding-set=-dac_override,-dac_read_search", "--")
BIN = Path(sys.executable).parent
pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def setpriv() -> None:
    if shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is needed")


def test_a_read_only_data_folder_is_told_and_quit_still_quits(setpriv, start_tray,
                                                             profile) -> None:
    Store(profile.store).save(State(seq=4))
    os.chmod(profile.store, 0o555)
    try:
        tray = start_tray(prefix=WITHOUT_ROOTS_POWERS)
        status = tray.status()
        assert "Problem: History is not being saved" in status, status
        assert "Permission denied" in status
        assert tray.log().count("told the person: History is not being saved") == 1
        profile.run("now")  # a change that cannot be saved either: told once still
        wait_for(lambda: "Routine on screen now" in tray.status() or "session" in
                 tray.status().lower(), what="the session")
        assert tray.log().count("told the person: History is not being saved") == 1
        doctor = profile.run("doctor").stdout
        assert "History is not being saved" in doctor, doctor
        assert profile.run("quit").returncode == 0
        assert tray.process.wait(30) == 0  # was: PermissionError in close, never exited
    finally:
        os.chmod(profile.store, 0o755)
    assert Store(profile.store).load_state() == State(seq=4)  # nothing lost or half-written


def test_a_settings_file_caught_half_written_is_read_again_before_any_complaint(
        start_tray, profile) -> None:
    """An editor's save seen half-way (the file cut mid-table): the tray waits, reads it again,
    and takes the finished file without a word to the person."""
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text("[breaks]\ndaily_cap = 5\n")
    tray = start_tray(POINTBREAK_TEST_TICK_SECONDS="0.5",
                      POINTBREAK_TEST_SETTLE_SECONDS="10")
    profile.settings.write_text("[breaks]\ndaily_cap = 3\n[active_h")  # half-way
    wait_for(lambda: "reading it again in 10.0 s" in tray.log(), timeout=30,
             what="the tray to wait for the rest of the file")
    profile.settings.write_text("[breaks]\ndaily_cap = 3\n")  # the save is finished
    wait_for(lambda: "Today: 0 of 3" in tray.status(), timeout=30, what="the new cap")
    assert "told the person: Settings:" not in tray.log()
    assert "cannot be read: it is not valid TOML" not in tray.log()


def _without_roots_powers(profile, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*WITHOUT_ROOTS_POWERS, str(BIN / "pointbreak"), *args],
                          env=profile.env, text=True, capture_output=True, timeout=60,
                          stdin=subprocess.DEVNULL)


def test_a_settings_file_of_mode_000_is_said_and_the_defaults_hold(setpriv, profile) -> None:
    profile.settings.parent.mkdir(parents=True)
    profile.settings.write_text("[breaks]\ndaily_cap = 3\n")
    os.chmod(profile.settings, 0)
    result = _without_roots_powers(profile, "status")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "cannot be opened (Permission denied)" in result.stderr, result.stderr
    assert str(profile.settings) in result.stderr and "Today: 0 of 5" in result.stdout


def test_a_state_file_of_mode_000_is_kept_aside_and_said(setpriv, profile) -> None:
    Store(profile.store).save(State(seq=4))
    os.chmod(profile.store / "state.json", 0)
    result = _without_roots_powers(profile, "status")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "cannot be opened (Permission denied)" in result.stderr, result.stderr
    assert "was kept as state.json.unreadable-" in result.stderr
    kept = list(profile.store.glob("state.json.unreadable-*"))
    assert len(kept) == 1 and (kept[0].stat().st_mode & 0o777) == 0  # as it was, untouched
    again = _without_roots_powers(profile, "status")
    assert again.returncode == 0 and again.stderr == "", again.stderr


def test_a_config_folder_of_mode_000_is_said_and_the_defaults_hold(setpriv, profile) -> None:
    folder = profile.settings.parent
    (folder / "routines").mkdir(parents=True)
    os.chmod(folder, 0)
    try:
        result = _without_roots_powers(profile, "status")
    finally:
        os.chmod(folder, 0o755)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "Permission denied" in result.stderr and "Today: 0 of 5" in result.stdout
