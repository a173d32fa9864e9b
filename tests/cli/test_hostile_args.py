"""Bad command-line use: exit status 2, a message that says what is allowed, never a traceback,
and a long argument cut in the message instead of echoed whole."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tray.cli import parser as cli
from tray.core.choices import Pause, Snooze
from tray.ipc.commands import Command, Request

LONG = "9" * 100_000

BAD = [
    (["plan", "--date", "9999-12-31"], "a date is from 1970-01-01 to 9998-12-31"),
    (["plan", "--date", "0001-01-01"], "a date is from 1970-01-01 to 9998-12-31"),
    (["history", "--until", "0001-01-01"], "a date is from 1970-01-01 to 9998-12-31"),
    (["history", "--until", "2026-W49-3"], "a date is YYYY-MM-DD"),
    (["history", "--until", "２０２６-１２-０２"], "a date is YYYY-MM-DD"),
    (["snooze", "１０"], "snooze takes 1 to 120"),
    (["snooze", "0"], "snooze takes 1 to 120"),
    (["snooze", LONG], "(100000 characters)"),
    (["history", "--days", "٣"], "--days takes 1 to 400"),
    (["pause", "１h"], "pause takes a duration such as 30m"),
    (["pause", "25h"], "a pause lasts 1 minute to 24 hours"),
    (["x" * 5000], "(5000 characters)"),
    (["status", "--" + "y" * 5000], "(5002 characters)"),
    (["history", "--export", "x" * 5000], "must end in .csv or .json"),
]


@pytest.mark.parametrize("argv, says", BAD, ids=[" ".join(a)[:30] for a, _ in BAD])
def test_bad_use_exits_2_with_a_short_message(profile, argv: list[str], says: str) -> None:
    result = profile.run(*argv)
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr and says in result.stderr, result.stderr[:500]
    assert len(result.stderr) < 1000


@pytest.mark.parametrize("argv", [["plan", "--date", "9998-12-31"],
                                  ["plan", "--date", "1970-01-01"],
                                  ["history", "--until", "1970-01-01", "--days", "400"],
                                  ["history", "--until", "9998-12-31"]])
def test_the_edges_of_the_range_work(profile, argv: list[str]) -> None:
    result = profile.run(*argv)
    assert result.returncode == 0 and result.stderr == "", result.stderr


@settings(max_examples=300, deadline=None)
@given(argv=st.lists(st.sampled_from(["snooze", "pause", "plan", "--date", "history",
                                      "--days", "--until", "--csv", "status", "skip"])
                     | st.text(max_size=12), min_size=1, max_size=4))
def test_any_arguments_parse_or_exit_2(argv: list[str]) -> None:
    """In process, the parser alone: a value or SystemExit(2), nothing else."""
    try:
        args = cli.build_parser().parse_args(argv)
    except SystemExit as done:
        assert done.code in (0, 2)  # 0: --help or --version
        return
    if getattr(args, "date", None) is not None:
        assert cli.FIRST_DAY <= args.date <= cli.LAST_DAY
    sent = getattr(args, "command_args", None)
    if isinstance(sent, Snooze):
        assert sent.minutes is not None and 1 <= sent.minutes <= 120
    if isinstance(sent, Pause) and sent.minutes is not None:
        assert 1 <= sent.minutes <= 1440 and not sent.until_tomorrow


@pytest.mark.parametrize(("argv", "sent"), [
    (["snooze"], Request(Command.SNOOZE, Snooze(10))),
    (["snooze", "120"], Request(Command.SNOOZE, Snooze(120))),
    (["pause"], Request(Command.PAUSE, Pause())),
    (["pause", "1h30m"], Request(Command.PAUSE, Pause(90))),
    (["pause", "24h"], Request(Command.PAUSE, Pause(1440))),
    (["pause", "1m"], Request(Command.PAUSE, Pause(1))),
    (["pause", "tomorrow"], Request(Command.PAUSE, Pause(until_tomorrow=True))),
    (["now"], Request(Command.NOW)),
    (["quit"], Request(Command.QUIT)),
], ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_the_command_line_sends_the_typed_request(argv: list[str], sent: Request) -> None:
    args = cli.build_parser().parse_args(argv)
    assert Request(Command(args.command), args.command_args) == sent


def test_the_tray_commands_of_the_command_line_come_from_the_table() -> None:
    assert cli.TRAY_COMMANDS == (Command.NOW, Command.SNOOZE, Command.SKIP, Command.PAUSE,
                                 Command.RESUME, Command.QUIT)
