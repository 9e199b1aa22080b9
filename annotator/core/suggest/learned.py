"""The learned suggester: a linear-chain CRF (Lafferty, McCallum & Pereira 2001; CRFsuite,
Okazaki 2007, through ``python-crfsuite``) that tags each token of a paragraph as part of a
source mention, a cue or a content (BIO tags), trained offline on the CPU from annotated
documents (the project's accepted annotations, or a gold folder), in seconds.

Features of a token: the lower-cased word, its shape (capitals, digits, punctuation,
quotation mark), whether it is a cue of the lexicon (:mod:`.cues`), whether it lies inside
quotation marks, and the label the rules (:mod:`.rules`) give it; the word, lexicon class and
rule label of its neighbours, the rule label two tokens away (the templates below). The CRF
learns when to trust the rules and what they miss (thought verbs, nominal cues, long
subjects). Tagging skips the paragraphs with no evidence at all (no lexicon word, quotation
mark or rule span). Every step is linear in the length of the text. Tagged runs become spans; each content is linked
to the nearest cue of its paragraph (same sentence first) and that cue to the nearest source;
two contents separated only by a cue and a source ("“A,” he said, “B.”") are one claim.

``VERSION`` changes when the features change; a model file records it in its name
(``origin = "model:crf@<VERSION>"``). Offsets are code points.
"""
from __future__ import annotations

import os
import tempfile
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from annotator.core.suggest.base import CLAIM, CUE, DIRECT, INDIRECT, MIXED, SPEAKER, KnownEntity, SpanSuggestion, Suggestion
from annotator.core.suggest.cues import SPEECH_FORMS, THOUGHT_FORMS
from annotator.core.suggest.gold import GoldDocument
from annotator.core.suggest.quotes import QUOTE_MARKS, find_quotes
from annotator.core.suggest.rules import analysis_of, cached_rules
from annotator.core.suggest.speakers import SpeakerMemory, match_entity
from annotator.core.suggest.text import Analysis

VERSION = "2"
TAGS = {SPEAKER: "S", CUE: "Q", CLAIM: "C"}
LABELS = {v: k for k, v in TAGS.items()}


_LEXICON = {**{w: "thought" for w in THOUGHT_FORMS}, **{w: "speech" for w in SPEECH_FORMS}}
_SHAPES: dict[str, str] = {}


def _shape(w: str) -> str:
    if w in QUOTE_MARKS:
        return "quote"
    if not w[0].isalnum():
        return "punct"
    if w.isdigit():
        return "digit"
    if w.isupper() and len(w) > 1:
        return "upper"
    return "title" if w[0].isupper() else "lower"


# Feature templates, chosen by 5-fold cross-validation on PolNeAR (docs/suggestions.md): the
# token's own lower-cased word, shape, lexicon class, inside-quotes flag and rule label; the
# word, lexicon class and rule label of the tokens one away; the rule label of the tokens two
# away: 13 features a token (the 29 of version 1 scored the same; both building and tagging
# cost in proportion to the features).
# Other templates the builder knows: "b" (bias), "s3" (last three letters), "r|lex", "q|sh".
OWN = ("w", "sh", "lex", "q", "r")
NEAR = ("w", "lex", "r")
FAR = ("r",)
# Tag every paragraph, or only those with evidence (a lexicon word, a quotation mark, a span of
# the rules): measured on PolNeAR by 5-fold cross-validation (docs/suggestions.md).
TAG_ALL_PARAGRAPHS = False


@dataclass
class _Doc:
    """A document cut for the CRF: paragraphs as lists of token offsets and their features."""

    text: str
    paragraphs: list[list[tuple[int, int]]]
    features: list[list[list[str]]]


def _featurise(text: str, rules: list[Suggestion] | None = None, analysis: Analysis | None = None,
               near: Sequence[str] | None = None, far: Sequence[str] | None = None, evidence_only: bool = False) -> _Doc:
    """Token features of every paragraph (see the templates above): one list of strings per
    token. Linear in the length of the text: each token's values are computed once, its
    neighbours' features are the same strings under another prefix. ``evidence_only``: leave
    out the paragraphs with no lexicon word, no quotation and no span of the rules (tagging
    uses it: the model marks almost nothing there, see :data:`TAG_ALL_PARAGRAPHS`)."""
    an = analysis or Analysis.of(text)
    rules = cached_rules(text, None, analysis=an) if rules is None else rules
    rule_label = {}
    for s in rules:
        for span in s.spans():
            for a, b in span.fragments:
                for tok in an.tokens_in(a, b):
                    rule_label.setdefault(tok[0], TAGS[span.label])
    inside = set()
    for q in find_quotes(text, an.paragraphs):
        for a, b in q.fragments:
            inside.update(t[0] for t in an.tokens_in(a, b))
    near = NEAR if near is None else near
    far = FAR if far is None else far
    shapes = _SHAPES
    lexicon = _LEXICON
    paras, feats = [], []
    for pa, pb in an.paragraphs:
        toks = an.tokens_in(pa, pb)
        if not toks:
            continue
        words = [text[a:b] for a, b in toks]
        low = [w.lower() for w in words]
        sh = []
        for w in words:
            x = shapes.get(w)
            if x is None:
                x = _shape(w)
                if len(shapes) < 100_000:  # a bounded cache of the shapes of words seen
                    shapes[w] = x
            sh.append(x)
        lex = [lexicon.get(w, "-") for w in low]
        ins = ["in" if a in inside else "out" for a, _ in toks]
        rl = [rule_label.get(a, "O") for a, _ in toks]
        if evidence_only and not any(x != "-" for x in lex) and not any(r != "O" for r in rl) \
                and not any(h == "quote" for h in sh):
            continue
        values = {"w": low, "lex": lex, "r": rl, "sh": sh, "q": ins}
        n = len(toks)
        own = {"b": lambda: ["b"] * n, "w": lambda: ["w=" + w for w in low], "s3": lambda: ["s3=" + w[-3:] for w in low],
               "sh": lambda: ["sh=" + h for h in sh], "lex": lambda: ["lex=" + x for x in lex],
               "q": lambda: ["q=" + q for q in ins], "r": lambda: ["r=" + r for r in rl],
               "r|lex": lambda: [f"r|lex={r}|{x}" for r, x in zip(rl, lex)],
               "q|sh": lambda: [f"q|sh={q}|{h}" for q, h in zip(ins, sh)]}
        cols = [own[k]() for k in OWN]
        for d, names in ((-1, near), (1, near), (-2, far), (2, far)):
            for k in names:  # the neighbour's value, shifted into this token's row
                prefix = f"{d}{k}="
                col = [prefix + v for v in values[k]]
                edge = [f"{d}edge"] * min(abs(d), n)
                cols.append(edge + col[:n + d] if d < 0 else col[d:] + edge)
        rows = [list(row) for row in zip(*cols)]
        paras.append(toks)
        feats.append(rows)
    return _Doc(text, paras, feats)


def _tags(doc: _Doc, gold: GoldDocument) -> list[list[str]]:
    owner: dict[int, str] = {}
    for label, frags_list in ((CLAIM, [c.fragments for c in gold.claims]),
                              (SPEAKER, [c.source for c in gold.claims if c.source]),
                              (CUE, [c.cue for c in gold.claims if c.cue])):
        for frags in frags_list:
            for a, b in frags:
                for k in range(a, b):
                    owner[k] = TAGS[label]
    out = []
    for toks in doc.paragraphs:
        tags, prev = [], "O"
        for a, _ in toks:
            t = owner.get(a, "O")
            tags.append("O" if t == "O" else (("I-" if prev == t else "B-") + t))
            prev = t
        out.append(tags)
    return out


def train(documents: Iterable[GoldDocument], path: str | Path, max_iterations: int = 100, c2: float = 0.05) -> Path:
    """Train a CRF on ``documents`` (text with claims, sources and cues) and write it to
    ``path``. Returns the path. Raises ValueError when the documents hold no claim."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for gold in documents:
        if not gold.claims:
            continue
        doc = _featurise(gold.text)
        for feats, tags in zip(doc.features, _tags(doc, gold)):
            trainer.append(feats, tags)
            n += 1
    if n == 0:
        raise ValueError("no annotated claims to learn from")
    trainer.set_params({"c1": 0.05, "c2": c2, "max_iterations": max_iterations,
                        "feature.possible_transitions": True})
    path = Path(path)
    trainer.train(str(path))
    return path


class CRFSuggester:
    """Suggestions of a trained CRF model file (``name = "crf"``)."""

    name = "crf"
    version = VERSION

    def __init__(self, path: str | Path) -> None:
        import pycrfsuite

        self.path = Path(path)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))

    def suggest(self, text: str, known_entities: Sequence[KnownEntity] = ()) -> list[Suggestion]:
        an = analysis_of(text)
        doc = _featurise(text, analysis=an, evidence_only=not TAG_ALL_PARAGRAPHS)
        origin = f"model:crf@{self.version}"
        spans: list[tuple[str, int, int, float]] = []  # (tag, start, end, score)
        for toks, feats in zip(doc.paragraphs, doc.features):
            tags = self._tagger.tag(feats)
            if all(t == "O" for t in tags):
                continue
            p = self._tagger.probability(tags)  # the paragraph's tagging, as the score of its spans
            cur = None
            for i, ((a, b), t) in enumerate(zip(toks, tags)):
                kind = t[2:] if t != "O" else None
                if cur and (kind != cur[0] or t.startswith("B-")):
                    spans.append(tuple(cur[:3]) + (cur[3] / cur[4],))
                    cur = None
                if kind:
                    if cur is None:
                        cur = [kind, a, b, p, 1]
                    else:
                        cur[2], cur[3], cur[4] = b, cur[3] + p, cur[4] + 1
            if cur:
                spans.append(tuple(cur[:3]) + (cur[3] / cur[4],))
        return link(an, spans, origin, known_entities)


def link(an: Analysis, spans: list[tuple[str, int, int, float]], origin: str,
         known_entities: Sequence[KnownEntity] = ()) -> list[Suggestion]:
    """Join tagged spans ``(tag, start, end, score)`` (tags ``S`` source, ``Q`` cue, ``C``
    content) into suggestions (see the module doc)."""
    text = an.text
    spans = sorted(spans, key=lambda s: s[1])
    starts = [s[1] for s in spans]
    contents = [s for s in spans if s[0] == "C"]
    cues = [s for s in spans if s[0] == "Q"]
    sources = [s for s in spans if s[0] == "S"]
    # join contents separated only by cue / source spans and punctuation
    merged: list[list] = []
    for c in contents:
        if merged:
            prev = merged[-1]
            gap_a, gap_b = prev[-1][2], c[1]
            if an.paragraph_index(gap_a) == an.paragraph_index(gap_b) and gap_b - gap_a < 80:
                rest = list(text[gap_a:gap_b])
                in_gap = [s for s in spans[bisect_left(starts, gap_a):bisect_left(starts, gap_b)]
                          if s[0] != "C" and s[2] <= gap_b]  # spans are sorted: the gap's ones by bisection
                for s in in_gap:
                    rest[s[1] - gap_a:s[2] - gap_a] = [" "] * (s[2] - s[1])
                if any(s[0] == "Q" for s in in_gap) and \
                        all(ch.isspace() or ch in ".,;:—–-" or ch in QUOTE_MARKS for ch in rest):
                    prev.append(c)
                    continue
        merged.append([c])
    memory = SpeakerMemory()
    for s in sources:
        memory.note(text, (s[1], s[2]))
    cues_in: dict[int, list] = {}
    for q in cues:
        cues_in.setdefault(an.paragraph_index(q[1]), []).append(q)
    sources_in: dict[tuple[int, int], list] = {}
    for x in sources:
        sources_in.setdefault(an.sentence_at(x[1]), []).append(x)
    used_cues: set[int] = set()
    used_sources: set[int] = set()
    out = []
    for group in merged:
        a, b = group[0][1], group[-1][2]
        para = an.paragraph_index(a)
        sent = an.sentence_at(a)
        local = [q for p in range(an.paragraph_index(a), an.paragraph_index(b) + 1) for q in cues_in.get(p, ())]
        inside_gap = [q for q in local if a <= q[1] and q[2] <= b and q[1] not in used_cues]
        near = inside_gap or sorted(
            (q for q in cues_in.get(para, ()) if q[1] not in used_cues),
            key=lambda q: (an.sentence_at(q[1]) != sent, min(abs(q[1] - b), abs(a - q[2]))))
        cue = near[0] if near else None
        source = None
        if cue is not None:
            used_cues.add(cue[1])
            csent = an.sentence_at(cue[1])
            cands = sorted((s for s in sources_in.get(csent, ()) if s[1] not in used_sources),
                           key=lambda s: min(abs(s[2] - cue[1]), abs(s[1] - cue[2])))
            source = cands[0] if cands else None
        frags = tuple((g[1], g[2]) for g in group)
        inner = "".join(text[x:y] for x, y in frags)
        marks = sum(ch in "“”\"«»„" for ch in inner)
        stripped = inner.strip(" ,.")
        form = DIRECT if stripped[:1] in "“\"«„" and stripped[-1:] in "”\"»“" else MIXED if marks else INDIRECT
        score = sum(g[3] for g in group) / len(group)
        src_frag = (source[1], source[2]) if source else None
        name = memory.resolve(text, src_frag, a) if source else None
        entity = match_entity(name, known_entities) if name else None
        out.append(Suggestion(
            SpanSuggestion(CLAIM, frags, origin, round(score, 3)).with_attrs(form=form),
            SpanSuggestion(CUE, ((cue[1], cue[2]),), origin, round(cue[3], 3)) if cue else None,
            SpanSuggestion(SPEAKER, (src_frag,), origin, round(source[3], 3)) if source else None,
            entity.name if entity else name, entity.id if entity else None))
        if source is not None:
            used_sources.add(source[1])
    for cue in cues:  # a cue with no content of its own: proposed with its nearest source
        if cue[1] in used_cues:
            continue
        csent = an.sentence_at(cue[1])
        cands = sorted((s for s in sources_in.get(csent, ()) if s[1] not in used_sources),
                       key=lambda s: min(abs(s[2] - cue[1]), abs(s[1] - cue[2])))
        source = cands[0] if cands else None
        if source is not None:
            used_sources.add(source[1])
        name = memory.resolve(text, (source[1], source[2]), cue[1]) if source else None
        entity = match_entity(name, known_entities) if name else None
        out.append(Suggestion(
            None, SpanSuggestion(CUE, ((cue[1], cue[2]),), origin, round(cue[3], 3)),
            SpanSuggestion(SPEAKER, ((source[1], source[2]),), origin, round(source[3], 3)) if source else None,
            entity.name if entity else name, entity.id if entity else None))
    return out


def cross_validate(documents: Sequence[GoldDocument], folds: int = 5, **train_args) -> dict[str, list[Suggestion]]:
    """Suggestions for every document from a model trained on the other folds only (the
    document scored is never in its model's training set): ``{document name: suggestions}``."""
    out: dict[str, list[Suggestion]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(folds):
            test = [d for i, d in enumerate(documents) if i % folds == k]
            rest = [d for i, d in enumerate(documents) if i % folds != k]
            path = train(rest, os.path.join(tmp, f"fold{k}.crfsuite"), **train_args)
            model = CRFSuggester(path)
            for d in test:
                out[d.name] = model.suggest(d.text)
    return out
