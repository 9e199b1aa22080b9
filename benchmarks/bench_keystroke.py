"""Adding a span, whole path, at corpus size: store commit, undo command, event bus, text
view, every panel, and Qt's repaint, beside a bare QSyntaxHighlighter re-highlighting one
block of the same article in the same run.

Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_keystroke.py [--documents 50000]
[--size 2000000] [--spans 20000] [--profile]``.

Two projects:

* the corpus: ``--documents`` articles of ``/work/shared/bench/make_dataset.py`` (built once
  under ``$ANNOTATOR_BENCH_CACHE`` or ``/tmp/annotator-bench-cache``, imported in batches);
  spans are added to its first, middle and last article;
* one big article of ``--size`` code points and ``--spans`` spans (``bench_view.build_article``).

Each mark is ``Controller.mark("cue")`` on a selected word, then ``processEvents`` (the
repaint), timed together. Prints the median and p95 in milliseconds and their ratio to the
bare highlighter; asserts nothing.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ANNOTATOR_DATA_DIR"] = tempfile.mkdtemp(prefix="annotator-bench-")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_view import build_article  # noqa: E402
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402

from annotator.core.model import NewDocument, NewSpan  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.formats.native_reader import document_from_dict  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402

MAKE_DATASET = Path("/work/shared/bench/make_dataset.py")
CACHE = Path(os.environ.get("ANNOTATOR_BENCH_CACHE", "/tmp/annotator-bench-cache"))


def corpus_project(n: int) -> Path:
    """A project file of ``n`` make_dataset articles, built once and kept in the cache.

    make_dataset's article ``i`` is shared article ``i % 8`` under a header line "Copy
    {i:05d}"; its JSON for 50,000 is 0.9 GB, so it is run for 1,000 and article ``i`` is
    article ``i % 1000`` with its header (same length) renumbered: the same documents,
    imported 1,000 at a time."""
    db = CACHE / f"corpus-{n}.db"
    if db.exists():
        return db
    base = min(n, 1000)
    data = CACHE / f"dataset-{base}"
    if not (data / "native.json").exists():
        subprocess.run([sys.executable, str(MAKE_DATASET), str(data), str(base)], check=True)
    docs = json.loads((data / "native.json").read_text(encoding="utf-8"))["documents"]
    tmp = db.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    store = Store.open(tmp)
    labels = store.schema.label_names
    for at in range(0, n, 1000):
        batch = []
        for i in range(at, min(n, at + 1000)):
            d = dict(docs[i % base], title=f"Copy {i:05d}", id=f"doc{i}")
            d["text"] = f"Copy {i:05d}" + d["text"][len(f"Copy {i % base:05d}"):]
            batch.append(document_from_dict(d, f"doc {i}", labels))
        store.import_documents(batch)
    store.close()
    tmp.rename(db)
    return db


def big_project(size: int, n_spans: int) -> Path:
    db = CACHE / f"big-{size}-{n_spans}.db"
    if db.exists():
        return db
    text, spans = build_article(size, n_spans)
    tmp = db.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    store = Store.open(tmp)
    store.import_documents([NewDocument(title="Big article", text=text, origin="bench",
                                        spans=[NewSpan(f"s{s.id}", s.label, s.fragments) for s in spans])])
    store.close()
    tmp.rename(db)
    return db


def fresh_copy(db: Path) -> Path:
    """A copy of the cached project for this run (marks must not find last run's spans)."""
    out = Path(tempfile.mkdtemp(prefix="annotator-bench-")) / db.name
    shutil.copyfile(db, out)
    return out


def words(text: str, count: int, start: int = 0) -> list[tuple[int, int]]:
    """``count`` words spread over ``text`` from ``start``, as code point ranges."""
    out, step = [], max(1, (len(text) - start) // (count + 1))
    for k in range(count):
        a = text.find(" ", start + k * step) + 1
        b = text.find(" ", a)
        if 0 < a < b:
            out.append((a, b))
    return out


def mark_times(app, window: MainWindow, ranges: list[tuple[int, int]]) -> list[float]:
    times = []
    for a, b in ranges:
        window.view.select_range(a, b)
        app.processEvents()  # the scroll to the selection is painted before the clock starts
        t0 = time.perf_counter()
        window.controller.mark("cue")
        app.processEvents()
        times.append(time.perf_counter() - t0)
    return times


def bare_highlighter(app, text: str, repeats: int = 50) -> list[float]:
    """A bare QSyntaxHighlighter on a QPlainTextEdit with ``text``: re-highlight one block."""

    class Bare(QSyntaxHighlighter):
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#fde68a"))

        def highlightBlock(self, block_text: str) -> None:  # noqa: N802 - Qt override
            for k in range(0, len(block_text), 40):
                self.setFormat(k, min(12, len(block_text) - k), self.fmt)

    edit = QPlainTextEdit()
    edit.setPlainText(text)
    edit.resize(800, 600)
    edit.show()
    highlighter = Bare(edit.document())
    app.processEvents()
    block = edit.document().findBlock(edit.document().characterCount() // 2)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        highlighter.rehighlightBlock(block)
        app.processEvents()
        times.append(time.perf_counter() - t0)
    edit.close()
    return times


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, int(len(times) * 0.95) - 1)] if len(times) > 1 else times[0]


def line(what: str, times: list[float], bare: float) -> str:
    med = statistics.median(times)
    return (f"{what:<44} median {med * 1000:7.2f} ms  p95 {p95(times) * 1000:7.2f} ms"
            f"  ({med / bare:5.1f}x the bare highlighter, n={len(times)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--size", type=int, default=2_000_000)
    parser.add_argument("--spans", type=int, default=20_000)
    parser.add_argument("--marks", type=int, default=40, help="marks per article")
    parser.add_argument("--profile", action="store_true", help="print where the corpus marks spend their time")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)

    corpus = corpus_project(args.documents)
    big = big_project(args.size, args.spans)
    results: list[tuple[str, list[float]]] = []
    bare_text = ""

    profile = cProfile.Profile() if args.profile else None
    copy = fresh_copy(corpus)
    store = Store.open(copy)
    window = MainWindow(store)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    ids = window.controller.doc_ids
    for name, doc_id in (("first", ids[0]), ("middle", ids[len(ids) // 2]), ("last", ids[-1])):
        window.controller.open_document(doc_id)
        app.processEvents()
        text = window.view.text
        mark_times(app, window, words(text, 3, 20))  # warm up (the first edit sets "in progress")
        ranges = words(text, args.marks, 20)[3:]
        if profile:
            profile.enable()
        results.append((f"corpus of {len(ids):,} documents, {name} article", mark_times(app, window, ranges)))
        if profile:
            profile.disable()
    window.close()
    app.processEvents()
    store.close()
    shutil.rmtree(copy.parent, ignore_errors=True)  # 1.6 GB and its backup

    copy = fresh_copy(big)
    store = Store.open(copy)
    window = MainWindow(store)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    text = bare_text = window.view.text
    ranges = words(text, args.marks + 3, len(text) // 3)
    mark_times(app, window, ranges[:3])
    results.append((f"{len(text) / 1e6:.1f} M code points, {len(window.view.index):,} spans", mark_times(app, window, ranges[3:])))
    window.close()
    app.processEvents()
    store.close()
    shutil.rmtree(copy.parent, ignore_errors=True)

    bare = bare_highlighter(app, bare_text)
    bare_med = statistics.median(bare)
    print("Add one span (Controller.mark + repaint), whole path")
    for what, times in results:
        print(line(what, times, bare_med))
    print(f"{'bare QSyntaxHighlighter, one block (same text)':<44} median {bare_med * 1000:7.2f} ms  p95 {p95(bare) * 1000:7.2f} ms")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
    return 0


if __name__ == "__main__":
    sys.exit(main())
