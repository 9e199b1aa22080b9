"""Importing never executes or loads anything from a file, and exports write only where
the user chose (issue 4, "Security")."""
from __future__ import annotations

import ast
import socket
from pathlib import Path

import pytest

from annotator.core.model import NewDocument
from annotator.core.store import Store
from annotator.services.importing import export_to, import_paths

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_MODULES = {"pickle", "marshal", "shelve", "dill", "yaml", "subprocess", "xml.etree.ElementTree",
                     "xml.dom.minidom", "xml.sax", "urllib.request", "http.client", "requests"}


def python_files():
    return sorted((ROOT / "annotator").rglob("*.py"))


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_code_loading_or_unsafe_parsers_in_the_product(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in FORBIDDEN_CALLS, f"{path}:{node.lineno} calls {node.func.id}"
        if isinstance(node, ast.Import):
            names = {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        else:
            continue
        assert not names & FORBIDDEN_MODULES, f"{path}:{node.lineno} imports {names & FORBIDDEN_MODULES}"


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("an import tried to open a network connection")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_hostile_files_are_parsed_never_followed(tmp_path, no_network):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(
        f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<html><head><title>Hostile page</title><link rel="stylesheet" href="http://example.invalid/x.css">'
        '<script>alert("run me")</script></head><body><article><h1>Hostile page</h1>'
        '<p>The mayor said the bridge would reopen next week, officials confirmed on Monday.</p>'
        '<p>&xxe; <img src="http://example.invalid/track.png"> <iframe src="http://example.invalid/"></iframe>'
        'Residents welcomed the news after months of detours.</p></article></body></html>', encoding="utf-8")
    pickle_like = tmp_path / "data.json"
    pickle_like.write_text('{"format": "annotator", "version": 1, "documents": [{"title": "__import__(\'os\')",'
                           ' "text": "eval(\\"1+1\\") is only text here."}]}', encoding="utf-8")
    store = Store.memory()
    import_paths(store, [page, pickle_like])
    texts = [store.document(i.id).text for i in store.document_infos()]
    assert not any("TOP SECRET" in t or "alert(" in t for t in texts)
    assert any("bridge would reopen" in t for t in texts)
    assert 'eval("1+1") is only text here.' in texts


def test_export_writes_only_the_chosen_file_or_folder(tmp_path):
    store = Store.memory()
    store.import_documents([NewDocument(title="../../escape", text="Text of a document titled like a path.")])
    before = {p for p in tmp_path.rglob("*")}
    out = tmp_path / "chosen" / "out.json"
    out.parent.mkdir()
    export_to(store, "json", out)
    folder = tmp_path / "brat-out"
    export_to(store, "brat", folder)
    after = {p for p in tmp_path.rglob("*")}
    new = after - before
    assert all(p == out.parent or p == out or p == folder or folder in p.parents for p in new), sorted(new)
