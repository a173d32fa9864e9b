"""The tray icon's first state, read before anything else: from the saved state file alone, with
the standard library's json (not TinyDB, not the engine), so the icon shows paused, due,
snoozed or done from the start instead of plain for the moment until the engine runs.

The rule is the engine's own (`tray.core.modes.mode`); this only reads its facts from the file
(tray/store's `history/state.json`: its "state" table, document "1"). Anything unreadable, odd
or missing reads as plain: the engine says the truth a moment later either way. A test holds
this to `engine.status` for states written by the real store.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from tray.core.modes import GUIDANCE_PER_DAY, Mode, mode

log = logging.getLogger(__name__)

STATE_FILE = "state.json"  # in the store's folder (tray.store.files)
LARGEST = 1 << 20  # a state file is a few KiB; a larger one is left to the store's checks


def first_mode(store_folder: Path, settings: Path, now: datetime | None = None) -> Mode:
    """What the icon shows at start, from the state file in `store_folder` (and, only where
    the day's count needs it, the daily cap in `settings`). `now` is the local time (aware; by
    default the system's, the zone the profile uses when the settings name none)."""
    try:
        state = _saved_state(store_folder / STATE_FILE)
        if state is None:
            return Mode.NORMAL
        today = (now or datetime.now().astimezone()).date().isoformat()
        prompts, completed = _count(state.get("counts"), today)
        prompt = state.get("open")
        has_open = isinstance(prompt, dict)
        phase = prompt.get("phase") if isinstance(prompt, dict) else None
        cap = GUIDANCE_PER_DAY
        if 0 < max(prompts, completed) < GUIDANCE_PER_DAY:  # the cap matters: read it
            cap = daily_cap(settings)
        return mode(is_paused=state.get("is_paused") is True, has_open=has_open,
                    is_open_snoozed=phase == "snoozed",
                    is_deferred=isinstance(state.get("deferred_to"), str),
                    prompts_today=prompts, completed_today=completed, daily_cap=cap)
    except Exception as error:  # never a reason not to show the icon
        log.info("the icon starts plain: the saved state cannot be read at a glance (%s)", error)
        return Mode.NORMAL


def _saved_state(path: Path) -> dict[str, Any] | None:
    try:
        if not path.is_file() or path.stat().st_size > LARGEST:
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    state = data.get("state", {}).get("1") if isinstance(data, dict) else None
    return state if isinstance(state, dict) else None


def _count(counts: Any, today: str) -> tuple[int, int]:
    for entry in counts if isinstance(counts, list) else []:
        if isinstance(entry, list) and len(entry) == 3 and entry[0] == today:
            prompts, completed = entry[1], entry[2]
            if all(isinstance(n, int) and not isinstance(n, bool) for n in (prompts, completed)):
                return prompts, completed
    return 0, 0


def daily_cap(settings: Path) -> int:
    """[breaks] daily_cap of the settings file where it is valid (1 to the routine's most),
    else the default; the settings' own checks say what is wrong, after the icon shows."""
    import tomllib

    try:
        if not settings.is_file() or settings.stat().st_size > LARGEST:  # never a FIFO's wait
            return GUIDANCE_PER_DAY
        with settings.open("rb") as file:
            value = tomllib.load(file).get("breaks", {}).get("daily_cap")
    except (OSError, ValueError, AttributeError):
        return GUIDANCE_PER_DAY
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= GUIDANCE_PER_DAY:
        return value
    return GUIDANCE_PER_DAY
