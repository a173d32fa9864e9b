"""Start at login on each system, checked against the real formats: the desktop file through
desktop-file-validate, the plist through plistlib, the Windows Run value through a faithful
fake of winreg and the Windows command-line rules."""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tray.adapters.autostart import launch_command, linux, macos, windows

COMMANDS = {
    "plain": ["/usr/bin/pointbreak"],
    "spaces": ["/home/Jo Doe/My Apps/venv/bin/pointbreak"],
    "non-ascii": ["/home/zoë/Prögramme/pointbreak", "--flag"],
    "specials": ['/opt/we"ird/$HOME/back\\slash/50%/pointbreak'],
    "windows": [r"C:\Users\Jo Doe\AppData\Local\Programs\Pointbreak\pointbreak-tray.exe"],
}


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


def test_linux_on_off_status_and_nothing_left_behind(tmp_path: Path) -> None:
    folder = tmp_path / "autostart"
    entry = linux.Autostart(folder)
    assert not entry.is_enabled() and entry.command() is None
    entry.enable(COMMANDS["spaces"])
    entry.enable(COMMANDS["spaces"])  # idempotent
    assert entry.is_enabled() and entry.command() == COMMANDS["spaces"]
    assert [p.name for p in folder.iterdir()] == ["pointbreak.desktop"]
    entry.disable()
    entry.disable()
    assert not entry.is_enabled() and list(folder.iterdir()) == []


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


def test_macos_on_off_with_launchctl_unloading(tmp_path: Path) -> None:
    calls = tmp_path / "calls.txt"
    fake = tmp_path / "launchctl"
    fake.write_text(f"#!/bin/sh\necho \"$@\" >> {calls}\n")
    fake.chmod(0o755)
    entry = macos.Autostart(tmp_path / "LaunchAgents", launchctl=str(fake))
    entry.enable(COMMANDS["non-ascii"])
    assert entry.is_enabled() and entry.command() == COMMANDS["non-ascii"]
    entry.disable()
    assert not entry.is_enabled() and not entry.path.exists()
    assert calls.read_text().startswith(f"bootout gui/{os.getuid()}/{macos.LABEL}")
    entry.disable()  # idempotent, and nothing to unload


# --- Windows ---------------------------------------------------------------------------------


class FakeWinreg:
    """winreg's open/set/query/delete semantics, with the errors the real one raises."""

    HKEY_CURRENT_USER = 0x80000001
    KEY_QUERY_VALUE, KEY_SET_VALUE = 0x0001, 0x0002
    REG_SZ, REG_EXPAND_SZ, REG_DWORD = 1, 2, 4

    def __init__(self) -> None:
        self.keys: dict[tuple[int, str], dict[str, tuple[object, int]]] = {}

    class Handle:
        def __init__(self, values: dict, access: int) -> None:
            self.values, self.access, self.closed = values, access, False

        def __enter__(self):
            return self

        def __exit__(self, *exc: object) -> None:
            self.closed = True

    def _handle(self, root: int, path: str, access: int, create: bool) -> Handle:
        if root != self.HKEY_CURRENT_USER:
            raise OSError(2, "The system cannot find the file specified")
        key = (root, path.lower())  # the registry is case-insensitive
        if key not in self.keys:
            if not create:
                raise FileNotFoundError(2, "The system cannot find the file specified")
            self.keys[key] = {}
        return self.Handle(self.keys[key], access)

    def OpenKey(self, root: int, path: str, reserved: int = 0, access: int = 1):
        return self._handle(root, path, access, create=False)

    def CreateKeyEx(self, root: int, path: str, reserved: int = 0, access: int = 2):
        return self._handle(root, path, access, create=True)

    def QueryValueEx(self, handle: Handle, name: str):
        if not handle.access & self.KEY_QUERY_VALUE:
            raise PermissionError(5, "Access is denied")
        if name.lower() not in {n.lower() for n in handle.values}:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return next(v for n, v in handle.values.items() if n.lower() == name.lower())

    def SetValueEx(self, handle: Handle, name: str, reserved: int, kind: int, value):
        if not handle.access & self.KEY_SET_VALUE:
            raise PermissionError(5, "Access is denied")
        if kind == self.REG_SZ and not isinstance(value, str):
            raise ValueError("Could not convert the data to the specified type.")
        handle.values[name] = (value, kind)

    def DeleteValue(self, handle: Handle, name: str) -> None:
        if not handle.access & self.KEY_SET_VALUE:
            raise PermissionError(5, "Access is denied")
        match = [n for n in handle.values if n.lower() == name.lower()]
        if not match:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del handle.values[match[0]]


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


def test_windows_on_off_status_in_a_faithful_registry() -> None:
    registry = FakeWinreg()
    entry = windows.Autostart(registry)
    assert not entry.is_enabled()  # the Run key does not even exist yet
    entry.enable(COMMANDS["windows"])
    entry.enable(COMMANDS["windows"])
    assert entry.is_enabled() and entry.command() == COMMANDS["windows"]
    values = registry.keys[(registry.HKEY_CURRENT_USER, windows.RUN_KEY.lower())]
    assert list(values) == ["Pointbreak"] and values["Pointbreak"][1] == registry.REG_SZ
    entry.disable()
    entry.disable()
    assert not entry.is_enabled() and values == {}


def test_the_launch_command_is_this_installs_script() -> None:
    command = launch_command()
    if getattr(sys, "frozen", False):
        assert command == [sys.executable]
    else:
        assert Path(command[0]).name.startswith("pointbreak") or command[1:] == ["-m", "tray"]
        assert Path(command[0]).exists()
