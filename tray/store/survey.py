"""What the store's files hold, read without changing anything (for `pointbreak doctor`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tray.store import legacy, months
from tray.store.files import LEGACY, MONTH, STATE, AtomicJSONStorage, Unreadable, check


@dataclass
class Survey:
    size: int = 0  # bytes, every readable file together
    records: int = 0
    months: int = 0
    unreadable: list[tuple[Path, str]] = field(default_factory=list)
    legacy_pending: bool = False  # an earlier version's history.json not yet taken over


def survey(folder: Path, legacy_file: Path) -> Survey:
    found = Survey()
    meta: dict[str, object] = {}
    files = [(folder / "state.json", STATE),
             *((months.path_of(folder, m), MONTH) for m in months.months_in(folder))]
    for path, kind in files:
        try:
            data = AtomicJSONStorage(path).read()
            if data is None:
                continue
            check(data, kind)
        except Unreadable as error:
            found.unreadable.append((path, str(error)))
            continue
        found.size += path.stat().st_size
        table = "recent" if kind == STATE else months.RECORDS
        found.records += len(data.get(table, {}))
        found.months += kind == MONTH
        if kind == STATE:
            meta = data.get("meta", {}).get("1", {})
    if legacy.is_pending(legacy_file, meta):
        try:
            data = AtomicJSONStorage(legacy_file).read()
            if data is not None:
                check(data, LEGACY)
            found.legacy_pending = True
        except Unreadable as error:
            found.unreadable.append((legacy_file, str(error)))
    return found
