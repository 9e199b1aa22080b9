"""Open a 1 MB article with 10,000 spans from a project file into the window, and add
spans through the whole edit path (store commit, undo command, view update).

Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_open_and_edit.py``.
Prints figures; asserts nothing. Uses the article builder of ``bench_view.py``.
"""
from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ANNOTATOR_DATA_DIR"] = tempfile.mkdtemp(prefix="annotator-bench-")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_view import build_article  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.model import NewDocument, NewSpan  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main() -> int:
    app = QApplication(sys.argv)
    text, spans = build_article(1_000_000, 10_000)
    folder = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    store = Store.open(folder / "big.db")
    doc = NewDocument(title="Big article", text=text, origin="bench",
                      spans=[NewSpan(f"s{s.id}", s.label, s.fragments) for s in spans])
    t0 = time.perf_counter()
    store.import_documents([doc])
    print(f"article: {len(text):,} code points, {len(spans):,} spans")
    print(f"import into the project file:                {ms(time.perf_counter() - t0)}")
    store.close()

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    store = Store.open(folder / "big.db")
    window = MainWindow(store)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    print(f"open project + window + document shown:      {ms(time.perf_counter() - t0)}")
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS growth while opening:               {(rss1 - rss0) / 1024:8.1f} MB (peak RSS {rss1 / 1024:.0f} MB)")

    controller, view = window.controller, window.view
    times = []
    for k in range(30):
        start = 500_000 + k * 997
        start = text.index(" ", start) + 1
        end = text.index(" ", start)
        view.select_range(start, end)
        t0 = time.perf_counter()
        controller.mark("cue")
        app.processEvents()
        times.append(time.perf_counter() - t0)
    print(f"add one span (store commit + undo + view), median of 30: {ms(statistics.median(times))} (max {ms(max(times)).strip()})")
    t0 = time.perf_counter()
    controller.undo()
    app.processEvents()
    print(f"undo one span:                               {ms(time.perf_counter() - t0)}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
