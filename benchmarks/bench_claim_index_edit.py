"""The claim index's cost on an edit: adding a claim to a 1 MB article, with the search
index's triggers and without them (dropped), in the same run.

    python benchmarks/bench_claim_index_edit.py

Prints the median and p95 of 300 ``store.add_span(..., "claim", ...)`` calls spread over
the article (most of them far into it, where cutting the claim's text out with SQLite's
``substr`` would cost about 1 ms: such claims are queued instead), twice.
"""
from pathlib import Path
import time, statistics
from annotator.core.store import Store
from annotator.core.model import NewDocument
base = open(Path(__file__).resolve().parents[1] / "tests/data/seed/us_russia_talks.txt", encoding="utf-8").read()
text = (base * (1_000_000 // len(base) + 1))[:1_000_000]
def run(drop):
    s = Store.memory()
    if drop:
        for (n,) in s.db.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
            s.db.execute(f"DROP TRIGGER {n}")
    s.import_documents([NewDocument(title="big", text=text)])
    out = []
    for i in range(300):
        a = 1000 + i * 3000
        t = time.perf_counter(); s.add_span(1, "claim", [(a, a + 40)]); out.append(time.perf_counter() - t)
    return statistics.median(out) * 1000, sorted(out)[int(0.95 * len(out))] * 1000
for _ in range(2):
    w = run(False); wo = run(True)
    print(f"add a claim on a 1 MB article: with the index {w[0]:.3f} ms (p95 {w[1]:.3f}), without {wo[0]:.3f} ms (p95 {wo[1]:.3f})")
