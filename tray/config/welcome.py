"""The first-run welcome comes once: a marker in the config folder remembers the answer."""

from __future__ import annotations

import sys
from pathlib import Path

from tray.base.i18n import _

WELCOMED = "welcomed"


def is_welcomed(config: Path) -> bool:
    return (config / WELCOMED).exists()


def mark_welcomed(config: Path, start_at_login: bool | None) -> None:
    """Remember that the welcome was shown (and what was answered), or skipped (None)."""
    try:
        config.mkdir(parents=True, exist_ok=True)
        # the marker's words are data, read by nobody but this module: not translated
        answer = "skipped" if start_at_login is None else ("yes" if start_at_login else "no")
        (config / WELCOMED).write_text(f"start at login: {answer}\n", encoding="utf-8")
    except OSError as error:
        print(_("cannot remember the welcome in {folder}: {why}").format(folder=config,
                                                                         why=error),
              file=sys.stderr)
