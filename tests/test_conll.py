"""CoNLL BIO export (annotator.formats.conll); cases B04, B09, B10, B11, B12, B17 of the
known-faults log with their exact expected lines and reports."""
from __future__ import annotations

import io

import pytest

from annotator.core.errors import InputError
from annotator.core.model import NewDocument, NewEntity, NewRelation, NewSpan
from annotator.core.schema import load_schema
from annotator.core.store import Store
from annotator.formats.conll import write_conll
from annotator.formats.registry import export_items, get_format
from export_fixtures import direct, new_doc, stored

B09_TEXT = "Acme Bank chief Maria Lopez said profits rose."


def export(items, schema=None, **options) -> tuple[list[str], list[str]]:
    out = io.StringIO()
    report = write_conll(items, out, schema or load_schema(), **options)
    return out.getvalue().split("\n"), report.dropped


def export_with_notes(items, schema=None, **options) -> tuple[list[str], list[str], list[str]]:
    out = io.StringIO()
    report = write_conll(items, out, schema or load_schema(), **options)
    return out.getvalue().split("\n"), report.dropped, report.notes


def token_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if line and not line.startswith("-DOCSTART-")]


def test_b04_cjk_character_lines_exact():
    store = stored(new_doc("外交部发言人王伟表示，会谈取得进展。", [(0, 3, "ORG"), (6, 8, "speaker"), (11, 17, "claim")],
                           labels=["ORG"]))
    lines, dropped = export(export_items(store), store.schema)
    assert token_lines(lines) == [
        "外 B-ORG", "交 I-ORG", "部 I-ORG", "发 O", "言 O", "人 O", "王 B-SPEAKER", "伟 I-SPEAKER", "表 O", "示 O",
        "， O", "会 B-CLAIM", "谈 I-CLAIM", "取 I-CLAIM", "得 I-CLAIM", "进 I-CLAIM", "展 I-CLAIM", "。 O"]
    assert lines[:2] == ["-DOCSTART- O", ""]
    assert dropped == ["speaker entities are not carried: 1 mentions of 1 speakers"]


def b09_store() -> Store:
    return stored(new_doc(B09_TEXT, [(0, 27, "speaker"), (0, 9, "ORG"), (16, 27, "PERSON"), (33, 45, "claim")],
                          labels=["ORG", "PERSON"]))


def test_b09_multicolumn_lines_exact_and_nothing_dropped():
    store = b09_store()
    lines, dropped = export(export_items(store), store.schema, columns="multi")
    assert token_lines(lines) == [
        "Acme\tB-ORG\tB-SPEAKER\tO",
        "Bank\tI-ORG\tI-SPEAKER\tO",
        "chief\tO\tI-SPEAKER\tO",
        "Maria\tB-PERSON\tI-SPEAKER\tO",
        "Lopez\tI-PERSON\tI-SPEAKER\tO",
        "said\tO\tO\tO",
        "profits\tO\tO\tB-CLAIM",
        "rose\tO\tO\tI-CLAIM",
        ".\tO\tO\tO",
    ]
    assert lines[0] == "-DOCSTART-\tO\tO\tO"
    assert not [line for line in dropped if "dropped" in line]


def test_b09_single_column_reports_both_conflicts():
    store = b09_store()
    lines, dropped = export(export_items(store), store.schema)
    assert token_lines(lines)[:5] == ["Acme B-SPEAKER", "Bank I-SPEAKER", "chief I-SPEAKER", "Maria I-SPEAKER",
                                      "Lopez I-SPEAKER"]
    conflicts = [line for line in dropped if "dropped from the CoNLL column" in line]
    assert len(conflicts) == 2
    assert conflicts[0].startswith("document 1, ORG span s") and "'Acme Bank' [0,9)" in conflicts[0]
    assert conflicts[1].startswith("document 1, PERSON span s") and "'Maria Lopez' [16,27)" in conflicts[1]
    assert all("overlaps speaker span" in line and "[0,27)" in line for line in conflicts)


def test_b10_edge_inside_token_cuts_the_token_without_widening():
    store = stored(new_doc("Shares of Norwood Inc. fell 4% on Monday.", [(10, 21, "ORG")], labels=["ORG"]))
    items = export_items(store)
    lines, dropped = export(items, store.schema)
    assert token_lines(lines)[2:5] == ["Norwood B-ORG", "Inc I-ORG", ". O"]
    assert not any("expanded" in line for line in dropped)


def test_b10_leading_space_is_trimmed_and_of_stays_o():
    lines, dropped = export([direct("Shares of Norwood Inc. fell 4% on Monday.", [("ORG", (9, 21))])])
    assert token_lines(lines)[1:5] == ["of O", "Norwood B-ORG", "Inc I-ORG", ". O"]
    assert not any("expanded" in line for line in dropped)


def test_kind4_two_spans_inside_one_token_are_both_written():
    lines, dropped = export([direct("Check AHU-G1-V-1 now.", [("UNIT", (6, 9)), ("PART", (10, 12))])])
    assert token_lines(lines)[:6] == ["Check O", "AHU B-UNIT", "- O", "G1 B-PART", "-V-1 O", "now O"]
    assert not any("expanded" in line or "dropped" in line for line in dropped)


def test_kind4_span_inside_a_token_is_not_widened():
    lines, dropped = export([direct("Kundennummer2785708 bitte angeben.", [("ID", (12, 19))])])
    assert token_lines(lines)[:3] == ["Kundennummer O", "2785708 B-ID", "bitte O"]


def test_kind2_labels_differing_in_case_or_spacing_stay_apart():
    text = "Acme Corp hired Lina Park from Beta Group in May."
    lines, dropped, notes = export_with_notes([direct(text, [("Org", (0, 9)), ("ORG", (31, 41)),
                                                             ("Named Entity", (16, 20)), ("Named_Entity", (21, 25))])])
    tags = {line.split(" ")[1] for line in token_lines(lines)} - {"O"}
    assert tags == {"B-Org", "I-Org", "B-ORG", "I-ORG", "B-Named_Entity", "B-Named_Entity_2"}
    assert any("'ORG' and 'Org'" in n and "same tag ORG" in n for n in notes)
    assert any("'Named Entity' and 'Named_Entity'" in n for n in notes)


def test_b11_zero_length_span_is_reported_not_a_crash():
    lines, dropped = export([direct("Police said the suspect fled before dawn.",
                                    [("IMPLICIT_SOURCE", (12, 12)), ("claim", (12, 40))])])
    assert token_lines(lines)[2:4] == ["the B-CLAIM", "suspect I-CLAIM"]
    assert dropped == ["document 1, IMPLICIT_SOURCE span s1 [12,12) '' is empty or only whitespace: not written"]


def test_b12_span_at_end_of_text():
    item = direct("The council approved the budget", [("TOPIC", (25, 31)), ("claim", (0, 31))])
    lines, dropped = export([item], layer="TOPIC")
    assert token_lines(lines)[-1] == "budget B-TOPIC"
    assert dropped == ["only the TOPIC layer is written: 1 spans of other labels (claim) are not carried"]
    lines, dropped = export([item], columns="multi")
    assert token_lines(lines) == ["The\tO\tB-CLAIM", "council\tO\tI-CLAIM", "approved\tO\tI-CLAIM", "the\tO\tI-CLAIM",
                                  "budget\tB-TOPIC\tI-CLAIM"]
    assert dropped == []


def test_b17_overlap_is_reported():
    text = "Rep. Kaur (D) said: \"Fine.\"\nPolls close at 8 p.m. \U0001f5f3\ufe0f"
    store = stored(new_doc(text, [(0, 9, "speaker"), (0, 13, "PERSON"), (21, 26, "QUOTE"), (43, 52, "TIME")],
                           labels=["PERSON", "QUOTE", "TIME"]))
    lines, dropped = export(export_items(store), store.schema)
    body = token_lines(lines)
    assert body[:5] == ["Rep. B-PERSON", "Kaur I-PERSON", "( I-PERSON", "D I-PERSON", ") I-PERSON"]
    assert body[-3:] == ["8 B-TIME", "p.m. I-TIME", "\U0001f5f3\ufe0f I-TIME"]
    assert any(line.startswith("document 1, speaker span") and "overlaps PERSON span" in line for line in dropped)
    lines, dropped = export(export_items(store), store.schema, columns="multi")
    assert token_lines(lines)[:2] == ["Rep.\tB-PERSON\tB-SPEAKER", "Kaur\tI-PERSON\tI-SPEAKER"]


def test_sentences_blank_lines_and_no_break_inside_a_chunk():
    text = "He spoke. \"We will win. We always do,\" he said.\n\nNext paragraph"
    lines, _ = export([direct(text, [("claim", (11, 36))])])
    assert lines == ["-DOCSTART- O", "", "He O", "spoke O", ". O", "",
                     '" O', "We B-CLAIM", "will I-CLAIM", "win I-CLAIM", ". I-CLAIM", "We I-CLAIM", "always I-CLAIM",
                     "do I-CLAIM", ", O", '" O', "he O", "said O", ". O", "", "Next O", "paragraph O", "", ""]


def test_discontinuous_claim_one_chunk_per_fragment_and_documents():
    text = "\"Prices will fall,\" she said, \"next year.\""
    items = [direct(text, [("claim", ((1, 17), (31, 40)))]), direct("Second one.", [], doc_id=2)]
    lines, dropped = export(items)
    assert lines[2:6] == ['" O', "Prices B-CLAIM", "will I-CLAIM", "fall I-CLAIM"]
    assert lines[11:15] == ['" O', "next B-CLAIM", "year I-CLAIM", ". O"]
    assert lines[15:] == ['" O', "", "-DOCSTART- O", "", "Second O", "one O", ". O", "", ""]
    assert dropped == ["discontinuous spans are written as one chunk per fragment: 1 spans"]


def test_what_conll_cannot_carry_is_summed_up():
    doc = NewDocument(
        title="t", text="Lavrov said talks were useful.", polarity="positive", origin="a.json",
        entities=[NewEntity("e1", "Sergey Lavrov")],
        spans=[NewSpan("m1", "speaker", ((0, 6),), entity="e1"), NewSpan("c1", "cue", ((7, 11),)),
               NewSpan("q1", "claim", ((12, 29),), speaker="e1", source="m1", cue="c1", form="indirect",
                       polarity="positive", attributes={"certainty": "high"})],
        relations=[NewRelation("r1", "said_by", "q1", "m1")])
    store = stored(doc)
    lines, dropped = export(export_items(store), store.schema)
    assert token_lines(lines)[:3] == ["Lavrov B-SPEAKER", "said B-CUE", "talks B-CLAIM"]
    assert dropped == [
        "attribution links and attributes are not carried: 1 claims",
        "speaker entities are not carried: 1 mentions of 1 speakers",
        "span attributes and notes are not carried: 1 spans",
        "relations are not carried: 1 relations",
        "document polarity is not carried: 1 documents",
    ]


@pytest.mark.parametrize("options, message", [
    ({"tagset": "bio"}, "no option 'tagset'"),
    ({"columns": "both"}, "columns must be 'single' or 'multi'"),
    ({"layer": "quote"}, "no label 'quote'"),
    ({"layer": "claim", "columns": "multi"}, "cannot go with columns=multi"),
])
def test_bad_options_are_refused(options, message):
    with pytest.raises(InputError, match=message):
        export([direct("A claim.", [("claim", (0, 7))])], **options)


def test_layer_matches_case_insensitively():
    lines, _ = export([direct("A claim.", [("claim", (0, 7))])], layer="CLAIM")
    assert token_lines(lines) == ["A B-CLAIM", "claim I-CLAIM", ". O"]


def test_registered_and_written_to_a_file(tmp_path):
    fmt = get_format("conll")
    assert fmt.writer is write_conll and fmt.extensions == (".conll",) and not fmt.binary and not fmt.can_read
    path = tmp_path / "out.conll"
    with path.open("w", encoding="utf-8", newline="") as stream:
        fmt.writer([direct("外交部。", [("ORG", (0, 3))])], stream, load_schema())
    assert path.read_text(encoding="utf-8") == "-DOCSTART- O\n\n外 B-ORG\n交 I-ORG\n部 I-ORG\n。 O\n\n"
