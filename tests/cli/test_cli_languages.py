"""The commands in German and Spanish, read back: `status`, `plan`, `history`, `doctor`, the
help and an error. A line that reads the same in English and in the other language is a line
nobody translated, unless all its words are names (programs, options, keys, paths) that stay.
Saved under tests/artifacts/cli-languages/ for a person to read."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta

import pytest
from helpers import BERLIN

from tray.core.model import Kind, Outcome, Record, State
from tray.store import Store

RUNS = [["status"], ["plan"], ["history", "--days", "3"], ["doctor"], ["--help"],
        ["history", "--help"], ["snooze", "0"], ["pause", "soon"]]
# Words that are names in every language: what doctor and the help show of this machine.
NAMES = re.compile(r"^[\W\d_]*$|^(Python|Pointbreak|pointbreak|Tk|Linux)\b[\w .:/()+-]*$")
WORD = re.compile(r"[^\W\d_]{3,}")


def lines_with_words(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()
            if WORD.search(line) and not NAMES.match(line.strip())]


@pytest.fixture
def with_history(profile):
    now = datetime.now(UTC)
    day = now.astimezone(BERLIN).date()
    Store(profile.store).save(
        State(seq=2, is_paused=True, paused_until=now + timedelta(days=2)),
        [Record(seq=1, kind=Kind.PROMPT, day=day, shown_at=now - timedelta(hours=1),
                ended_at=now - timedelta(minutes=50), outcome=Outcome.COMPLETED, snoozes=2),
         Record(seq=2, kind=Kind.SESSION, day=day, shown_at=now, ended_at=now,
                outcome=Outcome.STOPPED_EARLY, step=3)])
    return profile


@pytest.mark.parametrize("language", ["de", "es"])
@pytest.mark.parametrize("argv", RUNS, ids=" ".join)
def test_no_line_is_left_in_english(with_history, language: str, argv: list[str]) -> None:
    profile = with_history
    profile.env["LANGUAGE"] = "en"
    english = profile.run(*argv)
    profile.env["LANGUAGE"] = language
    other = profile.run(*argv)
    assert english.returncode == other.returncode, other.stderr
    shown = other.stdout + other.stderr
    assert "Traceback" not in shown, shown
    name = "-".join(argv).strip("-") or "help"
    folder = profile.artifacts("cli-languages")
    (folder / f"{name}-{language}.txt").write_text(shown)
    (folder / f"{name}-en.txt").write_text(english.stdout + english.stderr)
    theirs = set(lines_with_words(shown.replace(sys.executable, "")))
    same = [line for line in lines_with_words((english.stdout + english.stderr).replace(
        sys.executable, "")) if line in theirs and not _only_names(line, profile)]
    assert not same, same


def _only_names(line: str, profile) -> bool:
    """A line of names alone: a path, a settings key listing (`key = value  # ...` is not one),
    a TOML section."""
    line = line.replace(str(profile.home), "")
    return bool(re.fullmatch(r"\[[a-z_]+\]|[\w./~-]+|pointbreak [a-z -]+", line))
