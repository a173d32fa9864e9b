"""The pseudo-language check: what a person would read that no catalog translated.

Under LANGUAGE=qps every translated text is wrapped, ⟦…⟧; what is left outside the brackets
must hold no letters but the names that stay English (docs/translating.md): settings keys,
command and option names, program and package names, paths."""

from __future__ import annotations

import re
from collections.abc import Iterable

OPEN, CLOSE = "\u27e6", "\u27e7"
WRAPPED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Names, not words: they stay as they are in every language.
NAMES = frozenset({"Pointbreak", "pointbreak"})


def unwrapped_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The words of `text` outside every ⟦…⟧ (innermost first), but for allowed names."""
    while True:
        stripped = WRAPPED.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    names = NAMES | set(allowed)
    return [word for word in WORD.findall(text) if word not in names]
