"""The agreement measures on PolNeAR's brat files (``/work/shared/corpus/polnear/``, read
from there, never copied; skipped when the folder is absent).

The sample has ONE annotator per article (six annotators over the 40 articles, none
annotated twice), so a second annotator is simulated by a documented perturbation of the
original, whose effect on each measure can be predicted exactly:

* every third claim (0th, 3rd, 6th... of a document) loses its first token (its first
  fragment starts at its second token; a claim of one token is left as it is): the claim
  still overlaps its original, it is no longer identical;
* every fifth cue (0th, 5th...) is dropped, and the attributions that used it lose their cue;
* speaker mentions are left as they are.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from annotator.core.agreement import Annotation, Attribution, DocumentAnnotations, agreement, score_against_gold
from annotator.core.agreement.convert import annotation_from_new_document
from annotator.core.agreement.data import LAYERS
from annotator.core.agreement.tokens import TOKEN_RE

POLNEAR = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "polnear"
if not POLNEAR.is_dir():
    POLNEAR = Path("/work/shared/corpus/polnear")
pytestmark = pytest.mark.skipif(not POLNEAR.is_dir(), reason=f"PolNeAR sample not found at {POLNEAR}")


@pytest.fixture(scope="module")
def polnear():
    """[(name, text, Annotation)] of the 40 articles, as the brat reader imports them."""
    from annotator.formats.brat import read_brat

    docs = read_brat(POLNEAR)
    return [(d.origin.rsplit("#", 1)[-1].removesuffix(".ann"), d.text, annotation_from_new_document(d)) for d in docs]


def perturb(text: str, ann: Annotation) -> tuple[Annotation, int, int, set]:
    """The simulated second annotator (module docstring). Returns it, the number of claims
    changed, of cues dropped, and the attributions (original triples) left unchanged."""
    shifted, claims = {}, []
    for i, fragments in enumerate(ann.layer("claim")):
        if i % 3 == 0:
            (a, b), rest = fragments[0], fragments[1:]
            tokens = [m.start() + a for m in TOKEN_RE.finditer(text[a:b])]
            if len(tokens) > 1:
                shifted[fragments] = ((tokens[1], b),) + rest
        claims.append(shifted.get(fragments, fragments))
    cues = ann.layer("cue")
    dropped = {cues[i] for i in range(0, len(cues), 5)}
    attributions = tuple(Attribution(t.source, None if t.cue in dropped else t.cue, shifted.get(t.content, t.content))
                         for t in ann.attributions)
    unchanged = {t for t in ann.attributions if t.cue not in dropped and t.content not in shifted}
    spans = {"speaker": ann.layer("speaker"), "cue": tuple(c for c in cues if c not in dropped), "claim": tuple(claims)}
    return Annotation(spans, attributions), len(shifted), len(dropped), unchanged


def test_the_sample_has_one_annotator_per_article(polnear):
    # the premise of the simulation: 40 articles, each with one .ann file
    assert len(polnear) == 40
    assert len(list(POLNEAR.glob("*.ann"))) == 40


def test_an_annotator_agrees_perfectly_with_a_copy_of_themself(polnear):
    report = agreement([DocumentAnnotations(n, n, t, {"x": a, "y": a}) for n, t, a in polnear])
    assert report["documents"] == 40
    assert report["alpha"] == 1.0
    for layer in ("speaker", "cue", "claim", "attribution"):
        assert report["layers"][layer]["f1_exact"] == 1.0
        assert report["layers"][layer]["f1_overlap"] == 1.0
    assert report["pairs"][0]["kappa"] == 1.0


def test_the_perturbed_annotator_scores_as_predicted(polnear):
    docs, claims, changed, cues, dropped, attributions, kept, cueless = [], 0, 0, 0, 0, 0, 0, 0
    for name, text, ann in polnear:
        other, n_shifted, n_dropped, unchanged = perturb(text, ann)
        docs.append(DocumentAnnotations(name, name, text, {"original": ann, "perturbed": other}))
        claims += len(ann.layer("claim"))
        changed += n_shifted
        cues += len(ann.layer("cue"))
        dropped += n_dropped
        attributions += len(ann.attributions)
        kept += len(unchanged)
        cueless += sum(t.cue is None for t in other.attributions) - sum(t.cue is None for t in ann.attributions)
    assert changed > 300 and dropped > 200  # the perturbation did something
    report = agreement(docs)
    layers = report["layers"]
    assert layers["speaker"] == {"f1_exact": 1.0, "f1_overlap": 1.0, "alpha": 1.0}
    # identical claims: claims - changed of claims on each side
    assert layers["claim"]["f1_exact"] == pytest.approx(2 * (claims - changed) / (2 * claims))
    assert layers["claim"]["f1_overlap"] == 1.0  # every shifted claim still overlaps its original
    # B's cues are A's minus the dropped ones: matched = cues - dropped of cues + (cues - dropped)
    assert layers["cue"]["f1_exact"] == pytest.approx(2 * (cues - dropped) / (2 * cues - dropped))
    assert layers["cue"]["f1_overlap"] == layers["cue"]["f1_exact"]
    assert layers["attribution"]["f1_exact"] == pytest.approx(2 * kept / (2 * attributions))
    # an attribution that lost its cue matches nothing (a missing part matches only a missing part)
    assert layers["attribution"]["f1_overlap"] == pytest.approx(2 * (attributions - cueless) / (2 * attributions))
    pair, = report["pairs"]
    assert pair["layers"]["cue"]["only_a"] == dropped and pair["layers"]["cue"]["only_b"] == 0
    assert pair["layers"]["claim"]["both_exact"] == claims - changed
    # boundary and cue disagreement lower the token measures, not to chance
    assert 0.5 < report["alpha"] < 1.0
    assert 0.5 < layers["claim"]["alpha"] < 1.0 and 0.5 < layers["cue"]["alpha"] < 1.0
    assert 0.5 < pair["kappa"] < 1.0
    assert report["alpha"] == pytest.approx(reference_alpha(docs, ["original", "perturbed"]), abs=1e-12)


def reference_alpha(docs, annotators) -> float:
    """Krippendorff's nominal alpha written out from Krippendorff (2011), section C, for two
    annotators and no missing value: o_ck counts each unit's ordered pairs (c, k) of values
    (weight 1 / (m_u - 1) = 1), alpha = 1 - (n - 1) sum_{c!=k} o_ck / sum_{c!=k} n_c n_k. Token
    labels computed character by character, independently of the tokens module."""
    pairs = []
    for d in docs:
        per = []
        for who in annotators:
            chars = np.zeros((len(LAYERS), len(d.text)), dtype=bool)
            for row, layer in enumerate(LAYERS):
                for fragments in d.annotations[who].layer(layer):
                    for a, b in fragments:
                        chars[row, a:b] = True
            labels = []
            for m in TOKEN_RE.finditer(d.text):
                rows = [r for r in range(len(LAYERS)) if chars[r, m.start():m.end()].any()]
                labels.append(rows[0] + 1 if rows else 0)
            per.append(labels)
        pairs.extend(zip(*per))
    o = np.zeros((4, 4))
    for c, k in pairs:
        o[c, k] += 1
        o[k, c] += 1
    n_c = o.sum(axis=0)
    n = n_c.sum()
    off = o.sum() - np.trace(o)
    return 1 - (n - 1) * off / (n * n - (n_c ** 2).sum())


def test_more_perturbation_means_lower_agreement(polnear):
    def claims_cut(ann: Annotation, text: str) -> Annotation:
        # every claim reduced to its last half: more boundary disagreement than perturb()
        claims = tuple(((a + (b - a) // 2, b),) + f[1:] for f in ann.layer("claim") for (a, b) in f[:1])
        return Annotation({**ann.spans, "claim": claims}, ann.attributions)

    mild = agreement([DocumentAnnotations(n, n, t, {"a": a, "b": perturb(t, a)[0]}) for n, t, a in polnear])
    strong = agreement([DocumentAnnotations(n, n, t, {"a": a, "b": claims_cut(a, t)}) for n, t, a in polnear])
    assert strong["layers"]["claim"]["alpha"] < mild["layers"]["claim"]["alpha"]
    assert strong["layers"]["claim"]["f1_exact"] < mild["layers"]["claim"]["f1_exact"]


def test_scores_against_the_original_as_gold_and_the_hardest_document(polnear):
    docs = []
    for i, (name, text, ann) in enumerate(polnear):
        annotations = {"gold": ann, "careful": perturb(text, ann)[0]}
        if i == 7:  # one annotator skipped every claim of the 8th article
            annotations["careful"] = Annotation({**annotations["careful"].spans, "claim": ()}, ())
        docs.append(DocumentAnnotations(name, name, text, annotations))
    report = score_against_gold(docs, "gold", hardest=3)
    assert report["documents"] == 40
    careful, = report["annotators"]
    assert careful["annotator"] == "careful"
    cue = careful["layers"]["cue"]
    assert cue["precision_exact"] == 1.0  # only drops: every cue given is in the gold
    assert cue["recall_exact"] == pytest.approx(cue["both_exact"] / cue["a"]) and cue["recall_exact"] < 0.85
    assert report["hardest"][0]["document"] == polnear[7][0]
    kappas = [d["kappa"] for d in report["hardest"]]
    assert kappas == sorted(kappas) and len(kappas) == 3
    assert kappas[-1] <= min(d["kappa"] for d in report["per_document"] if d not in report["hardest"])
