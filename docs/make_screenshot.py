"""Make docs/screenshot.png: the window on a fresh default project (the annotated seed
article), with one claim current. Run under a real X server or Xvfb:

    xvfb-run -a .venv/bin/python docs/make_screenshot.py
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ["ANNOTATOR_DATA_DIR"] = tempfile.mkdtemp(prefix="annotator-shot-")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.services.projects import open_project  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402

OUT = Path(__file__).with_name("screenshot.png")


def main() -> int:
    app = QApplication(sys.argv)
    store = open_project(None)
    window = MainWindow(store)
    window.resize(1280, 800)
    window.show()
    claim = next(s for s in store.spans(window.controller.doc_id) if s.label == "claim" and s.polarity == "positive")
    window.controller.set_current(claim.id)

    def grab() -> None:
        window.grab().save(str(OUT))
        print(f"wrote {OUT}")
        app.quit()

    QTimer.singleShot(800, grab)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
