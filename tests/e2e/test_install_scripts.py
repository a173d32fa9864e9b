"""The Linux install and uninstall scripts, for real, in a throwaway home folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux scripts")
def test_install_turns_start_at_login_on_and_uninstall_purge_leaves_nothing() -> None:
    home = Path(tempfile.mkdtemp(prefix="pb-install-", dir="/tmp"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "VIRTUAL_ENV"))}
    # No pipx here, so the scripts take their venv path (pipx is tried first where it exists).
    path = ":".join(p for p in env.get("PATH", "").split(":")
                    if not (Path(p) / "pipx").exists() and ".venv" not in p)
    env.update(HOME=str(home), PATH=path, PIP_DISABLE_PIP_VERSION_CHECK="1")
    try:
        install = subprocess.run(["bash", str(ROOT / "installer" / "install-linux.sh")],
                                 env=env, capture_output=True, text=True, timeout=600)
        assert install.returncode == 0, install.stdout + install.stderr
        command = home / ".local" / "share" / "pointbreak-venv" / "bin" / "pointbreak"
        assert (home / ".local" / "bin" / "pointbreak").resolve() == command.resolve()
        entry = home / ".config" / "autostart" / "pointbreak.desktop"
        assert f"Exec={command}" in entry.read_text()
        status = subprocess.run([str(command), "autostart", "status"], env=env,
                                capture_output=True, text=True).stdout
        assert status.startswith("Start at login is on")
        subprocess.run([str(command), "settings", "path"], env=env, check=True,
                       capture_output=True)
        (home / ".config" / "pointbreak").mkdir(parents=True, exist_ok=True)
        (home / ".config" / "pointbreak" / "settings.toml").write_text("# mine\n")
        remove = subprocess.run(["bash", str(ROOT / "installer" / "uninstall-linux.sh"),
                                 "--purge"], env=env, capture_output=True, text=True,
                                timeout=120)
        assert remove.returncode == 0, remove.stdout + remove.stderr
        assert not entry.exists() and not command.exists()
        assert not (home / ".local" / "bin" / "pointbreak").exists()
        assert not (home / ".config" / "pointbreak").exists()
    finally:
        shutil.rmtree(home, ignore_errors=True)
