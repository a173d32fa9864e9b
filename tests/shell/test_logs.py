"""The tray's log rotates as RotatingFileHandler would: past its size a new file begins, the
older ones are kept as .1 to .3 (the newest first) and nothing older; no line is split or lost
within what is kept."""

from __future__ import annotations

import logging

from tray.shell.logs import KEPT_LOGS, RotatingLog


def test_the_log_rotates_and_keeps_three_old_files(tmp_path) -> None:
    path = tmp_path / "pointbreak.log"
    handler = RotatingLog(path, max_bytes=200)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("test-rotation")
    log.propagate = False
    log.addHandler(handler)
    try:
        for number in range(100):
            log.warning("line %03d of the rotation test", number)  # 29 characters and a newline
    finally:
        log.removeHandler(handler)
        handler.close()
    kept = [path, *(tmp_path / f"pointbreak.log.{n}" for n in range(1, KEPT_LOGS + 1))]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in kept)
    assert all(p.stat().st_size < 200 for p in kept)
    lines = [line for p in reversed(kept) for line in p.read_text().splitlines()]
    numbers = [int(line.split()[1]) for line in lines]
    assert numbers == list(range(numbers[0], 100))  # the newest, in order, none lost or split
    assert path.read_text().splitlines()[-1] == "line 099 of the rotation test"
    # Six 30-character lines fit under 200: each old file holds six, the current one the rest.
    assert [len(p.read_text().splitlines()) for p in kept] == [100 % 6, *[6] * KEPT_LOGS]
