"""The start-at-login port's contract (tray.adapters.autostart.Backend), run against each
system's entry in its real format: Linux's .desktop file and macOS's plist as real files in a
folder of this test (macOS's launchctl a stand-in script that records its calls), Windows' Run
value in a faithful fake of winreg (tests/fake_winreg.py).

Each harness can damage the entry (`damage`), put a FIFO where it goes (`fifo`, where entries
are files) and say what is left of Pointbreak's entry on disk or in the registry (`left`)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from buses import require
from fake_ports import COMMANDS
from fake_winreg import FakeWinreg

from tray.adapters import autostart
from tray.adapters.autostart import linux, macos, windows


@dataclass
class Harness:
    entry: autostart.Backend
    damage: Callable[[], None]
    left: Callable[[], list[str]]
    fifo: Callable[[], None] | None = None


def _files(folder: Path) -> Callable[[], list[str]]:
    return lambda: sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _fifo(path: Path) -> Callable[[], None]:
    def make() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        os.mkfifo(path)
    return make


def linux_entry(tmp_path: Path) -> Iterator[Harness]:
    entry = linux.Autostart(tmp_path / "autostart")

    def damage() -> None:
        entry.folder.mkdir(parents=True, exist_ok=True)
        entry.path.write_bytes(b"\xff\xfe[Desktop Entry\x00Exec=")

    yield Harness(entry, damage, _files(entry.folder), _fifo(entry.path))


def macos_entry(tmp_path: Path) -> Iterator[Harness]:
    calls = tmp_path / "launchctl-calls.txt"
    launchctl = tmp_path / "launchctl"
    launchctl.write_text(f'#!/bin/sh\necho "$@" >> "{calls}"\n')
    launchctl.chmod(0o755)
    entry = macos.Autostart(tmp_path / "LaunchAgents", launchctl=str(launchctl))

    def damage() -> None:
        entry.folder.mkdir(parents=True, exist_ok=True)
        entry.path.write_bytes(b"<?xml version='1.0'?><plist><dict><key>RunAtLoad")

    yield Harness(entry, damage, _files(entry.folder), _fifo(entry.path))


def windows_entry() -> Iterator[Harness]:
    registry = FakeWinreg()
    entry = windows.Autostart(registry)

    def values() -> dict[str, tuple[object, int]]:
        return registry.keys.get((registry.HKEY_CURRENT_USER, windows.RUN_KEY.lower()), {})

    def damage() -> None:  # a value of the wrong kind, as another tool might leave it
        with registry.CreateKeyEx(registry.HKEY_CURRENT_USER, windows.RUN_KEY, 0,
                                  registry.KEY_SET_VALUE) as key:
            registry.SetValueEx(key, windows.VALUE_NAME, 0, registry.REG_DWORD, 1)

    yield Harness(entry, damage, lambda: sorted(values()))


MAKERS: dict[str, Callable[..., Iterator[Harness]]] = {
    "linux": linux_entry, "macos": macos_entry, "windows": windows_entry}


def test_every_system_of_the_port_is_held_to_the_contract() -> None:
    assert set(autostart.SYSTEMS) == set(MAKERS)


@pytest.fixture(params=sorted(MAKERS))
def harness(request, tmp_path) -> Iterator[Harness]:
    make = MAKERS[request.param]
    if request.param == "macos":
        require("posix")  # its launchctl is a sh script
    yield from (make(tmp_path) if make.__code__.co_argcount else make())


def test_its_name_chooses_it(harness: Harness) -> None:
    assert harness.entry.NAME in autostart.SYSTEMS
    if harness.entry.NAME != "windows":  # the real winreg exists on Windows only
        assert type(autostart.backend(harness.entry.NAME)) is type(harness.entry)


def test_there_is_no_entry_at_first(harness: Harness) -> None:
    assert harness.entry.is_enabled() is False
    assert harness.entry.command() is None


@pytest.mark.parametrize("name", list(COMMANDS), ids=list(COMMANDS))
def test_on_is_idempotent_and_its_command_reads_back_whole(harness: Harness, name: str) -> None:
    command = COMMANDS[name]
    where = harness.entry.enable(command)
    assert isinstance(where, (Path, str)) and where
    left = harness.left()
    assert harness.entry.enable(command) == where
    assert harness.left() == left and len(left) == 1  # one entry, however often
    assert harness.entry.is_enabled() is True
    assert harness.entry.command() == command


def test_off_is_idempotent_and_leaves_nothing_behind(harness: Harness) -> None:
    harness.entry.disable()  # no entry yet: no error
    harness.entry.enable(COMMANDS["spaces"])
    harness.entry.disable()
    harness.entry.disable()
    assert harness.entry.is_enabled() is False and harness.entry.command() is None
    assert harness.left() == []


def test_a_damaged_entry_reads_as_off_and_on_replaces_it(harness: Harness) -> None:
    harness.damage()
    assert harness.entry.is_enabled() is False
    assert harness.entry.command() is None
    harness.entry.enable(COMMANDS["plain"])
    assert harness.entry.is_enabled() and harness.entry.command() == COMMANDS["plain"]


@pytest.mark.parametrize("system", ["linux", "macos"])  # entries that are files
def test_a_fifo_in_its_place_reads_as_off_without_blocking(system: str, tmp_path) -> None:
    require("posix")
    harness = next(MAKERS[system](tmp_path))
    assert harness.fifo is not None
    harness.fifo()
    answers: list[object] = []
    reader = threading.Thread(target=lambda: answers.extend(
        [harness.entry.is_enabled(), harness.entry.command()]), daemon=True)
    reader.start()
    reader.join(5)
    assert answers == [False, None]  # and not stuck opening it
