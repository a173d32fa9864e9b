"""How every port chooses its implementation, the same way for all of them (the one module the
ports share).

A port lists its candidates for this system in order. `POINTBREAK_<PORT>` (a test, a packager, a
person debugging) may force one by name, or `none` where a port can go without. An unknown name
is a mistake: `UnknownChoice` says the variable, the value and the names it takes; the tray
tells it once and chooses by itself (`AUTO`). Every candidate that fails is logged with its
reason, and the chosen one is logged too. `system_of` names the system a `sys.platform` value
is, for each port's `capabilities()`.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from tray.base.i18n import _

log = logging.getLogger(__name__)

T = TypeVar("T")
AUTO = "auto"  # choose by itself, whatever the variable says
NONE = "none"


def system_of(platform: str = sys.platform) -> str:
    """"windows", "macos", "linux", or "other" (a BSD...) for a `sys.platform` value."""
    if platform.startswith("linux"):
        return "linux"
    return {"win32": "windows", "darwin": "macos"}.get(platform, "other")


class UnknownChoice(ValueError):
    def __init__(self, variable: str, value: str, choices: Iterable[str]) -> None:
        self.variable, self.value, self.choices = variable, value, sorted(choices)
        super().__init__(_("{variable}={value} is not one of {choices}; choosing by "
                           "itself").format(variable=variable, value=value,
                                            choices=", ".join(self.choices)))


def forced(variable: str, choices: Iterable[str], choice: str | None = None) -> str | None:
    """The name forced by `choice` or else by the variable, or None to choose by itself.
    Raises UnknownChoice for a name that is not among `choices`."""
    value = (os.environ.get(variable, "") if choice is None else choice).strip().lower()
    if not value or value == AUTO:
        return None
    names = set(choices)
    if value not in names:
        raise UnknownChoice(variable, value, names)
    return value


def asked_for(variable: str, choices: Iterable[str], env: Mapping[str, str]) -> str | None:
    """`forced` for a port that cannot stop to tell a mistake: an unknown name is logged, and
    the port chooses by itself."""
    try:
        return forced(variable, choices, env.get(variable, ""))
    except UnknownChoice as error:
        log.warning("%s", error)
        return None


def first_that_works(what: str, candidates: Sequence[tuple[str, Callable[[], T]]],
                     failures: list[tuple[str, str]] | None = None) -> T | None:
    """Make each candidate in turn (a name once) and return the first that works; `failures`
    (if given) gets each one that failed, and why."""
    tried: set[str] = set()
    for name, make in candidates:
        if name in tried:
            continue
        tried.add(name)
        try:
            chosen = make()
        except Exception as error:  # any failure: not usable here, and why
            log.info("%s: %s is not usable: %s", what, name, error)
            if failures is not None:
                failures.append((name, str(error)))
            continue
        log.info("%s: using %s", what, name)
        return chosen
    return None
