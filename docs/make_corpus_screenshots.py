"""Make docs/search.png, docs/statistics-light.png and docs/statistics-dark.png: the Search
panel with its hits (one opened in the article), and the Statistics panel (floating, alone) in
the light and the dark theme (the window's View > Theme), on the default project plus 40 articles of the shared benchmark dataset
(their claims attributed, polarity cycling, every third one done). Run under Xvfb with a
window manager:

    xvfb-run -a sh -c 'openbox & sleep 1; .venv/bin/python docs/make_corpus_screenshots.py'
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ["ANNOTATOR_DATA_DIR"] = tempfile.mkdtemp(prefix="annotator-shot-")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_search import MAKE_DATASET, documents  # noqa: E402

from annotator.services.projects import open_project  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402
from annotator.ui.theme import apply_theme  # noqa: E402

DOCS = Path(__file__).resolve().parent


def settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def main() -> int:
    app = QApplication(sys.argv)
    app.setStyle("Fusion")
    data = Path(tempfile.mkdtemp()) / "data"
    subprocess.run([sys.executable, str(MAKE_DATASET), str(data), "40"], check=True, capture_output=True)
    store = open_project(None)
    docs = documents(data)
    for i, d in enumerate(docs):
        d.status = "done" if i % 3 == 0 else "in progress" if i % 3 == 1 else "new"
    store.import_documents(docs)
    window = MainWindow(store)
    window.resize(1400, 900)
    window.show()
    settle(app)
    search = window.corpus_docks.search
    window.corpus_docks.show_search()
    window.resizeDocks([search], [330], Qt.Orientation.Vertical)
    search.field.setText("minister")
    search.run()
    search.results.setCurrentIndex(search.model.index(1, 0))
    search.open_hit(1)
    search.results.setFocus()
    settle(app)
    window.grab().save(str(DOCS / "search.png"))
    stats = window.corpus_docks.statistics
    window.corpus_docks.show_statistics()
    stats.setFloating(True)  # the dock alone, large enough to read
    stats.resize(1000, 620)
    settle(app)
    stats.tabs.setCurrentIndex(1)
    settle(app)
    stats.grab().save(str(DOCS / "statistics-light.png"))
    apply_theme("dark")  # the window's own dark theme (View > Theme > Dark)
    settle(app)
    stats.grab().save(str(DOCS / "statistics-dark.png"))
    print("wrote", *(DOCS / n for n in ("search.png", "statistics-light.png", "statistics-dark.png")))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
