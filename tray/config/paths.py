"""Where Pointbreak keeps its files: the per-user folders of each system (platformdirs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from tray.core.records import record

APP_DIR_NAME = "pointbreak"


@record
class Folders:
    config: Path
    data: Path
    log: Path
    runtime: Path

    @property
    def settings(self) -> Path:
        return self.config / "settings.toml"

    @property
    def store(self) -> Path:
        """The store's folder (tray.store); `history.json` beside it is the file of earlier
        versions, taken over and kept."""
        return self.data / "history"

    @property
    def alive(self) -> Path:
        """Touched once a minute by the running tray: when it was last seen alive."""
        return self.data / "alive"


def folders() -> Folders:
    """The current user's folders. On Linux they follow the XDG_* variables."""
    dirs = platformdirs.PlatformDirs(APP_DIR_NAME, appauthor=False)
    if sys.platform.startswith("linux") and not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = Path(dirs.user_cache_dir) / "run"  # no session runtime folder: a private one
    else:
        runtime = Path(dirs.user_runtime_dir)
    return Folders(config=Path(dirs.user_config_dir), data=Path(dirs.user_data_dir),
                   log=Path(dirs.user_log_dir), runtime=runtime)
