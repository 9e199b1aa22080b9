"""Opening a project, with the sample articles when the default project is new.

A service (:mod:`annotator.services`): the samples are read with the native JSON reader of
:mod:`annotator.formats`, so this cannot live in the core. Where the default project lives
is the core's (:mod:`annotator.core.project`). Pure Python (never imports Qt).
"""
from __future__ import annotations

import json
from pathlib import Path

from annotator.core.model import NewDocument
from annotator.core.project import default_project_path
from annotator.core.resources import resource
from annotator.core.store import ImportReport, Store
from annotator.core.textfile import MAX_TITLE_CHARS, decode_text, normalize_newlines
from annotator.formats.native_reader import read_json


def open_project(path: Path | None = None, annotator: str = "") -> Store:
    """Open the project file ``path`` (created when absent) or, for None, the default project.

    When the default project file does not exist yet, it is created and the sample articles
    of ``resources/samples/`` are imported into it (once: a user who later deletes them all
    does not get them back). ``annotator`` names who writes (``Store.annotator`` stamps every
    span, entity, relation and document status written through the store). Raises InputError naming the file when it is not an Annotator
    project, is damaged or was written by a newer Annotator.
    """
    if path is not None:
        return Store.open(path, annotator=annotator)
    path = default_project_path()
    is_new = not path.exists()
    store = Store.open(path, annotator=annotator)
    if is_new and store.document_count() == 0:
        try:
            import_samples(store)
        except Exception:
            store.close()
            raise
    return store


def sample_documents() -> list[NewDocument]:
    """The shipped sample articles: first the annotated ones (``resources/samples/*.annotator.json``,
    native JSON), then the plain ``*.txt`` articles sorted by file name, as documents with
    title = first non-blank line and source = the article's URL from sources.json."""
    folder = resource("samples")
    sources_file = folder.joinpath("sources.json")
    sources = json.loads(sources_file.read_text(encoding="utf-8")) if sources_file.is_file() else {}
    docs = []
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if item.name.endswith(".annotator.json"):
            docs.extend(read_json(Path(str(item))))
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if not item.name.endswith(".txt"):
            continue
        text = normalize_newlines(decode_text(item.read_bytes(), item.name))
        title = next((line.strip() for line in text.split("\n") if line.strip()), item.name)[:MAX_TITLE_CHARS]
        docs.append(NewDocument(title=title, text=text, source=sources.get(item.name, item.name), origin=item.name))
    return docs


def import_samples(store: Store) -> ImportReport:
    """Import the sample articles into ``store`` (one transaction; ones already there are skipped)."""
    report, _change = store.import_documents(sample_documents())
    return report
