"""Every word the command line shows goes through the catalogs: the real `pointbreak` in the
pseudo-language (LANGUAGE=qps wraps each translated text in ⟦…⟧) leaves no word outside the
brackets but names; argparse's own texts are all listed for the extractor; the settings file's
language wins over the environment's."""

from __future__ import annotations

import argparse
import ast
import platform
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from helpers import BERLIN, unwrapped_words

from tray.base import i18n
from tray.cli import argparse_words, doctor
from tray.cli import parser as cli
from tray.core.model import Kind, Outcome, Record, State
from tray.store import Store

OPEN, CLOSE = i18n.OPEN, i18n.CLOSE


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(commands.choices)


def _parsers() -> list[argparse.ArgumentParser]:
    parser = cli.build_parser()
    return [parser, *_subcommands(parser).values()]


def _names() -> set[str]:
    """What may stay English: the program, the subcommands, every option, every value a choice
    takes (plan --answer completed, autostart on), and the two facts of doctor that are names."""
    names = {"pointbreak", "Pointbreak", "Python"}
    for parser in _parsers():
        for action in parser._actions:
            names.update(action.option_strings)
            names.update(str(choice) for choice in action.choices or ())
    return names


SUBCOMMANDS = list(_subcommands(cli.build_parser()))

BAD = [["bogus"], ["plan", "--answer", "x"], ["history", "--csv", "--window"], ["autostart"],
       ["snooze", "0"], ["pause", "25h"], ["pause", "soon"], ["history", "--days"],
       ["history", "--days", "0"], ["history", "--until", "2026-13-01"],
       ["plan", "--date", "0001-01-01"], ["settings", "bogus"], ["status", "--extra"],
       ["history", "--export", "out.txt"], ["--run-module", "nothing"]]

RUNS = [(["--help"], 0), *(([name, "--help"], 0) for name in SUBCOMMANDS),
        *((argv, 2) for argv in BAD),
        (["status"], 0), (["plan"], 0), (["plan", "--answer", "skipped"], 0),
        (["plan", "--answer", "ignored"], 0), (["history"], 0), (["history", "--days", "1"], 0),
        (["now"], 1), (["skip"], 1), (["autostart", "status"], 0), (["doctor"], 1)]


def shown(profile, result) -> str:
    """What a person reads, with the names of this machine taken out: the system, and the
    paths (doctor's Settings, Data and Log stand alone, outside any text)."""
    text = result.stdout + result.stderr
    for name in (sys.executable, platform.platform()):
        text = text.replace(name, " ")
    return re.sub(f"{re.escape(str(profile.home))}[^\\s{OPEN}{CLOSE}]*", " ", text)


@pytest.fixture
def pseudo(profile):
    profile.env["LANGUAGE"] = i18n.PSEUDO
    return profile


@pytest.mark.parametrize(("argv", "status"), RUNS, ids=[" ".join(a) for a, _ in RUNS])
def test_every_word_the_command_shows_is_translated(pseudo, argv: list[str],
                                                    status: int) -> None:
    result = pseudo.run(*argv)
    assert result.returncode == status, result.stdout + result.stderr
    text = shown(pseudo, result)
    assert OPEN in text and "Traceback" not in text, text
    assert unwrapped_words(text, _names()) == [], text


def test_what_status_says_of_a_paused_day_with_a_session_is_translated(pseudo) -> None:
    now = datetime.now(UTC)
    day = now.astimezone(BERLIN).date()  # the profile's TZ
    Store(pseudo.store).save(State(seq=1, is_paused=True, paused_until=now + timedelta(hours=2)),
                             [Record(seq=1, kind=Kind.SESSION, day=day, shown_at=now,
                                     ended_at=now, outcome=Outcome.COMPLETED)])
    result = pseudo.run("status")
    assert result.returncode == 0, result.stderr
    assert "Paused until" in result.stdout and "Sessions started by hand" in result.stdout
    assert unwrapped_words(shown(pseudo, result), _names()) == [], result.stdout


def test_what_the_store_says_of_a_damaged_file_is_translated(pseudo) -> None:
    pseudo.store.mkdir(parents=True)
    (pseudo.store / "state.json").write_bytes(b"{ this is not json")
    result = pseudo.run("history", "--days", "1")
    assert result.returncode == 0
    assert "could not be read" in result.stderr
    assert unwrapped_words(shown(pseudo, result), _names()) == [], result.stderr


def test_an_export_says_how_many_records_it_wrote_in_words_translated(pseudo) -> None:
    now = datetime.now(UTC)
    Store(pseudo.store).save(None, [Record(seq=1, kind=Kind.SESSION, day=now.date(),
                                           shown_at=now, ended_at=now,
                                           outcome=Outcome.COMPLETED)])
    target = pseudo.home / "out.csv"
    result = pseudo.run("history", "--export", str(target))
    assert result.returncode == 0 and target.exists(), result.stderr
    assert "1 record written" in result.stdout  # one, not "1 records"
    assert unwrapped_words(shown(pseudo, result), _names()) == [], result.stdout


@pytest.mark.parametrize("argv", [["status"], ["--help"], ["bogus"], ["plan"], ["doctor"],
                                  ["snooze"]], ids=" ".join)
def test_the_settings_language_wins_over_the_environments(pseudo, argv: list[str]) -> None:
    """LANGUAGE asks for the pseudo-language; the file's language = "en" is what is shown."""
    without = pseudo.run(*argv)
    assert OPEN in without.stdout + without.stderr
    pseudo.settings.parent.mkdir(parents=True)
    pseudo.settings.write_text('[routine]\nlanguage = "en"\n')
    result = pseudo.run(*argv)
    assert result.stdout + result.stderr != ""
    assert OPEN not in result.stdout + result.stderr, result.stdout + result.stderr


def test_a_settings_file_that_cannot_be_read_leaves_the_environments_language(pseudo) -> None:
    pseudo.settings.parent.mkdir(parents=True)
    pseudo.settings.write_text('[routine]\nlanguage = "klingon"\n[[[')
    result = pseudo.run("plan")
    assert result.returncode == 0
    assert OPEN in result.stdout


# --- argparse's own texts ----------------------------------------------------------------------


def _argparse_calls() -> tuple[set[str], set[tuple[str, str]]]:
    """The texts argparse (of this Python) looks up: _("...") and ngettext("...", "...", n)."""
    assert argparse.__file__ is not None
    with open(argparse.__file__, encoding="utf-8") as file:
        tree = ast.parse(file.read())
    texts: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        literal = [a.value for a in node.args if isinstance(a, ast.Constant)
                   and isinstance(a.value, str)]
        if node.func.id == "_" and literal:
            texts.add(literal[0])
        elif node.func.id == "ngettext" and len(literal) == 2:
            plurals.add((literal[0], literal[1]))
    return texts, plurals


@pytest.fixture
def in_pseudo() -> Iterator[None]:
    i18n.use(i18n.PSEUDO)
    try:
        yield
    finally:
        i18n.use("en")


def test_every_text_argparse_looks_up_is_listed_for_the_catalogs(in_pseudo) -> None:
    texts, plurals = _argparse_calls()
    assert texts, "argparse's texts were not found"
    assert texts - set(argparse_words.TEXTS) == set()
    assert "subcommands" in argparse_words.TEXTS  # looked up as a default, _(kwargs.pop(...))

    def bare(text: str) -> str:
        return text.removeprefix(OPEN).removesuffix(CLOSE)

    listed = set(zip(map(bare, argparse_words.plurals(1)), map(bare, argparse_words.plurals(2)),
                     strict=True))
    assert plurals - listed == set()


def test_argparse_speaks_the_language_shown(in_pseudo, capsys) -> None:
    with pytest.raises(SystemExit) as done:
        cli.build_parser().parse_args(["history", "--csv", "--window"])
    assert done.value.code == 2
    error = capsys.readouterr().err
    assert f"{OPEN}usage: {CLOSE}pointbreak history" in error
    assert f"{OPEN}not allowed with argument --csv{CLOSE}" in error


# --- doctor reads the running tray's problems in its language or in English --------------------


@pytest.mark.parametrize(("line", "problem"), [
    ("Problem: the idle reader stopped", "the idle reader stopped"),
    (f"{OPEN}Problem: the idle reader stopped{CLOSE}", "the idle reader stopped"),
    (f"{OPEN}Today: 1 of 5{CLOSE}", None),
    ("Today: 1 of 5", None),
], ids=["english", "this language", "another line", "another english line"])
def test_doctor_finds_the_trays_problems(in_pseudo, line: str, problem: str | None) -> None:
    assert doctor._tray_problem(line) == problem


def test_what_is_wrong_inside_a_history_file_is_translated_too(pseudo) -> None:
    """The core's own reasons (tray.core.codec's Damaged) reach the person in their language."""
    import json

    Store(pseudo.store).save(State(seq=1), [])
    state_file = pseudo.store / "state.json"
    data = json.loads(state_file.read_text())
    data["state"]["1"]["counts"] = [["someday", 1, 0]]
    state_file.write_text(json.dumps(data))
    result = pseudo.run("status")
    assert "someday" in result.stderr + result.stdout, result.stderr
    assert unwrapped_words(shown(pseudo, result), _names() | {"someday"}) == [], result.stderr
