"""Faithful fakes of winreg for the Windows adapters, tested on Linux: the calls the adapters
make, with the semantics and the errors the real module has (case-insensitive names,
FileNotFoundError for a missing key or value, access rights checked)."""

from __future__ import annotations

from tray.adapters.quiet import calls


class FakeWinreg:
    """winreg's open/set/query/delete semantics, with the errors the real one raises."""

    HKEY_CURRENT_USER = 0x80000001
    KEY_QUERY_VALUE, KEY_SET_VALUE = 0x0001, 0x0002
    REG_SZ, REG_EXPAND_SZ, REG_DWORD = 1, 2, 4

    def __init__(self) -> None:
        self.keys: dict[tuple[int, str], dict[str, tuple[object, int]]] = {}

    class Handle:
        def __init__(self, values: dict, access: int) -> None:
            self.values, self.access, self.closed = values, access, False

        def __enter__(self):
            return self

        def __exit__(self, *exc: object) -> None:
            self.closed = True

    def _handle(self, root: int, path: str, access: int, create: bool) -> Handle:
        if root != self.HKEY_CURRENT_USER:
            raise OSError(2, "The system cannot find the file specified")
        key = (root, path.lower())  # the registry is case-insensitive
        if key not in self.keys:
            if not create:
                raise FileNotFoundError(2, "The system cannot find the file specified")
            self.keys[key] = {}
        return self.Handle(self.keys[key], access)

    def OpenKey(self, root: int, path: str, reserved: int = 0, access: int = 1):
        return self._handle(root, path, access, create=False)

    def CreateKeyEx(self, root: int, path: str, reserved: int = 0, access: int = 2):
        return self._handle(root, path, access, create=True)

    def QueryValueEx(self, handle: Handle, name: str):
        if not handle.access & self.KEY_QUERY_VALUE:
            raise PermissionError(5, "Access is denied")
        if name.lower() not in {n.lower() for n in handle.values}:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return next(v for n, v in handle.values.items() if n.lower() == name.lower())

    def SetValueEx(self, handle: Handle, name: str, reserved: int, kind: int, value):
        if not handle.access & self.KEY_SET_VALUE:
            raise PermissionError(5, "Access is denied")
        if kind == self.REG_SZ and not isinstance(value, str):
            raise ValueError("Could not convert the data to the specified type.")
        handle.values[name] = (value, kind)

    def DeleteValue(self, handle: Handle, name: str) -> None:
        if not handle.access & self.KEY_SET_VALUE:
            raise PermissionError(5, "Access is denied")
        match = [n for n in handle.values if n.lower() == name.lower()]
        if not match:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del handle.values[match[0]]


class FakeConsentRegistry:
    """winreg's OpenKey/EnumKey/QueryValueEx over a tree of keys, with its errors: a missing
    key or value raises FileNotFoundError, EnumKey past the end OSError (ERROR_NO_MORE_ITEMS)."""

    HKEY_CURRENT_USER = 0x80000001

    def __init__(self, tree: dict) -> None:
        self.tree = tree
        self.open_handles = 0
        self.is_denied = False

    class Key:
        def __init__(self, registry: FakeConsentRegistry, node: dict) -> None:
            self.registry, self.node = registry, node
            registry.open_handles += 1

        def __enter__(self):
            return self

        def __exit__(self, *exc: object) -> None:
            self.registry.open_handles -= 1

    def OpenKey(self, parent, path: str):
        if self.is_denied:  # as after the user's hive was unloaded, or access was taken away
            raise PermissionError(5, "Access is denied")
        node = self.tree if parent == self.HKEY_CURRENT_USER else parent.node
        for part in path.split("\\"):
            match = [k for k in node if isinstance(node[k], dict) and k.lower() == part.lower()]
            if not match:
                raise FileNotFoundError(2, "The system cannot find the file specified")
            node = node[match[0]]
        return self.Key(self, node)

    def EnumKey(self, key, index: int) -> str:
        names = [k for k, v in key.node.items() if isinstance(v, dict)]
        if index >= len(names):
            raise OSError(259, "No more data is available")
        return names[index]

    def QueryValueEx(self, key, name: str):
        value = key.node.get(name)
        if value is None or isinstance(value, dict):
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return value, 11  # REG_QWORD


FILETIME_2026 = 134_000_000_000_000_000  # 100-ns ticks since 1601, a day in 2026


def app_entry(start: int, stop: int) -> dict:
    return {"Value": "Allow", "LastUsedTimeStart": start, "LastUsedTimeStop": stop}


def consent_store(microphone: dict, webcam: dict) -> dict:
    path = calls.CONSENT_STORE.split("\\")
    root: dict = {}
    node = root
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = {"microphone": {"Value": "Allow", **microphone},
                      "webcam": {"Value": "Allow", **webcam},
                      "location": {"Value": "Allow"}}
    return root
