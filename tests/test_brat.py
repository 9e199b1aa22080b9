"""brat standoff import and export: the brat tutorial collection round trip, the standoff
line syntax (brat's own parser's rules, nlplab/brat server/src/annotation.py), offsets
(BOM, CRLF, RTL, CJK), known faults B03 B04 B05 B06 B11 B16, malformed files, mapping, and
Annotator's own data through brat and back."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.core.model import NewDocument, NewEntity, NewRelation, NewSpan
from annotator.core.store import Store
from annotator.core.textfile import normalize_newlines
from annotator.formats.brat_conf import read_annotation_conf
from annotator.formats.registry import detect_format, export_items, get_format

DATA = Path(__file__).parent / "data" / "brat"
# B03 B04 B05 B06 B11 B16 of the project's known-faults cases (shared/cases/known_faults.json)
CASES = {c["id"]: c for c in json.loads((DATA / "known_faults_brat.json").read_text(encoding="utf-8"))}
TUTORIAL = sorted(p.stem for p in DATA.glob("*.ann"))
BRAT = get_format("brat")

# The standoff line forms, after brat's parser (annotation.py: _parse_*_annotation).
ID = r"[TER]\d+"
LINE_RES = {
    "T": re.compile(r"T\d+\t([^\s:;]+) (\d+ \d+(?:;\d+ \d+)*)\t([^\n]*)"),
    "R": re.compile(rf"R\d+\t([^\s:]+) ([^\s:]+):({ID}) ([^\s:]+):({ID})"),
    "E": re.compile(rf"E\d+\t([^\s:]+):(T\d+)((?: [^\s:]+:{ID})*)"),
    "A": re.compile(rf"A\d+\t(\S+) ({ID})(?: (\S.*))?"),
    "N": re.compile(rf"N\d+\t(\S+) ({ID}) ([^\s:]+):(\S+)\t(.*)"),
    "#": re.compile(rf"#\d+\t(\S+) ({ID})\t(.*)"),
    "*": re.compile(rf"\*\t(\S+)((?: {ID})+)"),
}


# --- helpers ---------------------------------------------------------------------------------


def canonical(ann: str) -> set:
    """The annotations of an .ann file as a set, without ids: T (type, offsets, text);
    R (type, labelled ends); E (type, trigger, roles); A (name, target, value); N; #; *."""
    rows = [line.split("\t") for line in ann.splitlines() if line.strip()]
    spans, events, relations = {}, {}, {}
    for row in rows:
        if row[0][0] == "T":
            ttype, offsets = row[1].split(" ", 1)
            frags = tuple(sorted(tuple(map(int, p.split())) for p in offsets.split(";")))
            spans[row[0]] = ("T", ttype, frags, row[2] if len(row) > 2 else "")
    for row in rows:
        if row[0][0] == "E":
            etype, trigger = row[1].split()[0].split(":")
            events[row[0]] = ("E", etype, spans[trigger][2])

    def key(ident):
        return spans.get(ident) or events.get(ident) or relations[ident]
    out = set(spans.values())
    for row in rows:
        if row[0][0] == "R":
            rtype, a1, a2 = row[1].split()
            (l1, i1), (l2, i2) = a1.split(":"), a2.split(":")
            relations[row[0]] = ("R", rtype, (l1, key(i1)), (l2, key(i2)))
            out.add(relations[row[0]])
    for row in rows:
        kind, data = row[0][0], row[1].split()
        if kind == "E":
            out.add(events[row[0]] + (frozenset((r, key(i)) for r, i in (a.split(":") for a in data[1:])),))
        elif kind in "AM":
            out.add(("A", data[0], key(data[1]), " ".join(data[2:]) or True))
        elif kind == "N":
            out.add(("N", data[0], key(data[1]), data[2], row[2] if len(row) > 2 else ""))
        elif kind == "#":
            out.add(("#", data[0], key(data[1]), row[2].strip() if len(row) > 2 else ""))
        elif kind == "*":
            out.add(("*", data[0], frozenset(key(i) for i in data[1:])))
    return out


def check_spec(ann: str, text: str) -> None:
    """Every line of an exported .ann matches its standoff form; T texts are the .txt's;
    ids are unique and every reference is defined; no zero-length or offset-less T."""
    ids, refs = set(), []
    for line in ann.split("\n")[:-1]:
        kind = line[0]
        m = LINE_RES[kind].fullmatch(line)
        assert m, f"not a brat {kind} line: {line!r}"
        ident = line.split("\t")[0]
        assert ident == "*" or ident not in ids, f"duplicate id {ident}"
        ids.add(ident)
        if kind == "T":
            frags = [tuple(map(int, p.split())) for p in m[2].split(";")]
            assert all(a < b <= len(text) for a, b in frags), line
            assert m[3] == " ".join(text[a:b] for a, b in frags), line
            assert not re.search("[\n\r\u2028\u2029\x85]", m[3])
        elif kind == "R":
            refs += [m[3], m[5]]
            assert m[2] != m[4]
        elif kind == "E":
            refs += [m[2]] + re.findall(ID, m[3])
        elif kind in "AN#":
            refs.append(m[2])
        else:
            refs += m[2].split()
    assert set(refs) <= ids, f"undefined ids {set(refs) - ids}"
    assert ann == "" or ann.endswith("\n")


def write_pair(folder: Path, name: str, text: str | bytes, ann: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    (folder / f"{name}.ann").write_bytes(ann if isinstance(ann, bytes) else ann.encode("utf-8"))
    return folder / f"{name}.ann"


def import_(path: Path, **options) -> tuple[Store, list[NewDocument], object]:
    docs = BRAT.reader(path, **options)
    store = Store.memory()
    report, _ = store.import_documents(docs)
    return store, docs, report


def export(store: Store, folder: Path, doc_ids=None) -> tuple[Path, list[str]]:
    report = BRAT.folder_writer(export_items(store, doc_ids), folder, store.schema)
    for ann in folder.glob("*.ann"):
        check_spec(ann.read_text(encoding="utf-8"), ann.with_suffix(".txt").read_text(encoding="utf-8"))
    return folder, report.dropped


def ann_lines(folder: Path, doc_id: int = 1) -> list[str]:
    return (folder / f"{doc_id}.ann").read_text(encoding="utf-8").splitlines()


# --- the brat tutorial collection ---------------------------------------------------------------


@pytest.fixture(scope="module")
def tutorial(tmp_path_factory):
    store, docs, report = import_(DATA)
    folder, dropped = export(store, tmp_path_factory.mktemp("tutorial"))
    ids = dict(zip((Path(d.origin.split("#")[1]).stem for d in docs), report.added))
    return store, folder, dropped, ids, report


@pytest.mark.parametrize("name", TUTORIAL)
def test_tutorial_document_round_trips_to_the_same_annotations(tutorial, name):
    store, folder, dropped, ids, _ = tutorial
    original = (DATA / f"{name}.ann").read_text(encoding="utf-8")
    exported = (folder / f"{ids[name]}.ann").read_text(encoding="utf-8")
    assert canonical(exported) == canonical(original)
    assert (folder / f"{ids[name]}.txt").read_bytes() == (DATA / f"{name}.txt").read_bytes()


def test_tutorial_import_keeps_every_type_as_an_extra_label_and_says_so(tutorial):
    store, folder, dropped, ids, report = tutorial
    assert dropped == []
    assert {"Person", "Organization", "GPE", "Money", "Merge-org", "Report", "Transfer-money"} <= set(store.schema.label_names)
    assert any("kept as extra labels: GPE, Money, Organization, Person, Transfer-money" in n for n in report.notes)
    doc = ids["000-introduction"]
    spans = {s.text(store.document(doc).text): s for s in store.spans(doc)}
    assert spans["former Mexican president"].attributes == {
        "Individual": True, "Mention": "Nominal", "normalizations": [["Wikipedia", "64488", "Carlos Salinas de Gortari"]]}
    assert spans["$100 million"].note == "100000000 USD"
    assert spans["moving"].attributes == {"brat_event": True, "Confidence": "High"}
    roles = {r.type: store.span(r.to_id).text(store.document(doc).text) for r in store.relations(doc) if r.attributes.get("brat_role")}
    assert roles == {"Giver-Arg": "Citibank", "Money-Arg": "$100 million", "Beneficiary-Arg": "Raul Salinas de Gortari",
                     "Recipient-Arg": "banks"}


def test_tutorial_notes_on_relations_and_events_survive(tutorial):
    store, folder, dropped, ids, _ = tutorial
    lines = ann_lines(folder, ids["110-note_annotation"])
    notes = [line for line in lines if line.startswith("#")]
    assert len(notes) == 3
    assert any(re.fullmatch(r"#\d+\tAnnotatorNotes R\d+\tShould this be marked\? It's not explicitly stated\.", n) for n in notes)
    assert any(re.fullmatch(r"#\d+\tAnnotatorNotes E\d+\tAnnotate as one merge event .*", n) for n in notes)


def test_export_writes_an_annotation_conf_declaring_every_type_used(tutorial, tmp_path):
    store, folder, *_ = tutorial
    declared = read_annotation_conf(folder / "annotation.conf")
    used = set().union(*(canonical((p).read_text(encoding="utf-8")) for p in folder.glob("*.ann")))
    assert {t[1] for t in used if t[0] == "T"} <= declared["entities"] | declared["events"]
    assert {t[1] for t in used if t[0] == "R"} | {t[1] for t in used if t[0] == "*"} <= declared["relations"]
    assert {t[1] for t in used if t[0] == "E"} <= declared["events"]
    assert {t[1] for t in used if t[0] == "A"} <= declared["attributes"]
    conf = (folder / "annotation.conf").read_text(encoding="utf-8")
    assert "Alias\tArg1:Person, Arg2:Person, <REL-TYPE>:symmetric-transitive" in conf
    assert "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>" in conf
    visual = (folder / "visual.conf").read_text(encoding="utf-8")
    person = next(label for label in store.schema.labels if label.name == "Person")
    assert f"Person\tbgColor:{person.color}" in visual


def test_registry_knows_brat():
    assert detect_format(Path("doc.ann")) is BRAT
    assert BRAT.reads_folders and BRAT.folder_writer is not None and ".ann" in BRAT.extensions


# --- known faults ------------------------------------------------------------------------------


def test_b11_zero_length_span_is_reported_not_imported_and_never_written(tmp_path):
    case = CASES["B11"]
    ann = "\n".join(case["expected"]["brat_lines"] + ["R1\tImplicit Arg1:T2 Arg2:T1", "A1\tGuess T1"]) + "\n"
    store, docs, report = import_(write_pair(tmp_path / "in", "b11", case["input_text"], ann))
    assert [(s.label, s.fragments) for s in store.spans(1)] == [("claim", ((12, 40),))]
    assert any("T1 (IMPLICIT_SOURCE 12 12) is zero-length" in n for n in report.notes)
    assert any("R1 was not imported: it refers to T1" in n for n in report.notes)
    assert any("A1 was not imported" in n for n in report.notes)
    folder, _ = export(store, tmp_path / "out")
    lines = ann_lines(folder)
    assert lines == ["T1\tclaim 12 40\tthe suspect fled before dawn"]
    assert case["expected"]["malformed_brat_line_never_write"] not in lines


def test_b16_deleting_the_speaker_removes_the_relation_and_undo_brings_it_back(tmp_path):
    case = CASES["B16"]
    before = case["expected"]["brat_before_delete"]
    path = write_pair(tmp_path / "in", "b16", case["input_text"], "\n".join(before) + "\n")
    store, _, _ = import_(path, mapping={"QUOTE": "keep", "SPEAKER": "keep"})
    assert export(store, tmp_path / "0")[0].joinpath("1.ann").read_text(encoding="utf-8").splitlines() == before
    speaker = next(s for s in store.spans(1) if s.label == "SPEAKER")
    relations = store.relations(1)
    change = store.delete_span(speaker.id)
    assert store.relations(1) == []
    assert ann_lines(export(store, tmp_path / "1")[0]) == case["expected"]["brat_after_delete"]
    store.apply(change.inverted())
    assert store.relations(1) == relations and store.span(speaker.id) == speaker  # same ids
    assert ann_lines(export(store, tmp_path / "2")[0]) == before
    store.apply(change)
    assert ann_lines(export(store, tmp_path / "3")[0]) == case["expected"]["brat_after_delete"]


def test_b16_default_mapping_makes_said_by_the_claims_source(tmp_path):
    case = CASES["B16"]
    path = write_pair(tmp_path, "b16", case["input_text"], "\n".join(case["expected"]["brat_before_delete"]) + "\n")
    store, _, report = import_(path)
    claim, speaker = sorted(store.spans(1), key=lambda s: s.start)
    assert (claim.label, speaker.label) == ("claim", "speaker")
    assert claim.source_id == speaker.id and claim.speaker_id == speaker.entity_id
    assert store.entity(speaker.entity_id).name == "Tom Hart"
    assert store.relations(1) == []
    assert any("mapped QUOTE -> claim, SPEAKER -> speaker" in n for n in report.notes)


@pytest.mark.parametrize("counted", ["with the BOM (as brat)", "without the BOM"])
def test_b06_bom_in_txt_and_ann(tmp_path, counted):
    case = CASES["B06"]
    raw = bytes.fromhex(case["expected"]["raw_file_hex"])
    start, end = (1, 12) if counted.startswith("with ") else (0, 11)
    ann = b"\xef\xbb\xbf" + f"T1\tSPEAKER {start} {end}\tSenator Kim\n".encode()
    store, docs, report = import_(write_pair(tmp_path / "in", "b06", raw, ann))
    doc = store.document(1)
    assert doc.text == case["input_text"] and not doc.text.startswith("\ufeff")
    assert [(s.label, s.fragments) for s in store.spans(1)] == [("speaker", ((0, 11),))]
    folder, _ = export(store, tmp_path / "out")
    assert (folder / "1.txt").read_bytes() == raw[3:]
    assert ann_lines(folder)[0] == "T1\tspeaker 0 11\tSenator Kim"


def test_b05_crlf_text_offsets_are_converted_to_the_lf_text(tmp_path):
    case = CASES["B05"]
    text = case["input_text"]
    ann = "".join(f"T{n}\t{label} {a} {b}\t{text[a:b]}\n" for n, (a, b, label) in enumerate(case["spans"], 1))
    store, docs, _ = import_(write_pair(tmp_path / "in", "b05", text.encode("utf-8"), ann), mapping={"QUOTE": "keep"})
    doc = store.document(1)
    assert doc.text == case["expected"]["lf_text"]
    got = [(s.start, s.end, s.label) for s in store.spans(1)]
    assert got == [(a, b, {"SPEAKER": "speaker"}.get(label, label)) for a, b, label in case["expected"]["lf_spans"]]
    assert [doc.text[a:b] for a, b, _ in got] == case["expected"]["surfaces"]
    folder, _ = export(store, tmp_path / "out")
    assert (folder / "1.txt").read_bytes() == doc.text.encode("utf-8")
    assert ann_lines(folder)[0] == "T1\tspeaker 18 27\tAna Reyes"


def test_crlf_offsets_inside_a_crlf_and_fragments_across_lines(tmp_path):
    path = write_pair(tmp_path, "crlf", "ab\r\ncd\r\nef", "T1\tX 0 2\tab\nT2\tY 4 6\tcd\nT3\tZ 2 4\nT4\tW 4 6;8 10\tcd ef\n")
    doc, = BRAT.reader(path)
    assert doc.text == "ab\ncd\nef"
    assert {s.key: s.fragments for s in doc.spans} == {"T1": ((0, 2),), "T2": ((3, 5),), "T3": ((2, 3),), "T4": ((3, 5), (6, 8))}
    path.write_text("T1\tX 2 3\n", encoding="utf-8")  # only the CR of a CRLF: nothing left once LF
    doc, = BRAT.reader(path)
    assert doc.spans == [] and any("T1 (X 2 3) is zero-length" in n for n in doc.notes)


PIECES = st.sampled_from(["a", "b ", "é", "中文", "😀", "שלום", "\r\n", "\n", "\r", "\t", "\u2028"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(PIECES, min_size=1, max_size=12), bom=st.booleans(), data=st.data())
def test_offsets_map_from_the_raw_text_brat_counts_to_the_stored_text(tmp_path_factory, pieces, bom, data):
    raw = "".join(pieces) + "z"
    bounds = sorted(data.draw(st.lists(st.integers(0, len(raw)), min_size=2, max_size=2)))
    start, end = bounds
    between = [i for i in range(1, len(raw)) if raw[i - 1:i + 1] == "\r\n"]
    folder = tmp_path_factory.mktemp("prop")
    base = 1 if bom else 0  # brat counts the BOM as a character
    path = write_pair(folder, "p", ("\ufeff" if bom else "") + raw, f"T1\tX {start + base} {end + base}\n")
    doc, = BRAT.reader(path)
    assert doc.text == normalize_newlines(raw)
    if start in between or end in between or normalize_newlines(raw[start:end]) == "":
        return  # inside a CRLF: the CR alone is not part of the stored text
    span, = doc.spans
    a, b = span.fragments[0][0], span.fragments[-1][1]
    assert doc.text[a:b] == normalize_newlines(raw[start:end])


@pytest.mark.parametrize("case_id", ["B03", "B04"])
def test_rtl_and_cjk_offsets_are_code_points_both_ways(tmp_path, case_id):
    case = CASES[case_id]
    text = case["input_text"]
    ann = "".join(f"T{n}\t{label} {a} {b}\t{text[a:b]}\n" for n, (a, b, label) in enumerate(case["spans"], 1))
    store, _, _ = import_(write_pair(tmp_path / "in", case_id, text, ann), mapping={"ORG": "keep"})
    assert [text[s.start:s.end] for s in store.spans(1)] == case["expected"]["surfaces"]
    folder, _ = export(store, tmp_path / "out")
    names = {"SPEAKER": "speaker", "CLAIM": "claim"}
    got = {t for t in canonical((folder / "1.ann").read_text(encoding="utf-8")) if t[0] == "T"}
    assert got == {("T", names.get(label, label), ((a, b),), text[a:b]) for a, b, label in case["spans"]}
    assert (folder / "1.txt").read_text(encoding="utf-8") == text


# --- malformed files ---------------------------------------------------------------------------

HELLO = "Hello world"


@pytest.mark.parametrize("ann, message", [
    ("T1\tPerson", r"line 1: not a valid T line"),  # B11's never-write form: no offsets
    ("T1\tPerson 0 x\tHello", r"line 1: not a valid T line"),
    ("T1 Person 0 5 Hello", r"line 1: no TAB after the id"),
    ("T1\tPerson 0 99\tHello", r"line 1: T1 does not fit bad\.txt: offset 99 is beyond the end"),
    ("T1\tPerson 3 1\tx", r"line 1: T1 does not fit bad\.txt: start 3 is after end 1"),
    ("T1\tPerson 0 3;2 5\tHel llo", r"line 1: T1 does not fit bad\.txt: fragments overlap"),
    ("\nT1\tPerson 0 5\tHallo", r"line 2: T1 does not fit bad\.txt: its text 'Hallo' does not match the text at 0 5: 'Hello'"),
    ("T1\tPerson 0 5\tHello\nR1\tRel Arg1:T1 Arg2:T9", r"line 2: R1 refers to T9, which the file does not define"),
    ("T1\tPerson 0 5\tHello\nR1\tRel Arg1:T1", r"line 2: not a valid R line"),
    ("T1\tPerson 0 5\tHello\nR1\tRel Arg1:T1 Arg1:T1", r"line 2: not a valid R line"),
    ("T1\tPerson 0 5\tHello\nT1\tPerson 6 11\tworld", r"line 2: id T1 is already used on line 1"),
    ("T1\tPerson 0 5\tHello\nE1\tMerge:T1", r"line 2: the trigger T1 of event E1 is not a text-bound annotation of type Merge"),
    ("T1\tPerson 0 5\tHello\nA1\tNeg", r"line 2: not a valid A line"),
    ("T1\tPerson 0 5\tHello\nA1\tNeg T7", r"line 2: A1 refers to T7"),
    ("T1\tPerson 0 5\tHello\nN1\tReference T1 nodb\tx", r"line 2: not a valid N line"),
    ("T1\tPerson 0 5\tHello\n#1\tAnnotatorNotes T2\tx", r"line 2: #1 refers to T2"),
    ("X1\tFoo T1", r"line 1: unknown annotation kind 'X'"),
    ("T1\tPerson 0 5\tHello\n*\tAlias", r"line 2: not a valid \* line"),
])
def test_malformed_ann_lines_are_refused_naming_file_and_line(tmp_path, ann, message):
    path = write_pair(tmp_path, "bad", HELLO, ann + "\n")
    with pytest.raises(InputError, match=re.escape(str(path)) + ": " + message):
        BRAT.reader(path)


def test_bad_files_and_options_are_refused(tmp_path):
    write_pair(tmp_path, "ok", HELLO, "")
    (tmp_path / "lonely.ann").write_text("T1\tX 0 1\tH\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lonely\.ann: its text file lonely\.txt is missing"):
        BRAT.reader(tmp_path)
    with pytest.raises(InputError, match=r"lonely\.ann: its text file lonely\.txt is missing"):
        BRAT.reader(tmp_path / "lonely.ann")
    (tmp_path / "latin.txt").write_bytes("Caf\xe9".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin\.txt: is not UTF-8"):
        BRAT.reader(tmp_path / "latin.txt")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no brat documents"):
        BRAT.reader(tmp_path / "empty")
    with pytest.raises(InputError, match="has no option 'layer'"):
        BRAT.reader(tmp_path / "ok.ann", layer="x")
    with pytest.raises(InputError, match=r"mapping 'Person': 'person' is not one of speaker, cue, claim, keep, skip"):
        BRAT.reader(tmp_path / "ok.ann", mapping={"Person": "person"})
    with pytest.raises(InputError, match="has no option 'colour'"):
        BRAT.folder_writer([], tmp_path / "out", Store.memory().schema, colour=True)


def test_txt_without_ann_is_a_document_without_annotations(tmp_path):
    (tmp_path / "plain.txt").write_text(HELLO, encoding="utf-8")
    doc, = BRAT.reader(tmp_path)
    assert doc.text == HELLO and doc.spans == [] and any("no plain.ann beside it" in n for n in doc.notes)


# --- mapping, attribution, events ----------------------------------------------------------------


def test_mapping_person_to_speaker_groups_equivalent_mentions_into_one_entity():
    store, _, report = import_(DATA / "060-relation_annotation.ann", mapping={"person": "speaker", "GPE": "skip"})
    spans = store.spans(1)
    assert {s.label for s in spans} == {"speaker"}
    names = {store.entity(s.entity_id).name for s in spans}
    assert names == {"Terry Pratchett", "Joanne Rowling", "Jo Rowling", "J. K. Rowling"}
    text = store.document(1).text
    rowling = {store.entity(s.entity_id).name for s in spans if s.start < 600 and "Rowling" in s.text(text)}
    assert rowling == {"Joanne Rowling"}  # the Alias equivalence T3 T4 T5; T8-T10 have none: grouped by text
    assert any("GPE" in n and "skipped" in n for n in report.notes)
    assert any("R1 was not imported: it refers to T2" in n for n in report.notes)
    assert any("mapped Person -> speaker" in n for n in report.notes)


def test_attribution_event_becomes_a_linked_claim(tmp_path):
    text = "Police said the suspect fled."
    ann = ("T1\tPerson 0 6\tPolice\nT2\tAttribution 7 11\tsaid\nT3\tContent 12 28\tthe suspect fled\n"
           "E1\tAttribution:T2 Source:T1 Content:T3\nA1\tPolarity E1 Negative\n#1\tAnnotatorNotes E1\tunsure\n")
    store, _, report = import_(write_pair(tmp_path, "attr", text, ann))
    by_label = {s.label: s for s in store.spans(1)}
    claim = by_label["claim"]
    assert (claim.source_id, claim.cue_id) == (by_label["speaker"].id, by_label["cue"].id)
    assert claim.speaker_id == by_label["speaker"].entity_id and claim.polarity == "negative" and claim.note == "unsure"
    assert store.entity(claim.speaker_id).name == "Police"
    assert any("T1 (Person) imported as speaker: part of attribution E1" in n for n in report.notes)
    assert store.relations(1) == []


def test_events_sharing_a_trigger_and_old_modifiers_round_trip(tmp_path):
    text = "Google and YouTube merged."
    ann = ("T1\tOrg 0 6\tGoogle\nT2\tOrg 11 18\tYouTube\nT3\tMerge 19 25\tmerged\n"
           "E1\tMerge:T3 Org-Arg:T1\nE2\tMerge:T3 Org-Arg:T2 Org-Arg2:T1\nM1\tNegation E2\nR1\tPartner Left:T1 Right:T2\n")
    store, _, _ = import_(write_pair(tmp_path / "in", "ev", text, ann))
    folder, dropped = export(store, tmp_path / "out")
    assert canonical((folder / "1.ann").read_text(encoding="utf-8")) == canonical(ann) and dropped == []


def test_a_span_crossing_a_line_break_is_split_there_and_reported(tmp_path):
    store = Store.memory()
    store.import_documents([NewDocument(title="t", text="One line\nand the next\u2028and more", spans=[
        NewSpan("s1", "claim", ((4, 12), (13, 25))), NewSpan("s2", "cue", ((8, 9),))])])
    folder, dropped = export(store, tmp_path)
    assert ann_lines(folder) == ["T1\tclaim 4 8;9 12;13 21;22 25\tline and the next and"]
    assert any("crosses a line break: written as 4 fragments" in d for d in dropped)
    assert any("covers only line breaks" in d for d in dropped)


# --- Annotator's own data through brat and back --------------------------------------------------

OWN_TEXT = ('Minister Ana Reyes said on Monday: "We will rebuild the bridge." She added that costs would fall.'
            " Acme Corp. disagreed.")


def own_store() -> Store:
    store = Store.memory()
    find = OWN_TEXT.index

    def at(word, n=0):
        start = find(word, n)
        return ((start, start + len(word)),)
    costs, fall = find("costs"), find("fall")
    store.import_documents([NewDocument(title="", text=OWN_TEXT, origin="own.json", entities=[
        NewEntity("e1", "Ana Reyes", qid="Q42"), NewEntity("e2", "Acme Corp.", type="organization")], spans=[
        NewSpan("s1", "speaker", at("Ana Reyes"), entity="e1"),
        NewSpan("s2", "cue", at("said")),
        NewSpan("s3", "claim", at("We will rebuild the bridge."), speaker="e1", source="s1", cue="s2", form="direct",
                polarity="positive", intensity="high", target="the bridge", note="checked\nagain"),
        NewSpan("s4", "speaker", at("She"), entity="e1"),
        NewSpan("s5", "claim", ((costs, costs + 5), (fall, fall + 4)), speaker="e1", source="s4", form="indirect"),
        NewSpan("s6", "claim", at("disagreed"), speaker="e2"),
        NewSpan("s7", "ORG", at("Acme Corp."), attributes={"Mention": "Name", "Individual": True, "choices": ["a", "b"],
                                                         "normalizations": [["Wikidata", "Q1", "Acme"]]}, note="an org"),
        NewSpan("s8", "speaker", at("Acme Corp."), entity="e2"),
    ], relations=[NewRelation("r1", "employs", "s7", "s1", {"since": "2020", "note": "guess"})], labels=["ORG"])])
    store.import_documents([NewDocument(title="", text="Ana Reyes again.", spans=[
        NewSpan("s1", "speaker", ((0, 9),), entity="e1")], entities=[NewEntity("e1", "Ana Reyes", qid="Q42")], origin="own.json")])
    return store


def view(store: Store) -> list:
    """Everything a brat round trip must keep, with no ids."""
    out = []
    for doc in store.document_infos():
        spans = {s.id: s for s in store.spans(doc.id)}

        def where(span_id):
            return None if span_id is None else (spans[span_id].label, spans[span_id].fragments)

        def entity(entity_id):
            e = store.entity(entity_id) if entity_id is not None else None
            return e and (e.name, e.type, e.qid)
        rows = sorted(repr((s.label, s.fragments, s.attributes, s.note, s.form, s.polarity, s.intensity, s.target,
                            entity(s.entity_id), entity(s.speaker_id), where(s.source_id), where(s.cue_id))) for s in spans.values())
        relations = sorted(repr((r.type, where(r.from_id), where(r.to_id), r.attributes)) for r in store.relations(doc.id))
        out.append((store.document(doc.id).text, rows, relations))
    return out


def test_own_data_round_trips_through_brat(tmp_path):
    store = own_store()
    folder, dropped = export(store, tmp_path)
    assert dropped == []
    lines = ann_lines(folder)
    assert "T1\tspeaker 9 18\tAna Reyes" in lines
    assert any(re.fullmatch(r"R\d+\tSource Arg1:T\d+ Arg2:T1", line) for line in lines)
    assert any(re.fullmatch(r"N\d+\tReference T1 Annotator:person-\d+\tAna Reyes", line) for line in lines)
    assert any(re.fullmatch(r"N\d+\tReference T1 Wikidata:Q42\tAna Reyes", line) for line in lines)
    assert any(re.fullmatch(r"A\d+\tPolarity T\d+ positive", line) for line in lines)
    assert any(re.fullmatch(r"#\d+\tTarget T\d+\tthe bridge", line) for line in lines)
    assert any(re.fullmatch(r"T\d+\tclaim \d+ \d+;\d+ \d+\tcosts fall", line) for line in lines)
    again, _, report = import_(folder)
    assert view(again) == view(store)
    assert len(again.entities()) == len(store.entities()) == 2
    assert {(e.name, e.type, e.qid) for e in again.entities()} == {("Ana Reyes", "person", "Q42"), ("Acme Corp.", "organization", None)}


def test_export_reports_what_brat_cannot_hold(tmp_path):
    store = own_store()
    store.update_document(1, title="Minister Ana Reyes said on Monday", status="done", polarity="negative")
    store.update_entity(store.entities()[0].id, aliases=["A. R."])
    span = next(s for s in store.spans(1) if s.label == "ORG")
    store.update_span(span.id, attributes={"score": 0.5, "bad": {"x": 1}, "Odd name": "two\nlines"})
    folder, dropped = export(store, tmp_path)
    text = "\n".join(dropped)
    assert "brat has no place for the document's title 'Minister Ana Reyes said on Monday', status 'done', polarity 'negative'" in text
    assert "aliases and notes" in text
    assert "brat cannot hold the value {'x': 1}" in text
    assert "written as the text 'two lines'" in text
    assert any(re.fullmatch(r"A\d+\tOdd_name T\d+ two lines", line) for line in ann_lines(folder))


def test_claim_attributes_that_would_read_back_as_claim_fields_are_reported(tmp_path):
    store = own_store()
    claim = next(s for s in store.spans(1) if s.label == "claim" and s.form == "indirect")
    store.update_span(claim.id, attributes={"polarity": "negative", "Form": "quasi-direct", "Target": "x"})
    folder, dropped = export(store, tmp_path)
    assert any("attribute Target, polarity would be read back as the claim's own" in d for d in dropped)
    assert any(re.fullmatch(r"A\d+\tForm T5 quasi-direct", line) for line in ann_lines(folder))


def test_a_role_whose_event_mark_was_removed_is_written_as_a_relation(tmp_path):
    text = "Google merged."
    store, _, _ = import_(write_pair(tmp_path / "in", "ev", text, "T1\tOrg 0 6\tGoogle\nT2\tMerge 7 13\tmerged\nE1\tMerge:T2 Org-Arg:T1\n"))
    trigger = next(s for s in store.spans(1) if s.label == "Merge")
    store.update_span(trigger.id, attributes={})
    folder, _ = export(store, tmp_path / "out")
    assert ann_lines(folder) == ["T1\tOrg 0 6\tGoogle", "T2\tMerge 7 13\tmerged", "R1\tOrg-Arg Arg1:T2 Arg2:T1"]


@pytest.mark.parametrize("given", ['{"QUOTE": "keep", "SPEAKER": "keep"}', "QUOTE:keep, SPEAKER=keep", {"quote": "keep", "speaker": "keep"}])
def test_mapping_option_from_the_command_line_as_text(tmp_path, given):
    case = CASES["B16"]
    path = write_pair(tmp_path, "b16", case["input_text"], "\n".join(case["expected"]["brat_before_delete"]) + "\n")
    doc, = BRAT.reader(path, mapping=given)
    assert sorted(s.label for s in doc.spans) == ["QUOTE", "SPEAKER"] and [r.type for r in doc.relations] == ["said_by"]
    with pytest.raises(InputError, match="expected Type:layer"):
        BRAT.reader(path, mapping="QUOTE")
    with pytest.raises(InputError, match="must be a mapping"):
        BRAT.reader(path, mapping=["QUOTE"])


def test_types_missing_from_annotation_conf_are_noted(tmp_path):
    write_pair(tmp_path, "doc", HELLO, "T1\tPerson 0 5\tHello\nT2\tThing 6 11\tworld\nR1\tLikes Arg1:T1 Arg2:T2\n")
    (tmp_path / "annotation.conf").write_text("[entities]\n!Abstract\n\tPerson\n[relations]\n<POG>=Person\n[events]\n[attributes]\n",
                                              encoding="utf-8")
    doc, = BRAT.reader(tmp_path)
    assert any(re.search(r"doc\.ann: not declared in .*annotation\.conf: Likes \(relation\), Thing \(entity\)$", n) for n in doc.notes)


def test_a_brat_folder_is_imported_by_the_brat_reader_without_format(tmp_path):
    """`annotator import folder/` on a brat collection: its .txt files belong to their .ann
    (not imported twice as plain articles) and its LICENSE is not an article."""
    from annotator.services.importing import import_paths
    from annotator.core.store import Store

    store = Store.memory()
    report = import_paths(store, [Path(__file__).parent / "data" / "brat"])
    assert len(report.added) == 13 and report.skipped == []
    assert sum(store.stats()["spans"].values()) > 100


def test_identity_mappings_are_left_out_of_the_import_note(tmp_path):
    text = "Mayor Jones said taxes will fall.\n"
    ann = "T1\tspeaker 0 11\tMayor Jones\nT2\tcue 12 16\tsaid\nT3\tclaim 17 32\ttaxes will fall\nT4\tQUOTE 17 22\ttaxes\n"
    store, docs, report = import_(write_pair(tmp_path, "doc", text, ann))
    assert {s.label for s in store.spans(1)} == {"speaker", "cue", "claim"}
    notes = " ".join(report.notes)
    assert "mapped QUOTE -> claim" in notes
    assert "speaker -> speaker" not in notes and "cue -> cue" not in notes and "claim -> claim" not in notes
    only_identity = write_pair(tmp_path / "b", "doc", text, ann.rsplit("T4", 1)[0])
    assert not any("mapped" in n for n in import_(only_identity)[2].notes)
