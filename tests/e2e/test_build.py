"""The PyInstaller build on Linux, for real: it builds, starts under Xvfb, shows its icon in
the tray, answers `status` through the channel, and runs its windows from the same executable."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from desktop import ROUTINE_WINDOW, wait_for
from helpers import tracked_data

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.e2e]


@pytest.fixture(scope="module")
def built() -> Path:
    if not sys.platform.startswith("linux"):
        pytest.skip("this test builds the Linux app; the CI workflow builds the others")
    dist = Path(tempfile.mkdtemp(prefix="pb-dist-"))
    result = subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"), "--dist",
                             str(dist), "--work", str(dist / "work")], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    print(result.stdout)
    yield dist / "Pointbreak"
    shutil.rmtree(dist, ignore_errors=True)


def test_the_built_app_runs_the_tray_the_commands_and_the_windows(built, desktop,
                                                                  profile) -> None:
    exe = built / "pointbreak"
    assert exe.is_file()
    if (ROOT / ".git").exists():  # every data file git has, the catalogs too, is in the build
        missing = [n for n in tracked_data(ROOT) if not (built / "_internal" / n).is_file()]
        assert not missing, missing
    size = sum(p.stat().st_size for p in built.rglob("*") if p.is_file())
    assert size < 150 * 2**20, f"the build is {size / 2**20:.0f} MiB"  # no GTK, no test tools
    env = {**profile.env, **desktop.env, "POINTBREAK_TEST_KEY_GUARD_SECONDS": "0"}
    before = set(desktop.tray_icons())
    tray = subprocess.Popen([str(exe), "--no-welcome"], env=env, start_new_session=True)
    try:
        wait_for(lambda: set(desktop.tray_icons()) - before, what="the built app's icon")
        wait_for(lambda: "Next break" in subprocess.run(
            [str(exe), "status"], env=env, capture_output=True, text=True).stdout,
            what="status through the channel")
        windows = set(desktop.visible_windows(ROUTINE_WINDOW))
        assert subprocess.run([str(exe), "now"], env=env, capture_output=True,
                              text=True).returncode == 0
        wait_for(lambda: set(desktop.visible_windows(ROUTINE_WINDOW)) - windows,
                 what="the routine window, started from the frozen executable")
        desktop.screenshot(profile.artifacts("frozen-build") / "routine-window.png")
        result = subprocess.run([str(exe), "--run-module", "routines", "--help"], env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0 and "python -m routines" in result.stdout
        assert (built / "_internal" / "LICENSE").exists()
        assert (built / "_internal" / "THIRD-PARTY-NOTICES.md").exists()
    finally:
        subprocess.run([str(exe), "quit"], env=env, capture_output=True)
        tray.wait(10)
