"""State and records to and from plain dicts, for the store; and the days the engine can handle.

Reading back is strict: a value of the wrong type, out of range or too long is refused with a
`ValueError` that names it, so a damaged or hostile store cannot reach the engine.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from tray.core.model import (
    Away,
    DayCount,
    Kind,
    Outcome,
    Phase,
    Prompt,
    Record,
    State,
)

# --- what is wrong with a file's content ------------------------------------------------------


def N_(text: str) -> str:
    """Marks a text for the catalogs; the core writes no words itself, so tray.store says it."""
    return text


class Damaged(ValueError):
    """What is wrong with the store's content: an English text with {placeholders} (N_-marked,
    translated where it is shown) and their values."""

    def __init__(self, template: str, **values: object) -> None:
        self.template, self.values = template, values
        super().__init__(template.format(**values))


# --- serialising state for the store -------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


# The days the engine can work with: what is read from the store or typed on the command line
# outside them is refused (the datetime arithmetic of a day's active hours needs room around it).
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(9998, 12, 31)
MOST = 2 ** 53  # the largest count or sequence number read back (JSON's exact integers)
MOST_SECONDS = 400 * 86400  # the longest length read back (a snooze is at most 2 hours)


def in_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def _instant(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise Damaged(N_("an instant is an ISO 8601 text, got {shown}"), shown=_shown(value))
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Damaged(N_("an instant is an ISO 8601 text, got {shown}"),
                      shown=_shown(value)) from None
    if parsed.tzinfo is None:
        raise Damaged(N_("instant without a time zone: {value}"), value=repr(value))
    try:
        instant = parsed.astimezone(UTC)
    except OverflowError:
        raise Damaged(N_("instant out of range: {value}"), value=repr(value)) from None
    if not in_range(instant.date()):
        raise Damaged(N_("instant out of range: {value}"), value=repr(value))
    return instant


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 10:
        raise Damaged(N_("a day is YYYY-MM-DD, got {shown}"), shown=_shown(value))
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Damaged(N_("a day is YYYY-MM-DD, got {shown}"), shown=_shown(value)) from None
    if not in_range(day):
        raise Damaged(N_("day out of range: {value}"), value=repr(value))
    return day


def _int(value: Any, name: str, most: int = MOST) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
        raise Damaged(N_("{name} must be a whole number from 0 to {most}, got {shown}"),
                      name=name, most=most, shown=_shown(value))
    return value


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, int) or abs(value) < 10 ** 30 else "a huge number"
    return text if len(text) <= 40 else text[:40] + "…"


def state_to_dict(state: State) -> dict[str, Any]:
    prompt = state.open
    return {
        "work_from": _iso(state.work_from),
        "deferred_to": _iso(state.deferred_to),
        "deferred_day": state.deferred_day and state.deferred_day.isoformat(),
        "is_paused": state.is_paused,
        "paused_until": _iso(state.paused_until),
        "away": sorted(state.away),
        "away_since": _iso(state.away_since),
        "is_away_a_break": state.is_away_a_break,
        "quiet": sorted(state.quiet),
        "held_since": _iso(state.held_since),
        "open": None if prompt is None else {
            "seq": prompt.seq,
            "kind": prompt.kind.value,
            "day": prompt.day.isoformat(),
            "first_shown_at": _iso(prompt.first_shown_at),
            "phase": prompt.phase.value,
            "shown_at": _iso(prompt.shown_at),
            "snoozes": prompt.snoozes,
            "snoozed_seconds": int(prompt.snoozed_for.total_seconds()),
            "snoozed_until": _iso(prompt.snoozed_until),
            "started_at": _iso(prompt.started_at),
        },
        "counts": [[c.day.isoformat(), c.prompts, c.completed] for c in state.counts],
        "seq": state.seq,
    }


def state_from_dict(data: Any) -> State:
    """Rebuild a State; raises ValueError (or KeyError/TypeError) naming what is wrong."""
    if not isinstance(data, dict):
        raise Damaged(N_("state must be an object, got {name}"), name=type(data).__name__)
    raw = data.get("open")
    prompt = None
    if raw is not None:
        if not isinstance(raw, dict):
            raise Damaged(N_("state.open must be an object"))
        first_shown = _instant(raw["first_shown_at"])
        shown = _instant(raw["shown_at"])
        day = _day(raw["day"])
        if first_shown is None or shown is None or day is None:
            raise Damaged(N_("state.open needs day, first_shown_at and shown_at"))
        prompt = Prompt(
            seq=_int(raw["seq"], "open.seq"),
            kind=Kind(raw["kind"]),
            day=day,
            first_shown_at=first_shown,
            phase=Phase(raw["phase"]),
            shown_at=shown,
            snoozes=_int(raw.get("snoozes", 0), "open.snoozes", 1000),
            snoozed_for=timedelta(seconds=_int(raw.get("snoozed_seconds", 0),
                                               "open.snoozed_seconds", MOST_SECONDS)),
            snoozed_until=_instant(raw.get("snoozed_until")),
            started_at=_instant(raw.get("started_at")),
        )
        if prompt.phase is Phase.SNOOZED and prompt.snoozed_until is None:
            raise Damaged(N_("state.open is snoozed but says not until when"))
    counts = []
    for item in data.get("counts", []):
        if not isinstance(item, list) or len(item) != 3:
            raise Damaged(N_("state.counts entries are [day, prompts, completed], got {item}"),
                          item=repr(item))
        day = _day(item[0])
        if day is None:
            raise Damaged(N_("state.counts entries start with a day, got {shown}"),
                          shown=_shown(item))
        counts.append(DayCount(day, _int(item[1], "prompts"), _int(item[2], "completed")))
    away = data.get("away", [])
    if not isinstance(away, list):
        raise Damaged(N_("state.away must be a list"))
    is_paused = data.get("is_paused", False)
    is_break = data.get("is_away_a_break", False)
    if not isinstance(is_paused, bool) or not isinstance(is_break, bool):
        raise Damaged(N_("state.is_paused and state.is_away_a_break must be true or false"))
    return State(
        work_from=_instant(data.get("work_from")),
        deferred_to=_instant(data.get("deferred_to")),
        deferred_day=_day(data.get("deferred_day")),
        is_paused=is_paused,
        paused_until=_instant(data.get("paused_until")),
        away=frozenset(Away(a) for a in away),
        away_since=_instant(data.get("away_since")),
        is_away_a_break=is_break,
        quiet=_reasons(data.get("quiet", [])),
        held_since=_instant(data.get("held_since")),
        open=prompt,
        counts=tuple(counts),
        seq=_int(data.get("seq", 0), "seq"),
    )


def _reasons(value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(q, str) and len(q) <= 40
                                              for q in value):
        raise Damaged(N_("state.quiet must be a list of short texts"))
    return frozenset(value)


def record_to_dict(record: Record) -> dict[str, Any]:
    return {
        "seq": record.seq,
        "kind": record.kind.value,
        "day": record.day.isoformat(),
        "shown_at": _iso(record.shown_at),
        "started_at": _iso(record.started_at),
        "ended_at": _iso(record.ended_at),
        "outcome": record.outcome and record.outcome.value,
        "step": record.step,
        "snoozes": record.snoozes,
        "snoozed_seconds": int(record.snoozed_for.total_seconds()),
    }


def record_from_dict(data: Any) -> Record:
    if not isinstance(data, dict):
        raise Damaged(N_("a record must be an object, got {name}"), name=type(data).__name__)
    day = _day(data["day"])
    shown = _instant(data["shown_at"])
    if day is None or shown is None:
        raise Damaged(N_("a record needs day and shown_at"))
    outcome = data.get("outcome")
    step = data.get("step")
    return Record(
        seq=_int(data["seq"], "seq"),
        kind=Kind(data["kind"]),
        day=day,
        shown_at=shown,
        started_at=_instant(data.get("started_at")),
        ended_at=_instant(data.get("ended_at")),
        outcome=None if outcome is None else Outcome(outcome),
        step=None if step is None else _int(step, "step", 1000),
        snoozes=_int(data.get("snoozes", 0), "snoozes", 1000),
        snoozed_for=timedelta(seconds=_int(data.get("snoozed_seconds", 0), "snoozed_seconds",
                                           MOST_SECONDS)),
    )
