"""Windows: a value under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run that starts
the windowless entry point. `run_value` renders (pure, Windows quoting); `Autostart` takes the
`winreg` module as a parameter (the real one, imported only on Windows, or a test's fake)."""

from __future__ import annotations

import subprocess
from typing import Any

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE_NAME = "Pointbreak"


def run_value(command: list[str]) -> str:
    """One command line, quoted by the rules CommandLineToArgvW undoes."""
    return subprocess.list2cmdline(command)


class Autostart:
    NAME = "windows"

    def __init__(self, registry: Any = None) -> None:
        if registry is None:  # the real API, which exists on Windows only
            import importlib

            registry = importlib.import_module("winreg")
        self.registry = registry

    def _open(self, write: bool) -> Any:
        reg = self.registry
        access = reg.KEY_SET_VALUE | reg.KEY_QUERY_VALUE if write else reg.KEY_QUERY_VALUE
        if write:
            return reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY, 0, access)
        return reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, access)

    def value(self) -> str | None:
        try:
            with self._open(write=False) as key:
                data, kind = self.registry.QueryValueEx(key, VALUE_NAME)
        except FileNotFoundError:
            return None
        return data if kind in (self.registry.REG_SZ, self.registry.REG_EXPAND_SZ) else None

    def is_enabled(self) -> bool:
        return self.value() is not None

    def command(self) -> list[str] | None:
        value = self.value()
        return None if value is None else split_command_line(value)

    def enable(self, command: list[str]) -> str:
        with self._open(write=True) as key:
            self.registry.SetValueEx(key, VALUE_NAME, 0, self.registry.REG_SZ, run_value(command))
        return rf"HKCU\{RUN_KEY}\{VALUE_NAME}"

    def disable(self) -> None:
        try:
            with self._open(write=True) as key:
                self.registry.DeleteValue(key, VALUE_NAME)
        except FileNotFoundError:
            pass


def split_command_line(line: str) -> list[str]:
    """Split like CommandLineToArgvW (the rules list2cmdline quotes for)."""
    arguments: list[str] = []
    current: list[str] = []
    quoted = False
    has_any = False
    i = 0
    while i < len(line):
        c = line[i]
        if c == "\\":
            slashes = 0
            while i < len(line) and line[i] == "\\":
                slashes += 1
                i += 1
            if i < len(line) and line[i] == '"':
                current.append("\\" * (slashes // 2))
                if slashes % 2:
                    current.append('"')
                    i += 1
                continue
            current.append("\\" * slashes)
            continue
        if c == '"':
            quoted = not quoted
            has_any = True
        elif c in " \t" and not quoted:
            if current or has_any:
                arguments.append("".join(current))
            current, has_any = [], False
        else:
            current.append(c)
        i += 1
    if current or has_any:
        arguments.append("".join(current))
    return arguments
