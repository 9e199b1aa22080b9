"""Render the application icon's PNG sizes from its SVG (run after editing the SVG; the PNGs
are committed, so neither the wheel nor the bundle needs to render anything).

    .venv/bin/python packaging/render_icons.py            # writes resources/icons/app/annotator-<N>.png
    .venv/bin/python packaging/render_icons.py --sheet F  # also a contact sheet of every icon, to look at

Uses Qt's QSvgRenderer (PySide6), offscreen. Sizes: :data:`SIZES` pixels square (the
freedesktop hicolor sizes, plus 512 for macOS and AppStream).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(svg: Path, size: int, background: QColor | None = None) -> QImage:
    """``svg`` drawn into a ``size`` x ``size`` ARGB image (transparent unless ``background``).
    Raises ValueError when Qt cannot read the SVG."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not an SVG Qt can render")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(background or Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def write_app_pngs() -> list[Path]:
    """resources/icons/app/annotator-<N>.png for every N in SIZES."""
    out = []
    for size in SIZES:
        path = ICONS / "app" / f"annotator-{size}.png"
        if not render(ICONS / "app" / "annotator.svg", size).save(str(path)):
            raise OSError(f"{path}: could not write the PNG")
        out.append(path)
    return out


def contact_sheet(path: Path) -> None:
    """Every SVG icon at 16, 24 and 48 px, on a light and on a dark row."""
    svgs = sorted(ICONS.rglob("*.svg"))
    cell = 56
    sheet = QImage(cell * len(svgs), cell * 6, QImage.Format.Format_ARGB32_Premultiplied)
    sheet.fill(QColor("#f4f4f4"))
    painter = QPainter(sheet)
    painter.fillRect(0, cell * 3, sheet.width(), cell * 3, QColor("#2b2b2b"))
    for col, svg in enumerate(svgs):
        for row, size in enumerate((16, 24, 48)):
            for band in (0, 3):
                painter.drawImage(col * cell + 4, (row + band) * cell + 4, render(svg, size))
    painter.end()
    sheet.save(str(path))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheet", type=Path, help="also write a contact sheet of all icons to this PNG")
    args = parser.parse_args()
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage text and SVG rendering need it
    for path in write_app_pngs():
        print(path.relative_to(ICONS.parents[1]))
    if args.sheet:
        contact_sheet(args.sheet)
        print(args.sheet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
