"""`python -m tray`: the same as the `pointbreak` command."""

import sys

from tray.cli import main

sys.exit(main())
