"""Project search over 10,000 articles and the claim query over 100,000 claims.

    python benchmarks/bench_search.py [DATASET_DIR] [--runs N]

DATASET_DIR is the output of ``../shared/bench/make_dataset.py DIR 10130`` (made in a
temporary folder when not given: about 2 minutes). The first 10,000 articles are imported
(in batches of 500) into a new project in memory, with their speaker mentions and claims
(each claim attributed to one of its article's speakers, polarity and form cycling), then:

* **search**: ``annotator.core.store.search.search`` (the whole path: FTS5 query, offsets of
  every hit found in Python, context, claims over the hits; the first 50 documents) for a
  set of queries; median and p95 over ``--runs`` rounds. Beside it, in the same run: the bare
  FTS5 ``MATCH`` (ids only, the same queries) and a plain Python scan of every text
  (``word in text.lower()``, the way without an index).
* **import cost of the index**: the same import into a project whose search triggers were
  dropped (ratio).
* **claim query**: the remaining articles are imported (over 100,000 claims), then
  ``query_claims`` with each filter (speaker, polarity, form, status, text, and all
  together); median and p95; beside it a plain SQL ``SELECT`` of all claims (no filters).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotator.core.model import NewDocument, NewEntity, NewSpan
from annotator.core.store import Store
from annotator.core.store.search import query_claims, search

MAKE_DATASET = Path(__file__).resolve().parents[2] / "shared" / "bench" / "make_dataset.py"
if not MAKE_DATASET.exists():
    MAKE_DATASET = Path("/work/shared/bench/make_dataset.py")
SEARCH_DOCS = 10_000
QUERIES = ["said", "government", "Lavrov", "scientology", "iodine deficiency", '"prime minister"', "secur*",
           "korea military", "officials", "zzzznotthere"]
POLARITIES = ("positive", "negative", "neutral", "mixed", None)
FORMS = ("direct", "indirect", None)


def documents(dataset: Path) -> list[NewDocument]:
    """The dataset's articles as NewDocuments, claims attributed, polarity and form cycling."""
    docs = json.loads((dataset / "native.json").read_text(encoding="utf-8"))["documents"]
    out = []
    for i, d in enumerate(docs):
        entities = [NewEntity(e["id"], e["name"], e["type"]) for e in d["entities"]]
        spans = []
        for j, s in enumerate(d["spans"]):
            if s["label"] == "speaker":
                spans.append(NewSpan(s["id"], "speaker", ((s["start"], s["end"]),), entity=s["entity"]))
            else:
                speaker = entities[j % len(entities)].key if entities else None
                spans.append(NewSpan(s["id"], "claim", ((s["start"], s["end"]),), speaker=speaker,
                                     polarity=POLARITIES[j % 5], form=FORMS[j % 3]))
        out.append(NewDocument(title=d["title"], text=d["text"], entities=entities, spans=spans, origin=f"doc{i}",
                               status="done" if i % 4 == 0 else "new"))
    return out


def load(store: Store, docs: list[NewDocument], batch: int = 500) -> float:
    start = time.perf_counter()
    for at in range(0, len(docs), batch):
        store.import_documents(docs[at:at + batch])
    return time.perf_counter() - start


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def row(name: str, times: list[float], base: float | None = None) -> str:
    med = statistics.median(times)
    ratio = f"{med / base:8.1f}x" if base else " " * 9
    return f"{name:<46} {med * 1000:9.2f} ms {p95(times) * 1000:9.2f} ms {ratio}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-plain", action="store_true", help="skip the import without the index (its ratio)")
    args = parser.parse_args()
    tmp = None
    if args.dataset is None:
        tmp = tempfile.TemporaryDirectory()
        args.dataset = Path(tmp.name) / "data"
        subprocess.run([sys.executable, str(MAKE_DATASET), str(args.dataset), "10130"], check=True)
    docs = documents(args.dataset)
    first, rest = docs[:SEARCH_DOCS], docs[SEARCH_DOCS:]

    t_plain = float("nan")
    if not args.skip_plain:
        plain = Store.memory()
        for (name,) in plain.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                        " AND name LIKE 'fts_%'").fetchall():
            plain.db.execute(f"DROP TRIGGER {name}")
        t_plain = load(plain, first)
        plain.close()
    store = Store.memory()
    t_index = load(store, first)
    chars = store.db.execute("SELECT sum(length(text)) FROM documents").fetchone()[0]
    print(f"{SEARCH_DOCS:,} articles ({chars / 1e6:.1f} M characters) imported: {t_index:.1f} s with the search index, "
          f"{t_plain:.1f} s without it (x{t_index / t_plain:.2f})")

    texts = [t for (t,) in store.db.execute("SELECT title || ' ' || text FROM documents").fetchall()]
    all_search, all_fts, all_scan = [], [], []
    print(f"\nsearch over {SEARCH_DOCS:,} articles ({args.runs} rounds per query): median, p95, ratio to bare FTS5")
    print(f"{'query':<46} {'median':>12} {'p95':>12} {'ratio':>9}")
    for q in QUERIES:
        hits = search(store, q)
        words = [w for w in q.replace('"', " ").replace("*", " ").lower().split()]
        fts = " AND ".join(f'"{w}"' + ("*" if q.endswith("*") else "") for w in words)
        s = timed(lambda: search(store, q), args.runs)
        f = timed(lambda: store.db.execute("SELECT rowid FROM fts_documents WHERE fts_documents MATCH ?"
                                           " ORDER BY bm25(fts_documents) LIMIT 50", [fts]).fetchall(), args.runs)
        all_search += s
        all_fts += f
        print(row(f"{q} ({len(hits)} hits)", s, statistics.median(f)))
    all_scan = timed(lambda: [i for i, t in enumerate(texts) if "government" in t.lower()], max(3, args.runs // 2))
    print(row("all queries: search (whole path)", all_search, statistics.median(all_fts)))
    print(row("all queries: bare FTS5 MATCH (ids only)", all_fts))
    print(row("reference: Python scan of every text, 1 word", all_scan, statistics.median(all_fts)))
    print(f"search (median) vs a Python scan: {statistics.median(all_scan) / statistics.median(all_search):.0f}x faster")

    load(store, rest)
    claims = store.db.execute("SELECT count(*) FROM spans WHERE label = 'claim'").fetchone()[0]
    speaker = store.db.execute("SELECT e.name FROM spans s JOIN entities e ON e.id = s.speaker_id GROUP BY e.id"
                               " ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    print(f"\nclaim query over {claims:,} claims ({store.document_count():,} documents): median, p95, ratio to a plain "
          "SELECT of every claim")
    base = timed(lambda: store.db.execute("SELECT id, document_id, start, \"end\", speaker_id, polarity FROM spans"
                                          " WHERE label = 'claim'").fetchall(), args.runs)
    b = statistics.median(base)
    print(row("reference: plain SELECT of every claim", base))
    for name, kwargs in (("speaker", {"speaker": speaker.split()[-1]}), ("polarity", {"polarity": "negative"}),
                         ("form", {"form": "direct"}), ("status", {"status": "done"}), ("text", {"text": "government"}),
                         ("all five", {"speaker": speaker.split()[-1], "polarity": "negative", "form": "direct",
                                       "status": "done", "text": "said"}),
                         ("no filter (every claim)", {})):
        n = len(query_claims(store, **kwargs))
        print(row(f"{name} ({n:,} claims)", timed(lambda: query_claims(store, **kwargs), args.runs), b))
    store.close()
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
