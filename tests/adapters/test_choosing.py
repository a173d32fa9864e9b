"""Every port chooses the same way (tray.adapters.choosing): the same answer to an unknown
override, to `auto`, to `none`, and the same log of what was tried and why it failed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from tray.adapters import autostart, choosing, idle, notify
from tray.adapters.choosing import AUTO, UnknownChoice

# port: (its variable, its select, the names it takes)
PORTS: dict[str, tuple[str, Callable[..., Any], set[str]]] = {
    "idle": ("POINTBREAK_IDLE", idle.select, {*idle.READERS, "none"}),
    "notify": ("POINTBREAK_NOTIFY", lambda choice=None: notify.select(None, choice),
               {"dbus", "notify-send", "plyer", "osascript", "pystray", "none"}),
    "autostart": ("POINTBREAK_AUTOSTART", autostart.backend, set(autostart.SYSTEMS)),
}


@pytest.mark.parametrize("port", sorted(PORTS))
def test_an_unknown_name_is_an_error_that_lists_the_choices(port, monkeypatch) -> None:
    variable, select, names = PORTS[port]
    monkeypatch.setenv(variable, "Bogus")
    with pytest.raises(UnknownChoice) as raised:
        select()
    message = str(raised.value)
    assert message.startswith(f"{variable}=bogus is not one of ")
    assert all(name in message for name in names), message
    assert raised.value.choices == sorted(names)


@pytest.mark.parametrize("port", sorted(PORTS))
def test_auto_chooses_by_itself_whatever_the_variable_says(port, monkeypatch) -> None:
    variable, select, _ = PORTS[port]
    monkeypatch.setenv(variable, "bogus")
    select(AUTO)  # no error: the tray's answer to an unknown name


@pytest.mark.parametrize("port", ["idle", "notify"])
def test_none_is_a_choice_where_a_port_can_go_without(port, monkeypatch) -> None:
    variable, select, _ = PORTS[port]
    monkeypatch.setenv(variable, "none")
    chosen = select()
    assert chosen is None or chosen.name == "none"


def test_a_forced_name_is_the_only_candidate_and_its_failure_is_logged(monkeypatch,
                                                                        caplog) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    monkeypatch.setenv("POINTBREAK_IDLE", "mutter")
    with caplog.at_level(logging.INFO, logger="tray.adapters"):
        assert idle.select() is None
    failed = [r.getMessage() for r in caplog.records if "is not usable" in r.getMessage()]
    assert len(failed) == 1 and failed[0].startswith("idle time: mutter is not usable: "), failed
    assert len(failed[0]) > len("idle time: mutter is not usable: ")  # with its reason


def test_each_candidate_is_tried_once_in_order_and_the_chosen_one_logged(caplog) -> None:
    made: list[str] = []

    def broken(name: str) -> Callable[[], str]:
        def make() -> str:
            made.append(name)
            raise OSError(f"{name} is not here")
        return make

    def works() -> str:
        made.append("c")
        return "c"

    candidates = [("a", broken("a")), ("b", broken("b")), ("a", broken("a")), ("c", works),
                  ("d", works)]
    with caplog.at_level(logging.INFO, logger="tray.adapters"):
        assert choosing.first_that_works("a port", candidates) == "c"
    assert made == ["a", "b", "c"]
    lines = [r.getMessage() for r in caplog.records]
    assert lines == ["a port: a is not usable: a is not here",
                     "a port: b is not usable: b is not here", "a port: using c"]
