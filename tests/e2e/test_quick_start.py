"""The README's Quick start, as a person types it: its first command, word for word, in a fresh
home folder on a desktop, installs Pointbreak into a virtual environment of its own and starts
it (the icon in the tray, the first-run welcome on screen); the command it installed answers,
quits, and from a plain terminal says that it needs a desktop. The second command is the one CI
runs (.ci/run)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from desktop import wait_for

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def quick_start() -> list[str]:
    """The shell commands of the README's Quick start section, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_the_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    commands = quick_start()
    assert len(commands) == 2, commands
    assert commands[1] == "bash tests/run.sh"
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if line and not line.startswith("#")]
    assert ci[-1] == "exec bash tests/run.sh", ci  # the README's second command, nothing less


def fresh_machine_env(profile, desktop) -> dict[str, str]:
    """The profile's environment on the desktop, with the `python3` a fresh machine has: none
    of the suite's own virtual environment on PATH."""
    env = {k: v for k, v in profile.env.items() if k != "VIRTUAL_ENV"}
    env["PATH"] = ":".join(p for p in env.get("PATH", "").split(":")
                           if p and Path(p).resolve() != Path(sys.executable).parent.resolve())
    env.update(desktop.env, PIP_DISABLE_PIP_VERSION_CHECK="1")
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pip"
    if cache.is_dir():  # only faster: a fresh machine downloads the same files
        env["PIP_CACHE_DIR"] = str(cache)
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Quick start is Linux's")
def test_the_first_command_installs_and_starts_pointbreak(desktop, profile) -> None:
    first = quick_start()[0]
    env = fresh_machine_env(profile, desktop)
    venv = profile.home / ".local" / "share" / "pointbreak-venv"
    command = venv / "bin" / "pointbreak"
    output = profile.home / "quick-start.log"
    shots = profile.artifacts("quick-start")
    before = set(desktop.tray_icons())
    with output.open("wb") as log:
        started = subprocess.Popen(["bash", "-c", first], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    try:
        def shown() -> set[str]:
            if started.poll() is not None:
                raise AssertionError(f"the first command ended with status {started.returncode}"
                                     f":\n{output.read_text(errors='replace')}")
            return set(desktop.tray_icons()) - before

        wait_for(shown, timeout=900, what="the icon of the Pointbreak the first command installed")
        window = wait_for(lambda: desktop.visible_windows("^Welcome to Pointbreak$"),
                          timeout=60, what="the first-run welcome")[0]
        desktop.screenshot(shots / "first-start.png")  # the icon in trayer and the welcome
        desktop.keys(window, "Return")  # "Yes": start at login, the welcome's preselected answer
        entry = profile.home / ".config" / "autostart" / "pointbreak.desktop"
        wait_for(entry.is_file, what="the start-at-login entry")
        assert f"Exec={command}" in entry.read_text()  # it starts the installed command

        status = subprocess.run([str(command), "status"], env=env, capture_output=True,
                                text=True, timeout=60)
        assert status.returncode == 0 and "Next break" in status.stdout, status
        quit_ = subprocess.run([str(command), "quit"], env=env, capture_output=True, text=True,
                               timeout=60)
        assert quit_.returncode == 0, quit_
        assert started.wait(60) == 0, output.read_text(errors="replace")
    finally:
        if started.poll() is None:
            os.killpg(started.pid, signal.SIGKILL)
            started.wait(10)

    plain = {k: v for k, v in env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    terminal = subprocess.run([str(command)], env=plain, capture_output=True, text=True,
                              timeout=60, stdin=subprocess.DEVNULL)
    assert terminal.returncode == 1, terminal
    assert "needs a desktop session" in terminal.stderr, terminal.stderr
