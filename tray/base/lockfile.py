"""An exclusive lock on a file, shared by every process of the user (flock / msvcrt.locking).

The filelock package does this too, but version 4 imports decimal, secrets and dataclasses and
adds 1.8 MiB to a process that idles all day; this is the small part Pointbreak needs. The lock
is held by the open file: a process that dies releases it, so a crash never leaves it stuck.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from pathlib import Path
from types import TracebackType

POLL_SECONDS = 0.05


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
                time.sleep(POLL_SECONDS)
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


class InstanceLock:
    """The tray's one-per-user lock, which others can ask about without taking it.

    Unix: a record lock (fcntl), so that `is_held` asks the kernel with F_GETLK and never
    takes it, not even for a moment (a tray starting at that moment must never be made to
    give up); on Linux an open-file-description lock (F_OFD_SETLK), which no other open of the
    file in this process can release. The process that dies releases it. Windows: a byte lock
    (msvcrt) with the holder's pid written past the locked byte.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take it if it is free (never waits); False when another process holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock_instance(fd)
        except BlockingIOError:
            os.close(fd)
            return False
        except OSError:
            os.close(fd)
            raise
        self._fd = fd
        _HELD.add(os.path.abspath(self.path))
        os.lseek(fd, _PID_OFFSET, os.SEEK_SET)
        os.write(fd, f"{os.getpid():<20}".encode())
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            _HELD.discard(os.path.abspath(self.path))
            try:
                if sys.platform == "win32":  # Windows may keep a closed file's lock a while
                    os.lseek(fd, _PID_OFFSET, os.SEEK_SET)
                    os.write(fd, b" " * 20)  # and the pid must not outlive the tray
                    _unlock(fd)
            finally:
                os.close(fd)  # on Unix closing the file releases the lock


_PID_OFFSET = 16  # Windows locks byte 0; the pid is written past it, readable by others
_HELD: set[str] = set()  # instance locks this process holds (not to be opened again here)


def is_held(path: Path | str) -> bool:
    """Whether a live process holds the instance lock at `path`. Reads only: never takes it."""
    if os.path.abspath(path) in _HELD:
        return True
    try:
        fd = os.open(path, os.O_RDONLY if sys.platform == "win32" else os.O_RDWR)
    except OSError:
        return False
    try:
        return _is_held(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":
    def _lock_instance(fd: int) -> None:
        _lock(fd)

    def _is_held(fd: int) -> bool:
        os.lseek(fd, _PID_OFFSET, os.SEEK_SET)
        try:
            pid = int(os.read(fd, 20).decode("ascii").strip() or "0")
        except (OSError, ValueError):
            return False
        return pid > 0 and _is_running(pid)

    def _is_running(pid: int) -> bool:
        import ctypes
        from ctypes import wintypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        kernel.OpenProcess.restype = wintypes.HANDLE
        kernel.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
        kernel.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
        kernel.CloseHandle.argtypes = (wintypes.HANDLE,)
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = wintypes.DWORD()
            return bool(kernel.GetExitCodeProcess(handle, ctypes.byref(code))) and (
                code.value == 259)  # STILL_ACTIVE
        finally:
            kernel.CloseHandle(handle)

else:
    import struct

    _IS_LINUX = sys.platform.startswith("linux")
    # struct flock: Linux puts l_type and l_whence first; the BSDs and macOS put them last.
    _FLOCK = "hhqqi4x" if _IS_LINUX else "qqihh"
    _SET = getattr(fcntl, "F_OFD_SETLK", fcntl.F_SETLK) if _IS_LINUX else fcntl.F_SETLK
    _GET = getattr(fcntl, "F_OFD_GETLK", fcntl.F_GETLK) if _IS_LINUX else fcntl.F_GETLK

    def _flock(kind: int) -> bytes:
        if _IS_LINUX:
            return struct.pack(_FLOCK, kind, os.SEEK_SET, 0, 0, 0)
        return struct.pack(_FLOCK, 0, 0, 0, kind, os.SEEK_SET)

    def _lock_instance(fd: int) -> None:
        try:
            fcntl.fcntl(fd, _SET, _flock(fcntl.F_WRLCK))
        except OSError as error:
            if error.errno in (errno.EACCES, errno.EAGAIN):
                raise BlockingIOError(str(error)) from error
            raise

    def _is_held(fd: int) -> bool:
        fields = struct.unpack(_FLOCK, fcntl.fcntl(fd, _GET, _flock(fcntl.F_WRLCK)))
        kind: int = fields[0] if _IS_LINUX else fields[3]
        return kind != fcntl.F_UNLCK
