"""A stand-in window process for tests/ipc/test_windows.py: `python -m fake_window MODE ...`.

It speaks the real report protocol over the pipe the tray hands it (tray.ipc.children), and then
behaves as MODE says: complete, snooze, crash (exit without an outcome), hang (never exit).
"""

import sys
import time

from tray.ipc.children import open_report, send_report


def main() -> None:
    mode = sys.argv[1]
    args = sys.argv[2:]
    fd = int(args[args.index("--report-fd") + 1])
    report = open_report(fd, None)
    if mode == "complete":
        send_report(report, {"event": "started"})
        send_report(report, {"outcome": "completed"})
    elif mode == "snooze":
        send_report(report, {"snooze": 5})
    elif mode == "garbage":
        assert report is not None
        report.write("this is not json\n[1, 2]\n")
        report.flush()
        send_report(report, {"outcome": "skipped"})
    elif mode == "crash":
        send_report(report, {"event": "started"})
        sys.exit(3)
    elif mode == "hang":
        send_report(report, {"event": "started"})
        time.sleep(600)


if __name__ == "__main__":
    main()
