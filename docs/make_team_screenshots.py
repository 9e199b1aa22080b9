"""Make docs/agreement-dock.png and docs/side-by-side.png: a two-annotator project made
from two PolNeAR articles (``/work/shared/corpus/polnear/``, read there, never copied),
imported once as "ann" (PolNeAR's own annotation) and once as "ben" (the same, then edited
as ben: every third claim loses its first word, every fourth cue is deleted), with the
agreed annotations of the first article pre-merged into gold. The Agreement dock shows the
measures between ann and ben and against the gold; the side-by-side view shows ann's, ben's
and the gold layer of the first article. Run under Xvfb with a window manager:

    xvfb-run -a sh -c 'openbox & sleep 1; .venv/bin/python docs/make_team_screenshots.py'
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ["ANNOTATOR_DATA_DIR"] = tempfile.mkdtemp(prefix="annotator-shot-")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.adjudication import premerge  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.services.importing import import_paths  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402

DOCS = Path(__file__).resolve().parent
POLNEAR = Path("/work/shared/corpus/polnear")
ARTICLES = ("breitbart_2015-12-07_clinton-camp-trump-s-islamaphobi", "breitbart_2016-02-10_how-donald-trump-could-become-pr")


def team_project(path: Path) -> Store:
    """ann and ben on the two articles, ben's layer edited as described above."""
    store = Store.open(path, annotator="ann")
    files = [POLNEAR / f"{name}.ann" for name in ARTICLES]
    import_paths(store, files)
    store.annotator = "ben"
    import_paths(store, files)
    for doc_id in store.document_ids():
        spans = [s for s in store.spans(doc_id) if s.annotator == "ben"]
        text = store.document_text(doc_id)
        for n, claim in enumerate(s for s in spans if s.label == "claim"):
            if n % 3 == 0 and len(claim.fragments) == 1:
                start, end = claim.fragments[0]
                space = text.find(" ", start, end)
                if space > 0 and space + 1 < end:
                    store.update_span(claim.id, fragments=[(space + 1, end)])
        for n, cue in enumerate(s for s in spans if s.label == "cue"):
            if n % 4 == 0:
                store.delete_span(cue.id)
    store.annotator = "judge"
    premerge(store, [store.document_ids()[0]], "unanimous")
    return store


def settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def main() -> int:
    app = QApplication(sys.argv)
    app.setStyle("Fusion")
    store = team_project(Path(tempfile.mkdtemp()) / "team.annotator")
    window = MainWindow(store)
    window.resize(1500, 950)
    window.show()
    settle(app)
    dock = window.agreement
    loop = QEventLoop()
    dock.computed.connect(lambda _r: loop.quit())
    window.team.show_agreement()
    QTimer.singleShot(60000, loop.quit)
    loop.exec()
    dock.setFloating(True)
    dock.resize(1150, 330)
    dock.tabs.setCurrentWidget(dock.pairs)
    settle(app)
    pairs = dock.grab()
    dock.tabs.setCurrentWidget(dock.gold)
    settle(app)
    gold = dock.grab()
    dock.tabs.setCurrentWidget(dock.layers)
    settle(app)
    layers = dock.grab()
    from PySide6.QtGui import QPainter, QPixmap

    sheet = QPixmap(layers.width(), layers.height() + pairs.height() + gold.height())
    painter = QPainter(sheet)
    for y, shot in ((0, layers), (layers.height(), pairs), (layers.height() + pairs.height(), gold)):
        painter.drawPixmap(0, y, shot)
    painter.end()
    sheet.save(str(DOCS / "agreement-dock.png"))
    dock.setFloating(False)
    dock.hide()
    window.controller.open_document(store.document_ids()[0])
    window.team.toggle_side_by_side()
    side = window.side_by_side
    side.setFloating(True)
    side.resize(1500, 650)
    settle(app)
    window.adjudication.show()
    window.adjudication.step(1)
    window.adjudication.step(1)
    settle(app)
    side.grab().save(str(DOCS / "side-by-side.png"))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
