"""Where things live and what the person chose: the folders (`paths`), every setting once
(`schema`, with the kinds of value in `kinds`), the settings file and its check (`settings`),
saving it keeping comments (`settings_edit`), the profile the tray runs with (`profile`:
settings, routine, rules, zone), the local zone and clock format (`localtime`).
"""
