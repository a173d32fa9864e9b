"""Fixtures: a private profile (HOME and XDG folders) per test, and the real `pointbreak`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


@dataclass
class Profile:
    home: Path
    env: dict[str, str]

    @property
    def settings(self) -> Path:
        return self.home / ".config" / "pointbreak" / "settings.toml"

    @property
    def store(self) -> Path:
        return self.home / ".local" / "share" / "pointbreak" / "history.json"

    def run(self, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        """The installed `pointbreak` command in a subprocess, in this profile."""
        return subprocess.run([str(BIN / "pointbreak"), *args], env=self.env, text=True,
                              capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture
def profile() -> Iterator[Profile]:
    home = Path(tempfile.mkdtemp(prefix="pb-", dir="/tmp"))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "DISPLAY", "WAYLAND_", "DBUS_"))}
    runtime = home / "run"
    runtime.mkdir(mode=0o700)
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"),
               XDG_STATE_HOME=str(home / ".local" / "state"),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_RUNTIME_DIR=str(runtime),
               TZ="Europe/Berlin", LC_ALL="C.UTF-8")
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # in-process code under test sees the same profile
    try:
        yield Profile(home, env)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(home, ignore_errors=True)
