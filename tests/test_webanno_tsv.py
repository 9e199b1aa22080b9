"""WebAnno TSV 3 reader (annotator/formats/webanno_tsv.py): GUM Wikinews articles against their
gold files, the text rebuild rule, UTF-16 offsets, escaping, chains, malformed input, Store."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.core.store import Store
from annotator.formats.registry import detect_format, get_format
from annotator.formats.webanno_tsv import read_webanno_tsv

DATA = Path(__file__).parent / "data"
TSV = DATA / "webanno_tsv"
WIKINEWS = DATA / "wikinews"
DOCS = ["defector", "imprisoned", "iodine", "korea", "questionnaire", "sensitive", "soccer", "taxes"]
HEADER_NE = "#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value\n\n\n"


def speaker_spans(doc):
    """The speaker mentions of a read document (its other mentions keep their own labels)."""
    return [s for s in doc.spans if s.label == "speaker"]


def tsv_path(name: str) -> Path:
    return TSV / f"GUM_news_{name}.tsv"


def gold(name: str) -> dict:
    return json.loads((WIKINEWS / f"{name}.gold.json").read_text(encoding="utf-8"))


def gold_mentions(g: dict) -> set[tuple[int, int, str]]:
    return {(m["start"], m["end"], m["text"]) for m in g["mentions"]}


def gold_partition(g: dict) -> set[frozenset]:
    return {frozenset((g["mentions"][i]["start"], g["mentions"][i]["end"]) for i in e["mentions"]) for e in g["entities"]}


def partition(doc) -> set[frozenset]:
    groups: dict[str, set] = {}
    for span in speaker_spans(doc):
        groups.setdefault(span.entity, set()).add(span.fragments[0])
    return {frozenset(v) for v in groups.values()}


def write(tmp_path: Path, body: str, name: str = "doc.tsv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


# --- the eight GUM Wikinews articles ------------------------------------------------------------


@pytest.mark.parametrize("name", DOCS)
def test_aligned_import_gives_exactly_the_gold_mentions_and_entities(name):
    text = (WIKINEWS / f"{name}.txt").read_bytes().decode("utf-8")
    (doc,) = read_webanno_tsv(tsv_path(name), text=WIKINEWS / f"{name}.txt")
    g = gold(name)
    assert doc.text == text
    assert all(span.label == "speaker" and len(span.fragments) == 1 for span in speaker_spans(doc))
    got = {(s.fragments[0][0], s.fragments[0][1], text[s.fragments[0][0]:s.fragments[0][1]]) for s in speaker_spans(doc)}
    assert got == gold_mentions(g)
    assert len(speaker_spans(doc)) == len(g["mentions"])
    assert partition(doc) == gold_partition(g)
    # entity types follow the gold types, group by group
    gold_type = {frozenset((g["mentions"][i]["start"], g["mentions"][i]["end"]) for i in e["mentions"]): e["type"]
                 for e in g["entities"]}
    types = {e.key: e.type for e in doc.entities}
    for group in partition(doc):
        key = next(s.entity for s in speaker_spans(doc) if s.fragments[0] in group)
        assert types[key] == gold_type[group]
    # what was not imported is said, once
    assert len(doc.notes) == 1
    assert "not imported" in doc.notes[0] and "mentions of other types kept as spans" in doc.notes[0]
    assert "abstract" in doc.notes[0]
    assert "bridge" in doc.notes[0]


def test_the_text_option_accepts_a_string_text_and_a_file_name():
    name = "korea"
    text = (WIKINEWS / f"{name}.txt").read_text(encoding="utf-8")
    (by_text,) = read_webanno_tsv(tsv_path(name), text=text)
    (by_name,) = read_webanno_tsv(tsv_path(name), text=str(WIKINEWS / f"{name}.txt"))
    assert by_text.text == by_name.text == text
    assert [s.fragments for s in speaker_spans(by_text)] == [s.fragments for s in speaker_spans(by_name)]


def gum_expected_mentions(path: Path) -> tuple[list[list[str]], list[str]]:
    """Independently of the reader: the sentences' tokens, and the token texts of every
    person / organization annotation of a GUM file, joined with spaces (GUM's TSV offsets
    have a gap between every two tokens)."""
    sentences: dict[str, list[str]] = {}
    annotations: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        sentences.setdefault(cells[0].split("-")[0], []).append(cells[2])
        for value in cells[3].split("|"):
            label, _, ident = value.partition("[")
            if label in ("person", "organization"):
                annotations.setdefault(ident, []).append(cells[2])
    return list(sentences.values()), sorted(" ".join(tokens) for tokens in annotations.values())


@pytest.mark.parametrize("name", DOCS)
def test_without_the_text_option_the_text_is_rebuilt_from_the_tokens(name):
    (doc,) = read_webanno_tsv(tsv_path(name))
    sentences, expected = gum_expected_mentions(tsv_path(name))
    assert doc.text == "\n".join(" ".join(tokens) for tokens in sentences) + "\n"
    assert sorted(doc.text[s.fragments[0][0]:s.fragments[0][1]] for s in speaker_spans(doc)) == expected
    assert doc.title == " ".join(sentences[0])
    (again,) = read_webanno_tsv(tsv_path(name))
    assert again.text == doc.text and again.spans == doc.spans and again.entities == doc.entities
    # the grouping does not depend on the text the tokens are placed in
    (aligned,) = read_webanno_tsv(tsv_path(name), text=WIKINEWS / f"{name}.txt")
    assert [(s.key, s.entity) for s in speaker_spans(aligned)] == [(s.key, s.entity) for s in speaker_spans(doc)]


def test_entities_are_named_after_their_longest_proper_name():
    (doc,) = read_webanno_tsv(tsv_path("korea"), text=WIKINEWS / "korea.txt")
    names = {e.name for e in doc.entities}
    assert {"North Korea", "Kim Jong-un", "Yonhap news agency"} <= names
    assert all(e.name.strip() for e in doc.entities)
    north_korea = next(e for e in doc.entities if e.name == "North Korea")
    assert north_korea.type == "organization" and north_korea.notes == "Wikipedia: North_Korea"


def test_import_through_the_store_keeps_the_spans_and_the_entities():
    store = Store.memory()
    docs = read_webanno_tsv(tsv_path("korea"), text=WIKINEWS / "korea.txt")
    report, _ = store.import_documents(docs)
    g = gold("korea")
    (doc_id,) = report.added
    assert report.spans == len(docs[0].spans) and report.entities_created == len(g["entities"])
    assert report.notes == docs[0].notes
    stored = store.document(doc_id)
    spans = [s for s in store.spans(doc_id) if s.label == "speaker"]
    assert len(spans) == len(g["mentions"])
    assert stored.text == (WIKINEWS / "korea.txt").read_text(encoding="utf-8")
    assert {(s.start, s.end, stored.text[s.start:s.end]) for s in spans} == gold_mentions(g)
    groups: dict[int, set] = {}
    for s in spans:
        groups.setdefault(s.entity_id, set()).add((s.start, s.end))
    assert {frozenset(v) for v in groups.values()} == gold_partition(g)
    assert {e.type for e in store.entities()} == {"person", "organization"}


def test_the_format_is_registered_and_detected():
    fmt = get_format("webanno-tsv")
    assert fmt.reader is read_webanno_tsv and ".tsv" in fmt.extensions and fmt.carries and fmt.cannot_carry
    assert detect_format(tsv_path("korea")).name == "webanno-tsv"


# --- hand-written files ---------------------------------------------------------------------------


def test_offsets_count_utf16_code_units(tmp_path):
    # the emoji is 2 UTF-16 code units and 1 code point: later offsets shift by one
    path = write(tmp_path, HEADER_NE + "#Text=Hi 😀 Anna Smith said .\n"
                 "1-1\t0-2\tHi\t_\t_\n1-2\t3-5\t😀\t_\t_\n"
                 "1-3\t6-10\tAnna\t*[1]\tPER[1]\n1-4\t11-16\tSmith\t*[1]\tPER[1]\n"
                 "1-5\t17-21\tsaid\t_\t_\n1-6\t21-22\t.\t_\t_\n\n"
                 "#Text=😀Bob left .\n"
                 "2-1\t23-28\t😀Bob\t_\t_\n2-1.1\t25-28\tBob\t*\tPER\n2-2\t29-33\tleft\t_\t_\n2-3\t34-35\t.\t_\t_\n")
    (doc,) = read_webanno_tsv(path)
    assert doc.text == "Hi 😀 Anna Smith said.\n😀Bob left .\n"
    assert [s.fragments for s in speaker_spans(doc)] == [((5, 15),), ((23, 26),)]
    assert [doc.text[a:b] for s in speaker_spans(doc) for a, b in s.fragments] == ["Anna Smith", "Bob"]
    assert [e.name for e in doc.entities] == ["Anna Smith", "Bob"]
    # aligned to a text with other whitespace, the offsets are that text's code points
    (aligned,) = read_webanno_tsv(path, text="Hi  😀\nAnna Smith said.\n\n😀Bob left .")
    assert [s.fragments for s in speaker_spans(aligned)] == [((6, 16),), ((25, 28),)]


def test_escaped_characters_are_unescaped(tmp_path):
    path = write(tmp_path, "#FORMAT=WebAnno TSV 3.2\n#T_SP=webanno.custom.Referent|entity|identity\n\n\n"
                 "#Text=AT|T _ C:\\\\x said\n"
                 "1-1\t0-4\tAT\\|T\tperson[1]|organization[2]\t*[1]|AT\\&T\\_Inc\\[x\\]\\|y[2]\n"
                 "1-2\t5-6\t\\_\t_\t_\n"
                 "1-3\t7-11\tC:\\\\x\tperson\t*\n"
                 "1-4\t12-16\tsaid\t_\t_\n")
    (doc,) = read_webanno_tsv(path)
    assert doc.text == "AT|T _ C:\\x said\n"
    assert sorted((doc.text[s.fragments[0][0]:s.fragments[0][1]], s.entity) for s in speaker_spans(doc)) == [
        ("AT|T", "e1"), ("AT|T", "e2"), ("C:\\x", "e3")]
    assert [(e.type, e.notes) for e in doc.entities] == [
        ("person", ""), ("organization", "Wikipedia: AT\\&T_Inc[x]|y"), ("person", "")]


def test_chain_layers_group_their_links_and_typed_chains_become_entities(tmp_path):
    path = write(tmp_path, "#FORMAT=WebAnno TSV 3.2\n"
                 "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value\n"
                 "#T_CH=de.tudarmstadt.ukp.dkpro.core.api.coref.type.CoreferenceLink|referenceRelation|referenceType\n\n\n"
                 "#Text=Tom Lee said he saw Acme .\n"
                 "1-1\t0-3\tTom\t*[1]\tPER[1]\tcoref->1-1\tnam[1]\n"
                 "1-2\t4-7\tLee\t*[1]\tPER[1]\tcoref->1-1\tnam[1]\n"
                 "1-3\t8-12\tsaid\t_\t_\t_\t_\n"
                 "1-4\t13-15\the\t_\t_\t*->1-2\tpro\n"
                 "1-5\t16-19\tsaw\t_\t_\t_\t_\n"
                 "1-6\t20-24\tAcme\t*\tORG\t_\t_\n"
                 "1-7\t25-26\t.\t_\t_\t_\t_\n\n"
                 "#Text=It rained there .\n"
                 "2-1\t27-29\tIt\t_\t_\t*->2-1\tpro\n2-2\t30-36\trained\t_\t_\t_\t_\n"
                 "2-3\t37-42\tthere\t_\t_\t*->2-2\tpro\n2-4\t43-44\t.\t_\t_\t_\t_\n")
    (doc,) = read_webanno_tsv(path)
    assert [(e.name, e.type) for e in doc.entities] == [("Tom Lee", "person"), ("Acme", "organization")]
    assert [(doc.text[s.fragments[0][0]:s.fragments[0][1]], s.entity) for s in speaker_spans(doc)] == [
        ("Tom Lee", "e1"), ("he", "e1"), ("Acme", "e2")]
    (note,) = doc.notes
    assert "(no type) 2" in note and "referenceRelation" in note


def test_other_layers_and_relations_are_counted_in_the_note(tmp_path):
    path = write(tmp_path, "#FORMAT=WebAnno TSV 3.3\n"
                 "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS|PosValue\n"
                 "#T_SP=webanno.custom.Referent|entity\n"
                 "#T_RL=webanno.custom.Coref|type|BT_webanno.custom.Referent\n\n\n"
                 "#Text=Ann met Bob in Rome\n"
                 "1-1\t0-3\tAnn\tNNP\tperson[1]\t_\t_\n"
                 "1-2\t4-7\tmet\tVBD\t_\t_\t_\n"
                 "1-3\t8-11\tBob\tNNP\tperson[2]\tcoref|bridge\t1-1[1_2]|1-5[3_2]\n"
                 "1-4\t12-14\tin\tIN\t_\t_\t_\n"
                 "1-5\t15-19\tRome\tNNP\tplace[3]\t_\t_\n")
    (doc,) = read_webanno_tsv(path)
    assert len(doc.entities) == 1 and partition(doc) == {frozenset({(0, 3), (8, 11)})}
    (note,) = doc.notes
    assert "2 person/organization mentions imported as speakers of 1 entities" in note
    assert "place 1" in note and "bridge 1" in note and "POS 5" in note


# --- malformed input ------------------------------------------------------------------------------


TOKENS_OK = "#Text=Ann met Bob\n1-1\t0-3\tAnn\t*\tPER\n1-2\t4-7\tmet\t_\t_\n"


@pytest.mark.parametrize("body, line, words", [
    ("#Text=Ann\n1-1\t0-3\tAnn\n", 1, "not a WebAnno TSV file"),
    ("", 1, "not a WebAnno TSV file"),
    ("#FORMAT=WebAnno TSV 2\n\n1-1\t0-3\tAnn\n", 1, "version '2' is not supported"),
    ("#FORMAT=WebAnno TSV 4.0\n\n1-1\t0-3\tAnn\n", 1, "version '4.0' is not supported"),
    (HEADER_NE + TOKENS_OK + "1-3\t9-8\tBob\t_\t_\n", 8, "bad offsets 9-8"),
    (HEADER_NE + TOKENS_OK + "1-3\t8-x\tBob\t_\t_\n", 8, "bad offsets '8-x'"),
    (HEADER_NE + TOKENS_OK + "1-3\t8-12\tBob\t_\t_\n", 8, "bad offsets 8-12 for the token 'Bob'"),
    (HEADER_NE + TOKENS_OK + "1-3\t5-8\tBob\t_\t_\n", 8, "starts before the previous one ends"),
    (HEADER_NE + TOKENS_OK + "1-2.1\t0-1\tA\t_\t_\n", 8, "not inside token 1-2"),
    (HEADER_NE + TOKENS_OK + "1-3\t8-11\tBob\t_\n", 8, "4 columns, but the layers declared need 5"),
    (HEADER_NE + TOKENS_OK + "Bob\tPER\n", 8, "not a token line"),
    ("#FORMAT=WebAnno TSV 3.2\n#T_RL=webanno.custom.Coref|type|BT_webanno.custom.Referent\n\n"
     "1-1\t0-3\tAnn\tcoref\tnowhere\n", 4, "bad relation address 'nowhere'"),
])
def test_malformed_files_name_the_file_and_the_line(tmp_path, body, line, words):
    path = write(tmp_path, body, "broken.tsv")
    with pytest.raises(InputError) as info:
        read_webanno_tsv(path)
    message = str(info.value)
    assert str(path) in message and f"line {line}:" in message and words in message


def test_a_file_without_tokens_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"broken\.tsv: no token lines"):
        read_webanno_tsv(write(tmp_path, HEADER_NE + "#Text=\n", "broken.tsv"))


def test_a_token_missing_from_the_given_text_names_its_line(tmp_path):
    path = write(tmp_path, HEADER_NE + TOKENS_OK)
    with pytest.raises(InputError, match=r"doc\.tsv: line 7: token 'met' not found in the given text at offset 4"):
        read_webanno_tsv(path, text="Ann saw Bob")


def test_unknown_options_and_unreadable_files_are_refused(tmp_path):
    path = write(tmp_path, HEADER_NE + TOKENS_OK)
    with pytest.raises(InputError, match="unknown option layer for webanno-tsv"):
        read_webanno_tsv(path, layer="x")
    with pytest.raises(InputError, match="option text must be a text or a file"):
        read_webanno_tsv(path, text=3)
    with pytest.raises(InputError, match="missing.tsv: cannot read"):
        read_webanno_tsv(tmp_path / "missing.tsv")
    (tmp_path / "latin1.tsv").write_bytes(b"#FORMAT=WebAnno TSV 3.3\n\n#Text=caf\xe9\n")
    with pytest.raises(InputError, match="latin1.tsv: not UTF-8"):
        read_webanno_tsv(tmp_path / "latin1.tsv")


def test_stacked_annotations_get_their_own_features_by_id():
    """GUM_news_defector.tsv token 1-1: ``person[1]|organization[2]`` with the identity
    ``Church_of_Scientology[2]``: the link is annotation 2's (the Church), not Montalvo's."""
    (doc,) = read_webanno_tsv(tsv_path("defector"), text=WIKINEWS / "defector.txt")
    entities = {e.key: e for e in doc.entities}
    montalvo = next(e for e in doc.entities if e.name == "Daniel Montalvo")
    assert montalvo.type == "person" and "Scientology" not in montalvo.notes
    headline = {s.fragments[0]: entities[s.entity] for s in speaker_spans(doc) if s.fragments[0][0] == 0}
    # annotation 1: "Scientology defector" (Montalvo); annotation 2: "Scientology" (the Church)
    assert headline[(0, 20)] is montalvo
    church = headline[(0, 11)]
    assert (church.name, church.type, church.notes) == ("Scientology", "organization", "Wikipedia: Church_of_Scientology")
    assert all(e.type == "organization" for e in doc.entities if "Church_of_Scientology" in e.notes)


def test_stacked_values_align_by_id_and_untagged_ones_by_position(tmp_path):
    path = write(tmp_path, "#FORMAT=WebAnno TSV 3.2\n#T_SP=webanno.custom.Referent|entity|identity\n\n\n"
                 "#Text=Acme Bob Carl\n"
                 "1-1\t0-4\tAcme\tperson[1]|organization[2]|person[3]\tAcme_Corp[2]|Someone[3]\n"
                 "1-2\t5-8\tBob\tperson|organization\tBob_Page|Bob_Inc\n"
                 "1-3\t9-13\tCarl\tperson[4]\t_\n")
    (doc,) = read_webanno_tsv(path)
    got = sorted((doc.text[slice(*s.fragments[0])], e.type, e.notes)
                 for s in speaker_spans(doc) for e in doc.entities if e.key == s.entity)
    assert got == [("Acme", "organization", "Wikipedia: Acme_Corp"), ("Acme", "person", ""),
                   ("Acme", "person", "Wikipedia: Someone"), ("Bob", "organization", "Wikipedia: Bob_Inc"),
                   ("Bob", "person", "Wikipedia: Bob_Page"), ("Carl", "person", "")]


# --- issue 8 kind 11: mentions that are not speakers keep their own labels ---------------------


def test_kind11_places_events_and_quantities_are_not_speakers():
    (doc,) = read_webanno_tsv(tsv_path("korea"), text=WIKINEWS / "korea.txt")
    by_label: dict[str, list[str]] = {}
    for s in doc.spans:
        by_label.setdefault(s.label, []).append(doc.text[s.fragments[0][0]:s.fragments[0][1]])
    assert "place" in by_label and "speaker" in by_label
    assert not any(s.entity for s in doc.spans if s.label != "speaker")
    assert set(doc.labels) == set(by_label) - {"speaker"}
    speakers = set(by_label["speaker"])
    assert not speakers & set(by_label["place"])


def test_kind11_option_speakers_person_only():
    (doc,) = read_webanno_tsv(tsv_path("korea"), text=WIKINEWS / "korea.txt", speakers="person")
    assert {e.type for e in doc.entities} <= {"person"}
    assert "organization" in {s.label for s in doc.spans}
    with pytest.raises(InputError, match="the option speakers takes person and / or organization"):
        read_webanno_tsv(tsv_path("korea"), speakers="place")
