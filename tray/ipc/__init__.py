"""Talking between Pointbreak's processes: the control channel between the command line or a
window and the tray (`control`), and the window processes' reports to the tray (`children`).
"""
