"""The tray's log: a rotating file in the log folder, or the terminal when that cannot be."""

from __future__ import annotations

import errno
import logging
import logging.handlers
import os
import stat
import sys
from pathlib import Path

LOG_NAME = "pointbreak.log"
MAX_LOG_BYTES = 512 * 1024
KEPT_LOGS = 3


def setup_logging(folder: Path) -> None:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    path = folder / LOG_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(path) and not stat.S_ISREG(os.stat(path).st_mode):
            raise OSError(errno.EINVAL, f"{path} is not a file")  # a FIFO would block the open
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_LOG_BYTES, backupCount=KEPT_LOGS, encoding="utf-8")
    except OSError as error:
        print(f"cannot write the log in {folder}: {error}; logging to the terminal",
              file=sys.stderr)
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per job is noise
