"""Benchmark the article view on a 1 MB article with 10,000 spans (case B18, scaled up).

Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_view.py [--size 1000000] [--spans 10000]``.
Prints figures; asserts nothing. Offsets are code points.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.model import Span  # noqa: E402
from annotator.core.schema import load_schema  # noqa: E402
from annotator.ui.text_view import AnnotatedTextView  # noqa: E402

NAMES = ["Sergey Lavrov", "Antony Blinken", "the minister", "a spokeswoman", "Mayor Reyes", "Dr. Okafor"]
CUES = ["said", "told reporters", "added", "warned", "according to", "insisted"]
CLAIMS = [
    "the talks had been constructive and frank",
    "both sides would keep working on the issues of mutual interest",
    "the sanctions were a mistake that hurt ordinary people",
    "the city would rebuild the bridge before winter",
    "no decision had been taken on the new budget",
    "there were serious differences over human rights 🌍 and trade",
]
FILLER = [
    "Officials met in Geneva on Wednesday for the first time since the election.",
    "Markets fell slightly after the announcement, then recovered by the afternoon.",
    "The meeting lasted almost three hours, longer than planned.",
    "Neither delegation published a joint statement afterwards.",
]


def build_article(size: int, n_spans: int, seed: int = 1) -> tuple[str, list[Span]]:
    """About ``size`` code points of paragraphs; at least ``n_spans`` spans: speaker, cue,
    claim per quote sentence (the speaker inside the claim in a third of them, some
    claims discontinuous)."""
    rng = random.Random(seed)
    parts: list[str] = []
    spans: list[Span] = []
    pos = 0

    def add(label: str, *frags: tuple[int, int]) -> None:
        spans.append(Span(id=len(spans) + 1, document_id=1, label=label, fragments=tuple(frags)))

    # ~3.3 spans per quote sentence, ~80 code points per sentence: spread them evenly
    p_quote = min(0.95, n_spans / 3.3 / (size / 80))
    while pos < size:
        for _ in range(rng.randint(3, 7)):
            if len(spans) < n_spans and rng.random() < p_quote:
                name, cue, claim = rng.choice(NAMES), rng.choice(CUES), rng.choice(CLAIMS)
                if rng.random() < 0.33:  # "claim part, NAME cue, claim rest." speaker inside claim
                    head, tail = claim.split(" ", 1)
                    s = f"“{head.capitalize()},” {name} {cue}, “{tail}.” "
                    a = pos + 1
                    n0 = pos + s.index(name)
                    c0 = n0 + len(name) + 1
                    t0 = pos + s.index(tail)
                    add("claim", (a, a + len(head)), (t0, t0 + len(tail)))
                    add("speaker", (n0, n0 + len(name)))
                    add("cue", (c0, c0 + len(cue)))
                    add("claim", (a, t0 + len(tail)))  # an overlapping whole-quote claim
                else:
                    s = f"{name} {cue} that {claim}. "
                    add("speaker", (pos, pos + len(name)))
                    c0 = pos + len(name) + 1
                    add("cue", (c0, c0 + len(cue)))
                    k0 = c0 + len(cue) + 6
                    add("claim", (k0, k0 + len(claim)))
            else:
                s = rng.choice(FILLER) + " "
            parts.append(s)
            pos += len(s)
        parts.append("\n\n")
        pos += 2
    text = "".join(parts)
    return text, spans[:n_spans] if len(spans) >= n_spans else spans


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=1_000_000, help="article length in code points")
    ap.add_argument("--spans", type=int, default=10_000)
    args = ap.parse_args()

    app = QApplication.instance() or QApplication([])
    schema = load_schema()
    text, spans = build_article(args.size, args.spans)
    print(f"article: {len(text):,} code points, {text.count(chr(10) * 2):,} paragraphs, {len(spans):,} spans"
          f" (last one ends at {spans[-1].end:,})")

    view = AnnotatedTextView()
    view.resize(900, 700)
    view.show()
    app.processEvents()

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    view.set_document(text, spans, schema)
    t1 = time.perf_counter()
    app.processEvents()
    view.viewport().repaint()
    t2 = time.perf_counter()
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    calls = view.highlighter.highlight_calls
    print(f"set_document (index + setPlainText + Qt's highlight pass): {ms(t1 - t0)}  ({calls:,} highlightBlock calls)")
    print(f"  + first event loop turn and paint of the visible part:  {ms(t2 - t1)}")

    doc = view.document()
    layout = doc.documentLayout()
    t0 = time.perf_counter()
    block = doc.begin()
    while block.isValid():
        layout.blockBoundingRect(block)  # lays out blocks not laid out yet
        block = block.next()
    print(f"forced layout of every block afterwards:                     {ms(time.perf_counter() - t0)}")

    # add one span in the middle of the document, then remove it again; median of 50
    mid = len(text) // 2
    word_start = text.index(" ", mid) + 1
    word_end = text.index(" ", word_start)
    adds, removes, blocks = [], [], []
    for i in range(50):
        new = Span(id=10_000_000 + i, document_id=1, label="speaker", fragments=((word_start, word_end),))
        before = view.highlighter.highlight_calls
        t0 = time.perf_counter()
        view.apply_span_changes((), [new])
        adds.append(time.perf_counter() - t0)
        blocks.append(view.highlighter.highlight_calls - before)
        t0 = time.perf_counter()
        view.apply_span_changes([new.id], ())
        removes.append(time.perf_counter() - t0)
    print(f"apply_span_changes, add one span (median of 50):         {ms(statistics.median(adds))}"
          f"  (max {ms(max(adds)).strip()}, {statistics.median(blocks):.0f} block(s) rehighlighted)")
    print(f"apply_span_changes, remove it again (median of 50):      {ms(statistics.median(removes))}")

    far = spans[-1]
    t0 = time.perf_counter()
    view.set_current_span(far.id)
    app.processEvents()
    print(f"set_current_span on the last span (scroll to the end):     {ms(time.perf_counter() - t0)}")
    t0 = time.perf_counter()
    view.set_current_span(spans[0].id)
    app.processEvents()
    print(f"set_current_span on the first span (scroll back):           {ms(time.perf_counter() - t0)}")

    t0 = time.perf_counter()
    view.select_range(word_start, word_end)
    rng = view.selection_range()
    print(f"select_range + selection_range:                             {ms(time.perf_counter() - t0)}  -> {rng}")

    view.clear_document()
    tracemalloc.start()  # slows Python down a lot: measured on a second, untimed load
    view.set_document(text, spans, schema)
    _, py_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"Python allocations during set_document (tracemalloc peak): {py_peak / 1e6:8.1f} MB")
    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    print(f"process peak RSS growth during set_document:                {(rss1 - rss0) * unit / 1e6:8.1f} MB"
          f"  (peak RSS now {rss1 * unit / 1e6:.0f} MB)")
    view.close()


if __name__ == "__main__":
    main()
