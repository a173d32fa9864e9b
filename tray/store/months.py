"""The store's months: one TinyDB file per calendar month, `2026-11.json`, whose table "records"
holds the records of that month's days by their sequence number (the document id).

A month file is read when a reader asks for its days and let go again: nothing here is kept in
memory, so a long history costs the idle tray nothing.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from tinydb.table import Document

from tray.base.i18n import _
from tray.store.files import MONTH, StoreFile

RECORDS = "records"
_NAME = re.compile(r"(\d{4})-(\d{2})\.json")


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


def day_of(doc: dict[str, Any]) -> str | None:
    """A record's day as ISO text, or None when it has none (a damaged record)."""
    day = doc.get("day")
    return day if isinstance(day, str) and len(day) == 10 else None


def path_of(folder: Path, month: str) -> Path:
    return folder / f"{month}.json"


def months_in(folder: Path) -> list[str]:
    """The months that have a file, oldest first."""
    try:
        names = [entry.name for entry in folder.iterdir()]
    except OSError:
        return []
    found = []
    for name in names:
        match = _NAME.fullmatch(name)
        if match and 1 <= int(match[2]) <= 12:
            found.append(name.removesuffix(".json"))
    return sorted(found)


def last_day(month: str) -> date:
    year, number = int(month[:4]), int(month[5:])
    return date(year, number, monthrange(year, number)[1])


def read(folder: Path, month: str, tell: Callable[[str], None]) -> list[dict[str, Any]]:
    """The record documents of `month` (none if it has no file; an unreadable file is moved
    aside and told)."""
    file = StoreFile(path_of(folder, month), MONTH, tell)
    try:
        file.load()
        return [dict(doc) for doc in file.table(RECORDS).all()]
    finally:
        file.close()


def write(folder: Path, month: str, tell: Callable[[str], None],
          put: Iterable[dict[str, Any]] = (), keep: Callable[[dict[str, Any]], bool] | None = None,
          ) -> int:
    """Upsert the documents `put` into `month` (by "seq") and drop those `keep` refuses, in one
    atomic write; returns how many were dropped. Raises OSError (the file is then as it was)."""
    file = StoreFile(path_of(folder, month), MONTH, tell)
    try:
        file.load()
        if not file.is_writable:
            raise OSError(_("{path} is left untouched because it could not be read").format(
                path=file.path))
        table = file.table(RECORDS)
        dropped = 0
        if keep is not None:
            gone = [doc.doc_id for doc in table.all() if not keep(dict(doc))]
            dropped = len(gone)
            if gone:
                table.remove(doc_ids=gone)
        for doc in put:
            table.upsert(Document(doc, doc_id=doc["seq"]))
        file.flush()
        return dropped
    finally:
        file.close()
