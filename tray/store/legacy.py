"""Taking over `history.json`, the single file Pointbreak kept everything in before its store
became a folder of files.

The old file is only read, never changed or removed: an older Pointbreak (after a downgrade)
still finds it as it was. Its records are merged into the month files one month at a time, and
the state file is written last, with the old file's stamp (inode, mtime, size): that write is
the take-over's commit point. A crash anywhere before it leaves the state file without the
stamp, so the next start merges again, and merging is idempotent: a record already in its month
(the same kind, first shown at the same instant) is not added twice, and one whose number is
taken by another record gets the next free number. If the old file changes after the take-over
(an older Pointbreak ran on it), its stamp no longer matches and its new records are merged the
same way at the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb.table import Document

from tray.store import months
from tray.store.files import LEGACY, StoreFile, stat

RECENT = "recent"
STATE_ID = 1


def is_pending(path: Path, meta: dict[str, Any]) -> bool:
    """Whether the old file at `path` has something not yet taken over."""
    stamp = stat(path)
    return stamp is not None and list(stamp) != meta.get("legacy")


def read(path: Path, tell: Callable[[str], None]) -> tuple[list[dict[str, Any]], dict[str, Any]
                                                            | None] | None:
    """The old file's record documents and its state document; None when there is no readable
    file (an unreadable one is moved aside and told, like any file of the store)."""
    old = StoreFile(path, LEGACY, tell)
    try:
        old.load()
        if not old.existed:
            return None
        docs = [dict(doc) for name in sorted(old.db.tables()) if name.startswith("records-")
                for doc in old.table(name).all()]
        state = old.table("state").get(doc_id=STATE_ID)
        return docs, (dict(state) if state is not None else None)
    finally:
        old.close()


def take_over(path: Path, folder: Path, state: StoreFile, tell: Callable[[str], None],
              step: Callable[[str], None] = lambda _what: None) -> int:
    """Merge the old file at `path` into the months in `folder` and into `state`, which is
    written last (the commit point); returns how many records were added. The caller holds the
    store's lock. Raises OSError when a file cannot be written: nothing is lost then, and the
    next take-over does the rest."""
    stamp = stat(path)
    found = read(path, tell)
    if found is None or stamp is None:
        state.set_meta(legacy=None)
        return 0
    docs, old_state = found
    groups: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        day = months.day_of(doc)
        if day is not None and _seq(doc) is not None:  # a damaged one stays in the old file only
            groups.setdefault(day[:7], []).append(doc)
    recent = [dict(doc) for doc in state.table(RECENT).all()]
    found_state = state.table("state").get(doc_id=STATE_ID)
    current = dict(found_state) if found_state is not None else None
    top = max([_seq(current or {}) or 0, _seq(old_state or {}) or 0,
               *(_seq(doc) or 0 for doc in docs), *(_seq(doc) or 0 for doc in recent)])
    added = 0
    for month, group in sorted(groups.items()):
        step(month)
        here = months.read(folder, month, tell) + [
            doc for doc in recent if (months.day_of(doc) or "")[:7] == month]
        known = {_identity(doc) for doc in here}
        taken = {_seq(doc) for doc in here}
        put = []
        for doc in sorted(group, key=lambda d: _seq(d) or 0):
            if _identity(doc) in known:
                continue
            if _seq(doc) in taken:
                top += 1
                doc = dict(doc, seq=top)
            known.add(_identity(doc))
            taken.add(_seq(doc))
            put.append(doc)
        if put:
            months.write(folder, month, tell, put)
            added += len(put)
    step("state")
    if current is None and old_state is not None and not _was_lost(state):
        current = old_state
    if current is not None:
        state.table("state").upsert(Document(dict(current, seq=top), doc_id=STATE_ID))
    last_filed = max((months.day_of(doc) or "" for doc in docs), default="")
    meta = state.meta
    through = max(filter(None, [meta.get("filed_through"), last_filed or None]), default=None)
    state.set_meta(legacy=list(stamp), filed_through=through)
    state.flush()
    step("done")
    return added


def _was_lost(state: StoreFile) -> bool:
    """A state file of this store was moved aside once: the old file's state is long past."""
    return any(state.path.parent.glob(f"{state.path.name}.unreadable-*"))


def _seq(doc: dict[str, Any]) -> int | None:
    seq = doc.get("seq")
    return seq if isinstance(seq, int) and not isinstance(seq, bool) and seq >= 0 else None


def _identity(doc: dict[str, Any]) -> tuple[Any, Any]:
    """The same record, whatever number it has: its kind and when it was first shown."""
    return doc.get("kind"), doc.get("shown_at")
