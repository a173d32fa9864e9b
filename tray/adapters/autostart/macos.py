"""macOS: a LaunchAgent plist in ~/Library/LaunchAgents with RunAtLoad (no KeepAlive: Quit
means quit). `launch_agent_plist` renders (pure); `launchctl` unloads it on disable where it
exists (loading happens at the next login; loading now would start a second copy)."""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
from contextlib import suppress
from pathlib import Path
from xml.parsers.expat import ExpatError

from tray.base import guard

LABEL = "app.pointbreak.tray"
MAX_BYTES = 64 << 10  # a LaunchAgent is a few hundred bytes


def launch_agent_plist(command: list[str]) -> bytes:
    return plistlib.dumps({
        "Label": LABEL,
        "ProgramArguments": command,
        "RunAtLoad": True,
        "KeepAlive": False,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    })


class Autostart:
    NAME = "macos"

    def __init__(self, folder: Path | None = None, launchctl: str | None = None) -> None:
        self.folder = folder or Path.home() / "Library" / "LaunchAgents"
        self.launchctl = launchctl if launchctl is not None else shutil.which("launchctl")

    @property
    def path(self) -> Path:
        return self.folder / f"{LABEL}.plist"

    def _read(self) -> dict[str, object] | None:
        try:
            raw = guard.read_file(self.path, limit=MAX_BYTES)
            data = None if raw is None else plistlib.loads(raw)
        except (guard.Refused, plistlib.InvalidFileException, ValueError, RecursionError,
                ExpatError):  # an XML plist cut short or not XML at all
            return None
        return data if isinstance(data, dict) else None

    def is_enabled(self) -> bool:
        data = self._read()
        return bool(data and data.get("RunAtLoad") and not data.get("Disabled"))

    def command(self) -> list[str] | None:
        data = self._read()
        arguments = None if data is None else data.get("ProgramArguments")
        return [str(a) for a in arguments] if isinstance(arguments, list) else None

    def enable(self, command: list[str]) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        temporary.write_bytes(launch_agent_plist(command))
        os.replace(temporary, self.path)
        return self.path

    def disable(self) -> None:
        if self.launchctl and self.path.exists():
            # A launchctl that hangs is left: the file goes all the same, so it is not loaded
            # at the next login.
            with suppress(subprocess.TimeoutExpired):
                subprocess.run([self.launchctl, "bootout", f"gui/{os.getuid()}/{LABEL}"],
                               capture_output=True, check=False, timeout=10)
        self.path.unlink(missing_ok=True)
