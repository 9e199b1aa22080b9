"""Make docs/links-current-claim.png: the seed article of ``/work/shared/corpus/seed`` (shipped
annotated as the default project's first sample), one claim current: its source mention and
its cue are tinted too (issue 10, "links visible"). Run under a real X server or Xvfb:

    xvfb-run -a .venv/bin/python docs/make_links_screenshot.py
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

OUT = Path(__file__).with_name("links-current-claim.png")


def main() -> int:
    app = QApplication(sys.argv[:1])
    store = open_project(None)
    window = MainWindow(store)
    window.resize(1280, 800)
    window.show()
    doc = window.controller.doc_id
    claim = next(s for s in store.spans(doc) if s.label == "claim" and s.source_id and s.cue_id)
    window.controller.set_current(claim.id)

    def grab() -> None:
        window.grab().save(str(OUT))
        print(f"wrote {OUT}: claim {claim.id}, source {claim.source_id}, cue {claim.cue_id}")
        app.quit()

    QTimer.singleShot(800, grab)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
