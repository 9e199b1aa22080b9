"""The window's icons, read from ``resources/icons/`` with :mod:`importlib.resources` (through
:func:`annotator.core.resources.resource`, so the same code works in a checkout, a wheel
and the PyInstaller bundle).

Toolbar and panel icons are 24 x 24 SVGs drawn in one "ink" colour, :data:`INK`
(``#333333``), plus fixed accent colours (the schema's label colours). :func:`icon` replaces
the ink by the palette's text colour before rendering, so the same file serves light and
dark themes; it renders pixmaps itself with QSvgRenderer (no icon-engine plugin needed).
"""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from annotator.core.resources import resource

INK = "#333333"
SIZES = (16, 20, 24, 32, 48)  # pixel sizes rendered into each QIcon
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # resources/icons/app/annotator-<N>.png


def ink_color() -> str:
    """The palette's text colour (``#rrggbb``) of the running application, else :data:`INK`."""
    app = QGuiApplication.instance()
    if app is None:
        return INK
    return QGuiApplication.palette().color(QPalette.ColorRole.WindowText).name()


def icon(name: str, folder: str = "actions", ink: str | None = None) -> QIcon:
    """The icon ``resources/icons/<folder>/<name>.svg`` drawn with ``ink`` (default: the
    palette's text colour); a null QIcon when there is no such file (the action then shows
    its text). Needs a QGuiApplication."""
    return QIcon(_icon(folder, name, ink or ink_color()))


@lru_cache(maxsize=256)
def _icon(folder: str, name: str, ink: str) -> QIcon:
    item = resource("icons", folder, f"{name}.svg")
    if not item.is_file():
        return QIcon()
    svg = item.read_text(encoding="utf-8").replace(INK, ink)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        return QIcon()
    result = QIcon()
    ratio = max((s.devicePixelRatio() for s in QGuiApplication.screens()), default=1.0)
    for size in SIZES:
        for scale in sorted({1.0, ratio}):
            pixmap = QPixmap(round(size * scale), round(size * scale))
            pixmap.setDevicePixelRatio(scale)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter, QRectF(0, 0, size, size))
            painter.end()
            result.addPixmap(pixmap)
            result.addPixmap(_disabled(pixmap), QIcon.Mode.Disabled)
    return result


def _disabled(pixmap: QPixmap) -> QPixmap:
    """``pixmap`` at 35 % opacity (a greyed-out action)."""
    out = QPixmap(pixmap.size())
    out.setDevicePixelRatio(pixmap.devicePixelRatio())
    out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(out)
    painter.setOpacity(0.35)
    painter.drawPixmap(0, 0, pixmap)
    painter.end()
    return out


def app_icon() -> QIcon:
    """The application icon, from its rendered PNGs (resources/icons/app/annotator-<N>.png)."""
    result = QIcon()
    for size in APP_ICON_SIZES:
        item = resource("icons", "app", f"annotator-{size}.png")
        if item.is_file():
            pixmap = QPixmap()
            if pixmap.loadFromData(item.read_bytes(), "PNG"):
                result.addPixmap(pixmap)
    return result

