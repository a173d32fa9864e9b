"""The windows: each runs in a process of its own (`python -m tray.ui.<name>`, or the routine
window in routines/), built with Tk and the shared look (`look`). They read settings and the
store, talk to the tray through the control channel (tray.ipc), and never import the shell.
"""
