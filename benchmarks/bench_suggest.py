"""Suggestions: quality against gold and speed; prints figures, asserts nothing.

Usage: python benchmarks/bench_suggest.py [--articles 1000] [--folds 5] [--skip-speed]

Quality (measures of :mod:`annotator.core.suggest.evaluate`), beside the issue's targets and
the human agreement on this kind of data:

* PolNeAR (``../shared/corpus/polnear``, read from there, never copied): the rules alone, and
  the rules then the learned CRF by K-fold cross-validation: a document is only ever scored by a
  model that was not trained on it;
* seed + Wikinews gold (``../shared/corpus/seed``, ``../shared/corpus/wikinews``): the rules,
  and the rules then the CRF trained on all of PolNeAR (other articles, other publishers).

Speed: the engine (rules + VADER, and rules + CRF + VADER) over the 1,000 articles of
``../shared/bench/make_dataset.py`` in one process and in two worker processes
(:func:`annotator.core.suggest.batch.suggest_texts`, as ``annotator suggest --jobs 2``), and
one article of 1 MB; the reference beside it is a blank spaCy English pipeline (tokenizer only)
over the same texts, run in the same process (ratio printed). Memory: the peak resident set
of this process.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotator.core.suggest.engine import Engine
from annotator.core.suggest.evaluate import Evaluation, evaluate
from annotator.core.suggest.gold import read_gold_folder
from annotator.core.suggest.batch import make_engine, suggest_texts
from annotator.core.suggest.learned import CRFSuggester, cross_validate, train
from annotator.core.suggest.rules import RuleSuggester

SHARED = Path(__file__).resolve().parents[2] / "shared"
if not SHARED.is_dir():
    SHARED = Path("/work/shared")
CORPUS = SHARED / "corpus"

# (row, target, human agreement, how to read it from an Evaluation)
ROWS = [
    ("direct quotes, exact F1", 0.85, 0.95, lambda e: e.scores["direct"].f1("exact")),
    ("direct quotes, overlap F1", 0.93, 0.95, lambda e: e.scores["direct"].f1("overlap")),
    ("all claims, overlap F1", 0.70, 0.84, lambda e: e.scores["claims"].f1("overlap")),
    ("cues, exact F1", 0.65, 0.75, lambda e: e.scores["cues"].f1("exact")),
    ("speakers, overlap F1", 0.70, 0.83, lambda e: e.scores["speakers"].f1("overlap")),
    ("attribution, direct quotes", 0.90, 0.81, lambda e: e.attribution.direct),
    ("attribution, all claims end to end", 0.55, 0.81, lambda e: e.attribution.end_to_end),
]


def _figure(ev: Evaluation, read) -> float | None:
    try:
        return read(ev)
    except (KeyError, AttributeError):
        return None


def print_table(columns: list[tuple[str, Evaluation]]) -> None:
    head = f"  {'measure':<36} {'target':>6} {'human':>6}" + "".join(f" {name:>14}" for name, _ in columns)
    print(head)
    for label, target, human, read in ROWS:
        row = f"  {label:<36} {target:>6.2f} {human:>6.2f}"
        for _, ev in columns:
            v = _figure(ev, read)
            row += f" {'—':>14}" if v is None else f" {v:>5.2f} ({v - human:+.2f})".rjust(15)
        print(row)
    print("  (in brackets: the figure minus the human agreement)")


def quality(folds: int) -> None:
    polnear = read_gold_folder(CORPUS / "polnear")
    news = read_gold_folder(CORPUS / "seed") + read_gold_folder(CORPUS / "wikinews")
    rules = Engine([RuleSuggester()], sentiment=False, string_match=False)
    t0 = time.perf_counter()
    learned = cross_validate(polnear, folds)
    cv_time = time.perf_counter() - t0

    class Fixed:
        name, version = "crf", "cv"

        def __init__(self, by_name):
            self.by_name = by_name
            self.current = None

        def suggest(self, text, known_entities=()):
            return self.by_name[self.current]

    fixed = Fixed(learned)
    combined = Engine([RuleSuggester(), fixed], sentiment=False, string_match=False)

    def cv_predict(g):
        fixed.current = g.name
        return combined.suggest(g.text)

    _, pol_rules = evaluate(polnear, lambda g: rules.suggest(g.text))
    _, pol_crf = evaluate(polnear, cv_predict)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        model = train(polnear, Path(tmp) / "polnear.crfsuite")
        train_time = time.perf_counter() - t0
        full = Engine([RuleSuggester(), CRFSuggester(model)], sentiment=False, string_match=False)
        _, news_rules = evaluate(news, lambda g: rules.suggest(g.text))
        _, news_crf = evaluate(news, lambda g: full.suggest(g.text))
    print(f"PolNeAR: {len(polnear)} articles, {sum(len(g.claims) for g in polnear)} attributions; "
          f"seed + Wikinews: {len(news)} articles, {sum(len(g.claims) for g in news)} quotations")
    print(f"CRF: {folds}-fold cross-validation (train + tag) {cv_time:.1f} s; training on all of PolNeAR {train_time:.1f} s")
    print_table([("PolNeAR rules", pol_rules), ("PolNeAR CRF-cv", pol_crf),
                 ("news rules", news_rules), ("news CRF", news_crf)])
    print("  news = seed + Wikinews: Wikinews gold has direct quotes only; the seed adds speakers and attribution")


def _timed(texts, model, jobs: int) -> tuple[float, int]:
    """Seconds and suggestions of :func:`suggest_texts` over ``texts`` (the pool's start-up
    and the engine's loading included for worker processes: it is the user's wait)."""
    t0 = time.perf_counter()
    count = sum(len(found) for found in suggest_texts(((t, (), ()) for t in texts), model, jobs=jobs))
    return time.perf_counter() - t0, count


def speed(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run([sys.executable, str(SHARED / "bench" / "make_dataset.py"), str(tmp / "data"), str(n)],
                       check=True, capture_output=True)
        texts = [p.read_text(encoding="utf-8") for p in sorted((tmp / "data" / "txt").glob("*.txt"))]
        model = train(read_gold_folder(CORPUS / "polnear"), tmp / "m.crfsuite")
        make_engine(model).suggest(texts[0])  # import VADER and load its lexicon once (the workers fork after)
        import spacy

        nlp = spacy.blank("en")
        nlp.max_length = 2_000_000  # tokenizer only: no parser memory needed
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts):
            pass
        ref = time.perf_counter() - t0
        chars = sum(map(len, texts))
        print(f"{len(texts)} articles ({chars / 1e6:.1f} M characters); reference: the blank spaCy tokenizer "
              f"over the same texts, {ref:.2f} s; target: under 20 s")
        for label, m in (("rules + VADER", None), ("rules + CRF + VADER", model)):
            for jobs in (1, 2):
                took, count = _timed(texts, m, jobs)
                print(f"  {label:<20} {jobs} process{'es' if jobs > 1 else '  '}  {took:7.2f} s  "
                      f"({took / ref:4.2f} x the reference; {count} suggestions)")
        big = ""
        i = 0
        while len(big) < 1_000_000:
            big += texts[i % len(texts)] + "\n"
            i += 1
        t0 = time.perf_counter()
        list(nlp.pipe([big]))
        ref_big = time.perf_counter() - t0
        print(f"one article of {len(big) / 1e6:.2f} M characters; reference {ref_big:.2f} s; target: under 2 s")
        for label, m in (("rules + VADER", None), ("rules + CRF + VADER", model)):
            engine = make_engine(m)
            t0 = time.perf_counter()
            count = len(engine.suggest(big))
            took = time.perf_counter() - t0
            print(f"  {label:<20} 1 process    {took:7.2f} s  ({took / ref_big:4.2f} x the reference; {count} suggestions)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  peak memory (resident): this process {peak:.0f} MB (CRF, VADER, spaCy, the texts); "
          f"largest worker process {children:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-quality", action="store_true")
    args = ap.parse_args()
    if not (CORPUS / "polnear").is_dir():
        sys.exit(f"bench_suggest: {CORPUS / 'polnear'} is absent: nothing to measure")
    if not args.skip_quality:
        quality(args.folds)
    if not args.skip_speed:
        speed(args.articles)


if __name__ == "__main__":
    main()
