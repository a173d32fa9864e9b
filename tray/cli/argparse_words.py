"""argparse's own words ("usage: ", "options", "invalid choice: ..."), in the language shown.

argparse looks its texts up at run time through the `_` and `ngettext` of its module (Python
3.11: `from gettext import gettext as _, ngettext`); `translate_argparse` points them at
Pointbreak's catalogs. The texts are listed here, exactly as argparse writes them, so the
extractor puts them in the catalogs; tests/cli/test_cli_words.py proves none is missing. They
keep argparse's %-style placeholders (%s, %r, %(prog)s): a translation must keep each one, and
write a lone percent sign as %%.
"""

from __future__ import annotations

import argparse

from tray.base.i18n import N_, _, ngettext

TEXTS = (
    # TRANSLATORS: argparse's texts, of every command's --help and its errors; "usage: " starts
    # the line that shows how the command is written.
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("subcommands"),
    # TRANSLATORS: keep every %s, %r, %(name)s and %(name)r as it is: argparse fills them in (an
    # option's name, a value, a list of choices); write a percent sign as %%.
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_('argument "-" with mode %r'),
    N_("cannot have multiple subparser arguments"),
    N_("conflicting subparser: %s"),
    N_("conflicting subparser alias: %s"),
    N_("%r is not callable"),
    N_(".__call__() not defined"),
    N_("cannot merge actions - two groups are named %r"),
    N_("'required' is an invalid argument for positionals"),
    N_("invalid option string %(option)r: must start with a character %(prefix_chars)r"),
    N_("dest= is required for options like %r"),
    N_("invalid conflict_resolution value: %r"),
    N_("mutually exclusive arguments must be optional"),
)

# Not one of argparse's looked-up texts (it is the default `help` of action="version", never
# translated by argparse itself): the parser passes it through _().
VERSION_HELP = N_("show program's version number and exit")


def plurals(n: int) -> tuple[str, ...]:
    """argparse's texts with plurals, written out for the extractor (argparse asks for them
    itself, through `ngettext`)."""
    return (ngettext("expected %s argument", "expected %s arguments", n),
            ngettext("conflicting option string: %s", "conflicting option strings: %s", n))


def translate_argparse() -> None:
    """argparse's texts from now on in the language shown (tray.base.i18n.use switches it)."""
    setattr(argparse, "_", _)  # noqa: B010 (argparse's stub does not declare its `_`)
    setattr(argparse, "ngettext", ngettext)  # noqa: B010
