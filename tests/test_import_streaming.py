"""Issue 10, memory flat in corpus size: imports stream in batches, are journalled by
document id (cheap undo), and the input limit guards memory, not file size."""
from __future__ import annotations

import io
import json

import pytest

from annotator.core import textfile
from annotator.core.errors import ChangedElsewhereError, InputError
from annotator.core.model import NewDocument, NewSpan
from annotator.core.store import Store, import_writer, journal
from annotator.formats.registry import export_items, get_format
from annotator.services.importing import ImportCancelled, import_paths


def docs(n: int, start: int = 0) -> list[NewDocument]:
    out = []
    for i in range(start, start + n):
        text = f"Article {i}\n\nMayor Ann Lee said the budget {i} was final."
        spans = [NewSpan("m", "speaker", ((13, 25),)), NewSpan("q", "cue", ((26, 30),)),
                 NewSpan("c", "claim", ((31, len(text) - 1),), source="m", cue="q", polarity="neutral")]
        out.append(NewDocument(title=f"A{i}", text=text, spans=spans, origin=f"f.json#{i}"))
    return out


def content(store: Store) -> dict:
    return {t: store.db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in ("documents", "spans", "relations", "entities")}


def test_an_import_is_journalled_by_document_id_not_row_by_row(monkeypatch):
    monkeypatch.setattr(import_writer, "BATCH", 4)
    store = Store.memory()
    report, change = store.import_documents(docs(10))
    assert len(report.added) == 10 and report.spans == 30
    assert change.imported.ids == tuple(report.added)
    assert [i.kind for i in change.items] == ["entities"]  # the one new speaker; no span, no document rows
    assert {d.id for d in change.documents.added} == set(report.added) and change.imported_documents == 10
    assert change.inverted().imported_documents == -10


def test_undo_removes_the_documents_with_their_rows_and_redo_brings_them_back(monkeypatch):
    monkeypatch.setattr(import_writer, "BATCH", 3)
    store = Store.memory()
    store.import_documents(docs(2, start=100))
    before = content(store)
    _, change = store.import_documents(docs(7))
    after = content(store)
    store.apply(change.inverted())
    assert content(store) == before
    store.apply(change)
    assert content(store) == after
    store.apply(change.inverted())
    assert content(store) == before


def test_undo_refuses_when_an_imported_span_changed_since():
    store = Store.memory()
    _, change = store.import_documents(docs(3))
    claim = next(s for s in store.spans(change.imported.ids[1]) if s.label == "claim")
    store.update_span(claim.id, polarity="negative")
    before = content(store)
    with pytest.raises(ChangedElsewhereError, match="changed or deleted after it"):
        store.apply(change.inverted())
    assert content(store) == before


def test_undo_applies_again_once_the_later_edit_is_undone():
    store = Store.memory()
    _, change = store.import_documents(docs(3))
    cue = next(s for s in store.spans(change.imported.ids[0]) if s.label == "cue")
    store.update_span(next(s.id for s in store.spans(change.imported.ids[0]) if s.label == "claim"), cue_id=None)
    store.apply(store.last_change.inverted())  # undone again: the fingerprint is back
    store.apply(change.inverted())  # so the import's undo applies
    assert store.document_count() == 0 and cue.id not in {s.id for d in store.document_ids() for s in store.spans(d)}


def test_a_large_import_is_undone_but_not_redone(monkeypatch):
    monkeypatch.setattr(journal, "REDO_ROWS", 5)
    store = Store.memory()
    _, change = store.import_documents(docs(4))
    store.apply(change.inverted())
    assert store.document_count() == 0
    with pytest.raises(InputError, match="cannot be redone.*import the files again"):
        store.apply(change)
    assert store.document_count() == 0


def test_a_bad_document_in_a_later_batch_rolls_back_the_earlier_batches(monkeypatch):
    monkeypatch.setattr(import_writer, "BATCH", 2)
    store = Store.memory()
    bad = docs(7)
    bad[5].spans.append(NewSpan("x", "claim", ((0, 9999),)))
    with pytest.raises(InputError, match="f.json#5"):
        store.import_documents(bad)
    assert store.document_count() == 0 and not store.entities()


def test_a_bad_file_inside_a_skip_bad_import_is_rolled_back_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(import_writer, "BATCH", 2)
    store = Store.memory()
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.json"
    write(store, docs(3), good, "jsonl")
    write(store, docs(5, start=50), bad, "json")
    text = bad.read_text(encoding="utf-8")
    bad.write_text(text.replace('"label": "claim"', '"label": "rumour"', 1).replace("A54", "A54\u0000"), encoding="utf-8")
    target = Store.memory()
    report = import_paths(target, [good, bad], skip_bad=True)
    assert len(report.added) == 3 and any("bad.json" in line for line in report.skipped)
    assert target.document_count() == 3
    target.apply(target.last_change.inverted())
    assert target.document_count() == 0


def write(store: Store, documents: list[NewDocument], path, fmt: str) -> None:
    source = Store.memory()
    source.import_documents(documents)
    buffer = io.StringIO()
    get_format(fmt).writer(export_items(source), buffer, source.schema)
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_native_files_over_the_limit_import_document_by_document(tmp_path, monkeypatch, fmt):
    path = tmp_path / f"big.{fmt}"
    write(Store.memory(), docs(30), path, fmt)
    monkeypatch.setattr(textfile, "MAX_FILE_BYTES", path.stat().st_size // 4)  # files read whole are refused
    store = Store.memory()
    report = import_paths(store, [path])
    assert len(report.added) == 30 and report.spans == 90
    assert [store.document(i).title for i in report.added[:2]] == ["A0", "A1"]


def test_a_format_read_whole_is_refused_over_the_limit_naming_file_size_and_limit(tmp_path, monkeypatch):
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([{"data": {"text": "x" * 5000}}]), encoding="utf-8")
    monkeypatch.setattr(textfile, "MAX_FILE_BYTES", 1024 * 1024 // 1000)
    with pytest.raises(InputError) as info:
        import_paths(Store.memory(), [path], fmt="label-studio")
    message = str(info.value)
    assert "tasks.json" in message and "too large" in message and "limit" in message and "MB" in message


def test_a_cancelled_import_stores_nothing(tmp_path):
    path = tmp_path / "a.jsonl"
    write(Store.memory(), docs(450), path, "jsonl")
    store = Store.memory()
    calls = []

    def progress(done, total, name):
        calls.append(name)
        return "200 documents" not in name  # cancel after the first batch was written

    with pytest.raises(ImportCancelled):
        import_paths(store, [path], progress=progress)
    assert store.document_count() == 0 and not store.entities()
    assert calls[0] == "a.jsonl" and "a.jsonl (200 documents)" in calls


def test_a_streamed_json_file_with_bad_json_names_the_file_line_and_column(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    write(Store.memory(), docs(20), path, "json")
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(n for n, line in enumerate(lines) if '"A12"' in line)
    lines[at] = lines[at].replace('"title": "A12"', '"title" "A12"')
    path.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setattr(textfile, "MAX_FILE_BYTES", path.stat().st_size // 4)
    store = Store.memory()
    with pytest.raises(InputError, match=rf"big.json: not valid JSON: Expecting ':' delimiter at line {at + 1}, column"):
        import_paths(store, [path])
    assert store.document_count() == 0


def claim_index(store: Store) -> set[int]:
    return {r[0] for r in store.db.execute("SELECT rowid FROM fts_claims").fetchall()}


def triggers(store: Store) -> set[str]:
    return {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()}


def test_imported_claims_are_indexed_in_bulk_and_the_triggers_come_back(monkeypatch):
    monkeypatch.setattr(import_writer, "BATCH", 4)
    store = Store.memory()
    had = triggers(store)
    assert {"fts_claims_ai", "fts_claims_ai_far"} <= had
    report, _ = store.import_documents(docs(9))
    claims = {s.id for d in report.added for s in store.spans(d) if s.label == "claim"}
    assert len(claims) == 9 and claim_index(store) == claims
    assert triggers(store) == had and not store.db.execute("SELECT * FROM fts_claims_pending").fetchall()
    doc = report.added[0]
    store.add_span(doc, "claim", ((0, 7),))  # an edit after the import: its trigger indexes it at once
    assert len(claim_index(store)) == 10
    bad = docs(3, start=40)
    bad[2].spans.append(NewSpan("x", "claim", ((0, 9999),)))
    with pytest.raises(InputError):
        store.import_documents(bad)
    assert triggers(store) == had and len(claim_index(store)) == 10


def test_the_last_progress_call_comes_after_the_commit_and_cannot_cancel(tmp_path):
    path = tmp_path / "a.jsonl"
    write(Store.memory(), docs(3), path, "jsonl")
    store = Store.memory()
    calls = []
    report = import_paths(store, [path], progress=lambda done, total, name: calls.append((done, total, name)) or name != "")
    assert len(report.added) == 3 and store.document_count() == 3
    assert calls == [(0, 1, "a.jsonl"), (0, 1, "a.jsonl (3 documents)"), (1, 1, "")]
