"""Pointbreak's icons: PNG/ICO files drawn by `python -m icons.draw`, shipped in the wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def folder() -> Path:
    return Path(str(resources.files(__package__ or "icons")))
