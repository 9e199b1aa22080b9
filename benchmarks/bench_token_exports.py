"""CoNLL and spaCy DocBin exports beside the tools people use instead, in the same run.

Usage: python benchmarks/bench_token_exports.py [--documents 1000] [--data DIR] [--rounds 3]

The data set is ``/work/shared/bench/make_dataset.py DIR N`` (made here when ``--data`` is not
given). The two sides of a comparison run in turns, ``--rounds`` times (ours, theirs, ours,
theirs...); each figure is the median of its runs, and the ratio printed is the median of the
ratios of each round (the machine is shared and absolute times vary; a ratio taken within
one round holds best):

* ``annotator export --format conll`` (a subprocess, as a user runs it) against
  label-studio-converter converting the same documents to CoNLL 2003
  (``label-studio-converter export -f CONLL2003``, which writes no sentence breaks). The
  converter is not a dependency of Annotator: install it in a separate environment and name
  its ``label-studio-converter`` command in ``ANNOTATOR_BENCH_LSC`` (default
  ``/work/wt/i8-lsc-venv/bin/label-studio-converter``); without it this line is skipped
  with a message. Target: Annotator at least 3x faster.
* ``annotator export --format spacy`` against ``/work/shared/bench/spacy_docbin.py`` (a
  plain spaCy script: blank English tokenizer, ``char_span(..., alignment_mode="expand")``,
  one span group, ``DocBin.to_disk``). Target: at most 1.2x the script's time.

Tokens and sentences are kept per text in a cache folder (:mod:`annotator.core.segments`;
here a fresh folder named by ``ANNOTATOR_CACHE_DIR``): the first export of a text computes
them (spaCy's Sentencizer), later exports read them. The first CoNLL export, with the cache
empty, is timed on its own beside one converter run (its ratio printed apart); the rounds
that follow read the cache.

Also printed: the sentence breaks Annotator writes (the converter writes none), and where
Annotator's export time goes, in a fresh process: start-up and imports, opening the project
(integrity check and backup: ``Store.open``), reading documents and spans, tokens and
sentences (cache read), the rest of the writer, and the same with the cache empty.
"""
from __future__ import annotations

import argparse
import os
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(os.environ.get("ANNOTATOR_BENCH_REFERENCE", "/work/shared/bench"))
LSC = os.environ.get("ANNOTATOR_BENCH_LSC", "/work/wt/i8-lsc-venv/bin/label-studio-converter")
ANNOTATOR = Path(sys.executable).with_name("annotator")


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def paired(ours, theirs, rounds: int) -> tuple[float, float, float, list[float]]:
    """Run ``ours`` and ``theirs`` in turns ``rounds`` times: the median time of each, the
    median of the per-round ratios theirs / ours, and those ratios."""
    a, b = [], []
    for _ in range(rounds):
        a.append(timed(ours))
        b.append(timed(theirs))
    ratios = [y / x for x, y in zip(a, b)]
    return statistics.median(a), statistics.median(b), statistics.median(ratios), ratios


def run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--data", type=Path, default=None, help="a folder made by make_dataset.py")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = args.data
        if data is None:
            data = tmp / "data"
            run([sys.executable, str(BENCH / "make_dataset.py"), str(data), str(args.documents)])
        project = tmp / "p.db"
        run([str(ANNOTATOR), "import", str(data / "native.json"), "--project", str(project)])
        cache = tmp / "cache"
        os.environ["ANNOTATOR_CACHE_DIR"] = str(cache)  # the subprocesses' segment cache, empty at first
        conll = tmp / "out.conll"
        export_conll = lambda: run([str(ANNOTATOR), "export", "--format", "conll", "--project", str(project),  # noqa: E731
                                    "--output", str(conll)])
        print(f"documents: {args.documents}  ({data}); {args.rounds} rounds, medians")
        lsc = shutil.which(LSC) or (LSC if Path(LSC).exists() else None)
        if lsc is None:
            ours = statistics.median(timed(export_conll) for _ in range(args.rounds))
            print(f"conll   annotator export           {ours:7.2f} s")
            print(f"conll   label-studio-converter     skipped: {LSC} not found (install label-studio-converter "
                  "in a separate venv and set ANNOTATOR_BENCH_LSC to its command)")
        else:
            out = tmp / "lsc"
            convert = lambda: run([lsc, "export", "-i", str(data / "ls_tasks.json"), "-c",  # noqa: E731
                                   str(data / "ls_config.xml"), "-o", str(out), "-f", "CONLL2003"])
            shutil.rmtree(cache, ignore_errors=True)
            cold, cold_theirs = timed(export_conll), timed(convert)
            print(f"conll   first export (cache empty) {cold:7.2f} s  converter {cold_theirs:.2f} s: "
                  f"{cold_theirs / cold:.2f}x faster")
            ours, theirs, ratio, ratios = paired(export_conll, convert, args.rounds)
            print(f"conll   annotator export           {ours:7.2f} s  (tokens and sentences from the cache)")
            print(f"conll   label-studio-converter     {theirs:7.2f} s  (no sentence breaks)")
            print(f"conll   ratio converter / annotator: {ratio:.2f}x  (target: >= 3x; rounds: "
                  f"{', '.join(f'{r:.2f}' for r in ratios)})")
        text = conll.read_text(encoding="utf-8")
        breaks = text.count("\n\n") - text.count("-DOCSTART-")
        print(f"conll   sentence breaks written by annotator: {breaks} (the converter writes none)")
        spacy_out = tmp / "out.spacy"
        export_spacy = lambda: run([str(ANNOTATOR), "export", "--format", "spacy", "--project", str(project),  # noqa: E731
                                    "--output", str(spacy_out)])
        script = lambda: run([sys.executable, str(BENCH / "spacy_docbin.py"), str(data / "native.json"),  # noqa: E731
                              str(tmp / "ref.spacy")])
        shutil.rmtree(cache, ignore_errors=True)
        cold, cold_ref = timed(export_spacy), timed(script)
        print(f"spacy   first export (cache empty) {cold:7.2f} s  script {cold_ref:.2f} s: {cold / cold_ref:.2f}x the "
              "script's time")
        ours, ref, ratio, ratios = paired(export_spacy, script, args.rounds)
        print(f"spacy   annotator export           {ours:7.2f} s")
        print(f"spacy   plain spaCy script         {ref:7.2f} s")
        print(f"spacy   ratio annotator / script: {1 / ratio:.2f}x  (target: <= 1.2x; rounds: "
              f"{', '.join(f'{1 / r:.2f}' for r in ratios)})")
        breakdown(project)
    return 0


PHASES = r"""
import io, sys, time
t0, c0 = time.perf_counter(), time.process_time()
import annotator.cli  # what the command imports before it runs
from annotator.core.store import Store
from annotator.core.token_align import export_segments
from annotator.formats.conll import write_conll
from annotator.formats.registry import export_items
marks = [("start-up and imports", time.perf_counter(), time.process_time())]
store = Store.open(sys.argv[1])
marks.append(("opening (Store.open)", time.perf_counter(), time.process_time()))
items = export_items(store)
marks.append(("reading documents and spans", time.perf_counter(), time.process_time()))
for item in items:
    export_segments(item.document.text, item.spans)
marks.append(("tokens and sentences", time.perf_counter(), time.process_time()))
write_conll(items, io.StringIO(), store.schema)
marks.append(("the writer (tokens again, spans, lines)", time.perf_counter(), time.process_time()))
store.close()
last = (t0, c0)
for name, t, c in marks:
    print(f"conll   phase  {name:<40} {t - last[0]:6.2f} s  (CPU {c - last[1]:.2f} s)")
    last = (t, c)
print(f"conll   phase  {'whole (start-up excluded)':<40} {last[0] - marks[0][1]:6.2f} s")
"""


def breakdown(project: Path) -> None:
    """Where a CoNLL export spends its time, in a fresh process (one run, cache warm), then
    the tokens and sentences phase again with the cache empty."""
    done = subprocess.run([sys.executable, "-c", PHASES, str(project)], capture_output=True, text=True)
    print(done.stdout.rstrip() or done.stderr[-2000:])
    env = dict(os.environ, ANNOTATOR_CACHE_DIR=tempfile.mkdtemp(prefix="annotator-bench-cache-"))
    done = subprocess.run([sys.executable, "-c", PHASES, str(project)], capture_output=True, text=True, env=env)
    shutil.rmtree(env["ANNOTATOR_CACHE_DIR"], ignore_errors=True)
    for line in done.stdout.splitlines():
        if "tokens and sentences" in line:
            print(line.replace("tokens and sentences", "tokens and sentences, cache empty", 1)[:-1]
                  + "; spaCy imported here)")


if __name__ == "__main__":
    sys.exit(main())
