"""Start at login: one module per system, each importable everywhere, one selector.

The login entry itself is the setting (there is no key for it in settings.toml): `is_enabled`
reads the entry on disk or in the registry, `enable` writes it, `disable` removes it and
leaves nothing behind. Both are idempotent. `POINTBREAK_AUTOSTART=linux|macos|windows` forces a
system (tests use it to exercise one system's writer against a fake of its OS API).
"""

from __future__ import annotations

import importlib
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tray.adapters import choosing

log = logging.getLogger(__name__)


class Backend(Protocol):
    """The port: this system's login entry. Called on the engine's thread (`is_on`, for the
    menu's check mark), on pystray's (the menu's switch), on `pointbreak-control-answer` and in
    the windows' and command line's own processes; each call reads or writes one small file or
    registry value and never blocks on it (a FIFO in its place is refused, not opened), except
    macOS's `disable`, which waits for `launchctl` (at most 10 s)."""

    NAME: str  # the name POINTBREAK_AUTOSTART takes for it

    def is_enabled(self) -> bool:
        """Whether the entry is there and switched on, read each time. An entry that cannot be
        read (missing, damaged, not a file) is off; never raises for it."""
        ...

    def enable(self, command: list[str]) -> Path | str:
        """Write the entry that runs `command` at login (replacing one that is there) and say
        where it is. Idempotent. Raises OSError when it cannot be written."""
        ...

    def disable(self) -> None:
        """Remove the entry, leaving nothing behind. Idempotent: no entry is no error. Raises
        OSError when it cannot be removed."""
        ...

    def command(self) -> list[str] | None:
        """The command the entry runs, split back into arguments; None without an entry."""
        ...


SYSTEMS = ("linux", "macos", "windows")


@dataclass(frozen=True)
class Capabilities:
    """Which of the SYSTEMS' login entries a system has (every system has one)."""

    system: str


def capabilities(platform: str = sys.platform) -> Capabilities:
    """This system's (`platform`: a `sys.platform` value); pure."""
    system = choosing.system_of(platform)
    return Capabilities(system if system in SYSTEMS else "linux")  # XDG's is everybody else's


def backend(choice: str | None = None) -> Backend:
    """This system's login entry, or the system `choice` (else POINTBREAK_AUTOSTART) names.
    Raises UnknownChoice for an unknown name."""
    forced = choosing.forced("POINTBREAK_AUTOSTART", SYSTEMS, choice)
    chosen = forced or capabilities().system
    # Only this system's module: macOS's alone would load plistlib and expat into every tray.
    module = importlib.import_module(f"tray.adapters.autostart.{chosen}")
    entry: Backend = module.Autostart()
    return entry


def turn(on: bool) -> Path | str | None:
    """Start at login on, with this install's command (returns where the entry is), or off
    (None). The one switch the menu, the settings window, the welcome and `pointbreak
    autostart` all use. Raises OSError (and UnknownChoice for a bad POINTBREAK_AUTOSTART)."""
    entry = backend()
    if on:
        return entry.enable(launch_command())
    entry.disable()
    return None


def is_on() -> bool:
    """Whether the login entry is there, read from disk (or the registry) each time; False when
    it cannot be read (for a check mark, which is never worth a crash)."""
    try:
        return backend().is_enabled()
    except Exception:
        log.exception("cannot read the start-at-login entry")
        return False


def launch_command(*, windowless: bool = True) -> list[str]:
    """The command that starts this copy of Pointbreak, as an installer left it.

    A frozen build is its own executable; a venv or pipx install has its `pointbreak` script
    (on Windows the windowless `pointbreak-tray.exe`) beside the interpreter, a path that stays
    the same across upgrades of that install; otherwise the interpreter runs `-m tray`.
    """
    if getattr(sys, "frozen", False):
        return [sys.executable]
    scripts = Path(sys.executable).parent
    names = (["pointbreak-tray.exe", "pointbreak.exe"] if sys.platform == "win32"
             else ["pointbreak"])
    for name in names:
        if (scripts / name).is_file():
            return [str(scripts / name)]
    interpreter = Path(sys.executable)
    if windowless and sys.platform == "win32" and (scripts / "pythonw.exe").is_file():
        interpreter = scripts / "pythonw.exe"
    return [str(interpreter), "-m", "tray"]


if TYPE_CHECKING:  # mypy holds each system's entry to the port's Protocol
    from tray.adapters.autostart import linux, macos, windows

    _ENTRIES: tuple[type[Backend], ...] = (linux.Autostart, macos.Autostart, windows.Autostart)
