"""``annotator evaluate`` and ``annotator suggest`` from the command line."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.core.store import Store

TEXT = "“The conversation seemed constructive to me,” Lavrov told Russian news agencies after talks in Reykjavik.\n"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "userdata"))


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def gold(tmp_path):
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "talks.txt").write_text(TEXT, encoding="utf-8")
    (folder / "talks.ann").write_text(
        "T1\tContent 0 45\t“The conversation seemed constructive to me,”\nT2\tSource 46 52\tLavrov\n"
        "T3\tCue 53 57\ttold\nT4\tAttribution 53 57\ttold\nE1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n",
        encoding="utf-8")
    return folder


def test_evaluate_prints_per_document_and_total(gold):
    result = invoke("evaluate", "--gold", gold)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["document", "claims", "direct", "cues", "speakers", "attribution"]
    talks = [line for line in lines if line.startswith("talks")][0].split()
    total = [line for line in lines if line.startswith("total")][0].split()
    assert talks[1:] == total[1:] == ["1.00/1.00/1.00", "1.00"] * 4 + ["1.00", "1.00"]


def test_evaluate_refuses_a_folder_without_gold(tmp_path):
    result = invoke("evaluate", "--gold", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"annotator: error: {tmp_path}: no gold documents (NAME.gold.json or NAME.ann beside NAME.txt)"


def test_evaluate_a_project_against_gold(gold, tmp_path):
    project = tmp_path / "p.annotator.db"
    assert invoke("import", gold / "talks.txt", "--project", project).exit_code == 0
    result = invoke("evaluate", "--gold", gold, "--project", project, "--total-only")
    assert result.exit_code == 0, result.output
    total = result.stdout.splitlines()[-1].split()
    assert total[1:5] == ["0.00/0.00/0.00", "0.00"] * 2  # nothing annotated yet: nothing found


def test_evaluate_with_a_missing_model(gold, tmp_path):
    result = invoke("evaluate", "--gold", gold, "--model", tmp_path / "none.crfsuite")
    assert result.exit_code == 1
    assert "none.crfsuite: no such model file" in result.stderr


def test_suggest_writes_suggestions(gold, tmp_path):
    project = tmp_path / "p.annotator.db"
    assert invoke("import", gold / "talks.txt", "--project", project).exit_code == 0
    result = invoke("suggest", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "3 suggested spans in 1 document"
    result = invoke("evaluate", "--gold", gold, "--project", project, "--total-only")
    total = result.stdout.splitlines()[-1].split()
    assert total[1:] == ["1.00/1.00/1.00", "1.00"] * 4 + ["1.00", "1.00"]
    again = invoke("suggest", "--project", project)
    assert again.stderr.strip() == "0 suggested spans in 1 document"  # nothing proposed twice
    stats = json.loads(invoke("stats", "--json", "--project", project).stdout)
    assert stats["documents"] == 1
    store = Store.open(project)
    try:
        (doc,) = store.document_infos()
        assert store.spans(doc.id) == []  # suggestions are not annotations
        spans = store.spans(doc.id, statuses=("suggested",))
        assert sorted((s.label, TEXT[s.start:s.end], s.origin) for s in spans) == [
            ("claim", "The conversation seemed constructive to me,", "rule:direct-quote"),
            ("cue", "told", "rule:cue"), ("speaker", "Lavrov", "rule:speaker")]
        claim = [s for s in spans if s.label == "claim"][0]
        assert claim.score == 0.9 and claim.form == "direct" and claim.polarity is not None
        assert {store.span(claim.source_id).label, store.span(claim.cue_id).label} == {"speaker", "cue"}
        assert store.entities() == [] and claim.speaker_id is None  # nothing in the registry until accepted
        for span in spans:  # the person rejects them all: they are not proposed again
            store.set_span_status(span.id, "rejected")
    finally:
        store.close()
    again = invoke("suggest", "--project", project)
    assert again.stderr.strip() == "0 suggested spans in 1 document"


def test_suggest_accept_writes_annotations_once(gold, tmp_path):
    project = tmp_path / "p.annotator.db"
    assert invoke("import", gold / "talks.txt", "--project", project).exit_code == 0
    result = invoke("suggest", "--accept", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "3 annotations in 1 document"
    stats = json.loads(invoke("stats", "--json", "--project", project).stdout)
    assert stats["spans"] == {"speaker": 1, "cue": 1, "claim": 1}
    assert stats["claims_per_speaker"] == {"Lavrov": 1}
    again = invoke("suggest", "--accept", "--project", project)
    assert again.stderr.strip() == "0 annotations in 1 document"


def test_suggest_refuses_an_unknown_document(gold, tmp_path):
    project = tmp_path / "p.annotator.db"
    assert invoke("import", gold / "talks.txt", "--project", project).exit_code == 0
    result = invoke("suggest", "--document", "99", "--project", project)
    assert result.exit_code == 1
    assert result.stderr.strip() == "annotator: error: no document 99 in the project (see 'annotator stats')"


def test_learn_trains_a_model_from_accepted_claims(gold, tmp_path):
    project = tmp_path / "p.annotator.db"
    assert invoke("import", gold / "talks.txt", "--project", project).exit_code == 0
    result = invoke("suggest", "--learn", "--project", project)
    assert result.exit_code == 1
    assert result.stderr.strip() == "annotator: error: --learn: the project has no accepted claims to learn from"
    assert invoke("suggest", "--accept", "--project", project).exit_code == 0
    model = tmp_path / "m.crfsuite"
    result = invoke("suggest", "--learn", "--accept", "--model", model, "--project", project)
    assert result.exit_code == 0, result.output
    assert model.is_file()
    assert result.stderr.splitlines()[0] == f"trained {model} on 1 document"


def test_suggestions_join_a_known_entity(gold, tmp_path):
    project = tmp_path / "p.annotator.db"
    assert invoke("import", gold / "talks.txt", "--project", project).exit_code == 0
    store = Store.open(project)
    try:
        lavrov = store.add_entity("Sergey Lavrov").entities.new_id
    finally:
        store.close()
    assert invoke("suggest", "--project", project).exit_code == 0
    store = Store.open(project)
    try:
        (doc,) = store.document_infos()
        spans = {s.label: s for s in store.spans(doc.id, statuses=("suggested",))}
        assert spans["claim"].speaker_id == lavrov and spans["speaker"].entity_id == lavrov
    finally:
        store.close()


def test_suggest_in_two_worker_processes_writes_the_same_spans(gold, tmp_path):
    texts = [TEXT, "Trump shot back that the journalist had not been called on.\n",
             "“We have to be ready to stop him,” Abedin wrote in the email.\n"]
    spans = {}
    for jobs in (1, 2):
        project = tmp_path / f"p{jobs}.annotator.db"
        for i, text in enumerate(texts):
            path = tmp_path / f"in{jobs}" / f"doc{i}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            assert invoke("import", path, "--project", project).exit_code == 0
        result = invoke("suggest", "--project", project, "--jobs", jobs)
        assert result.exit_code == 0, result.output
        store = Store.open(project)
        try:
            spans[jobs] = sorted((store.document_text(d.id), s.label, s.start, s.end, s.origin)
                                 for d in store.document_infos() for s in store.spans(d.id, statuses=("suggested",)))
        finally:
            store.close()
    assert spans[2] == spans[1]
    assert len({t for t, *_ in spans[1]}) == 3  # every document got suggestions


def test_suggest_jobs_must_be_positive(gold, tmp_path):
    result = invoke("suggest", "--project", tmp_path / "p.annotator.db", "--jobs", 0)
    assert result.exit_code != 0 and "--jobs" in result.output
