"""Keystrokes while the window suggests in the background (annotator.ui.auto_suggest).

Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_suggest_window.py [--size 300000] [--marks 30]``.

One project with one article of ``--size`` code points (the articles of
``/work/shared/bench/make_dataset.py`` end to end, no spans). Each keystroke is the whole
path of marking a cue (a word selected, ``Controller.mark("cue")``: store, undo stack, views)
plus ``processEvents`` (the repaint), timed together, as in bench_keystroke.py:

1. ``--marks`` keystrokes with the window idle;
2. Suggest This Document (the engine of ``annotator suggest``: rules, VADER) in the worker
   thread, and keystrokes for as long as it works;
3. the engine on the same text in this thread, timed: how long one keystroke would wait if
   suggesting ran on the GUI thread.

Prints the medians and p95 in milliseconds (a keystroke timed while suggesting includes what the
event loop runs before it: a chunk of the result being written) and the ratios busy / idle and GUI-thread wait /
idle median; asserts nothing. The Python engine holds the GIL while it works, so a keystroke
waits for the interpreter's switch interval at least once (``sys.getswitchinterval()``: 5 ms by
default, 0.5 ms while the window suggests: ``annotator.ui.auto_suggest.SWITCH_INTERVAL``).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ANNOTATOR_DATA_DIR"] = tempfile.mkdtemp(prefix="annotator-bench-")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.model import NewDocument  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.ui.suggest_worker import make_engine  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402

MAKE_DATASET = Path("/work/shared/bench/make_dataset.py")


def article(size: int) -> str:
    data = Path(tempfile.mkdtemp()) / "data"
    subprocess.run([sys.executable, str(MAKE_DATASET), str(data), "200"], check=True, capture_output=True)
    texts = [d["text"] for d in json.loads((data / "native.json").read_text(encoding="utf-8"))["documents"]]
    out, i = [], 0
    while sum(map(len, out)) < size:
        out.append(texts[i % len(texts)])
        i += 1
    return "\n\n".join(out)[:size]


def words(text: str, count: int) -> list[tuple[int, int]]:
    """``count`` words of 5+ letters spread over the text (code-point ranges)."""
    spots, step = [], max(1, len(text) // (count + 1))
    for k in range(1, count + 1):
        at = k * step
        while at < len(text) and not text[at].isalpha():
            at += 1
        start = at
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        end = at
        while end < len(text) and text[end].isalpha():
            end += 1
        if end - start >= 3:
            spots.append((start, end))
    return spots


def mark(app: QApplication, w: MainWindow, spot: tuple[int, int]) -> float:
    t0 = time.perf_counter()
    w.view.select_range(*spot)
    w.controller.mark("cue")
    app.processEvents()
    return (time.perf_counter() - t0) * 1000


def summary(ms: list[float]) -> tuple[float, float]:
    ms = sorted(ms)
    return statistics.median(ms), ms[min(len(ms) - 1, int(len(ms) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=300_000)
    parser.add_argument("--marks", type=int, default=30)
    args = parser.parse_args()
    app = QApplication(sys.argv)
    text = article(args.size)
    store = Store.open(Path(tempfile.mkdtemp()) / "p.db")
    store.import_documents([NewDocument(title="Long article", text=text)])
    w = MainWindow(store)
    w.show()
    app.processEvents()
    spots = words(text, 4 * args.marks)
    idle = [mark(app, w, spots.pop(0)) for _ in range(args.marks)]
    busy, t0 = [], time.perf_counter()
    w.auto_suggest.suggest_document()
    while w.auto_suggest.job is not None and spots:
        busy.append(mark(app, w, spots.pop(0)))
    while w.auto_suggest.job is not None:
        app.processEvents()
    background = time.perf_counter() - t0
    written = len(store.spans(1, statuses=("suggested",)))
    engine = make_engine()
    engine.suggest(text[:2000])  # VADER and the rules loaded
    t0 = time.perf_counter()
    engine.suggest(text)
    inline = (time.perf_counter() - t0) * 1000
    (im, ip), (bm, bp) = summary(idle), summary(busy or [float("nan")])
    print(f"article of {len(text):,} code points; {written} suggested spans written in {background:.2f} s (background)")
    print(f"  keystroke (mark a cue), idle:                    median {im:6.1f} ms, p95 {ip:6.1f} ms ({len(idle)} keys)")
    print(f"  keystroke while the worker suggests:             median {bm:6.1f} ms, p95 {bp:6.1f} ms ({len(busy)} keys)"
          f"  -> {bm / im:4.1f} x idle (median), {bp / ip:4.1f} x (p95)")
    print(f"  one keystroke if the engine ran on the GUI thread: waits {inline:7.0f} ms  -> {inline / im:6.0f} x idle (median)")
    w.close()


if __name__ == "__main__":
    main()
