"""Sentence boundaries and tokens against gold CoNLL-U: Annotator's segmenter (spaCy's
Sentencizer on Annotator's tokens, with the rule layer of annotator.core.sentences) beside the
Sentencizer on the same tokens without the rule layer, spaCy's blank English tokenizer +
sentencizer, and pySBD. Prints figures; asserts nothing.

Usage: python benchmarks/bench_segmenter.py [--conllu DIR] [--speed native.json]
(default /work/shared/corpus/conllu; ``--speed``: also time each system on the texts of a
``make_dataset.py`` native.json, e.g. the 1,000 articles of the export benchmarks)

Each CoNLL-U file is one document: its sentences' ``# text`` lines joined by one space,
paragraphs (``# newpar``) by a blank line, as an article reads. Gold sentence boundaries are
the end offsets of the sentences (the document's end left out); gold tokens are the word
lines found left to right in that text (a multi-word token's words where they can be found
in its surface, else the surface itself). Scores are precision, recall and F1 of exact
offsets (code points), summed over the files. Times are for the whole set, same run, after
the system is set up (its import and set-up time is printed apart: spaCy's import counts
once per process).

pySBD (``pip install pysbd``, not a dependency of Annotator) is scored on sentences only; it
is skipped with a message when absent. spaCy is Annotator's optional extra.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from annotator.core.sentences import sentencizer_starts, sentences
from annotator.core.tokenize import tokenize

GOLD = Path("/work/shared/corpus/conllu")


def read_conllu(path: Path) -> tuple[str, list[int], list[tuple[int, int]]]:
    """``(text, sentence end offsets, token spans)`` of one CoNLL-U file."""
    text, ends, tokens = "", [], []
    sentence: list[str] = []
    new_par = False
    sent_text = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line == "# newpar" or line.startswith("# newpar "):
            new_par = True
        elif line.startswith("# text = "):
            sent_text = line[len("# text = "):]
        elif line and not line.startswith("#"):
            sentence.append(line)
        elif not line and sentence:
            if text:
                text += "\n\n" if new_par else " "
            start = len(text)
            text += sent_text
            ends.append(len(text))
            tokens.extend(_tokens(text, start, sentence))
            sentence, new_par, sent_text = [], False, None
    return text, ends[:-1], tokens


def _tokens(text: str, pos: int, lines: list[str]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    skip_to = 0
    for line in lines:
        cols = line.split("\t")
        ident, form = cols[0], cols[1]
        if "." in ident:
            continue  # an empty node
        if "-" in ident:
            a, b = map(int, ident.split("-"))
            start = text.index(form, pos)
            words = []
            p = start
            parts = [l.split("\t")[1] for l in lines if l.split("\t")[0].isdigit() and a <= int(l.split("\t")[0]) <= b]
            for word in parts:
                if text.startswith(word, p):
                    words.append((p, p + len(word)))
                    p += len(word)
                else:
                    words = [(start, start + len(form))]
                    break
            out.extend(words)
            pos, skip_to = start + len(form), b
            continue
        if int(ident) <= skip_to:
            continue
        start = text.index(form, pos)
        out.append((start, start + len(form)))
        pos = start + len(form)
    return out


def prf(gold: set, got: set) -> tuple[float, float, float]:
    tp = len(gold & got)
    p = tp / len(got) if got else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def annotator_system(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    tokens = tokenize(text)
    ranges = sentences(text, tokens)
    return [tokens[e - 1][1] for _, e in ranges][:-1], tokens


def sentencizer_only_system(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    tokens = tokenize(text)
    firsts = [0] + sentencizer_starts(text, tokens)
    return [tokens[f - 1][1] for f in firsts[1:]], tokens


def spacy_system():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")

    def run(text: str):
        doc = nlp(text)
        ends = []
        for sent in doc.sents:
            toks = [t for t in sent if not t.is_space]
            if toks:
                ends.append(toks[-1].idx + len(toks[-1].text))
        return ends[:-1], [(t.idx, t.idx + len(t.text)) for t in doc if not t.is_space]
    return run


def pysbd_system():
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)

    def run(text: str):
        ends, pos = [], 0
        for piece in seg.segment(text):
            start = text.index(piece, pos) if piece else pos
            pos = start + len(piece)
            stripped = piece.rstrip()
            if stripped.strip():
                ends.append(start + len(stripped))
        return ends[:-1], None
    return run


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--conllu", type=Path, default=GOLD)
    ap.add_argument("--speed", type=Path, default=None, help="a native.json whose texts are timed too")
    args = ap.parse_args()
    folder = args.conllu
    docs = [read_conllu(p) for p in sorted(folder.glob("*.conllu"))]
    if not docs:
        print(f"no .conllu files in {folder}")
        return 1
    texts = []
    if args.speed is not None:
        import json

        texts = [d["text"] for d in json.loads(args.speed.read_text(encoding="utf-8"))["documents"]]
    print(f"{len(docs)} documents, {sum(len(e) + 1 for _, e, _ in docs)} gold sentences, "
          f"{sum(len(t) for _, _, t in docs)} gold tokens ({folder})")
    systems = [("annotator: Sentencizer + rule layer", lambda: (annotator_system("Set up. Now."), annotator_system)[1]),
               ("Sentencizer on our tokens, no rules", lambda: sentencizer_only_system),
               ("spaCy blank en + sentencizer", spacy_system),
               ("pySBD 0.3 (sentences only)", pysbd_system)]
    speed = f" {'time, ' + str(len(texts)) + ' texts':>18}" if texts else ""
    print(f"{'system':<36} {'sentence P/R/F1':>17} {'token P/R/F1':>17} {'set-up':>7} {'time':>7}{speed}")
    for name, make in systems:
        t0 = time.perf_counter()
        try:
            run = make()
        except ImportError as exc:
            print(f"{name:<36} skipped: {exc}")
            continue
        setup = time.perf_counter() - t0
        gold_b, got_b, gold_t, got_t = set(), set(), set(), set()
        t0 = time.perf_counter()
        for k, (text, ends, tokens) in enumerate(docs):
            got_ends, got_tokens = run(text)
            gold_b |= {(k, e) for e in ends}
            got_b |= {(k, e) for e in got_ends}
            gold_t |= {(k, t) for t in tokens}
            if got_tokens is not None:
                got_t |= {(k, t) for t in got_tokens}
        dt = time.perf_counter() - t0
        sp, sr, sf = prf(gold_b, got_b)
        tok = "-" if not got_t else "{:.3f}/{:.3f}/{:.3f}".format(*prf(gold_t, got_t))
        line = f"{name:<36} {sp:.3f}/{sr:.3f}/{sf:.3f} {tok:>17} {setup:6.2f}s {dt:6.2f}s"
        if texts:
            t0 = time.perf_counter()
            for text in texts:
                run(text)
            line += f" {time.perf_counter() - t0:17.2f}s"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
