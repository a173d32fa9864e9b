"""Starting Pointbreak's window processes, from Python and from a frozen build alike.

Every window (the prompt card and routine, the control window) runs in its own short-lived
process: one process, one GUI toolkit, and a crash or hang of a window never takes the tray down.
The tray hands each child the write end of a pipe; the child reports what happened there as JSON
lines (a windowed frozen build on Windows has no stdout), made and read by tray.ipc.reports.

    python -m routines card --report-fd 7 ...      from a checkout or a venv
    Pointbreak.exe --run-module routines card ...  from a frozen build (cli.main handles it)
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Protocol

from tray.base.i18n import _
from tray.ipc.reports import BadReport, Report, parse_report_line, report_json

log = logging.getLogger(__name__)

RUN_MODULE = "--run-module"


class ReportStream(Protocol):
    """Where a window writes its reports: the pipe's text file, or a stand-in."""

    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...

MAX_REPORT_LINE = 4096


def command(module: str, args: Sequence[str] = ()) -> list[str]:
    """The command line that runs `module` as a program in this installation."""
    if getattr(sys, "frozen", False):
        return [sys.executable, RUN_MODULE, module, *args]
    return [sys.executable, "-m", module, *args]


def open_window(module: str, args: Sequence[str] = ()) -> bool:
    """A window of its own process that reports nothing back (settings, history, About),
    reaped by a thread so no zombie is left. False, logged, if it cannot start."""
    import threading

    try:
        process = subprocess.Popen(command(module, args), stdin=subprocess.DEVNULL)
    except OSError as error:
        log.error("cannot open the window %s: %s", module, error)
        return False
    threading.Thread(target=process.wait, daemon=True, name=f"pointbreak-{module}").start()
    return True


@dataclass
class Child:
    process: subprocess.Popen[bytes]
    reports: IO[bytes]

    def read_reports(self) -> Iterator[Report]:
        """Yield each report until the child closes its end (blocks: use a thread); one that
        means nothing is logged, saying what is wrong, and left out."""
        with self.reports:
            while True:
                line = self.reports.readline(MAX_REPORT_LINE)
                if not line:
                    return
                try:
                    report = parse_report_line(line)
                except BadReport as error:
                    log.warning("a window's report was left out: %s (%r)", error, line[:80])
                    continue
                yield report


def start(module: str, args: Sequence[str] = (), env: dict[str, str] | None = None) -> Child:
    """Start a window process with a report pipe; the child gets `--report-fd`/`-handle`."""
    read_fd, write_fd = os.pipe()
    try:
        if sys.platform == "win32":
            import msvcrt

            handle = msvcrt.get_osfhandle(write_fd)  # type: ignore[attr-defined]
            os.set_handle_inheritable(handle, True)
            info = subprocess.STARTUPINFO()
            info.lpAttributeList = {"handle_list": [handle]}
            process = subprocess.Popen(
                command(module, [*args, "--report-handle", str(handle)]), env=env,
                startupinfo=info, close_fds=True,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        else:
            process = subprocess.Popen(
                command(module, [*args, "--report-fd", str(write_fd)]), env=env,
                pass_fds=(write_fd,), stdin=subprocess.DEVNULL)
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)
    return Child(process, os.fdopen(read_fd, "rb"))


def open_report(report_fd: int | None, report_handle: int | None) -> IO[str] | None:
    """The child's side: the pipe the parent handed over, as a text file (None: run alone)."""
    if report_handle is not None and sys.platform == "win32":
        import msvcrt

        report_fd = msvcrt.open_osfhandle(report_handle, os.O_WRONLY)  # type: ignore[attr-defined]
    if report_fd is None:
        return None
    try:
        return os.fdopen(report_fd, "w", encoding="utf-8", buffering=1)
    except OSError as error:
        print(_("cannot write reports to the parent ({error}); running alone").format(
            error=error), file=sys.stderr)
        return None


def send_report(stream: ReportStream | None, report: Report) -> None:
    if stream is None:
        return
    try:
        stream.write(json.dumps(report_json(report)) + "\n")
        stream.flush()
    except OSError:
        pass  # the tray went away; the window finishes on its own
