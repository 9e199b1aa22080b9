"""Evaluation of suggestions against gold: precision, recall and F1, exact and overlap, for
claims, direct quotes, cues and speakers, and attribution accuracy.

Units compared (offsets are code points):

* **claims**: one unit per claim; its fragments are first *normalised*: fragments separated
  only by spaces are joined (brat tools cut a span at sentence breaks), then each fragment
  is trimmed of spaces, quotation marks and end punctuation (``.,;:!?…``), so that corpora
  that keep the marks (PolNeAR, GUM) and corpora that do not (the seed) compare alike.
  *Exact*: the same normalised fragments. *Overlap*: at least one shared character.
* **direct quotes**: one unit per quoted passage, i.e. per normalised fragment of a direct
  claim, plus each passage inside quotation marks of a mixed claim (gold PolNeAR contents
  are not marked direct: their passages inside marks are the gold quotes).
* **cues**, **speakers**: the cue spans and the source mention spans (distinct), trimmed of
  spaces only.
* precision = predicted units that match a gold unit / predicted units; recall = gold units
  matched by a predicted unit / gold units; F1 their harmonic mean. A predicted unit that
  matches no gold unit but overlaps an ignored range (GUM's ``q``: scare quotes, titles) is
  not counted.
* **attribution**: a gold claim is *attributed right* when a predicted claim overlaps it
  and that prediction's source mention overlaps the gold source mention (or, in the seed,
  any mention of the gold speaker entity, or its speaker name ends with the same word), or
  both have no source. ``direct`` = share of gold direct quotes found (overlap) that are
  attributed right; ``end to end`` = F1 over claims where a pair counts when it is found
  AND attributed right (precision over predicted claims, recall over gold claims).

Which layers a gold folder annotates decides what is measured (``GoldDocument.layers``):
Wikinews has direct quotes only; the seed adds speakers and attribution; PolNeAR all. On a
gold that annotates quotations only (no ``claims`` layer), suggestions whose claim holds no
quotation (reported speech, lone mentions and cues) are left out of every measure: that gold
says nothing about them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from annotator.core.suggest.base import DIRECT, MIXED, Suggestion
from annotator.core.suggest.gold import GoldClaim, GoldDocument

Frags = tuple[tuple[int, int], ...]
_TRIM = set(" \t\n\u00a0\"“”„«»‘’‚‹›'.,;:!?…")
_PASSAGE = re.compile(r"[“\"«„]([^“”\"«»„]+)(?:[”\"»“]|$)|''(.+?)(?:''|$)")
_MARKER = re.compile(r"[ \t]*\(\([a-z]{2,3}\)\)")
_GAP = " \t\n\u00a0\"“”„«»"
MEASURES = ("claims", "direct", "cues", "speakers")


def normalise(text: str, frags: Iterable[tuple[int, int]], trim: set[str] = _TRIM) -> Frags:
    """Join fragments separated by spaces only, then trim ``trim`` characters from both ends
    of each; empty fragments are dropped."""
    joined: list[list[int]] = []
    for a, b in sorted(frags):
        if joined and not text[joined[-1][1]:a].strip(_GAP):
            joined[-1][1] = max(joined[-1][1], b)
        else:
            joined.append([a, b])
    out = []
    for a, b in joined:
        while a < b and text[a] in trim:
            a += 1
        while b > a and text[b - 1] in trim:
            b -= 1
        if a < b:
            out.append((a, b))
    return tuple(out)


def passages(text: str, frags: Frags) -> list[tuple[int, int]]:
    """The stretches inside quotation marks of ``frags`` (an opening mark with no closing
    one runs to the end of its fragment); a language marker after the closing mark
    (``"dangerous" ((it))``, Wikinews) belongs to the passage, as it belongs to a direct quote
    (:mod:`.quotes`)."""
    out = []
    for a, b in frags:
        for m in _PASSAGE.finditer(text, a, b):
            x, y = m.span(1) if m.group(1) is not None else m.span(2)
            marker = _MARKER.match(text, m.end())
            if marker is not None and m.end() > y:  # closed, then a language marker
                y = marker.end()
            out.extend(normalise(text, [(x, y)]))
    return out


def overlaps(x: Frags, y: Frags) -> bool:
    return any(a < d and c < b for a, b in x for c, d in y)


@dataclass
class Score:
    """Counts for one measure: predicted, gold, right predictions and found gold units, for
    exact and overlap matching. ``precision`` / ``recall`` / ``f1`` take ``exact``."""

    pred: int = 0
    gold: int = 0
    tp_pred: dict = field(default_factory=lambda: {"exact": 0, "overlap": 0})
    tp_gold: dict = field(default_factory=lambda: {"exact": 0, "overlap": 0})

    def add(self, other: "Score") -> None:
        self.pred += other.pred
        self.gold += other.gold
        for k in ("exact", "overlap"):
            self.tp_pred[k] += other.tp_pred[k]
            self.tp_gold[k] += other.tp_gold[k]

    def precision(self, how: str = "exact") -> float:
        return self.tp_pred[how] / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    def recall(self, how: str = "exact") -> float:
        return self.tp_gold[how] / self.gold if self.gold else (1.0 if not self.pred else 0.0)

    def f1(self, how: str = "exact") -> float:
        p, r = self.precision(how), self.recall(how)
        return 2 * p * r / (p + r) if p + r else 0.0


def score_units(pred: Sequence[Frags], gold: Sequence[Frags], ignore: Sequence[tuple[int, int]] = ()) -> Score:
    """Match predicted and gold units (see the module doc)."""
    s = Score(gold=len(gold))
    gold_set = set(gold)
    ign = tuple(ignore)
    for p in pred:
        exact = p in gold_set
        over = exact or any(overlaps(p, g) for g in gold)
        if not over and ign and any(overlaps(p, (r,)) for r in ign):
            continue
        s.pred += 1
        s.tp_pred["exact"] += exact
        s.tp_pred["overlap"] += over
    pred_set = set(pred)
    for g in gold:
        s.tp_gold["exact"] += g in pred_set
        s.tp_gold["overlap"] += g in pred_set or any(overlaps(g, p) for p in pred)
    return s


@dataclass
class Attribution:
    """Attribution counts: direct quotes found / right; claims predicted / gold / right."""

    direct_found: int = 0
    direct_right: int = 0
    pred_claims: int = 0
    gold_claims: int = 0
    right_pred: int = 0
    right_gold: int = 0

    def add(self, o: "Attribution") -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(o, k))

    @property
    def direct(self) -> float:
        return self.direct_right / self.direct_found if self.direct_found else 0.0

    @property
    def end_to_end(self) -> float:
        p = self.right_pred / self.pred_claims if self.pred_claims else 0.0
        r = self.right_gold / self.gold_claims if self.gold_claims else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    """Scores of one document (or the total of several): ``scores`` per measure of
    :data:`MEASURES` that the gold annotates, and ``attribution`` (None when not annotated)."""

    name: str
    scores: dict[str, Score] = field(default_factory=dict)
    attribution: Attribution | None = None

    def add(self, other: "Evaluation") -> None:
        for k, v in other.scores.items():
            self.scores.setdefault(k, Score()).add(v)
        if other.attribution is not None:
            if self.attribution is None:
                self.attribution = Attribution()
            self.attribution.add(other.attribution)


def _right(text: str, sug: Suggestion, gold: GoldClaim) -> bool:
    src = (sug.source.fragments) if sug.source else None
    if gold.source is None and not gold.entity_mentions and gold.speaker is None:
        return src is None
    if src is not None and gold.source is not None and overlaps(src, gold.source):
        return True
    if src is not None and any(overlaps(src, m) for m in gold.entity_mentions):
        return True
    if gold.entity_mentions and sug.speaker and gold.speaker:
        return sug.speaker.split()[-1].casefold() == gold.speaker.split()[-1].casefold()
    return False


def evaluate_document(gold: GoldDocument, suggestions: Sequence[Suggestion]) -> Evaluation:
    """Score ``suggestions`` for one document against its gold (see the module doc)."""
    text = gold.text
    if "claims" not in gold.layers:  # a gold of quotations only: reported speech is not judged
        suggestions = [s for s in suggestions if s.claim is not None
                       and (s.claim.attr("form") == DIRECT or passages(text, s.claim.fragments))]
    claims = [s for s in suggestions if s.claim is not None]
    ev = Evaluation(gold.name)
    norm_pred = [normalise(text, s.claim.fragments) for s in claims]
    norm_gold = [normalise(text, g.fragments) for g in gold.claims]
    if "claims" in gold.layers:
        ev.scores["claims"] = score_units([p for p in norm_pred if p], [g for g in norm_gold if g], gold.ignore)
    if "direct" in gold.layers:
        pred_direct: list[tuple[Frags, Suggestion]] = []
        for s, frags in zip(claims, norm_pred):
            form = s.claim.attr("form")
            if form == DIRECT:
                pred_direct += [((f,), s) for f in frags]
            elif form == MIXED:
                pred_direct += [((f,), s) for f in passages(text, s.claim.fragments)]
        gold_direct: list[tuple[Frags, GoldClaim]] = []
        for g, frags in zip(gold.claims, norm_gold):
            units = frags if g.direct else passages(text, g.fragments)
            gold_direct += [((f,), g) for f in units]
        ev.scores["direct"] = score_units([u for u, _ in pred_direct], [u for u, _ in gold_direct], gold.ignore)
    if "cues" in gold.layers:
        ws = set(" \t\n\u00a0")
        pred = sorted({normalise(text, s.cue.fragments, ws) for s in suggestions if s.cue})
        ev.scores["cues"] = score_units(pred, sorted({normalise(text, g.cue, ws) for g in gold.claims if g.cue}))
    if "speakers" in gold.layers:
        ws = set(" \t\n\u00a0")
        pred = sorted({normalise(text, s.source.fragments, ws) for s in suggestions if s.source})
        ev.scores["speakers"] = score_units(pred, sorted({normalise(text, g.source, ws) for g in gold.claims if g.source}))
    if "attribution" in gold.layers:
        att = Attribution(pred_claims=len(claims), gold_claims=len(gold.claims))
        right_pred = set()
        for g, gn in zip(gold.claims, norm_gold):
            hits = [i for i, p in enumerate(norm_pred) if overlaps(p, gn)]
            ok = [i for i in hits if _right(text, claims[i], g)]
            right_pred.update(ok)
            att.right_gold += bool(ok)
            quoted = g.direct or bool(passages(text, g.fragments))
            if quoted and hits:
                att.direct_found += 1
                att.direct_right += bool(ok)
        att.right_pred = len(right_pred)
        ev.attribution = att
    return ev


def evaluate(golds: Sequence[GoldDocument], predict) -> tuple[list[Evaluation], Evaluation]:
    """Evaluate ``predict(gold_document) -> list[Suggestion]`` on every gold document:
    (per document, total)."""
    per = [evaluate_document(g, predict(g)) for g in golds]
    total = Evaluation("total")
    for e in per:
        total.add(e)
    return per, total


def report_lines(per: Sequence[Evaluation], total: Evaluation, per_document: bool = True) -> list[str]:
    """Table lines: one row per document (when ``per_document``) and the total; columns
    P / R / F1 exact and F1 overlap for each measure, then attribution."""
    head = f"{'document':<40}" + "".join(f" {m:>23}" for m in MEASURES) + f" {'attribution':>18}"
    sub = f"{'':<40}" + "".join(f" {'P/R/F1 exact  F1 ovl':>23}" for _ in MEASURES) + f" {'direct  end2end':>18}"
    lines = [head, sub]
    for e in [*(per if per_document else []), total]:
        row = f"{e.name[:40]:<40}"
        for m in MEASURES:
            s = e.scores.get(m)
            row += f" {'—':>23}" if s is None else f" {s.precision():.2f}/{s.recall():.2f}/{s.f1():.2f}    {s.f1('overlap'):.2f}".rjust(24)
        a = e.attribution
        row += f" {'—':>18}" if a is None else f" {a.direct:.2f}     {a.end_to_end:.2f}".rjust(19)
        lines.append(row)
    return lines
