"""``annotator merge`` brings a layer whose spans use labels the project lacks, such as the
extra labels a brat import adds (PolNeAR's Attribution event triggers): the labels come
along (found following the README's five steps on two PolNeAR articles; issue 11)."""
from __future__ import annotations

from annotator.core.model import NewDocument, NewSpan
from annotator.core.store import Store
from annotator.services.merging import merge_project

TEXT = "Ann said the bridge will open."


def test_a_layer_with_an_extra_label_is_merged_with_its_label(tmp_path):
    team = Store.open(tmp_path / "team.annotator")
    team.import_documents([NewDocument(title="T", text=TEXT)])
    alice = Store.open(tmp_path / "alice.annotator", annotator="alice")
    alice.import_documents([NewDocument(title="T", text=TEXT, labels=["Attribution"], spans=[
        NewSpan(key="a", label="Attribution", fragments=((4, 8),)), NewSpan(key="c", label="claim", fragments=((9, 29),))])])
    assert "Attribution" in alice.schema.label_names and "Attribution" not in team.schema.label_names
    report = merge_project(team, alice, "alice.annotator")
    assert report.joined == ["T: alice's layer, 2 spans"] and not report.conflicts
    assert sorted((s.annotator, s.label) for s in team.spans(1)) == [("alice", "Attribution"), ("alice", "claim")]
    assert "Attribution" in team.schema.label_names
    assert merge_project(team, alice, "alice.annotator").unchanged == 1  # a second run changes nothing
    alice.close()
    team.close()
