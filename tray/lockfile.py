"""An exclusive lock on a file, shared by every process of the user (flock / msvcrt.locking).

The filelock package does this too, but version 4 imports decimal, secrets and dataclasses and
adds 1.8 MiB to a process that idles all day; this is the small part Pointbreak needs. The lock
is held by the open file: a process that dies releases it, so a crash never leaves it stuck.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType

POLL_S = 0.05


class LockTimeout(Exception):
    """Another process holds the lock."""


class FileLock:
    def __init__(self, path: Path | str, timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._fd: int | None = None

    @property
    def is_locked(self) -> bool:
        return self._fd is not None

    def acquire(self, timeout: float | None = None) -> None:
        """Take the lock, waiting up to `timeout` seconds (0: do not wait). Raises LockTimeout
        when another process holds it, OSError when the lock file cannot be opened."""
        if self._fd is not None:
            return
        limit = self.timeout if timeout is None else timeout
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + limit
        while True:
            try:
                _lock(fd)
                self._fd = fd
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockTimeout(str(self.path)) from None
                time.sleep(POLL_S)
            except OSError:
                os.close(fd)
                raise

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                _unlock(fd)
            finally:
                os.close(fd)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as error:  # Windows reports a held lock as EACCES / EDEADLOCK
            raise BlockingIOError(str(error)) from error

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
