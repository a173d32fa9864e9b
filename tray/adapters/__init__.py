"""The ports to the operating system, one folder each: `idle` (how long since the last input),
`quiet` (fullscreen, do not disturb, calls), `notify` (notifications), `session` (lock, sleep),
`autostart` (start at login), `icon` (the tray icon). A port never imports another port.
"""
