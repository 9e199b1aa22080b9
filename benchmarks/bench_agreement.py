"""Agreement of 6 annotators on 1,000 documents: prints figures and ratios, asserts nothing.

Usage: python benchmarks/bench_agreement.py [--documents 1000] [--annotators 6]

The documents come from the shared benchmark dataset (``/work/shared/bench/make_dataset.py``:
Wikinews articles with their gold speaker mentions and quotes, each copy made unique), run
in the same process into a temporary folder. The gold has no cues, so each claim gets a
synthetic cue (the word just before it) and an attribution (source: the nearest speaker
mention before it, when there is one). Each annotator is the gold perturbed with their own
seeded random generator: a span is dropped (10 %), its start or end moved by one token
(20 %), an attribution loses its source (5 %), and a spurious claim is added (one per ~3
claims).

Figures: the time of :func:`annotator.core.agreement.agreement` (everything: tokens, labels,
matchings, alpha overall and per layer, per pair and per document) and of
:func:`score_against_gold`, and ratios against a plain reference in the same run (there is
no agreement script in ``/work/shared/bench``): the token labels built with a Python loop
and one ``krippendorff.alpha(reliability_data=...)`` call for the overall alpha only (the
least a script computing alpha has to do), and a greedy first-fit O(n * m) overlap pairing
in pure Python per document, pair and layer (what a quick script does; it is not maximum).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

import krippendorff
import numpy as np

from annotator.core.agreement import Annotation, Attribution, DocumentAnnotations, agreement, score_against_gold
from annotator.core.agreement.data import LAYERS

SHARED = Path("/work/shared/bench/make_dataset.py")
TOKEN = re.compile(r"\w+|[^\w\s]")


def gold_annotation(doc: dict) -> tuple[Annotation, list[tuple[int, int]]]:
    text = doc["text"]
    tokens = [m.span() for m in TOKEN.finditer(text)]
    starts = [a for a, _ in tokens]
    speakers = sorted({(s["start"], s["end"]) for s in doc["spans"] if s["label"] == "speaker"})
    claims = sorted({(s["start"], s["end"]) for s in doc["spans"] if s["label"] == "claim"})
    cues, attributions = [], []
    for a, b in claims:
        i = np.searchsorted(starts, a) - 1
        cue = tokens[i] if i >= 0 and tokens[i][1] <= a else None
        if cue is not None and cue not in cues and not any(s < cue[1] and cue[0] < e for s, e in speakers + claims):
            cues.append(cue)
        else:
            cue = None
        before = [m for m in speakers if m[1] <= a]
        attributions.append(Attribution(((before[-1]),) if before else None, (cue,) if cue else None, ((a, b),)))
    spans = {"speaker": tuple((m,) for m in speakers), "cue": tuple((c,) for c in cues), "claim": tuple((c,) for c in claims)}
    return Annotation(spans, tuple(attributions)), tokens


def perturb(gold: Annotation, tokens: list[tuple[int, int]], rng: random.Random) -> Annotation:
    ends = [b for _, b in tokens]
    starts = [a for a, _ in tokens]

    def moved(frags):
        (a, b), = frags
        r = rng.random()
        if r < 0.10:
            return None
        if r < 0.20:
            i = int(np.searchsorted(starts, a))
            a = starts[min(i + 1, len(starts) - 1)] if starts[min(i + 1, len(starts) - 1)] < b else a
        elif r < 0.30:
            j = int(np.searchsorted(ends, b)) - 1
            b = ends[j - 1] if j > 0 and ends[j - 1] > a else b
        return ((a, b),)

    new = {layer: {f: moved(f) for f in gold.layer(layer)} for layer in LAYERS}
    spans = {layer: [f for f in new[layer].values() if f] for layer in LAYERS}
    for _ in range(len(gold.layer("claim")) // 3):
        i = rng.randrange(len(tokens))
        spans["claim"].append(((tokens[i][0], tokens[min(i + 5, len(tokens) - 1)][1]),))
    attributions = []
    for t in gold.attributions:
        content = new["claim"].get(t.content)
        if content is None:
            continue
        source = new["speaker"].get(t.source) if t.source else None
        if rng.random() < 0.05:
            source = None
        cue = new["cue"].get(t.cue) if t.cue else None
        attributions.append(Attribution(source, cue, content))
    return Annotation({k: tuple(v) for k, v in spans.items()}, tuple(attributions))


def reference(documents: list[DocumentAnnotations]) -> float:
    """The plain way (module docstring): Python-loop token labels, one krippendorff call,
    greedy overlap pairing. Returns the alpha."""
    columns = []
    annotators = sorted({w for d in documents for w in d.annotations})
    for d in documents:
        tokens = [m.span() for m in TOKEN.finditer(d.text)]
        block = np.full((len(annotators), len(tokens)), np.nan)
        for row, who in enumerate(annotators):
            ann = d.annotations.get(who)
            if ann is None:
                continue
            label = [0] * len(d.text)
            for value, layer in reversed(list(enumerate(LAYERS, 1))):
                for frags in ann.layer(layer):
                    for a, b in frags:
                        label[a:b] = [value] * (b - a)
            block[row] = [next((v for v in sorted(set(label[a:b])) if v), 0) for a, b in tokens]
        columns.append(block)
        for x, y in combinations(sorted(d.annotations), 2):
            for layer in LAYERS:
                free = list(d.annotations[y].layer(layer))
                for fa in d.annotations[x].layer(layer):
                    for k, fb in enumerate(free):
                        if any(a < d2 and c < b for a, b in fa for c, d2 in fb):
                            del free[k]
                            break
    return float(krippendorff.alpha(reliability_data=np.concatenate(columns, axis=1), level_of_measurement="nominal"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--annotators", type=int, default=6)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(SHARED), tmp, str(args.documents)], check=True, capture_output=True)
        data = json.loads((Path(tmp) / "native.json").read_text(encoding="utf-8"))
    names = [f"annotator{k + 1}" for k in range(args.annotators)]
    documents = []
    for i, doc in enumerate(data["documents"]):
        gold, tokens = gold_annotation(doc)
        anns = {name: perturb(gold, tokens, random.Random(f"{i}-{name}")) for name in names}
        documents.append(DocumentAnnotations(i, doc["title"], doc["text"], {"gold": gold, **anns}))
    spans = sum(len(a.layer(layer)) for d in documents for w, a in d.annotations.items() if w != "gold" for layer in LAYERS)
    tokens = sum(len(TOKEN.findall(d.text)) for d in documents)
    print(f"{len(documents)} documents, {tokens:,} tokens, {args.annotators} annotators, {spans:,} spans "
          f"({len(names) * (len(names) - 1) // 2} pairs)")
    team = [DocumentAnnotations(d.key, d.title, d.text, {w: a for w, a in d.annotations.items() if w != "gold"})
            for d in documents]

    t0 = time.perf_counter()
    report = agreement(team)
    t_agreement = time.perf_counter() - t0
    t0 = time.perf_counter()
    scores = score_against_gold(documents, "gold")
    t_gold = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref_alpha = reference(team)
    t_reference = time.perf_counter() - t0

    print(f"  agreement (all measures)            {t_agreement:8.2f} s   alpha {report['alpha']:.4f}, "
          f"claim F1 exact {report['layers']['claim']['f1_exact']:.3f} overlap {report['layers']['claim']['f1_overlap']:.3f}")
    print(f"  each annotator against the gold     {t_gold:8.2f} s   mean kappa "
          f"{np.mean([a['kappa'] for a in scores['annotators']]):.3f}")
    print(f"  plain reference (alpha + greedy)    {t_reference:8.2f} s   alpha {ref_alpha:.4f}")
    print(f"  ratio agreement / plain reference   {t_agreement / t_reference:8.2f}")
    print(f"  per document and pair               {t_agreement / (len(team) * len(report['pairs'])) * 1e3:8.3f} ms")


if __name__ == "__main__":
    main()
