"""View > Theme: System, Light or Dark, remembered in the window settings.

"system" follows the system's light or dark setting (Qt's ``QStyleHints.colorScheme``), also
when it changes while Annotator runs: light is the style Qt chose at start-up with the
platform's palette (which Qt keeps up to date), dark is the dark theme below. "light" and "dark"
use Qt's Fusion style with :func:`light_palette` / :func:`dark_palette`. The dark theme darkens the
window's chrome (menus, toolbar, panels' frames, buttons) but keeps the *content* roles
(``Base``, ``AlternateBase``, ``Text``: the article and the tables) light, because the
highlighter's label tints and the Claims panel's polarity tints are light colours made for
dark text; a fully dark article needs those tints derived from the palette first.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QStyleFactory

from annotator.ui import settings

THEMES = ("system", "light", "dark")
THEME_KEY = "window/theme"
_system: tuple[str, QPalette] | None = None  # the style name and palette before any theme
_following = False  # the system's colour scheme changes are followed (connected once per application)


def light_palette() -> QPalette:
    """Fusion's own light palette."""
    return QStyleFactory.create("Fusion").standardPalette()


def dark_palette() -> QPalette:
    """Dark window chrome with light content areas (see the module's docstring)."""
    p = QPalette()
    R, G = QPalette.ColorRole, QPalette.ColorGroup
    for role, color in ((R.Window, "#2d2f33"), (R.WindowText, "#e8e8e8"), (R.Button, "#3a3d42"),
                        (R.ButtonText, "#e8e8e8"), (R.Light, "#4a4e54"), (R.Midlight, "#42464b"),
                        (R.Mid, "#25272a"), (R.Dark, "#1e2023"), (R.Shadow, "#111214"),
                        (R.Highlight, "#3d7bd9"), (R.HighlightedText, "#ffffff"), (R.BrightText, "#ff6b6b"),
                        (R.Link, "#7ab4ff"), (R.LinkVisited, "#c59bff"), (R.ToolTipBase, "#3a3d42"),
                        (R.ToolTipText, "#e8e8e8"), (R.PlaceholderText, "#8c8c8c"),
                        # content stays light: the label tints are made for dark text
                        (R.Base, "#fbfbf8"), (R.AlternateBase, "#f0f0ec"), (R.Text, "#1a1a1a")):
        p.setColor(role, QColor(color))
    for role, color in ((R.WindowText, "#7d7d7d"), (R.ButtonText, "#7d7d7d"), (R.Text, "#8c8c8c")):
        p.setColor(G.Disabled, role, QColor(color))
    return p


def apply_theme(name: str, scheme: Qt.ColorScheme | None = None) -> None:
    """Switch the running application to theme ``name`` (one of :data:`THEMES`; another
    name means "system"). For "system", ``scheme`` is the system's colour scheme (None: ask
    Qt, :func:`system_scheme`): dark gives the dark theme, light or unknown the style and
    palette of the start. Needs a QApplication."""
    global _system
    app = QApplication.instance()
    if _system is None:
        _system = (app.style().name(), QPalette(app.palette()))
    if name not in ("light", "dark"):
        name = "dark" if (scheme if scheme is not None else system_scheme()) == Qt.ColorScheme.Dark else "system"
    if name in ("light", "dark"):
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(dark_palette() if name == "dark" else light_palette())
    else:
        app.setStyle(QStyleFactory.create(_system[0]) or QStyleFactory.create("Fusion"))
        app.setPalette(QPalette())  # no role set: the platform's palette, which Qt keeps up to date


def system_scheme() -> Qt.ColorScheme:
    """The system's colour scheme as Qt reports it (Unknown where the platform does not say)."""
    return QGuiApplication.styleHints().colorScheme()


def follow_system() -> None:
    """From now on, a change of the system's colour scheme re-applies the "system" theme
    while it is the one chosen (connected once per application)."""
    global _following
    if not _following:
        QGuiApplication.styleHints().colorSchemeChanged.connect(_system_changed)
        _following = True


def _system_changed(scheme: Qt.ColorScheme) -> None:
    if saved_theme() == "system":
        apply_theme("system", scheme)


def saved_theme() -> str:
    """The theme the user chose last ("system" if none or unknown)."""
    name = str(settings.settings().value(THEME_KEY, "system"))
    return name if name in THEMES else "system"


def apply_saved_theme() -> None:
    """At start-up: apply the remembered theme ("system": only when the system is dark)."""
    if saved_theme() != "system" or system_scheme() == Qt.ColorScheme.Dark:
        apply_theme(saved_theme())


def install_theme_menu(window: QMainWindow) -> QMenu | None:
    """Add View > Theme (System / Light / Dark, exclusive; the choice is applied and
    remembered) to ``window``'s View menu; None if the window has no View menu."""
    from annotator.ui.toolbar import view_menu

    view = view_menu(window)
    if view is None:
        return None
    follow_system()
    menu = view.addMenu("T&heme")
    menu.setObjectName("theme_menu")
    group = QActionGroup(menu)
    current = saved_theme()
    for name in THEMES:
        action = QAction(name.title(), menu)
        action.setObjectName(f"action_theme_{name}")
        action.setCheckable(True)
        action.setChecked(name == current)
        action.setStatusTip(f"Use the {name} theme" if name != "system" else
                            "Follow the system: its style and colours, or the dark theme while the system is dark")
        action.triggered.connect(lambda _on=False, n=name: choose_theme(n))
        group.addAction(action)
        menu.addAction(action)
    return menu


def choose_theme(name: str) -> None:
    """Apply theme ``name`` and remember it."""
    apply_theme(name)
    settings.set_value(THEME_KEY, name)
