"""history.json as Pointbreak wrote it before its store became a folder (schema 1): every table in
one TinyDB file, the records in one table per month. For the take-over's tests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from tray.core.codec import record_to_dict, state_to_dict
from tray.core.model import Record, State


def legacy_data(state: State | None, records: Iterable[Record]) -> dict:
    data: dict = {"meta": {"1": {"schema": 1}}}
    if state is not None:
        data["state"] = {"1": state_to_dict(state)}
    for record in records:
        data.setdefault(f"records-{record.day:%Y-%m}", {})[str(record.seq)] = record_to_dict(record)
    return data


def write_legacy(path: Path, state: State | None, records: Iterable[Record]) -> bytes:
    """Write the file as the earlier version did; returns its bytes."""
    payload = json.dumps(legacy_data(state, records), separators=(",", ":")).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)
    return payload
