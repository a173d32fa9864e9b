"""Faithful fakes of winreg for the Windows adapters, tested on Linux: the calls the adapters
make, with the semantics and the errors the real module has (case-insensitive names,
FileNotFoundError for a missing key or value, access rights checked)."""

from __future__ import annotations


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
