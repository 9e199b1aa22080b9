"""Make docs/suggestions-review.png (an article with its suggestions drawn dashed and paler, one
current, the Suggestions dock and the status line's count) and
docs/statistics-suggestions-light.png / -dark.png (the Statistics dock's Suggestions chart in
the light and the dark theme), on the default project (the sample articles) suggested by the
engine of ``annotator suggest``, then reviewed: in every document but the last two, the
suggestions scored 0.7 or more accepted and the others rejected. Run under Xvfb with a window
manager:

    xvfb-run -a sh -c 'openbox & sleep 1; .venv/bin/python docs/make_suggestions_screenshots.py'
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ["ANNOTATOR_DATA_DIR"] = tempfile.mkdtemp(prefix="annotator-shot-")

from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core import review  # noqa: E402
from annotator.core.suggest import project as bridge  # noqa: E402
from annotator.services.projects import open_project  # noqa: E402
from annotator.ui.suggest_worker import make_engine  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus_screenshots import dark_palette, settle  # noqa: E402

DOCS = Path(__file__).resolve().parent


def suggest_and_review(store) -> None:
    engine, ids = make_engine(), [d.id for d in store.document_infos()]
    for doc_id in ids:
        found = engine.suggest(store.document_text(doc_id), bridge.known_entities(store), taken=bridge.taken(store, doc_id))
        bridge.write_suggestions(store, doc_id, found)
    for doc_id in ids[:-2]:  # the last two stay to review
        for span in review.suggestions(store, doc_id):
            now = store.span(span.id)
            if now.status != "suggested":
                continue
            if span.score is None or span.score >= 0.7:
                review.accept_suggestion(store, span.id)
            else:
                review.reject_suggestion(store, span.id)


def main() -> int:
    app = QApplication(sys.argv)
    app.setStyle("Fusion")
    store = open_project(None)
    suggest_and_review(store)
    window = MainWindow(store)
    window.resize(1400, 860)
    window.show()
    window.controller.open_document(store.document_infos()[-1].id)
    window.suggestions.show()
    window.suggestions.raise_()
    settle(app)
    window.review.next_suggestion()
    window.review.next_suggestion()
    settle(app)
    window.grab().save(str(DOCS / "suggestions-review.png"))
    stats = window.corpus_docks.statistics
    window.corpus_docks.show_statistics()
    stats.setFloating(True)
    stats.resize(1000, 560)
    settle(app)
    stats.tabs.setCurrentIndex(stats.tabs.count() - 1)
    settle(app)
    stats.grab().save(str(DOCS / "statistics-suggestions-light.png"))
    app.setPalette(dark_palette())
    settle(app)
    stats.grab().save(str(DOCS / "statistics-suggestions-dark.png"))
    print("wrote", *(DOCS / n for n in ("suggestions-review.png", "statistics-suggestions-light.png",
                                        "statistics-suggestions-dark.png")))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
