"""``annotator agreement`` and ``annotator import --annotator`` on a project where two
annotators annotated the same document (the store's ``annotator`` column)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.core.model import NewDocument, NewSpan
from annotator.core.store import Store

TEXT = "Obama said taxes rise."  # tokens: Obama, said, taxes, rise, "."


def layer(annotator: str, claim: tuple, status: str = "accepted") -> NewDocument:
    return NewDocument("taxes", TEXT, origin=f"{annotator}.json#0", annotator=annotator, spans=[
        NewSpan("s", "speaker", ((0, 5),)), NewSpan("q", "cue", ((6, 10),)),
        NewSpan("c", "claim", (claim,), source="s", cue="q", status=status)])


@pytest.fixture
def team(tmp_path):
    path = tmp_path / "team.db"
    store = Store.open(path)
    try:
        store.import_documents([layer("alice", (11, 21))])
        store.import_documents([layer("bob", (17, 21))])  # joins the document as bob's layer
        store.annotator = "carol"
        store.add_span(1, "claim", [(0, 21)], status="suggested")  # a suggestion is nobody's annotation
        assert store.document_count() == 1
    finally:
        store.close()
    return path


def test_agreement_of_two_annotators_on_one_document(team):
    result = CliRunner().invoke(main, ["agreement", "--project", str(team), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents"] == 1 and report["annotators"] == ["alice", "bob"]
    # the hand-worked case of test_agreement_hand: alpha = 56 / 74, kappa = .56 / .76
    assert report["alpha"] == pytest.approx(56 / 74)
    assert report["pairs"][0]["kappa"] == pytest.approx(0.56 / 0.76)
    assert report["layers"]["claim"]["f1_exact"] == 0.0 and report["layers"]["claim"]["f1_overlap"] == 1.0
    assert report["layers"]["attribution"] == {"f1_exact": 0.0, "f1_overlap": 1.0}
    assert report["per_document"][0]["document"] == 1 and report["per_document"][0]["title"] == "taxes"


def test_the_table_names_the_pair_and_the_hardest_document(team):
    result = CliRunner().invoke(main, ["agreement", "--project", str(team)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "agreement of 2 annotators (alice, bob) on 1 document"
    assert any(line.startswith("claim ") and "0.000" in line and "1.000" in line for line in lines)
    assert any("alice - bob: 1 documents, kappa 0.737" in line for line in lines)
    assert lines[-1].strip().startswith("alpha 0.757") and lines[-1].endswith("#1 taxes")


def test_scores_against_a_gold_annotator(team):
    result = CliRunner().invoke(main, ["agreement", "--project", str(team), "--gold", "alice", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    bob, = report["annotators"]
    assert bob["annotator"] == "bob"
    assert bob["layers"]["claim"]["precision_overlap"] == 1.0 and bob["layers"]["claim"]["recall_exact"] == 0.0
    assert report["hardest"][0]["document"] == 1


def _brat(folder, ann: str):
    folder.mkdir()
    (folder / "taxes.txt").write_text(TEXT, encoding="utf-8")
    (folder / "taxes.ann").write_text(ann, encoding="utf-8")
    return folder


ALICE_ANN = ("T1\tSource 0 5\tObama\nT2\tCue 6 10\tsaid\nT3\tContent 11 21\ttaxes rise\n"
             "T4\tAttribution 6 10\tsaid\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n")
BOB_ANN = ("T1\tSource 0 5\tObama\nT2\tCue 6 10\tsaid\nT3\tContent 17 21\trise\n"
           "T4\tAttribution 6 10\tsaid\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n")


def test_import_with_an_annotator_adds_a_layer_to_the_same_document(tmp_path):
    project = str(tmp_path / "team.db")
    runner = CliRunner()
    for name, ann in (("alice", ALICE_ANN), ("bob", BOB_ANN)):
        folder = _brat(tmp_path / name, ann)
        result = runner.invoke(main, ["import", str(folder), "--annotator", name, "--project", project])
        assert result.exit_code == 0, result.output
    assert "annotations added to 1 document already in the project" in result.stderr
    again = runner.invoke(main, ["import", str(tmp_path / "bob"), "--annotator", "bob", "--project", project])
    assert again.exit_code == 0 and "already in the project" in again.stderr  # twice changes nothing
    store = Store.open(project)
    try:
        assert store.document_count() == 1
        assert {s.annotator for s in store.spans(1)} == {"alice", "bob"}
        assert len(store.spans(1, statuses=None)) == 2 * 4  # speaker, cue, claim, the brat trigger
    finally:
        store.close()
    result = runner.invoke(main, ["agreement", "--project", project, "--json"])
    report = json.loads(result.stdout)
    assert report["annotators"] == ["alice", "bob"] and report["alpha"] == pytest.approx(56 / 74)


def _own_project(path, annotator: str, claim: tuple) -> None:
    """A project where ``annotator`` imported the article and annotated it by hand."""
    store = Store.open(path, annotator=annotator)
    try:
        store.import_documents([NewDocument("taxes", TEXT, origin="articles#0")])
        speaker = store.add_span(1, "speaker", [(0, 5)]).spans.added[0]
        cue = store.add_span(1, "cue", [(6, 10)]).spans.added[0]
        store.add_span(1, "claim", [claim], source_id=speaker.id, cue_id=cue.id)
    finally:
        store.close()


def _layers(path) -> dict:
    store = Store.open(path)
    try:
        return {info.id: sorted((s.annotator, s.label, s.fragments) for s in store.spans(info.id, statuses=None))
                for info in store.document_infos()}
    finally:
        store.close()


def test_merge_brings_each_annotator_in_as_a_layer_and_twice_changes_nothing(tmp_path):
    alice, bob, team = tmp_path / "alice.db", tmp_path / "bob.db", tmp_path / "team.db"
    _own_project(alice, "alice", (11, 21))
    _own_project(bob, "bob", (17, 21))
    runner = CliRunner()
    result = runner.invoke(main, ["merge", str(alice), str(bob), "--project", str(team)])
    assert result.exit_code == 0, result.output
    assert f"merged {alice}: 1 new document, 0 annotator layers" in result.stderr
    assert f"merged {bob}: 0 new documents, 1 annotator layer added" in result.stderr
    merged = _layers(team)
    assert list(merged) == [1] and {who for who, _, _ in merged[1]} == {"alice", "bob"} and len(merged[1]) == 6
    report = json.loads(runner.invoke(main, ["agreement", "--project", str(team), "--json"]).stdout)
    assert report["alpha"] == pytest.approx(56 / 74)
    assert report["layers"]["attribution"] == {"f1_exact": 0.0, "f1_overlap": 1.0}  # links came along
    again = runner.invoke(main, ["merge", str(alice), str(bob), "--project", str(team)])
    assert again.exit_code == 0, again.output
    assert "1 already here unchanged, 0 conflicts" in again.stderr
    assert _layers(team) == merged


def test_an_annotator_who_edited_in_both_projects_is_a_conflict_listed_not_merged(tmp_path):
    alice, team = tmp_path / "alice.db", tmp_path / "team.db"
    _own_project(alice, "alice", (11, 21))
    runner = CliRunner()
    assert runner.invoke(main, ["merge", str(alice), "--project", str(team)]).exit_code == 0
    store = Store.open(alice, annotator="alice")
    try:
        claim = next(s for s in store.spans(1) if s.label == "claim")
        store.update_span(claim.id, fragments=[(11, 16)])
    finally:
        store.close()
    before = _layers(team)
    result = runner.invoke(main, ["merge", str(alice), "--project", str(team)])
    assert result.exit_code == 0, result.output
    assert f"annotator: conflict: {alice}: taxes: alice annotated it in both projects differently" in result.stderr
    assert "1 conflict" in result.stderr
    assert _layers(team) == before  # nothing overwritten


def test_the_gold_table_gives_precision_recall_and_both_f1(team):
    result = CliRunner().invoke(main, ["agreement", "--project", str(team), "--gold", "alice"])
    assert result.exit_code == 0, result.output
    bob_line = next(line for line in result.stdout.splitlines() if line.startswith("bob "))
    # kappa .737; cue: all matched; claim [rise] vs [taxes rise]: P = R = F1 = 1 by overlap, F1 exact 0
    assert bob_line.split() == ["bob", "0.737", "1.000", "/", "1.000", "/", "1.000", "(1.000)",
                                "1.000", "/", "1.000", "/", "1.000", "(0.000)", "1.000", "/", "1.000", "/", "1.000", "(0.000)"]
