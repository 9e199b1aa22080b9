"""The toolbar (built from the action table), its icons, Help > About, View > Theme, and
File > New's default name."""
from __future__ import annotations

import importlib.metadata as metadata
import os
import re
import subprocess
import sys

import pytest
from PySide6.QtGui import QAction, QColor, QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QApplication, QToolBar

from annotator import __version__
from annotator.core.resources import resource
from annotator.core.schema import load_schema
from annotator.core.store import Store
from annotator.ui import file_dialogs, icons, theme, toolbar
from annotator.ui.about import AboutDialog, Library, library_credits, licence_of, requirement_names
from annotator.ui.actions import action_defs


@pytest.fixture
def own_settings(tmp_path, monkeypatch):
    """Window settings in a folder of this test only (toolbar visibility, theme)."""
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "settings"))
    (tmp_path / "settings").mkdir()
    yield tmp_path / "settings"
    theme.apply_theme("system")


@pytest.fixture
def window(make_window, project_path, own_settings):
    return make_window(Store.open(project_path))


def test_the_toolbar_holds_the_main_actions_in_order(window):
    bar = window.findChild(QToolBar, "main_toolbar")
    assert bar is window.toolbar and bar.isVisible()
    assert bar.ids == ["import", "export", "mark_speaker", "mark_cue", "mark_claim", "undo", "redo", "find"]
    shown = [a for a in bar.actions() if not a.isSeparator()]
    assert shown == [window.actions[i] for i in bar.ids]  # the menus' own QActions
    assert sum(a.isSeparator() for a in bar.actions()) == 3  # the search slot holds Find


def test_the_search_slot_takes_a_search_or_find_action(qapp):
    defs = action_defs(load_schema("news"))
    actions = {d.id: QAction(d.text) for d in defs}
    actions["find"] = QAction("Find")
    bar = toolbar.MainToolBar(defs, actions)
    assert bar.ids[-1] == "find" and sum(a.isSeparator() for a in bar.actions()) == 3
    actions["search"] = QAction("Search")
    assert toolbar.MainToolBar(defs, actions).ids[-1] == "search"


def test_every_action_icon_and_panel_icon_exists_and_renders(qapp):
    names = {d.icon for d in action_defs(load_schema("news")) if d.icon}
    assert {"import", "export", "mark-speaker", "mark-cue", "mark-claim", "undo", "redo"} <= names
    for name in names | {"search"}:
        assert resource("icons", "actions", f"{name}.svg").is_file(), name
        assert not icons.icon(name).isNull(), name
    for name in toolbar.PANEL_ICONS.values():
        assert not icons.icon(name, "panels").isNull(), name
    assert icons.icon("no-such-icon").isNull()


def test_toolbar_actions_and_panel_toggles_get_their_icons(window):
    for i in window.toolbar.ids:
        assert not window.actions[i].icon().isNull(), i
    assert not window.speakers.toggleViewAction().icon().isNull()


def _ink_pixels(image: QImage, color: QColor) -> int:
    return sum(QColor(image.pixel(x, y)).rgb() == color.rgb() and QColor.fromRgba(image.pixel(x, y)).alpha() == 255
               for x in range(image.width()) for y in range(image.height()))


def test_icons_are_drawn_in_the_ink_they_are_given(qapp):
    red = icons.icon("undo", ink="#ff0000").pixmap(24, 24).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    assert _ink_pixels(red, QColor("#ff0000")) > 10
    dark = icons.icon("undo", ink="#333333").pixmap(24, 24).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    assert _ink_pixels(dark, QColor("#ff0000")) == 0


def test_the_app_icon_pngs_have_their_sizes(qapp):
    for size in icons.APP_ICON_SIZES:
        image = QImage()
        assert image.loadFromData(resource("icons", "app", f"annotator-{size}.png").read_bytes())
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel() and QColor.fromRgba(image.pixel(0, 0)).alpha() == 0  # transparent corner
    assert sorted(s.width() for s in icons.app_icon().availableSizes()) == list(icons.APP_ICON_SIZES)


def test_hiding_the_toolbar_is_remembered(make_window, project_path, own_settings):
    first = make_window(Store.open(project_path))
    toggle = first.findChild(QAction, "action_show_toolbar")
    view_menu = toolbar.view_menu(first)
    assert view_menu.actions()[0] is toggle and toggle.isChecked()
    toggle.trigger()
    assert not first.toolbar.isVisible()
    first.close()
    second = make_window(Store.open(project_path))
    assert not second.toolbar.isVisible() and not second.findChild(QAction, "action_show_toolbar").isChecked()
    second.findChild(QAction, "action_show_toolbar").trigger()
    second.close()
    assert make_window(Store.open(project_path)).toolbar.isVisible()


def _undo_ink_pixels(window) -> int:
    image = window.actions["undo"].icon().pixmap(24, 24).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    return _ink_pixels(image, QColor(icons.ink_color()))


def test_the_dark_theme_darkens_the_chrome_keeps_content_light_and_redraws_icons(window, qtbot):
    assert _undo_ink_pixels(window) > 10
    light_ink = QColor(icons.ink_color())
    window.findChild(QAction, "action_theme_dark").trigger()
    palette = QGuiApplication.palette()
    assert palette.color(QPalette.ColorRole.Window).lightnessF() < 0.3
    assert palette.color(QPalette.ColorRole.Base).lightnessF() > 0.9  # the article stays light for the label tints
    assert QApplication.style().name().lower() == "fusion"
    assert QColor(icons.ink_color()).lightnessF() > 0.8 and QColor(icons.ink_color()) != light_ink
    qtbot.waitUntil(lambda: _undo_ink_pixels(window) > 10)  # the palette change reaches the toolbar as an event
    assert theme.saved_theme() == "dark"
    window.findChild(QAction, "action_theme_light").trigger()
    assert QGuiApplication.palette().color(QPalette.ColorRole.Window).lightnessF() > 0.8
    assert theme.saved_theme() == "light"


def test_system_theme_restores_the_palette_of_the_start(own_settings, qapp):
    before = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    theme.choose_theme("dark")
    theme.choose_theme("system")
    assert QGuiApplication.palette().color(QPalette.ColorRole.Window) == before
    assert theme.saved_theme() == "system"


def test_about_shows_version_licence_libraries_and_sample_credits(window, qtbot):
    window.actions["about"].trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    texts = [dialog.tabs.widget(i).toPlainText() for i in range(dialog.tabs.count())]
    assert f"Annotator {__version__}" in texts[0] and "Licence: MIT" in texts[0]
    click = metadata.distribution("click")
    assert re.search(rf"click\s+{re.escape(click.version)}\s+{re.escape(licence_of(click.metadata))}", texts[1])
    assert "PySide6" in texts[1] and "LGPL-3.0-only" in texts[1]
    assert "Wikinews" in texts[2] and "Creative Commons Attribution 2.5" in texts[2]
    dialog.close()


def test_library_credits_follow_runtime_requirements_only():
    names = {lib.name.lower().replace("_", "-") for lib in library_credits()}
    assert {"click", "sqlite-utils", "trafilatura", "pyside6-essentials", "lxml"} <= names  # direct
    assert "shiboken6" in names  # a requirement of a requirement
    assert "spacy" in names  # a runtime requirement since the exports split sentences with its Sentencizer
    assert not {"pytest", "hypothesis", "pyinstaller", "annotator"} & names  # extras, itself
    assert all(isinstance(lib, Library) and lib.licence for lib in library_credits())


def test_requirement_names_leave_extras_out():
    class Dist:
        requires = ['click>=8.1', 'PySide6-Essentials<6.12,>=6.11', 'spacy>=3.7; extra == "spacy"',
                    'tzdata; platform_system == "Windows"']
    assert requirement_names(Dist()) == ["click", "PySide6-Essentials", "tzdata"]


@pytest.mark.parametrize("fields, expected", [
    ({"License-Expression": "Apache-2.0", "License": "whatever"}, "Apache-2.0"),
    ({"License": "BSD-3-Clause"}, "BSD-3-Clause"),
    ({"License": "Copyright (c) ...\n" * 20, "Classifier": ["License :: OSI Approved :: MIT License"]}, "MIT License"),
    ({}, "not stated"),
])
def test_licence_of(fields, expected):
    class Meta(dict):
        def get_all(self, key):
            return self.get(key)
    assert licence_of(Meta(fields)) == expected


def test_new_project_suggests_the_annotator_extension(window, monkeypatch, tmp_path):
    asked = []
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *a, **k: asked.append(a) or ("", ""))
    window.new_project()
    assert asked and asked[0][2] == "project.annotator" and asked[0][3].startswith("Annotator projects (*.annotator *.db)")


def test_old_db_and_new_annotator_projects_open(window, tmp_path):
    for name in ("old.db", "new.annotator"):
        Store.open(tmp_path / name).close()
        window.open_project(tmp_path / name)
        assert window.store.where.endswith(name)
        assert name in window.windowTitle()


def test_the_window_icon_is_set_by_run(tmp_path):
    """annotator.ui.app.run: the application icon and desktop file name, --quit-after-load.

    In a process of its own: once QApplication.exec() has returned after quit(), Qt makes
    every later nested event loop (a message box's exec) return at once in that process."""
    code = (
        "import sys\n"
        "from PySide6.QtGui import QGuiApplication\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from annotator.ui import app\n"
        "code = app.run(__import__('pathlib').Path(sys.argv[1]), quit_after_load=True)\n"
        "shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.objectName() == 'main_window']\n"
        "print(code, QGuiApplication.windowIcon().isNull(), QGuiApplication.desktopFileName() == app.APP_ID, len(shown))\n"
    )
    env = dict(os.environ, ANNOTATOR_DATA_DIR=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "q.annotator")], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == ["0", "False", "True", "0"], result.stdout + result.stderr


def test_the_system_theme_follows_the_system_going_dark_and_light(window, qtbot):
    """Theme "system": the system turning dark gives the dark theme (content light), turning
    light again the palette of the start; a theme chosen by hand stays."""
    from PySide6.QtCore import Qt
    hints = QGuiApplication.styleHints()
    start = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    assert theme.saved_theme() == "system" and window.findChild(QAction, "action_theme_system").isChecked()
    try:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        palette = QGuiApplication.palette()
        assert palette.color(QPalette.ColorRole.Window).lightnessF() < 0.3
        assert palette.color(QPalette.ColorRole.Base).lightnessF() > 0.9
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert QGuiApplication.palette().color(QPalette.ColorRole.Window) == start
        window.findChild(QAction, "action_theme_light").trigger()
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # chosen by hand: it stays light
        assert QGuiApplication.palette().color(QPalette.ColorRole.Window).lightnessF() > 0.8
    finally:
        theme.choose_theme("system")
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
