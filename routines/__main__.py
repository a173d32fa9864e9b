"""`python -m routines card ...`: the prompt card and routine window, in their own process."""

from __future__ import annotations

import argparse
import sys

from tray.children import open_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m routines")
    parser.add_argument("what", choices=("card", "session"))
    parser.add_argument("--seq", type=int, default=0)
    parser.add_argument("--no-snooze", action="store_true")
    parser.add_argument("--timeout-seconds", type=float, default=300.0)
    parser.add_argument("--report-fd", type=int, default=None)
    parser.add_argument("--report-handle", type=int, default=None)
    args = parser.parse_args(argv)
    report = open_report(args.report_fd, args.report_handle)

    import tkinter as tk

    from routines.card import Card
    from tray.profile import load_profile

    profile = load_profile()
    routine = profile.routine
    seconds = int(routine.length(profile.settings.rounds).total_seconds())
    rounds = profile.settings.rounds
    steps = [step.text + (f" ({rounds} rounds)" if step.repeat > 1 else "")
             for step in routine.steps if step.kind != "rest"]
    try:
        root = tk.Tk(className="Pointbreak")
    except tk.TclError as error:
        print(f"Pointbreak cannot open a window: {error}", file=sys.stderr)
        return 1
    Card(root, report, title=routine.title, length_text=f"about {round(seconds / 60)} minutes",
         steps=steps, can_snooze=not args.no_snooze,
         timeout_ms=int(args.timeout_seconds * 1000), start=args.what == "session")
    root.mainloop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
