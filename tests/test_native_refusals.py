"""Native JSON / JSON Lines files that must be refused: the message names the file, the
document, the span, and why; nothing of a refused file is stored (cli_cases S06, S07, S13;
known-faults B11, B14). No Qt.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.core.store import Store
from annotator.services.importing import import_paths


def native(tmp_path: Path, docs: list, name: str = "in.json", **top) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"format": "annotator", "version": 1, **top, "documents": docs}, ensure_ascii=False),
                    encoding="utf-8")
    return path


BAD_SPAN = {"id": "s1", "label": "claim", "start": 0, "end": 5}


@pytest.mark.parametrize("doc, expected", [
    ({"title": "no text"}, "has no text"),
    ({"text": ""}, "has no text"),
    ({"text": "Hello world", "spans": [dict(BAD_SPAN, text="Hullo")]}, "differs from the document's text"),
    ({"text": "Hello world", "spans": [dict(BAD_SPAN, fragments=[[0, 4]])]}, "disagrees with its fragments"),
    ({"text": "Police said the suspect fled.", "spans": [{"id": "s1", "label": "speaker", "start": 12, "end": 12}]},
     "zero-length"),  # S06 / B11
    ({"text": "Short text.", "spans": [{"id": "s1", "label": "claim", "start": 6, "end": 40}]}, "outside the text"),  # S07
    ({"text": "Hello world", "spans": [dict(BAD_SPAN, label="topic")]}, "unknown label 'topic'"),
    ({"text": "Hello world", "spans": [{"id": "s1", "label": "speaker", "start": 0, "end": 5, "entity": "e7"}]},
     "entity 'e7' is not among"),
    ({"text": "Hello world", "spans": [dict(BAD_SPAN, speaker="e7")]}, "speaker 'e7' is not among"),
    ({"text": "Hello world", "spans": [dict(BAD_SPAN, source="s9")]}, "source 's9' is not a span"),
    ({"text": "Hello world", "spans": [BAD_SPAN, {"id": "s2", "label": "claim", "start": 6, "end": 11, "source": "s1"}]},
     "is not a speaker span"),
    ({"text": "Hello world", "spans": [dict(BAD_SPAN, start="0")]}, "not whole numbers"),
    ({"text": "Hello world", "entities": [{"id": "e1", "name": "A"}, {"id": "e1", "name": "B"}]}, "used twice"),
    ({"text": "Hello world", "entities": [{"id": "e1", "name": " "}]}, "has no name"),
    ({"text": "Hello world", "spans": [dict(BAD_SPAN, form="shouted")]}, "form 'shouted'"),
    ({"text": "Hello world", "spans": [BAD_SPAN, dict(BAD_SPAN, start=6, end=11)]}, "used twice"),
    ({"text": "Hello world", "status": "archived"}, "status 'archived'"),
    ("not an object", "must be a JSON object"),
])
def test_bad_documents_are_refused_naming_file_and_span(tmp_path, doc, expected):
    store = Store.memory()
    import_paths(store, [native(tmp_path, [{"text": "kept"}], "ok.json")])
    path = native(tmp_path, [{"text": "fine document"}, doc], "bad-file.json")
    with pytest.raises(InputError) as info:
        import_paths(store, [path])
    message = str(info.value)
    assert "bad-file.json" in message and expected in message
    if isinstance(doc, dict) and doc.get("spans"):
        assert "'s1'" in message or "'s2'" in message
    assert store.document_count() == 1  # nothing of the file was stored, not even its good document


@pytest.mark.parametrize("content, expected", [
    ('{"format": "annotator", "version": 1, "documents": [{"title": "x", "text": "abc", ', "not valid JSON"),  # S13
    ('{"version": 1, "documents": []}', "not an Annotator JSON file"),
    ('{"format": "doccano", "documents": []}', "found 'doccano'"),
    ('{"format": "annotator", "version": 3, "documents": []}', "written by a newer Annotator"),
    ('{"format": "annotator", "version": "1", "documents": []}', "whole number"),
    ('{"format": "annotator", "version": 1, "documents": {}}', "must be a list"),
    ('{"format": "annotator", "version": 1, "schema": [], "documents": []}', "\"schema\" must be an object"),
    ('[1, 2]', "not an Annotator JSON file"),
    ('', "the file is empty"),
])
def test_bad_files_are_refused(tmp_path, content, expected):
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=expected) as info:
        import_paths(Store.memory(), [path])
    assert str(info.value).startswith("broken.json: ")


def test_bad_json_names_line_and_column(tmp_path):
    path = tmp_path / "b.json"
    path.write_text('{"format": "annotator",\n "version": 1,\n "documents": [}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"b\.json: not valid JSON: .* at line 3, column 16"):
        import_paths(Store.memory(), [path])


def test_schema_absent_uses_default_and_file_schema_is_checked(tmp_path):
    store = Store.memory()
    import_paths(store, [native(tmp_path, [{"text": "abc", "spans": [{"id": "x", "label": "cue", "start": 0, "end": 3}]}])])
    assert store.stats()["spans"]["cue"] == 1
    schema = dict(store.schema.to_dict(), labels=[{"name": "claim"}])
    path = native(tmp_path, [{"text": "abc", "spans": [{"id": "x", "label": "cue", "start": 0, "end": 3}]}], "s.json", schema=schema)
    with pytest.raises(InputError, match="s.json: document 1: span 'x': unknown label 'cue'"):
        import_paths(store, [path])


def test_undeclared_label_is_refused(tmp_path):
    doc = {"text": "Acme Bank", "spans": [{"id": "o", "label": "ORG", "start": 0, "end": 4}]}
    with pytest.raises(InputError, match=r"in\.json: document 1: span 'o': unknown label 'ORG'"):
        import_paths(Store.memory(), [native(tmp_path, [doc])])
    doc = dict(doc, relations=[{"id": "r", "type": "t", "from": "o", "to": "zz"}], labels=["ORG"])
    with pytest.raises(InputError, match="relation 'r': \"to\" 'zz' is not a span"):
        import_paths(Store.memory(), [native(tmp_path, [doc])])


def test_a_json_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    from annotator.core import textfile
    from annotator.formats.native_reader import read_json

    path = tmp_path / "huge.json"
    path.write_text('{"format": "annotator", "version": 1, "documents": []}', encoding="utf-8")
    monkeypatch.setattr(textfile, "MAX_FILE_BYTES", 10)
    with pytest.raises(InputError, match=r"huge\.json: the file is too large"):
        read_json(path)
