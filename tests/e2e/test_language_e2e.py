"""The tray's own surfaces in the person's language, for real: the StatusNotifierItem's menu and
tooltip as xfce4-panel reads them over D-Bus, and the prompt's notification as dunst receives
it. In the pseudo-language (LANGUAGE=qps, every translated text ⟦wrapped⟧) no letter may be
left outside the brackets: a text someone forgot. In German and Spanish the same surfaces carry
the catalogs' words, and the language setting wins over the environment. Screenshots of the
menu are saved under tests/artifacts/language/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from desktop import ALL_DAY, NotificationBus, wait_for
from helpers import unwrapped_words

pytestmark = pytest.mark.e2e
NAMES = ("Pointbreak",)  # the program's name stays as it is


def layout_labels(desktop, owner: str) -> list[str]:
    """Every label of the menu the host reads (GetLayout of the whole tree)."""
    body = desktop._bus_call(owner, "/MenuBar", "com.canonical.dbusmenu", "GetLayout", "iias",
                             (0, -1, []))
    assert body is not None, "the menu answers GetLayout"
    labels: list[str] = []

    def walk(node: Any) -> None:
        _id, properties, children = node
        if "label" in properties:
            labels.append(properties["label"][1])
        for child in children:
            walk(child[1])  # each child is a variant ("(ia{sv}av)", node)

    walk(body[1])
    return labels


def tooltip(desktop, owner: str) -> tuple[str, str]:
    _icon_name, _pixmaps, title, description = desktop.item_property(owner, "ToolTip")
    return title, description


def test_the_menu_and_tooltip_leave_no_text_untranslated(panel_desktop, start_sni_tray,
                                                         profile) -> None:
    tray = start_sni_tray(LANGUAGE="qps", LC_ALL="C.UTF-8")
    wait_for(lambda: "\u27e6" in (layout_labels(panel_desktop, tray.icon) or [""])[1],
             what="the menu's state line, translated")
    labels = layout_labels(panel_desktop, tray.icon)
    assert len([label for label in labels if label]) >= 12, labels  # every entry read back
    assert all(not unwrapped_words(label, NAMES) for label in labels), [
        (label, unwrapped_words(label, NAMES)) for label in labels]
    title, description = tooltip(panel_desktop, tray.icon)
    assert not unwrapped_words(title + " " + description, NAMES), (title, description)
    # The status command answers in the tray's language too.
    status = tray.status()
    assert "\u27e6" in status and not unwrapped_words(status, NAMES), status


ENGLISH_MENU = ("Start a session now", "Snooze", "Skip next break", "Pause", "Start at login",
                "Settings…", "History…", "About Pointbreak", "Quit")


@pytest.mark.parametrize(("setting", "env", "first", "last"), [
    ("en", {"LANGUAGE": "qps"}, "Start a session now", "Quit"),
    ("de", {"LANGUAGE": "es", "LANG": "es_ES.UTF-8"}, "Übung jetzt starten", "Beenden"),
    ("es", {"LANG": "de_DE.UTF-8"}, "Empezar una sesión ahora", "Salir"),
    ("auto", {"LANGUAGE": "de:en", "LC_ALL": "C.UTF-8"}, "Übung jetzt starten", "Beenden"),
])
def test_the_setting_wins_over_the_environment(panel_desktop, start_sni_tray, profile, setting,
                                               env, first, last) -> None:
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text(f'[routine]\nlanguage = "{setting}"\n')
    tray = start_sni_tray(**env)
    wait_for(lambda: layout_labels(panel_desktop, tray.icon)[0] == first,
             what=f"the menu in the language {setting!r} asks for")
    labels = layout_labels(panel_desktop, tray.icon)
    assert labels[-1] == last, labels
    assert not any("\u27e6" in label for label in labels), labels
    if setting != "en":  # no English entry is left
        assert not set(labels) & set(ENGLISH_MENU), labels
    said = {"en": "Next break", "de": "Nächste Pause", "es": "Próxima pausa",
            "auto": "Nächste Pause"}
    wait_for(lambda: said[setting] in " ".join(tooltip(panel_desktop, tray.icon)),
             what="the tooltip in the same language")



def notified_texts(seen: str) -> list[str]:
    """The strings of each Notify call dbus-monitor saw: app name, icon, summary, body,
    actions (ids and labels)."""
    texts: list[str] = []
    for call in seen.split("member=Notify")[1:]:
        call = call.split("method return")[0].split("signal ")[0]
        texts += re.findall(r'string "((?:[^"\\]|\\.)*)"', call)
    return texts


def test_the_prompts_notification_leaves_no_text_untranslated(desktop, start_tray,
                                                              profile) -> None:
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text(ALL_DAY)
    bus = NotificationBus(desktop)
    try:
        start_tray(LANGUAGE="qps", POINTBREAK_TEST_INTERVAL_SECONDS="2")
        bus.wait_for("member=Notify", '"skip"', what="the prompt's notification")
    finally:
        seen = bus.stop()
    (profile.artifacts("language") / "qps-notification.txt").write_text(seen)
    texts = notified_texts(seen)
    # Data, not words: the actions' ids, the hints' keys, the icon's name.
    data = {"start", "snooze", "skip", "default", "", "urgency", "desktop-entry", "category",
            "dialog-information"}
    words = [t for t in texts if t not in data]
    assert len(words) >= 5, texts  # summary, body, three labels
    assert all(not unwrapped_words(t, NAMES) for t in words), [
        (t, unwrapped_words(t, NAMES)) for t in words]


@pytest.mark.parametrize(("language", "summary"), [("de", "Zeit für eine Rückenpause"),
                                                   ("es", "Hora de una pausa para la espalda")])
def test_the_prompts_notification_in_german_and_spanish(desktop, start_tray, profile, language,
                                                        summary) -> None:
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text(ALL_DAY + f'\n[routine]\nlanguage = "{language}"\n')
    bus = NotificationBus(desktop)
    try:
        start_tray(POINTBREAK_TEST_INTERVAL_SECONDS="2")
        bus.wait_for("member=Notify", '"skip"', what="the prompt's notification")
    finally:
        seen = bus.stop()
    (profile.artifacts("language") / f"{language}-notification.txt").write_text(seen)
    texts = set(notified_texts(seen))
    assert summary in texts, texts
    english = {"Time for a back break", "Start", "Skip", "Snooze 10 min",
               "A 6-minute hands-only routine for your upper back."}
    assert not texts & english, texts
