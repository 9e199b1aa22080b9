"""Take the screenshots of docs/: the window on the sample project with the toolbar, in the
light and the dark theme (``window.grab()``, so only the window, without the desktop).

    xvfb-run -a -s "-screen 0 1600x1000x24" sh -c 'openbox & sleep 1; .venv/bin/python packaging/screenshots.py'

(Debian: xvfb, openbox, fonts-noto-color-emoji.) The default project is made in a
temporary folder (ANNOTATOR_DATA_DIR), so the user's own project and settings are not used.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ["ANNOTATOR_DATA_DIR"] = tempfile.mkdtemp(prefix="annotator-shots-")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def settle(ms: int = 600) -> None:
    """Let the window paint (and the window manager place it) for ``ms`` milliseconds."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Annotator")
    from annotator.services.projects import open_project
    from annotator.ui.app import APP_ID
    from annotator.ui.icons import app_icon
    from annotator.ui.main_window import MainWindow
    from annotator.ui.theme import choose_theme

    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    window = MainWindow(open_project(None))
    window.resize(1400, 860)
    window.show()
    window.activateWindow()
    settle(1200)
    window.actions["next_annotation"].trigger()  # a current annotation, as while annotating
    for name in ("light", "dark"):
        choose_theme(name)
        settle()
        path = ROOT / "docs" / f"screenshot-toolbar-{name}.png"
        if not window.grab().save(str(path)):
            print(f"screenshots: could not write {path}", file=sys.stderr)
            return 1
        print(path.relative_to(ROOT))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
