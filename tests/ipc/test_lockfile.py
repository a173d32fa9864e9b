"""The cross-process lock: held by one process at a time, and freed when its holder dies."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tray.base.lockfile import FileLock, LockTimeout

HOLDER = ("import sys, time; from tray.base.lockfile import FileLock; "
          "FileLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(60)")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only")
def test_another_process_cannot_take_a_held_lock_until_the_holder_dies(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockTimeout):
            FileLock(path).acquire(timeout=0)
        with pytest.raises(LockTimeout):
            FileLock(path).acquire(timeout=0.2)  # waits, then gives up
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    lock = FileLock(path)
    lock.acquire(timeout=0)  # a dead holder leaves nothing stuck
    assert lock.is_locked
    lock.release()
    assert not lock.is_locked


def test_the_lock_is_a_context_manager_and_reentrant_per_object(tmp_path: Path) -> None:
    lock = FileLock(tmp_path / "y.lock")
    with lock:
        lock.acquire()  # already held by this object: no deadlock
        assert lock.is_locked
    assert not lock.is_locked


def test_a_lock_in_a_folder_that_does_not_exist_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        FileLock(tmp_path / "missing" / "z.lock").acquire(timeout=0)
