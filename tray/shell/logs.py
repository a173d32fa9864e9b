"""The tray's log: a rotating file in the log folder, or the terminal when that cannot be.

The rotation is RotatingFileHandler's (a new file past MAX_LOG_BYTES, KEPT_LOGS old ones kept as
pointbreak.log.1 to .3), done here: logging.handlers imports socket, pickle and more, some 5 ms
before the icon shows (tray/shell/app.py sets the log up first)."""

from __future__ import annotations

import errno
import logging
import os
import stat
import sys
from pathlib import Path

LOG_NAME = "pointbreak.log"
MAX_LOG_BYTES = 512 * 1024
KEPT_LOGS = 3


class RotatingLog(logging.FileHandler):
    def __init__(self, path: Path, max_bytes: int = MAX_LOG_BYTES, kept: int = KEPT_LOGS) -> None:
        super().__init__(path, encoding="utf-8")
        self.max_bytes, self.kept = max_bytes, kept

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = f"{self.format(record)}{self.terminator}"
            if self.stream is not None and self.stream.tell() + len(line) >= self.max_bytes:
                self._rotate()
        except Exception:  # as logging's own handlers: told on stderr, the app goes on
            self.handleError(record)
            return
        super().emit(record)

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        for number in range(self.kept - 1, 0, -1):
            older = f"{self.baseFilename}.{number}"
            if os.path.exists(older):
                os.replace(older, f"{self.baseFilename}.{number + 1}")
        if os.path.exists(self.baseFilename):
            os.replace(self.baseFilename, f"{self.baseFilename}.1")
        self.stream = self._open()


def setup_logging(folder: Path) -> None:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    path = folder / LOG_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(path) and not stat.S_ISREG(os.stat(path).st_mode):
            raise OSError(errno.EINVAL, f"{path} is not a file")  # a FIFO would block the open
        handler: logging.Handler = RotatingLog(path)
    except OSError as error:
        print(f"cannot write the log in {folder}: {error}; logging to the terminal",
              file=sys.stderr)
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per job is noise
