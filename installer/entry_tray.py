"""The windowless entry point of a frozen build (the tray and start at login on Windows):
the same command, without a console window."""

import sys

from tray.cli import main

if __name__ == "__main__":
    sys.exit(main())
