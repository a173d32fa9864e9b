"""Routine files: TOML data (never executed), validated on load, with messages that name the file,
the step and the key.

A routine is a few steps in order; consecutive steps with the same `repeat` count form a round
that runs that many times. The person's `rounds` setting replaces the count of the round that
holds the press step.

A file carries its texts in English and, optionally, per language: a `[de]` or `[es]` table
after the routine's own keys (title, description, area, safety), and a `[steps.de]` table after
a step (text, say, cue, cue_say). A routine is loaded in one language (the one shown,
tray.base.i18n.language(), unless asked for another); what a language leaves out is English. A
spoken form falls back to English only with its written text: a step translated without its
`say` says its translated text. A broken translation never costs the routine: it is reported in
`Routine.problems` (file, step, key) and the English is shown instead. In the tests'
pseudo-language every text is the English, wrapped as i18n.Pseudo wraps the catalog's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from tray.base import guard, i18n

KINDS = ("settle", "locate", "press", "rest", "finish")
ILLUSTRATIONS = ("settle", "locate", "press", "circles", "rest", "finish")
DEFAULT_ROUTINE = "upper-back-hands-only"
MAX_STEP_SECONDS = 600
MAX_REPEAT = 10
CHIMES = ("step", "keep_going", "done")  # made by routines/chimes.py; one for each Cue
TRANSLATED = tuple(code for code in i18n.LANGUAGES if code != i18n.DEFAULT)  # [de], [es]
ROUTINE_TEXTS = {"title": 80, "description": 400, "area": 80, "safety": 400}  # key: limit
STEP_TEXTS = {"text": 400, "say": 400, "cue": 400, "cue_say": 400}
SPOKEN_FORMS = {"say": "text", "cue_say": "cue"}  # a spoken form, and the text it says
MAX_PROBLEMS = 10  # a file's translation problems listed; the rest are counted


class RoutineError(ValueError):
    """A routine file that cannot be used; str() names the file, the step and the key."""

    def __init__(self, path: Path | str, message: str, *, step: int | None = None,
                 key: str | None = None) -> None:
        self.path, self.step, self.key = Path(path), step, key
        place = [str(path)]
        if step is not None:
            place.append(f"step {step}")
        if key is not None:
            place.append(f"key {key}")
        super().__init__(f"{message} (in {', '.join(place)})")


@dataclass(frozen=True)
class Step:
    kind: str
    text: str
    seconds: int
    illustration: str
    repeat: int = 1
    cue: str | None = None
    cue_at: int | None = None  # seconds into the step
    say: str | None = None  # the short spoken form of `text`, where the written one is long
    cue_say: str | None = None  # the same for `cue`

    @property
    def spoken(self) -> str:
        return self.say or self.text

    @property
    def spoken_cue(self) -> str | None:
        return self.cue_say or self.cue


@dataclass(frozen=True)
class Routine:
    id: str
    title: str
    description: str
    area: str
    safety: str
    steps: tuple[Step, ...]
    path: Path
    language: str = i18n.DEFAULT  # the language of its texts (English where it has none)
    problems: tuple[RoutineError, ...] = ()  # translations not used: the English is shown
    source: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def in_language(self, language: str) -> Routine:
        """The same routine with its texts in `language` (from the file's data, not re-read)."""
        return self if language == self.language else parse(dict(self.source), self.path,
                                                             language)

    def expanded(self, rounds: int | None = None) -> list[tuple[Step, int, int]]:
        """The steps as shown: (step, round number, rounds in that block); round 0 = no round."""
        shown: list[tuple[Step, int, int]] = []
        index = 0
        while index < len(self.steps):
            step = self.steps[index]
            if step.repeat == 1:
                shown.append((step, 0, 0))
                index += 1
                continue
            block = [step]
            while (index + len(block) < len(self.steps)
                   and self.steps[index + len(block)].repeat == step.repeat):
                block.append(self.steps[index + len(block)])
            count = step.repeat
            if rounds is not None and any(s.kind == "press" for s in block):
                count = rounds
            for number in range(1, count + 1):
                shown.extend((s, number, count) for s in block)
            index += len(block)
        return shown

    def length(self, rounds: int | None = None) -> timedelta:
        return timedelta(seconds=sum(step.seconds for step, _, _ in self.expanded(rounds)))


def _text(data: dict[str, Any], key: str, path: Path, step: int | None = None,
          limit: int = 400) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RoutineError(path, f"{key} must be a non-empty text", step=step, key=key)
    if len(value) > limit:
        raise RoutineError(path, f"{key} is longer than {limit} characters", step=step, key=key)
    return value.strip()


def _whole(data: dict[str, Any], key: str, low: int, high: int, path: Path, step: int,
           default: int | None = None) -> int:
    value = data.get(key, default)
    if not guard.is_whole(value, low, high):
        raise RoutineError(path, f"{key} must be a whole number from {low} to {high}, "
                                 f"got {guard.shorten(repr(value))}", step=step, key=key)
    return value


def parse(data: dict[str, Any], path: Path, language: str | None = None) -> Routine:
    """The routine in `data`, its texts in `language` (None: the one shown now)."""
    language = i18n.language() if language is None else language
    problems: list[RoutineError] = []
    routine_id = _text(data, "id", path, limit=64)
    steps_data = data.get("steps")
    if not isinstance(steps_data, list) or not steps_data:
        raise RoutineError(path, "a routine needs a [[steps]] list with at least one step",
                           key="steps")
    steps = []
    for number, raw in enumerate(steps_data, start=1):
        if not isinstance(raw, dict):
            raise RoutineError(path, "each step must be a [[steps]] table", step=number)
        kind = raw.get("kind")
        if kind not in KINDS:
            raise RoutineError(path, f"kind must be one of {', '.join(KINDS)}, "
                                     f"got {guard.shorten(repr(kind))}", step=number, key="kind")
        illustration = raw.get("illustration", kind)
        if illustration not in ILLUSTRATIONS:
            raise RoutineError(path, f"illustration must be one of {', '.join(ILLUSTRATIONS)}, "
                                     f"got {guard.shorten(repr(illustration))}", step=number,
                               key="illustration")
        seconds = _whole(raw, "seconds", 1, MAX_STEP_SECONDS, path, number)
        cue = raw.get("cue")
        cue_at = cue_say = None
        if cue is not None:
            cue = _text(raw, "cue", path, number)
            cue_at = _whole(raw, "cue_at", 1, seconds - 1, path, number)
            cue_say = _text(raw, "cue_say", path, number) if "cue_say" in raw else None
        elif "cue_say" in raw:
            raise RoutineError(path, "cue_say is the spoken form of a cue: give the cue too",
                               step=number, key="cue_say")
        say = _text(raw, "say", path, number) if "say" in raw else None
        english = {"text": _text(raw, "text", path, number), "say": say, "cue": cue,
                   "cue_say": cue_say}
        has = {"text", "say", *(("cue", "cue_say") if cue is not None else ())}
        texts = _shown(english, _translations(raw, path, number, has, problems), language)
        steps.append(Step(kind=kind, text=_given(texts, "text"), seconds=seconds,
                          illustration=illustration,
                          repeat=_whole(raw, "repeat", 1, MAX_REPEAT, path, number, default=1),
                          cue=texts["cue"], cue_at=cue_at, say=texts["say"],
                          cue_say=texts["cue_say"]))
    head = _shown({key: _text(data, key, path, limit=limit)
                   for key, limit in ROUTINE_TEXTS.items()},
                  _translations(data, path, None, set(ROUTINE_TEXTS), problems), language)
    return Routine(id=routine_id, title=_given(head, "title"),
                   description=_given(head, "description"), area=_given(head, "area"),
                   safety=_given(head, "safety"), steps=tuple(steps), path=path,
                   language=language, problems=_listed(problems, path), source=data)


def _listed(problems: list[RoutineError], path: Path) -> tuple[RoutineError, ...]:
    if len(problems) <= MAX_PROBLEMS:
        return tuple(problems)
    more = len(problems) - MAX_PROBLEMS + 1
    return (*problems[:MAX_PROBLEMS - 1],
            RoutineError(path, f"{more} more translations cannot be used; English is shown"))


def _given(texts: Mapping[str, str | None], key: str) -> str:
    """A text every routine has (its English was checked)."""
    value = texts[key]
    assert value is not None
    return value


def _translations(raw: dict[str, Any], path: Path, step: int | None, has: set[str],
                  problems: list[RoutineError]) -> dict[str, dict[str, str]]:
    """The usable texts of each language's table in `raw` ([de] or [steps.de]); what cannot be
    used is added to `problems`, and its English is shown instead."""
    limits = STEP_TEXTS if step is not None else ROUTINE_TEXTS
    found: dict[str, dict[str, str]] = {}
    for code in TRANSLATED:
        if code not in raw:
            continue
        table = raw[code]
        name = f"[steps.{code}]" if step is not None else f"[{code}]"
        if not isinstance(table, dict):
            problems.append(RoutineError(
                path, f"{code} must be a {name} table of texts, got "
                      f"{guard.shorten(repr(table))}; English is shown", step=step, key=code))
            continue
        texts: dict[str, str] = {}
        for key, value in table.items():
            said = _untranslatable(code, key, value, limits, has, name)
            if said is None:
                texts[key] = str(value).strip()
            else:
                problems.append(RoutineError(path, said, step=step, key=f"{code}.{key}"))
        found[code] = texts
    return found


def _untranslatable(code: str, key: str, value: object, limits: dict[str, int], has: set[str],
                    name: str) -> str | None:
    """Why `value` cannot be the translation of `key` (None: it can)."""
    if key not in limits:
        return (f"{code}.{key} is not a text {name} can translate (those are "
                f"{', '.join(limits)}); it is ignored")
    if key not in has:
        return (f"{code}.{key} translates a {SPOKEN_FORMS.get(key, key)} the step does not "
                "have in English; it is ignored")
    if not isinstance(value, str) or not value.strip():
        return (f"{code}.{key} must be a non-empty text, got {guard.shorten(repr(value))}; "
                "the English is shown")
    if len(value) > limits[key]:
        return f"{code}.{key} is longer than {limits[key]} characters; the English is shown"
    return None


def _shown(english: Mapping[str, str | None], translations: dict[str, dict[str, str]],
           language: str) -> dict[str, str | None]:
    """The texts as shown in `language`: its own where it has them, English otherwise. A spoken
    form comes with its written text: one translated without its spoken form says itself."""
    if language == i18n.PSEUDO:
        wrap = i18n.Pseudo().gettext
        return {key: None if value is None else wrap(value) for key, value in english.items()}
    own = translations.get(language, {})
    shown = {**english, **own}
    for spoken, written in SPOKEN_FORMS.items():
        if written in own and spoken not in own and spoken in shown:
            shown[spoken] = None
    return shown


MAX_BYTES = 256 << 10  # the bundled routine is 3 KB


def load_file(path: Path, language: str | None = None) -> Routine:
    """The routine in the file at `path`, its texts in `language` (None: the one shown)."""
    try:
        raw = guard.read_file(path, limit=MAX_BYTES)
        if raw is None:
            raise guard.Refused("is not there")
        data = guard.parse_toml(guard.text_of(raw))
    except guard.Refused as error:
        raise RoutineError(path, f"the file {error}") from None
    return parse(data, path, language)


def bundled_folder() -> Path:
    return Path(str(resources.files(__package__ or "routines")))


def chime_sources() -> dict[str, Path]:
    """The chimes shipped beside the routines, one for each cue."""
    return {name: bundled_folder() / "sounds" / f"{name}.wav" for name in CHIMES}


def load_all(user_folder: Path | None = None, language: str | None = None,
             ) -> tuple[dict[str, Routine], list[RoutineError]]:
    """The bundled routines, then the person's own (which may replace one by id), their texts
    in `language` (None: the one shown).

    A broken file is reported and skipped; it never stops the others. A broken translation
    only costs itself: see each routine's `problems`.
    """
    found: dict[str, Routine] = {}
    problems: list[RoutineError] = []
    folders = [bundled_folder()] + ([user_folder] if user_folder is not None else [])
    for folder in folders:
        try:
            paths = sorted(folder.glob("*.toml")) if folder.is_dir() else []
        except OSError as error:  # a folder the person cannot read: say so, go on without it
            problems.append(RoutineError(folder, f"the folder cannot be read "
                                                 f"({error.strerror or error})"))
            continue
        for path in paths:
            try:
                routine = load_file(path, language)
            except RoutineError as error:
                problems.append(error)
                continue
            found[routine.id] = routine
    return found, problems
