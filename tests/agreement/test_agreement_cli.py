"""``annotator agreement`` on project files, and the conversion from stored spans."""
from __future__ import annotations

import json

from click.testing import CliRunner

from annotator.cli import main
from annotator.core.agreement.convert import annotations_by_annotator
from annotator.core.model import Span
from annotator.core.store import Store

TEXT = "Obama said taxes rise. Trump said no."


def test_spans_are_grouped_by_annotator_with_their_attributions():
    spans = [Span(1, 1, "speaker", ((0, 5),)), Span(2, 1, "cue", ((6, 10),)),
             Span(3, 1, "claim", ((11, 21),), source_id=1, cue_id=2),
             Span(4, 1, "claim", ((17, 21),), cue_id=2), Span(5, 1, "other", ((23, 28),))]
    who = {1: "alice", 2: "alice", 3: "alice", 4: "bob", 5: "bob"}
    groups = annotations_by_annotator(spans, annotator_of=lambda s: who[s.id])
    assert sorted(groups) == ["alice", "bob"]
    alice, bob = groups["alice"], groups["bob"]
    assert alice.layer("speaker") == (((0, 5),),) and alice.layer("claim") == (((11, 21),),)
    assert alice.attributions[0].parts() == (((0, 5),), ((6, 10),), ((11, 21),))
    # bob's claim links alice's cue (links resolve across the document) and has no source
    assert bob.attributions[0].parts() == (None, ((6, 10),), ((17, 21),))
    assert bob.layer("claim") == (((17, 21),),) and bob.layer("cue") == ()  # "other" is ignored


def test_a_project_with_one_annotator_has_nothing_to_compare(tmp_path):
    from annotator.core.model import NewDocument, NewSpan

    path = tmp_path / "one.db"
    store = Store.open(path)
    try:
        store.import_documents([NewDocument("d", TEXT, spans=[NewSpan("a", "speaker", ((0, 5),))])])
    finally:
        store.close()
    runner = CliRunner()
    result = runner.invoke(main, ["agreement", "--project", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents"] == 0 and report["pairs"] == [] and report["alpha"] is None
    assert "no document has annotations of two annotators" in result.stderr
    assert "(unnamed)" in result.stderr
    result = runner.invoke(main, ["agreement", "--project", str(path), "--gold", "carol"])
    assert result.exit_code == 1
    assert "no annotator 'carol' in the project (annotators: (unnamed))" in result.stderr


def test_a_missing_project_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["agreement", "--project", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "no such project" in result.stderr


def test_the_command_has_help():
    result = CliRunner().invoke(main, ["agreement", "--help"])
    assert result.exit_code == 0 and "Agreement between annotators" in result.output


def test_other_commands_do_not_load_the_measures():
    import subprocess
    import sys

    code = "import sys, annotator.cli; print(sorted(m for m in ('scipy', 'krippendorff') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_project_is_not_merged_into_itself_nor_from_a_missing_file(tmp_path):
    from annotator.core.model import NewDocument

    path = tmp_path / "alice.db"
    store = Store.open(path)
    try:
        store.import_documents([NewDocument("d", TEXT)])
    finally:
        store.close()
    runner = CliRunner()
    result = runner.invoke(main, ["merge", str(path), "--project", str(path)])
    assert result.exit_code == 1 and "this is the project merged into" in result.stderr
    result = runner.invoke(main, ["merge", str(tmp_path / "bob.db"), "--project", str(path)])
    assert result.exit_code == 1 and "bob.db: no such project" in result.stderr
    assert not (tmp_path / "bob.db").exists()
