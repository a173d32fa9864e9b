"""The ports to the operating system, one folder each: `idle` (how long since the last input),
`quiet` (fullscreen, do not disturb, calls), `notify` (notifications), `session` (lock, sleep),
`autostart` (start at login), `icon` (the tray icon). Each port's `__init__` holds its Protocol
(which thread, how long it may block), how it is made (`select`, `backend`, `start_watchers`)
and `capabilities()`. A port never imports another port; they share only `choosing` (how an
implementation is chosen) and `bus` (the D-Bus router of the ports that listen for signals).
"""
