"""The report `pointbreak doctor` prints (tray.cli.doctor gathers it): facts, then each problem
with its fix; and the phrases its sections share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tray.base.i18n import _, ngettext

if TYPE_CHECKING:
    from tray.adapters.choosing import UnknownChoice


@dataclass
class Report:
    facts: list[tuple[str, str]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (problem, fix)

    def fact(self, name: str, value: str) -> None:
        self.facts.append((name, value))

    def problem(self, what: str, fix: str) -> None:
        self.problems.append((what, fix))

    def text(self) -> str:
        width = max(len(name) for name, _value in self.facts)
        lines = [f"{name:<{width}}  {value}" for name, value in self.facts]
        if self.problems:
            lines.append("")
            count = len(self.problems)
            lines.append(ngettext("{n} problem:", "{n} problems:", count).format(n=count))
            for what, fix in self.problems:
                lines.append(f"- {what}")
                # TRANSLATORS: below each problem doctor finds, what to do about it.
                lines.append("  " + _("fix: {fix}").format(fix=fix))
        else:
            lines.append("")
            lines.append(_("No problems found."))
        return "\n".join(lines)


def yes_or_no(flag: bool) -> str:
    # TRANSLATORS: the answer in "(menu: yes)", "(buttons: no)".
    return _("yes") if flag else _("no")


def unknown_choice(report: Report, error: UnknownChoice) -> None:
    """An environment variable that forces a backend names one that is not there."""
    report.problem(_("{variable}={value} is not one of {choices}; choosing by itself").format(
        variable=error.variable, value=error.value, choices=", ".join(error.choices)),
        _("unset {variable}, or set it to one of those").format(variable=error.variable))
