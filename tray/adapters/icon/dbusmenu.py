"""The menu served over D-Bus (com.canonical.dbusmenu, version 3) beside the StatusNotifierItem:
the port's menu tree (`menu.entries`) as dbusmenu items, and the answers to its seven methods.

Hosts differ in what they call (issue 13's memo, 3.5): XFCE and waybar (libdbusmenu-gtk) ask
`GetLayout(0, -1, names)`, `GetGroupProperties`, `AboutToShowGroup` and `EventGroup`; GNOME asks
`GetLayout(0, -1, names)`, `AboutToShow`, `Event`; KDE (libdbusmenu-qt) `GetLayout(0, 1, [])`
and `GetLayout(submenu, 1, [])`. So every method is answered, for any parent and depth; an event's
data may be any variant. Pure: no bus here (`sni` sends what `update` returns).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from tray.adapters.icon.menu import Entry, walk
from tray.core.records import record

INTERFACE = "com.canonical.dbusmenu"
ROOT = 0
Props = dict[str, tuple[str, Any]]
Changes = tuple[list[tuple[int, Props]], list[tuple[int, list[str]]]]

XML = f"""<interface name="{INTERFACE}">
 <property name="Version" type="u" access="read"/>
 <property name="TextDirection" type="s" access="read"/>
 <property name="Status" type="s" access="read"/>
 <property name="IconThemePath" type="as" access="read"/>
 <method name="GetLayout"><arg type="i" name="parentId" direction="in"/>\
<arg type="i" name="recursionDepth" direction="in"/><arg type="as" name="propertyNames" \
direction="in"/><arg type="u" name="revision" direction="out"/><arg type="(ia{{sv}}av)" \
name="layout" direction="out"/></method>
 <method name="GetGroupProperties"><arg type="ai" name="ids" direction="in"/><arg type="as" \
name="propertyNames" direction="in"/><arg type="a(ia{{sv}})" name="properties" \
direction="out"/></method>
 <method name="GetProperty"><arg type="i" name="id" direction="in"/><arg type="s" name="name" \
direction="in"/><arg type="v" name="value" direction="out"/></method>
 <method name="Event"><arg type="i" name="id" direction="in"/><arg type="s" name="eventId" \
direction="in"/><arg type="v" name="data" direction="in"/><arg type="u" name="timestamp" \
direction="in"/></method>
 <method name="EventGroup"><arg type="a(isvu)" name="events" direction="in"/><arg type="ai" \
name="idErrors" direction="out"/></method>
 <method name="AboutToShow"><arg type="i" name="id" direction="in"/><arg type="b" \
name="needUpdate" direction="out"/></method>
 <method name="AboutToShowGroup"><arg type="ai" name="ids" direction="in"/><arg type="ai" \
name="updatesNeeded" direction="out"/><arg type="ai" name="idErrors" direction="out"/></method>
 <signal name="ItemsPropertiesUpdated"><arg type="a(ia{{sv}})" name="updatedProps"/>\
<arg type="a(ias)" name="removedProps"/></signal>
 <signal name="LayoutUpdated"><arg type="u" name="revision"/><arg type="i" name="parent"/></signal>
 <signal name="ItemActivationRequested"><arg type="i" name="id"/><arg type="u" \
name="timestamp"/></signal>
</interface>"""

PROPERTIES: Props = {"Version": ("u", 3), "TextDirection": ("s", "ltr"),
                     "Status": ("s", "normal"), "IconThemePath": ("as", [])}


class Fault(Exception):
    """A call answered with a D-Bus error: its name and message."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = f"org.freedesktop.DBus.Error.{name}"


def escaped(label: str) -> str:
    """A label as dbusmenu shows it: `_` marks a mnemonic there, `__` is a `_`."""
    return label.replace("_", "__")


def properties(entry: Entry) -> Props:
    """An entry's dbusmenu properties, those that differ from libdbusmenu's defaults."""
    if entry.is_separator:
        return {"type": ("s", "separator"), **({} if entry.visible else
                                               {"visible": ("b", False)})}
    props: Props = {"label": ("s", escaped(entry.label))}
    if not entry.enabled:
        props["enabled"] = ("b", False)
    if not entry.visible:
        props["visible"] = ("b", False)
    if entry.checked is not None:
        props["toggle-type"] = ("s", "checkmark")
        props["toggle-state"] = ("i", int(entry.checked))
    if entry.children:
        props["children-display"] = ("s", "submenu")
    return props


@record
class Layout:
    """A menu tree as dbusmenu sees it: each id's properties and children (the root is 0)."""

    props: dict[int, Props]
    children: dict[int, tuple[int, ...]]
    entries: dict[int, Entry]

    @classmethod
    def of(cls, tree: tuple[Entry, ...]) -> Layout:
        props: dict[int, Props] = {ROOT: {"children-display": ("s", "submenu")}}
        children: dict[int, tuple[int, ...]] = {ROOT: tuple(entry.id for entry in tree)}
        entries: dict[int, Entry] = {}
        for entry in walk(tree):
            props[entry.id] = properties(entry)
            children[entry.id] = tuple(child.id for child in entry.children)
            entries[entry.id] = entry
        return cls(props, children, entries)

    def chosen(self, ident: int, names: Iterable[str]) -> Props:
        wanted = set(names)
        return {k: v for k, v in self._props(ident).items() if not wanted or k in wanted}

    def tree(self, ident: int, depth: int, names: list[str]) -> tuple[int, Props, list[Any]]:
        """`(id, props, [variant children])` to `depth` levels (-1: all, 0: none)."""
        props = self.chosen(ident, names)
        kids = [] if depth == 0 else [("(ia{sv}av)", self.tree(child, depth - 1, names))
                                      for child in self.children[ident]]
        return ident, props, kids

    def _props(self, ident: int) -> Props:
        try:
            return self.props[ident]
        except KeyError:
            raise Fault("InvalidArgs", f"no menu item {ident}") from None

    def changes(self, before: Layout) -> Changes:
        """What ItemsPropertiesUpdated says of the move from `before` to this: the properties
        each id has anew, and those it lost (back to their defaults)."""
        updated, removed = [], []
        for ident, props in self.props.items():
            old = before.props.get(ident, {})
            new = {k: v for k, v in props.items() if old.get(k) != v}
            if new:
                updated.append((ident, new))
            gone = sorted(set(old) - set(props))
            if gone:
                removed.append((ident, gone))
        return updated, removed


class DbusMenu:
    """The served menu: the newest layout (swapped under a lock by `update`, from the icon's
    updating thread) and the answers to the host's calls (on `pointbreak-sni`)."""

    def __init__(self, tree: tuple[Entry, ...], on_click: Callable[[Entry], None]) -> None:
        self._lock = threading.Lock()
        self._layout = Layout.of(tree)
        self._revision = 1
        self._revision_read = 0  # the revision the host last read a layout of
        self._on_click = on_click

    def update(self, tree: tuple[Entry, ...]) -> list[tuple[str, str, tuple[Any, ...]]]:
        """Take the menu for a new view; returns the signals to send (name, signature, body):
        none when nothing shown changed."""
        layout = Layout.of(tree)
        with self._lock:
            updated, removed = layout.changes(self._layout)
            self._layout = layout
            if not updated and not removed:
                return []
            self._revision += 1
            revision = self._revision
        return [("ItemsPropertiesUpdated", "a(ia{sv})a(ias)", (updated, removed)),
                ("LayoutUpdated", "ui", (revision, ROOT))]

    def answer(self, member: str, body: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
        """The reply (signature, body) to a com.canonical.dbusmenu call; Fault for a bad one."""
        with self._lock:
            layout, revision = self._layout, self._revision
        if member == "GetLayout":
            parent, depth, names = body
            tree = layout.tree(parent, depth, names)
            with self._lock:
                self._revision_read = max(self._revision_read, revision)
            return "u(ia{sv}av)", (revision, tree)
        if member == "GetGroupProperties":
            ids, names = body
            return "a(ia{sv})", ([(i, layout.chosen(i, names)) for i in ids or layout.props
                                  if i in layout.props],)
        if member == "GetProperty":
            ident, name = body
            props = layout.chosen(ident, [])
            if name not in props:
                raise Fault("InvalidArgs", f"menu item {ident} has no property {name}")
            return "v", (props[name],)
        if member == "Event":
            self._event(layout, *body)
            return "", ()
        if member == "EventGroup":
            errors = [event[0] for event in body[0] if event[0] not in layout.props]
            for event in body[0]:
                self._event(layout, *event)
            return "ai", (errors,)
        if member == "AboutToShow":
            return "b", (self._is_stale(revision),)
        if member == "AboutToShowGroup":
            ids = body[0]
            stale = self._is_stale(revision)
            return "aiai", ([i for i in ids if stale and i in layout.props],
                            [i for i in ids if i not in layout.props])
        raise Fault("UnknownMethod", f"{INTERFACE} has no method {member}")

    def _is_stale(self, revision: int) -> bool:
        """True only when the host has not read the newest layout (a host that re-reads on
        True would loop otherwise)."""
        with self._lock:
            return self._revision_read < revision

    def _event(self, layout: Layout, ident: int, event_id: str, _data: Any,
               _timestamp: int) -> None:
        entry = layout.entries.get(ident)
        if event_id == "clicked" and entry is not None and entry.action is not None \
                and entry.enabled and entry.visible:
            self._on_click(entry)
