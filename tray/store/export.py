"""Writing the history out to a file the person chose (`pointbreak history --export`, the history
window's Export button)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from pathlib import Path

from tray.base.atomic import write_atomically
from tray.core.history import export
from tray.core.model import Record


def export_to(path: Path, records: Sequence[Record], zone: tzinfo) -> None:
    """Every record to `path`, as JSON for a .json name and CSV otherwise, atomically (a link
    is followed, not replaced). Raises OSError."""
    kind = "json" if path.suffix.lower() == ".json" else "csv"
    write_atomically(path.resolve(), export(records, zone, kind).encode("utf-8"))
