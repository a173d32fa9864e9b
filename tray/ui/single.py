"""One window of a kind at a time (settings, history): the first holds a lock in the runtime
folder and writes its process id beside it; a second one asks it to come to the front (SIGUSR1,
where there is one) and ends. Works the same whether the tray or the command line opened it.
A window's process starts here too: in the language of the settings, its texts gathered for the
tests where they ask (tray.base.testhooks)."""

from __future__ import annotations

import os
import signal
import sys
import threading
import tkinter as tk
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from tray.base import guard, i18n, testhooks
from tray.base.i18n import _
from tray.base.lockfile import FileLock, LockTimeout
from tray.config import settings as settings_file
from tray.config.paths import Folders, folders
from tray.ui import look

RAISE_CHECK_MS = 250
_RAISE_WANTED = threading.Event()


def listen_for_raise() -> None:
    """Call first thing in the window's process: a request that comes early must not kill it."""
    if hasattr(signal, "SIGUSR1") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGUSR1, lambda *_: _RAISE_WANTED.set())


def claim(runtime: Path, name: str) -> FileLock | None:
    """The lock that makes this process the one `name` window (keep it while the window is
    open), or None after asking the open one to come to the front."""
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock = FileLock(runtime / f"{name}-window.lock", timeout=0)
    pid_file = runtime / f"{name}-window.pid"
    try:
        lock.acquire()
    except LockTimeout:
        with suppress(OSError, ValueError):  # guard.Refused is a ValueError
            pid = int(guard.text_of(guard.read_file(pid_file, limit=64) or b"").strip())
            if hasattr(signal, "SIGUSR1") and pid > 0:
                os.kill(pid, signal.SIGUSR1)
        return None
    pid_file.write_text(str(os.getpid()))
    return lock


def raise_on_request(root: tk.Tk) -> None:
    """Come to the front when another process asks (see `claim`)."""
    if not hasattr(signal, "SIGUSR1"):
        return

    def check() -> None:
        if _RAISE_WANTED.is_set():
            _RAISE_WANTED.clear()
            root.deiconify()
            root.lift()
            root.focus_force()
        root.after(RAISE_CHECK_MS, check)

    root.after(RAISE_CHECK_MS, check)


def language_setting(where: Folders) -> str:
    """The settings file's `language` ("auto" when the file has none, or cannot be read)."""
    settings, _problems = settings_file.load(where.settings)
    return settings.language.value


def open_root(setting: str) -> tk.Tk | None:
    """The Tk root of a window's process, everything in the language of `setting` from now on;
    None, said on stderr, when there is no display to open it on."""
    i18n.use(setting)
    try:
        root = tk.Tk(className="Pointbreak")
    except tk.TclError as error:
        print(_("Pointbreak cannot open a window: {error}").format(error=error), file=sys.stderr)
        return None
    look.use_language(root, setting)
    return root


def run_window(name: str, build: Callable[[tk.Tk, Folders], object], already_open: str) -> int:
    """A window's process: one at a time (see `claim`), built by `build`, placed, run.
    `already_open` (N_()-marked) is said when another one is open."""
    where = folders()
    setting = language_setting(where)
    i18n.use(setting)
    lock = claim(where.runtime, name)
    if lock is None:
        print(_(already_open))
        return 0
    root = open_root(setting)
    if root is None:
        return 1
    build(root, where)
    testhooks.record_texts(root, name)
    raise_on_request(root)
    place(root)
    root.mainloop()
    lock.release()
    return 0


def place(root: tk.Tk) -> None:
    """Centred on the screen, a little above the middle, in front."""
    root.update_idletasks()
    x = max(0, (root.winfo_screenwidth() - root.winfo_reqwidth()) // 2)
    y = max(0, (root.winfo_screenheight() - root.winfo_reqheight()) // 3)
    root.geometry(f"+{x}+{y}")
    root.lift()
