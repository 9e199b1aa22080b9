"""brat export, issue 8 kinds 2, 5 and 6: labels that brat would merge, fragments across an
indented line break, and characters brat's line format cannot carry."""
from __future__ import annotations

from pathlib import Path

from annotator.core.model import NewDocument, NewSpan
from annotator.core.store import Store
from annotator.formats.brat_write import type_names
from annotator.formats.registry import export_items, get_format


def export(store: Store, folder: Path) -> tuple[list[str], list[str]]:
    report = get_format("brat").folder_writer(export_items(store), folder, store.schema)
    return (folder / "1.ann").read_text(encoding="utf-8").splitlines(), report.dropped


def store_with(text: str, spans, labels=()) -> Store:
    store = Store.memory()
    store.import_documents([NewDocument(title=text.split("\n")[0], text=text, labels=list(labels), origin="t",
                                        spans=spans)])
    return store


def reread(folder: Path) -> Store:
    again = Store.memory()
    again.import_documents(get_format("brat").reader(folder))
    return again


def test_kind2_labels_brat_would_write_alike_stay_two_labels(tmp_path):
    text = "Acme Corp hired Lina Park from Beta Group."
    store = store_with(text, [NewSpan("a", "Org", ((0, 9),)), NewSpan("b", "ORG", ((31, 41),)),
                              NewSpan("c", "Named Entity", ((16, 20),)), NewSpan("d", "Named_Entity", ((21, 25),))],
                       labels=["Org", "ORG", "Named Entity", "Named_Entity"])
    lines, dropped = export(store, tmp_path / "out")
    types = {line.split("\t")[1].split(" ")[0]: line.split("\t")[2] for line in lines if line.startswith("T")}
    assert types == {"Org": "Acme Corp", "ORG": "Beta Group", "Named_Entity": "Park", "Named_Entity_2": "Lina"}
    assert "label 'Named Entity' written as brat type 'Named_Entity_2' (kept apart from the label 'Named_Entity')" in dropped
    labels = {s.label for s in reread(tmp_path / "out").spans(1)}
    assert labels == {"Org", "ORG", "Named_Entity", "Named_Entity_2"}  # four labels, not three


def test_type_names_keep_exact_names_and_number_the_rest():
    assert type_names(["a b", "a_b", "c"]) == ({"a_b": "a_b", "c": "c", "a b": "a_b_2"},
                                               ["label 'a b' written as brat type 'a_b_2' (kept apart from the label 'a_b')"])


def test_kind5_fragment_across_an_indented_line_break_leaves_the_indentation_out(tmp_path):
    text = "Title\nThe minister said\n      that talks resume."
    start, end = text.index("said"), text.index(" talks")
    store = store_with(text, [NewSpan("c", "claim", ((start, end),))])
    lines, dropped = export(store, tmp_path / "out")
    said, that = text.index("said"), text.index("that")
    assert lines[0] == f"T1\tclaim {said} {said + 4};{that} {that + 4}\tsaid that"
    assert any(f"written as 2 fragments [{said},{said + 4}) [{that},{that + 4})" in d for d in dropped)


def test_kind6_tab_in_a_note_is_kept_and_a_line_break_in_a_target_is_reported(tmp_path):
    text = "Title\nThe minister said talks resume."
    store = store_with(text, [NewSpan("c", "claim", ((10, 28),), note="check\tspelling", target="talks\nresume",
                                      polarity="positive")])
    lines, dropped = export(store, tmp_path / "out")
    assert "#1\tAnnotatorNotes T1\tcheck\tspelling" in lines
    assert "#2\tTarget T1\ttalks resume" in lines
    assert any("the target of T1 'talks\\nresume' is written on one line as 'talks resume'" in d for d in dropped)
    claim = reread(tmp_path / "out").spans(1)[0]
    assert claim.note == "check\tspelling"


def test_kind6_a_note_with_blank_lines_is_reported(tmp_path):
    text = "Title\nThe minister said talks resume."
    store = store_with(text, [NewSpan("c", "claim", ((10, 28),), note="first\n\nsecond ")])
    lines, dropped = export(store, tmp_path / "out")
    assert [line for line in lines if "AnnotatorNotes" in line] == ["#1\tAnnotatorNotes T1\tfirst",
                                                                   "#2\tAnnotatorNotes T1\tsecond"]
    assert any("is written as 2 AnnotatorNotes line(s)" in d for d in dropped)
