"""Building export items for the tests of token-based exports (CoNLL, spaCy)."""
from __future__ import annotations

from annotator.core.model import Document, NewDocument, NewSpan, Span
from annotator.core.store import Store
from annotator.formats.registry import ExportItem


def stored(*docs: NewDocument) -> Store:
    """A memory store holding ``docs``."""
    store = Store.memory()
    store.import_documents(list(docs))
    return store


def new_doc(text: str, spans, labels=(), **fields) -> NewDocument:
    """A document with one-fragment spans given as (start, end, label)."""
    return NewDocument(title="t", text=text, labels=list(labels), origin="test.json",
                       spans=[NewSpan(f"s{k}", label, ((a, b),)) for k, (a, b, label) in enumerate(spans, 1)], **fields)


def direct(text: str, spans, doc_id: int = 1) -> ExportItem:
    """An item built without the store (for spans the store refuses, e.g. zero-length):
    spans given as (label, (start, end)) or (label, ((start, end), ...))."""
    return ExportItem(Document(doc_id, "t", text), [Span(k, doc_id, label, tuple(frags) if isinstance(frags[0], tuple)
                                                         else (frags,)) for k, (label, frags) in enumerate(spans, 1)], [])
