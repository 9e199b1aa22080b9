"""The agreement measures on small cases worked out by hand (two annotators, a few tokens).

Krippendorff's alpha, nominal (Krippendorff 2011, "Computing Krippendorff's
alpha-reliability", section C): with o_ck the coincidences (each unit coded by m_u
annotators adds 1/(m_u - 1) for every ordered pair of its values from different
annotators), n_c = sum_k o_ck and n = sum_c n_c,
    alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k.
Cohen's kappa (Cohen 1960): kappa = (p_o - p_e) / (1 - p_e), p_e = sum_k p_A(k) * p_B(k).
"""
from __future__ import annotations

import numpy as np
import pytest

from annotator.core.agreement import Annotation, Attribution, DocumentAnnotations, agreement
from annotator.core.agreement.tokens import LABELS, layer_coverage, token_labels, token_offsets
from annotator.core.errors import InputError

TEXT = "Obama said taxes rise ."
#       0    5    10   15   20   tokens: Obama [0,5) said [6,10) taxes [11,16) rise [17,21) . [22,23)
OBAMA, SAID, TAXES_RISE, RISE = ((0, 5),), ((6, 10),), ((11, 21),), ((17, 21),)


def ann(speaker=(), cue=(), claim=(), attributions=()) -> Annotation:
    return Annotation({"speaker": tuple(speaker), "cue": tuple(cue), "claim": tuple(claim)}, tuple(attributions))


def doc(a: Annotation, b: Annotation, text: str = TEXT, key=1) -> DocumentAnnotations:
    return DocumentAnnotations(key, f"doc {key}", text, {"a": a, "b": b})


A = ann([OBAMA], [SAID], [TAXES_RISE], [Attribution(OBAMA, SAID, TAXES_RISE)])
B = ann([OBAMA], [SAID], [RISE], [Attribution(OBAMA, SAID, RISE)])


def test_claim_boundary_disagreement_worked_out():
    report = agreement([doc(A, B)])
    # Token labels: A = speaker, cue, claim, claim, none; B = speaker, cue, none, claim, none.
    # Coincidences (2 annotators: each unit adds 1 per ordered pair): o_SS = 2, o_QQ = 2,
    # o_CC = 2 ("rise"), o_NN = 2 ("."), o_CN = o_NC = 1 ("taxes"); n = 10,
    # n_S = 2, n_Q = 2, n_C = 3, n_N = 3; sum_{c!=k} n_c n_k = 100 - (4 + 4 + 9 + 9) = 74.
    # alpha = 1 - 9 * 2 / 74 = 56 / 74 = 0.75676
    assert report["alpha"] == pytest.approx(56 / 74)
    # Claim layer, in or not: A = 0 0 1 1 0, B = 0 0 0 1 0: n_1 = 3, n_0 = 7,
    # o_01 + o_10 = 2, sum_{c!=k} n_c n_k = 2 * 3 * 7 = 42; alpha = 1 - 9 * 2 / 42 = 24 / 42
    assert report["layers"]["claim"]["alpha"] == pytest.approx(24 / 42)
    assert report["layers"]["speaker"]["alpha"] == 1.0 and report["layers"]["cue"]["alpha"] == 1.0
    # Claims: [taxes rise] vs [rise]: no exact match, one overlap match: F1 = 0 and 2 * 1 / 2
    assert report["layers"]["claim"]["f1_exact"] == 0.0
    assert report["layers"]["claim"]["f1_overlap"] == 1.0
    assert report["layers"]["speaker"]["f1_exact"] == 1.0
    assert report["layers"]["attribution"] == {"f1_exact": 0.0, "f1_overlap": 1.0}
    pair, = report["pairs"]
    # p_o = 4 / 5; p_A = S .2 Q .2 C .4 N .2, p_B = S .2 Q .2 C .2 N .4;
    # p_e = .04 + .04 + .08 + .08 = .24; kappa = (.8 - .24) / (1 - .24) = .56 / .76 = 0.73684
    assert pair["kappa"] == pytest.approx(0.56 / 0.76)
    assert pair["tokens"] == 5
    assert pair["layers"]["claim"] == {"f1_exact": 0.0, "f1_overlap": 1.0, "a": 1, "b": 1, "both_exact": 0,
                                       "both_overlap": 1, "only_a": 0, "only_b": 0}
    assert report["documents"] == 1 and report["annotators"] == ["a", "b"]
    assert set(report) == {"documents", "annotators", "alpha", "layers", "pairs", "per_document"}
    assert report["per_document"][0]["alpha"] == pytest.approx(56 / 74)


def test_systematic_disagreement_gives_negative_alpha_and_kappa():
    # "taxes rise": A marks "taxes" a claim, B marks "rise". Units: (C, N), (N, C).
    # o_CN = o_NC = 2, n = 4, n_C = n_N = 2: alpha = 1 - 3 * 4 / (2 * 2 * 2) = -0.5.
    # kappa: p_o = 0, p_e = .5 * .5 + .5 * .5 = .5: kappa = (0 - .5) / .5 = -1.
    report = agreement([doc(ann(claim=[((0, 5),)]), ann(claim=[((6, 10),)]), text="taxes rise")])
    assert report["alpha"] == pytest.approx(-0.5)
    assert report["layers"]["claim"]["alpha"] == pytest.approx(-0.5)
    assert report["pairs"][0]["kappa"] == pytest.approx(-1.0)
    assert report["layers"]["claim"]["f1_overlap"] == 0.0
    assert report["pairs"][0]["layers"]["claim"]["only_a"] == 1
    assert report["pairs"][0]["layers"]["claim"]["only_b"] == 1


def test_pooled_over_documents_and_missing_annotators():
    # Document 1 as in the first test; document 2 ("Obama said") annotated by a and b alike,
    # document 3 by a only (left out). Tokens pooled: units 1-5 as before plus (S, S), (Q, Q).
    # n = 14: n_S = 4, n_Q = 4, n_C = 3, n_N = 3; sum n_c^2 = 16 + 16 + 9 + 9 = 50;
    # alpha = 1 - 13 * 2 / (196 - 50) = 1 - 26 / 146 = 120 / 146
    second = ann([OBAMA], [SAID])
    third = DocumentAnnotations(3, "doc 3", TEXT, {"a": A})
    report = agreement([doc(A, B), doc(second, second, text="Obama said", key=2), third])
    assert report["documents"] == 2
    assert report["alpha"] == pytest.approx(120 / 146)
    # claims pooled: 1 + 1 spans in doc 1, none in doc 2: F1 overlap = 2 * 1 / 2; speakers 2 * 2 / 4
    assert report["layers"]["claim"]["f1_overlap"] == 1.0
    assert report["layers"]["speaker"]["f1_exact"] == 1.0
    assert [d["document"] for d in report["per_document"]] == [1, 2]
    # document 2 has only speaker and cue tokens, both agreed: alpha = 1; no claim: F1 undefined
    assert report["per_document"][1]["alpha"] == 1.0
    assert report["per_document"][1]["layers"]["claim"]["f1_exact"] is None


def test_undefined_values_are_none():
    report = agreement([doc(ann(), ann())])
    assert report["alpha"] is None  # every token "none": no expected disagreement
    assert report["pairs"][0]["kappa"] is None
    assert report["layers"]["claim"] == {"f1_exact": None, "f1_overlap": None, "alpha": None}


def test_f1_pools_counts_not_means():
    # a: 3 claims, b: 1 claim (matching one of a's): F1 = 2 * 1 / (3 + 1) = 0.5 (not the mean of
    # per-document values); a second document where both have one identical claim: pooled
    # 2 * (1 + 1) / (4 + 2) = 2 / 3.
    a1 = ann(claim=[((0, 5),), ((6, 10),), ((11, 16),)])
    b1 = ann(claim=[((6, 10),)])
    same = ann(claim=[((0, 5),)])
    assert agreement([doc(a1, b1)])["layers"]["claim"]["f1_exact"] == 0.5
    report = agreement([doc(a1, b1), doc(same, same, key=2)])
    assert report["layers"]["claim"]["f1_exact"] == pytest.approx(2 / 3)


def test_three_annotators_alpha_and_pairs():
    # One token "said", values Q, Q, N from annotators a, b, c. One unit, m = 3: each ordered pair
    # adds 1/2: o_QQ = 2 * 1/2 = 1, o_QN = o_NQ = 2 * 1/2 = 1, n = 3, n_Q = 2, n_N = 1, plus the
    # token "Obama": S, S, S: o_SS = 3, n_S = 3; n = 6; sum_{c!=k} n_c n_k = 36 - (9 + 4 + 1) = 22;
    # alpha = 1 - 5 * 2 / 22 = 12 / 22
    cue = ann([OBAMA], [SAID])
    no_cue = ann([OBAMA])
    report = agreement([DocumentAnnotations(1, "d", "Obama said", {"a": cue, "b": cue, "c": no_cue})])
    assert report["alpha"] == pytest.approx(12 / 22)
    assert [p["annotators"] for p in report["pairs"]] == [["a", "b"], ["a", "c"], ["b", "c"]]
    assert report["pairs"][0]["layers"]["cue"]["f1_exact"] == 1.0
    assert report["pairs"][1]["layers"]["cue"]["f1_exact"] == 0.0
    # cue F1 pooled over the three pairs: matched 1 + 0 + 0, spans 2 + 1 + 1: 2 * 1 / 4
    assert report["layers"]["cue"]["f1_exact"] == 0.5


def test_tokens_are_the_regex_matches():
    starts, ends = token_offsets("U.S. didn't — “yes”")
    text = "U.S. didn't — “yes”"
    assert [text[a:b] for a, b in zip(starts, ends)] == ["U", ".", "S", ".", "didn", "'", "t", "—", "“", "yes", "”"]


def test_a_token_takes_the_first_layer_covering_any_of_its_characters():
    text = "Obama said taxes rise ."
    starts, ends = token_offsets(text)
    # a claim over "xes rise" (part of "taxes") with a speaker inside it over "rise"
    covered = layer_coverage(starts, ends, ann(speaker=[((17, 19),)], claim=[((13, 21),)]))
    assert [LABELS[v] for v in token_labels(covered)] == ["none", "none", "claim", "speaker", "none"]
    # in the claim layer: "taxes" and "rise" (the speaker does not take "rise" out of the claim layer)
    assert covered[2].tolist() == [False, False, True, True, False]


def test_a_fragment_outside_the_text_is_refused_naming_the_document():
    bad = ann(claim=[((20, 40),)])
    with pytest.raises(InputError, match=r"document 1 .*annotator 'b'.*\(20, 40\).*length 23"):
        agreement([doc(A, bad)])


@pytest.mark.parametrize("rows, expected", [
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": A. binary data, two
    # observers, no missing values (alpha = 0.095); B. nominal data, two observers (0.692);
    # C. nominal data, four observers, missing values (0.743).
    (["0 1 0 0 0 0 0 0 1 0", "1 1 1 0 0 1 0 0 0 0"], 0.095),
    (["a a b b d c c c e d d a", "b a b b b c c c e d d d"], 0.692),
    (["1 2 3 3 2 1 4 1 2 * * *", "1 2 3 3 2 2 4 1 2 5 * 3", "* 3 3 3 2 3 4 2 2 5 1 *", "1 2 3 3 2 4 4 1 2 5 1 *"], 0.743),
])
def test_alpha_reproduces_krippendorffs_published_examples(rows, expected):
    from annotator.core.agreement.coefficients import alpha_nominal

    table = [row.split() for row in rows]
    values = sorted({v for row in table for v in row if v != "*"})
    counts = np.array([[sum(row[u] == v for row in table) for v in values] for u in range(len(table[0]))])
    assert round(alpha_nominal(counts), 3) == expected


def test_kappa_of_a_two_by_two_table():
    # 10 items: both "yes" 4, both "no" 3, A yes / B no 2, A no / B yes 1. p_o = 0.7;
    # p_A(yes) = 0.6, p_B(yes) = 0.5: p_e = 0.6 * 0.5 + 0.4 * 0.5 = 0.5; kappa = 0.2 / 0.5 = 0.4
    from annotator.core.agreement.coefficients import cohen_kappa

    a = np.array([1] * 4 + [0] * 3 + [1] * 2 + [0])
    b = np.array([1] * 4 + [0] * 3 + [0] * 2 + [1])
    assert cohen_kappa(a, b, 2) == pytest.approx(0.4)
