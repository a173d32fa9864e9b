"""Start at login on each system, checked against the real formats: the desktop file through
desktop-file-validate, the plist through plistlib, the Windows Run value through a faithful
fake of winreg and the Windows command-line rules. (What every system's entry promises, on,
off, idempotent, nothing left behind, is in contract/test_autostart_contract.py.)"""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fake_ports import COMMANDS

from tray.adapters.autostart import launch_command, linux, macos, windows

# --- Linux -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(COMMANDS), ids=list(COMMANDS))
def test_the_desktop_entry_is_valid_and_its_exec_splits_back(tmp_path: Path, name: str) -> None:
    command = COMMANDS[name]
    path = tmp_path / "pointbreak.desktop"
    path.write_text(linux.desktop_entry(command, "/usr/share/icons/pointbreak.png"),
                    encoding="utf-8")
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.fail("desktop-file-validate is missing: `bash tests/run.sh` installs it")
    result = subprocess.run([validator, str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and "error" not in result.stdout.lower(), result.stdout
    exec_line = next(line for line in path.read_text().splitlines() if line.startswith("Exec="))
    assert linux.parse_exec(exec_line[len("Exec="):]) == command


@pytest.mark.parametrize("line", ["Hidden=true", "X-GNOME-Autostart-enabled=false"])
def test_a_desktop_entry_switched_off_by_the_desktop_reads_as_off(tmp_path: Path, line) -> None:
    entry = linux.Autostart(tmp_path)
    entry.enable(COMMANDS["plain"])
    text = entry.path.read_text().replace("X-GNOME-Autostart-enabled=true\n", "")
    entry.path.write_text(text + line + "\n")
    assert not entry.is_enabled()


def test_a_symlink_in_the_way_becomes_a_real_file(tmp_path: Path) -> None:
    other = tmp_path / "someone-elses.desktop"
    other.write_text("[Desktop Entry]\nName=Other\n")
    folder = tmp_path / "autostart"
    folder.mkdir()
    (folder / "pointbreak.desktop").symlink_to(other)
    entry = linux.Autostart(folder)
    entry.enable(COMMANDS["plain"])
    assert not entry.path.is_symlink() and entry.is_enabled()
    assert other.read_text() == "[Desktop Entry]\nName=Other\n"  # untouched


def test_the_folder_follows_xdg_config_home(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert linux.autostart_folder() == tmp_path / "cfg" / "autostart"


def test_the_one_switch_turns_the_entry_on_and_off(monkeypatch, tmp_path: Path) -> None:
    """autostart.turn: the switch the menu, the settings window, the welcome and the command
    line share."""
    from tray.adapters import autostart

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("POINTBREAK_AUTOSTART", "linux")
    where = autostart.turn(True)
    assert where == tmp_path / "cfg" / "autostart" / "pointbreak.desktop" and autostart.is_on()
    assert autostart.turn(False) is None and not autostart.is_on()
    assert not Path(where).exists()


# --- macOS -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(COMMANDS), ids=list(COMMANDS))
def test_the_launch_agent_plist_parses_with_the_right_keys(name: str) -> None:
    data = plistlib.loads(macos.launch_agent_plist(COMMANDS[name]))
    assert data["Label"] == macos.LABEL
    assert data["ProgramArguments"] == COMMANDS[name]
    assert data["RunAtLoad"] is True and data["KeepAlive"] is False  # no restart after Quit


def test_macos_off_unloads_the_agent_with_launchctl(tmp_path: Path) -> None:
    calls = tmp_path / "calls.txt"
    fake = tmp_path / "launchctl"
    fake.write_text(f"#!/bin/sh\necho \"$@\" >> {calls}\n")
    fake.chmod(0o755)
    entry = macos.Autostart(tmp_path / "LaunchAgents", launchctl=str(fake))
    entry.enable(COMMANDS["non-ascii"])
    assert not calls.exists()  # loaded at the next login, not now (that would be a 2nd copy)
    entry.disable()
    entry.disable()  # nothing to unload the second time
    assert calls.read_text() == f"bootout gui/{os.getuid()}/{macos.LABEL}\n"


# --- Windows ---------------------------------------------------------------------------------


def test_the_windows_run_value_is_one_plain_string() -> None:
    from fake_winreg import FakeWinreg

    registry = FakeWinreg()
    windows.Autostart(registry).enable(COMMANDS["windows"])
    values = registry.keys[(registry.HKEY_CURRENT_USER, windows.RUN_KEY.lower())]
    assert list(values) == ["Pointbreak"] and values["Pointbreak"][1] == registry.REG_SZ


@pytest.mark.parametrize("name", list(COMMANDS), ids=list(COMMANDS))
def test_the_run_value_splits_back_by_the_windows_rules(name: str) -> None:
    value = windows.run_value(COMMANDS[name])
    assert windows.split_command_line(value) == COMMANDS[name]
    if " " in COMMANDS[name][0]:
        assert value.startswith('"')  # a path with spaces is quoted


@pytest.mark.parametrize(("line", "expected"), [
    (r'"a b" c', ["a b", "c"]),
    (r'a\\\"b', ['a\\"b']),
    (r'"a\\" b', ["a\\", "b"]),
    (r'a\\b "c d"', [r"a\\b", "c d"]),
    ('""', [""]),
], ids=["quoted", "escaped-quote", "trailing-backslashes", "inner-backslashes", "empty"])
def test_command_line_splitting_follows_commandlinetoargvw(line: str, expected: list) -> None:
    assert windows.split_command_line(line) == expected


def test_the_launch_command_is_this_installs_script() -> None:
    command = launch_command()
    if getattr(sys, "frozen", False):
        assert command == [sys.executable]
    else:
        assert Path(command[0]).name.startswith("pointbreak") or command[1:] == ["-m", "tray"]
        assert Path(command[0]).exists()
