"""Pointbreak's tray process: the break engine, the store, settings, scheduling and the shell."""

__version__ = "0.1.0"
APP_NAME = "Pointbreak"
