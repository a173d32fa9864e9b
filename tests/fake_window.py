"""A stand-in window process for tests/ipc/test_windows.py: `python -m fake_window MODE ...`.

It speaks the real report protocol over the pipe the tray hands it (tray.ipc.children), and then
behaves as MODE says: complete, snooze, crash (exit without an outcome), hang (never exit).
"""

import sys
import time

from tray.core.choices import Snooze
from tray.core.model import Outcome
from tray.ipc.children import open_report, send_report
from tray.ipc.reports import Ended, Started


def main() -> None:
    mode = sys.argv[1]
    args = sys.argv[2:]
    fd = int(args[args.index("--report-fd") + 1])
    report = open_report(fd, None)
    if mode == "complete":
        send_report(report, Started())
        send_report(report, Ended(Outcome.COMPLETED))
    elif mode == "snooze":
        send_report(report, Snooze(5))
    elif mode == "garbage":
        assert report is not None
        report.write("this is not json\n[1, 2]\n")
        report.flush()
        send_report(report, Ended(Outcome.SKIPPED))
    elif mode == "crash":
        send_report(report, Started())
        sys.exit(3)
    elif mode == "hang":
        send_report(report, Started())
        time.sleep(600)


if __name__ == "__main__":
    main()
