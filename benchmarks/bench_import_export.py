"""Import and export 1,000 articles, per format: prints figures, asserts nothing.

Each format's time is printed next to a plain ``json.dump`` (export) and ``json.loads``
(import) of the same data, measured in the same run, as a ratio: the machines are shared,
ratios hold where absolute times do not.

Usage: python benchmarks/bench_import_export.py [--articles 1000] [--data DIR] [--memory DIR50000]

``--memory DIR50000`` (a folder of ``make_dataset.py DIR50000 50000``) also imports its
native.json into a new project and exports that project as JSON and JSON Lines, each in a
subprocess whose peak memory (``ru_maxrss``) is printed, with the time per 1,000 documents
beside ``json.loads`` / ``json.dump`` of 1,000 of the same documents (``--data``'s set, the
same documents as the first 1,000) measured in this run.

Articles are built from the sample articles (each made unique), with speaker, cue and claim
spans every few sentences, written as .txt files (text import) and as one native JSON file;
every format that can write is then timed on the project that holds them.
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.model import NewDocument, NewSpan
from annotator.core.resources import resource as shipped
from annotator.core.store import Store
from annotator.formats.registry import export_items, formats
from annotator.services.importing import import_paths


def articles(n: int) -> list[str]:
    samples = sorted(p for p in shipped("samples").iterdir() if p.name.endswith(".txt"))
    texts = [p.read_text(encoding="utf-8") for p in samples]
    return [f"Article {i}\n\n" + texts[i % len(texts)] for i in range(n)]


def annotated(text: str, i: int) -> NewDocument:
    spans = []
    for k, start in enumerate(range(20, len(text) - 60, 400)):
        spans.append(NewSpan(f"m{k}", "speaker", ((start, start + 8),)))
        spans.append(NewSpan(f"q{k}", "cue", ((start + 10, start + 14),)))
        spans.append(NewSpan(f"c{k}", "claim", ((start + 16, start + 56),), source=f"m{k}", cue=f"q{k}", polarity="neutral"))
    return NewDocument(title=f"Article {i}", text=text, spans=spans, origin=f"bench#{i}")


REFERENCE = {"export": 0.0, "import": 0.0}  # plain json.dump / json.loads of the same data


def timed(label: str, fn, against: str | None = None) -> float:
    t0 = time.perf_counter()
    fn()
    dt = time.perf_counter() - t0
    ratio = f"  {dt / REFERENCE[against]:6.1f}x json.{'dump' if against == 'export' else 'loads'}" \
        if against and REFERENCE[against] else ""
    print(f"  {label:<38} {dt * 1000:9.1f} ms{ratio}")
    return dt


def plain_json(items) -> None:
    """Time json.dump and json.loads of the items as plain dicts (the reference)."""
    import json
    data = [{"id": it.document.id, "title": it.document.title, "text": it.document.text,
             "spans": [{"id": s.id, "label": s.label, "fragments": [list(f) for f in s.fragments], "attrs": s.attrs,
                        "source": s.source_id, "cue": s.cue_id, "polarity": s.polarity} for s in it.spans]}
            for it in items]
    out = io.StringIO()
    REFERENCE["export"] = timed("plain json.dump of the same data", lambda: json.dump(data, out, ensure_ascii=False))
    text = out.getvalue()
    REFERENCE["import"] = timed("plain json.loads of the same data", lambda: json.loads(text))


CHILD = """
import resource, sys, time
from pathlib import Path
from annotator.core.store import Store
from annotator.services.importing import export_to, import_paths
job, db, path = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
store = Store.open(db)
t0 = time.perf_counter()
if job == "import":
    report = import_paths(store, [path])
    n = len(report.added)
else:
    export_to(store, job, path)
    n = store.document_count()
dt = time.perf_counter() - t0
store.close()
print(n, dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def child(job: str, db: Path, path: Path) -> tuple[int, float, float]:
    """Run ``job`` ("import", or an export format's name) in a new process: (documents,
    seconds, peak RSS in MB)."""
    done = subprocess.run([sys.executable, "-c", CHILD, job, str(db), str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{job} failed:\n{done.stderr}")
    n, dt, rss = done.stdout.split()
    return int(n), float(dt), int(rss) / 1024


def memory_run(folder: Path) -> list[tuple]:
    """Import and export the 50,000-document set, each in a subprocess (see the module)."""
    with tempfile.TemporaryDirectory(dir=folder.parent) as tmp:
        tmp = Path(tmp)
        db = tmp / "big.db"
        rows = []
        n, dt, rss = child("import", db, folder / "native.json")
        rows.append(("import native.json", n, dt, rss, "import"))
        for fmt, name in (("json", "out.json"), ("jsonl", "out.jsonl")):
            n, dt, rss = child(fmt, db, tmp / name)
            rows.append((f"export {fmt} ({(tmp / name).stat().st_size / 1e6:.0f} MB)", n, dt, rss, "export"))
        n, dt, rss = child("import", tmp / "again.db", tmp / "out.jsonl")
        rows.append(("import its jsonl export", n, dt, rss, "import"))
    return rows


def print_memory_run(rows: list[tuple], reference: dict[str, float]) -> None:
    if rows:
        n = rows[0][1]
        print(f"\n{n} documents, each job in its own process")
        print(f"  {'job':<34} {'total':>9} {'per 1,000':>10} {'ratio':>18} {'peak RSS':>10}")
        for label, n, dt, rss, kind in rows:
            per = dt / (n / 1000)
            ref = reference.get(kind)
            ratio = f"{per / ref:6.1f}x json.{'dump' if kind == 'export' else 'loads'}" if ref else ""
            print(f"  {label:<34} {dt:8.1f}s {per:9.2f}s {ratio:>18} {rss:8.0f} MB")


def native_reference(path: Path) -> dict[str, float]:
    """json.loads / json.dump (indent=2, as the old export) of a native JSON file of 1,000
    documents, in seconds: the reference of the memory run."""
    import json
    text = path.read_text(encoding="utf-8")
    t0 = time.perf_counter()
    data = json.loads(text)
    loads = time.perf_counter() - t0
    t0 = time.perf_counter()
    json.dump(data, io.StringIO(), ensure_ascii=False)
    dump = time.perf_counter() - t0
    print(f"  reference, {len(data['documents'])} documents of {path}: json.loads {loads:.2f} s, json.dump {dump:.2f} s")
    scale = 1000 / len(data["documents"])
    return {"import": loads * scale, "export": dump * scale}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--data", type=Path, default=None,
                    help="a folder made by /work/shared/bench/make_dataset.py: its native.json is the annotated set")
    ap.add_argument("--memory", type=Path, default=None,
                    help="a folder of make_dataset.py DIR 50000: import and export it, printing peak memory")
    ap.add_argument("--memory-only", action="store_true", help="skip the per-format run")
    args = ap.parse_args()
    if args.memory is not None:  # first: a child's ru_maxrss starts at its parent's peak (Linux keeps it across exec)
        rows = memory_run(args.memory)
        reference = native_reference(args.data / "native.json") if args.data is not None else {}
        print_memory_run(rows, reference)
        if args.memory_only:
            return
    n = args.articles
    texts = articles(n)
    print(f"{n} articles, {sum(map(len, texts)) / 1e6:.1f} M characters")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = tmp / "txt"
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"a{i:05d}.txt").write_text(text, encoding="utf-8")
        store = Store.open(tmp / "text.db")
        timed(f"import {n} .txt files", lambda: import_paths(store, [folder]))
        store.close()

        store = Store.open(tmp / "annotated.db")
        if args.data is not None:  # the shared 1,000-document set of /work/shared/bench/make_dataset.py
            timed(f"import {args.data / 'native.json'}", lambda: import_paths(store, [args.data / "native.json"]))
        else:
            docs = [annotated(t, i) for i, t in enumerate(texts)]
            timed(f"import {n} annotated documents (store)", lambda: store.import_documents(docs))
        spans = sum(store.stats()["spans"].values())
        print(f"  ({spans} spans)")
        items = export_items(store)
        plain_json(items)
        written: dict[str, Path] = {}
        for fmt in formats():
            target = tmp / f"out-{fmt.name}{fmt.extensions[0] if fmt.extensions else ''}"
            try:
                if fmt.folder_writer is not None:
                    target.mkdir()
                    timed(f"export {fmt.name} (folder)", lambda: fmt.folder_writer(items, target, store.schema), "export")
                elif fmt.writer is not None:
                    mode = {"mode": "wb"} if fmt.binary else {"mode": "w", "encoding": "utf-8", "newline": ""}
                    with open(target, **mode) as out:
                        timed(f"export {fmt.name}", lambda: fmt.writer(items, out, store.schema), "export")
                else:
                    continue
                written[fmt.name] = target
            except Exception as exc:  # a format with an optional dependency that is absent
                print(f"  export {fmt.name:<31} skipped: {exc}")
        store.close()
        for fmt in formats():
            if fmt.reader is None or fmt.name not in written:
                continue
            again = Store.open(tmp / f"again-{fmt.name}.db")
            try:
                timed(f"import {fmt.name} (its own export)",
                      lambda: import_paths(again, [written[fmt.name]], fmt=fmt.name), "import")
            except InputError as exc:  # e.g. a file over the import size limit
                print(f"  import {fmt.name:<31} refused: {exc}")
            again.close()
        csv_file = tmp / "articles.csv"
        import csv
        with csv_file.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["title", "text"])
            w.writerows([[t.split("\n", 1)[0], t] for t in texts])
        again = Store.open(tmp / "again-csv.db")
        timed(f"import csv ({n} rows)", lambda: import_paths(again, [csv_file], fmt="csv"))
        again.close()
        html = tmp / "html"
        html.mkdir()
        for i, text in enumerate(texts[: max(1, n // 10)]):
            body = "".join(f"<p>{para}</p>" for para in text.split("\n\n"))
            (html / f"p{i}.html").write_text(f"<html><head><title>Article {i}</title></head><body><nav>Home</nav>"
                                             f"<article>{body}</article><footer>(c)</footer></body></html>", encoding="utf-8")
        again = Store.open(tmp / "again-html.db")
        timed(f"import html ({max(1, n // 10)} pages)", lambda: import_paths(again, [html]))
        again.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
