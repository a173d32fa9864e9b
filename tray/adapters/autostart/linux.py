"""Linux (and other XDG desktops): a `.desktop` file in $XDG_CONFIG_HOME/autostart.

`desktop_entry` renders (pure); `Autostart` writes a real file (never a symlink) and reads the
state back honouring `Hidden=true` and `X-GNOME-Autostart-enabled=false`.
"""

from __future__ import annotations

import os
from pathlib import Path

from tray.base import guard

FILE_NAME = "pointbreak.desktop"
MAX_BYTES = 64 << 10  # an entry is a few hundred bytes
_RESERVED = set(' \t\n"\'\\><~|&;$*?#()`')


def exec_quote(argument: str) -> str:
    """Quote one argument for the Exec key (Desktop Entry Specification, "The Exec key")."""
    argument = argument.replace("%", "%%")
    if argument and not _RESERVED.intersection(argument):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'


def _string_escape(value: str) -> str:
    """The key file's own escaping, applied after the Exec quoting (so a literal backslash
    inside a quoted argument is written as four)."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def _string_unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out.append({"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(
                value[i + 1], value[i + 1]))
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def desktop_entry(command: list[str], icon: str | None = None) -> str:
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Name=Pointbreak",
        "Comment=Short posture breaks from the system tray",
        "Exec=" + _string_escape(" ".join(exec_quote(a) for a in command)),
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
    ]
    if icon:
        lines.insert(4, f"Icon={icon}")
    return "\n".join(lines) + "\n"


def autostart_folder() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart"


def _keys(text: str) -> dict[str, str]:
    keys: dict[str, str] = {}
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Desktop Entry]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            keys[key.strip()] = value.strip()
    return keys


def parse_exec(value: str) -> list[str]:
    """Split an Exec value (as written in the file) back into arguments."""
    value = _string_unescape(value)
    arguments: list[str] = []
    current, quoted, i, has_any = "", False, 0, False
    while i < len(value):
        c = value[i]
        if quoted and c == "\\" and i + 1 < len(value):
            current += value[i + 1]
            i += 2
            continue
        if c == '"':
            quoted = not quoted
            has_any = True
        elif c == " " and not quoted:
            if current or has_any:
                arguments.append(current)
            current, has_any = "", False
        else:
            current += c
        i += 1
    if current or has_any:
        arguments.append(current)
    return [a.replace("%%", "%") for a in arguments]


class Autostart:
    NAME = "linux"

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or autostart_folder()

    @property
    def path(self) -> Path:
        return self.folder / FILE_NAME

    def _keys(self) -> dict[str, str] | None:
        """The entry's keys; None when there is none, or none that can be read (a FIFO or a
        device in its place is refused without blocking)."""
        try:
            raw = guard.read_file(self.path, limit=MAX_BYTES)
            return None if raw is None else _keys(guard.text_of(raw))
        except guard.Refused:
            return None

    def is_enabled(self) -> bool:
        keys = self._keys()
        return keys is not None and (
            keys.get("Hidden", "false").lower() != "true"
            and keys.get("X-GNOME-Autostart-enabled", "true").lower() != "false")

    def command(self) -> list[str] | None:
        value = (self._keys() or {}).get("Exec")
        return None if value is None else parse_exec(value)

    def enable(self, command: list[str]) -> Path:
        from icons import folder as icon_folder

        self.folder.mkdir(parents=True, exist_ok=True)
        if self.path.is_symlink():
            self.path.unlink()  # a real file, never a link into somebody else's file
        temporary = self.path.with_name(f".{FILE_NAME}.tmp")
        temporary.write_text(desktop_entry(command, str(icon_folder() / "app-256.png")),
                             encoding="utf-8")
        os.replace(temporary, self.path)
        return self.path

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)
