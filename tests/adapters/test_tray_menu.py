"""The tray menu, one tree for every backend (tray.adapters.icon.menu), and what dbusmenu makes
of it (tray.adapters.icon.dbusmenu): the seven methods as each host calls them (issue 13's memo,
3.5), labels escaped, ids stable, changes told, clicks reaching the actions."""

from __future__ import annotations

import pytest

from tray.adapters.icon import dbusmenu, menu
from tray.adapters.icon.registration import parse_item
from tray.core.choices import Pause, Snooze
from tray.core.model import Mode
from tray.core.records import fields_of


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def actions(self) -> menu.Actions:
        def record(name: str):
            return lambda *args: self.calls.append((name, args[0] if args else None))
        return menu.Actions(*(record(name) for name in fields_of(menu.Actions)))


def served(view: menu.View | None = None) -> tuple[dbusmenu.DbusMenu, Recorder]:
    recorder = Recorder()
    tree = menu.entries(view or menu.View(), recorder.actions())
    return dbusmenu.DbusMenu(tree, lambda entry: entry.action and entry.action()), recorder


def labels(layout: tuple) -> list[str]:  # type: ignore[type-arg]
    return [child[1][1].get("label", ("s", "—"))[1] for child in layout[2]]


def test_the_menu_has_designs_entries_in_order_with_the_same_ids_for_every_view() -> None:
    actions = Recorder().actions()
    plain = menu.entries(menu.View(), actions)
    paused = menu.entries(menu.View(mode=Mode.PAUSED, is_paused=True, is_autostart_on=True,
                                    next_line="Paused until 17:00"), actions)
    assert [e.id for e in menu.walk(plain)] == [e.id for e in menu.walk(paused)]
    assert [e.label for e in plain if not e.is_separator] == [
        "Start a session now", "Starting…", "", "Snooze", "Skip next break", "Pause",
        "Resume", "Start at login", "Settings…", "History…", "About Pointbreak", "Quit"]
    by_id = menu.by_id(paused)
    assert by_id[menu.PAUSE].visible is False and by_id[menu.RESUME].visible is True
    assert by_id[menu.AUTOSTART].checked is True and by_id[menu.NEXT_LINE].enabled is False
    assert menu.default_entry(plain) is plain[0]


def test_get_layout_answers_any_parent_and_depth_and_property_names() -> None:
    served_menu, _ = served()
    signature, (revision, root) = served_menu.answer("GetLayout", (0, -1, []))
    assert signature == "u(ia{sv}av)" and revision == 1
    assert root[0] == 0 and root[1] == {"children-display": ("s", "submenu")}
    assert labels(root)[:4] == ["Start a session now", "Starting…", "", "—"]
    snooze = next(child[1] for child in root[2] if child[1][0] == menu.SNOOZE)
    assert labels(snooze) == ["5 min", "10 min", "30 min"]  # depth -1: all of it
    # KDE: one level, then the submenu when it opens.
    _, (_, shallow) = served_menu.answer("GetLayout", (0, 1, []))
    assert all(child[1][2] == [] for child in shallow[2])
    _, (_, pause) = served_menu.answer("GetLayout", (menu.PAUSE, 1, []))
    assert labels(pause) == ["30 min", "1 hour", "2 hours", "Until tomorrow", "Until resumed"]
    # libdbusmenu-gtk and GNOME name the properties they want.
    _, (_, named) = served_menu.answer("GetLayout", (0, 0, ["type", "children-display"]))
    assert named == (0, {"children-display": ("s", "submenu")}, [])
    _, (_, separator) = served_menu.answer("GetLayout", (menu.SEPARATOR_1, 0, ["type"]))
    assert separator[1] == {"type": ("s", "separator")}
    with pytest.raises(dbusmenu.Fault) as fault:
        served_menu.answer("GetLayout", (999, -1, []))
    assert fault.value.name == "org.freedesktop.DBus.Error.InvalidArgs"


def test_group_properties_of_no_ids_are_all_and_get_property_reads_one() -> None:
    served_menu, _ = served(menu.View(is_autostart_on=True))
    _, (everything,) = served_menu.answer("GetGroupProperties", ([], []))
    assert {ident for ident, _ in everything} == {0, *menu.by_id(
        menu.entries(menu.View(), Recorder().actions()))}
    _, (some,) = served_menu.answer("GetGroupProperties", ([menu.AUTOSTART, 999], ["toggle-state"]))
    assert some == [(menu.AUTOSTART, {"toggle-state": ("i", 1)})]
    assert served_menu.answer("GetProperty", (menu.NEXT_LINE, "enabled")) == ("v", (("b", False),))
    with pytest.raises(dbusmenu.Fault):
        served_menu.answer("GetProperty", (menu.QUIT, "toggle-state"))


def test_events_one_or_grouped_reach_the_actions_and_bad_ids_are_said() -> None:
    served_menu, recorder = served()
    assert served_menu.answer("Event", (menu.SNOOZE + 2, "clicked", ("s", ""), 0)) == ("", ())
    assert served_menu.answer("EventGroup", ([(menu.PAUSE + 4, "clicked", ("i", 0), 320413),
                                              (menu.PAUSE, "closed", ("i", 0), 0),
                                              (777, "clicked", ("i", 0), 0)],)) == ("ai", ([777],))
    served_menu.answer("Event", (menu.NEXT_LINE, "clicked", ("i", 0), 0))  # disabled: nothing
    served_menu.answer("Event", (menu.QUIT, "hovered", ("i", 0), 0))  # not a click: nothing
    assert recorder.calls == [("snooze", Snooze(10)), ("pause", Pause(until_tomorrow=True))]


def test_about_to_show_is_false_unless_the_host_has_not_read_the_newest_layout() -> None:
    served_menu, recorder = served()
    served_menu.answer("GetLayout", (0, -1, []))
    assert served_menu.answer("AboutToShow", (0,)) == ("b", (False,))
    assert served_menu.answer("AboutToShowGroup", ([0, 10, 55],)) == ("aiai", ([], [55]))
    signals = served_menu.update(menu.entries(menu.View(is_autostart_on=True,
                                                        next_line="Next break at 16:30"),
                                              recorder.actions()))
    assert served_menu.answer("AboutToShow", (0,)) == ("b", (True,))
    assert signals == [
        ("ItemsPropertiesUpdated", "a(ia{sv})a(ias)",
         ([(menu.NEXT_LINE, {"label": ("s", "Next break at 16:30")}),
           (menu.AUTOSTART, {"toggle-state": ("i", 1)})], [])),
        ("LayoutUpdated", "ui", (2, 0))]
    served_menu.answer("GetLayout", (0, 1, []))
    assert served_menu.answer("AboutToShowGroup", ([0],)) == ("aiai", ([], []))
    assert served_menu.update(menu.entries(menu.View(is_autostart_on=True,
                                                     next_line="Next break at 16:30"),
                                           recorder.actions())) == []  # nothing new: no signal


def test_a_property_back_to_its_default_is_told_as_removed() -> None:
    served_menu, recorder = served(menu.View(is_paused=True))
    signals = served_menu.update(menu.entries(menu.View(), recorder.actions()))
    updated, removed = signals[0][2]
    assert (menu.PAUSE, ["visible"]) in removed
    assert (menu.RESUME, {"visible": ("b", False)}) in updated


def test_labels_escape_underscores_which_dbusmenu_takes_for_mnemonics() -> None:
    entry = menu.Entry(5, "snake_case_name")
    assert dbusmenu.properties(entry)["label"] == ("s", "snake__case__name")


@pytest.mark.parametrize(("entry", "expected"), [
    ("org.kde.StatusNotifierItem-6781-1", ("org.kde.StatusNotifierItem-6781-1",
                                           "/StatusNotifierItem")),
    ("org.kde.StatusNotifierItem-17612-1/StatusNotifierItem",
     ("org.kde.StatusNotifierItem-17612-1", "/StatusNotifierItem")),
    (":1.34/StatusNotifierItem", (":1.34", "/StatusNotifierItem")),
    (":1.39@/StatusNotifierItem", (":1.39", "/StatusNotifierItem")),
    (":1.58@/org/ayatana/NotificationItem/x", (":1.58", "/org/ayatana/NotificationItem/x")),
], ids=["gnome-name", "xfce-kde-name", "xfce-kde-path", "gnome-path", "gnome-deep-path"])
def test_the_watchers_list_is_read_in_each_form_they_write(entry: str, expected) -> None:
    assert parse_item(entry) == expected
