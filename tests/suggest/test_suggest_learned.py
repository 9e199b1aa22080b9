"""The learned suggester on a tiny training set (seed sentences), and cross-validation."""
from __future__ import annotations

from annotator.core.suggest.gold import GoldClaim, GoldDocument
from annotator.core.suggest.learned import CRFSuggester, cross_validate, train

# seed sentences; the cue "praised" and its object-taking claim are not found by the rules
SENTENCES = [
    "“The conversation seemed constructive to me,” Lavrov told Russian news agencies after talks in Reykjavik.",
    "“We believe this is good for our people, good for the Russian people and, in fact, good for the world,” Blinken said.",
    "Lavrov praised the talks in Reykjavik.",
    "Blinken praised the meeting with Lavrov.",
]


def _doc(name: str, text: str) -> GoldDocument:
    claims = []
    for sentence in text.split("\n\n"):
        base = text.index(sentence)
        if "praised" in sentence:
            cue = sentence.index("praised")
            claims.append(GoldClaim(((base + cue + 8, base + len(sentence) - 1),),
                                    ((base, base + cue - 1),), ((base + cue, base + cue + 7),)))
        else:
            close = sentence.index("”")
            cue = sentence.rindex(" ", 0, len(sentence) - 1)
            word = sentence[cue + 1:].split()[0]
            subject = sentence[close + 2:sentence.index(" ", close + 2)]
            claims.append(GoldClaim(((base, base + close + 1),), ((base + close + 2, base + close + 2 + len(subject)),),
                                    ((base + sentence.index(word, close), base + sentence.index(word, close) + len(word)),)))
    return GoldDocument(name, text, claims)


def test_trained_model_learns_a_cue_the_rules_do_not_use(tmp_path):
    docs = [_doc(f"d{i}", "\n\n".join(SENTENCES)) for i in range(3)]
    model = CRFSuggester(train(docs, tmp_path / "m.crfsuite", max_iterations=50))
    text = "Lavrov praised the talks with Blinken."
    found = [s for s in model.suggest(text) if s.claim]
    (s,) = found
    assert text[s.cue.start:s.cue.end] == "praised"
    assert text[s.source.start:s.source.end] == "Lavrov"
    assert text[s.claim.start:s.claim.end] == "the talks with Blinken"
    assert s.claim.origin == "model:crf@2" and 0 < s.claim.score <= 1


def test_cross_validation_never_scores_a_document_with_its_own_model(monkeypatch):
    docs = [_doc(f"d{i}", "\n\n".join(SENTENCES)) for i in range(4)]
    seen = []
    import annotator.core.suggest.learned as learned

    real = learned.train

    def spy(documents, path, **kw):
        seen.append({d.name for d in documents})
        return real(documents, path, max_iterations=10)

    monkeypatch.setattr(learned, "train", spy)
    out = cross_validate(docs, folds=2)
    assert set(out) == {"d0", "d1", "d2", "d3"}
    assert seen == [{"d1", "d3"}, {"d0", "d2"}]


def test_engine_runs_the_rules_once_a_text_with_known_entities(tmp_path, monkeypatch):
    from annotator.core.suggest import rules
    from annotator.core.suggest.base import KnownEntity
    from annotator.core.suggest.engine import Engine
    from annotator.core.suggest.rules import RuleSuggester

    docs = [_doc(f"d{i}", "\n\n".join(SENTENCES)) for i in range(3)]
    model = CRFSuggester(train(docs, tmp_path / "m.crfsuite", max_iterations=20))
    calls = []
    real = rules.suggest_rules
    monkeypatch.setattr(rules, "suggest_rules", lambda *a, **k: calls.append(1) or real(*a, **k))
    text = "“The talks were useful,” Lavrov told reporters.\n"
    found = Engine([RuleSuggester(), model], sentiment=False).suggest(text, [KnownEntity(1, "Sergey Lavrov")])
    assert len(calls) == 1  # the CRF's features reuse the rule suggester's result for the same text
    assert any(s.entity_id == 1 for s in found)
