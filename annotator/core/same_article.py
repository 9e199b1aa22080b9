"""Probably the same article: a document whose text has the same characters as another's
once all whitespace is taken out ("same words, different spacing"), as a tokenised copy of an
article (a WebAnno TSV or CoNLL-U file rebuilt with spaces between tokens) has.

Exact copies are the store's business (documents are unique by text); this finds the
near copies the store cannot see, so that an import reports them rather than adding a
second document silently. Pure Python; the key of a text is
``sha256(NFC(text) without whitespace)``.
"""
from __future__ import annotations

import hashlib
import unicodedata
from typing import Iterable

from annotator.core.model import NewDocument


def spacing_key(text: str) -> str:
    """The text's key: SHA-256 hex of its NFC form with every ``str.isspace()`` character
    removed (so "U.S. , he said" and "U.S., he said" have one key)."""
    return hashlib.sha256("".join(unicodedata.normalize("NFC", text).split()).encode("utf-8")).hexdigest()


def probable_copies(store, docs: Iterable[NewDocument]) -> list[str]:
    """One note per document of ``docs`` that is probably the same article as a document of
    ``store`` (a :class:`~annotator.core.store.Store`) or an earlier one of ``docs``: same
    characters apart from whitespace, but not the same text. Reads every document text of
    the project once, in one query (O(project size))."""
    docs = list(docs)
    if not docs:
        return []
    seen: dict[str, tuple[str, str]] = {}  # key -> (text, how to name it)
    for doc_id, title, text in store.document_texts():
        seen.setdefault(spacing_key(text), (text, f"document {doc_id} {title!r} of the project"))
    notes = []
    for doc in docs:
        key = spacing_key(doc.text)
        other = seen.get(key)
        name = doc.origin or doc.title
        if other is not None and other[0] != doc.text:
            notes.append(f"{name}: probably the same article as {other[1]} (the same words with different spacing, "
                         f"as a tokenised copy has); imported as a document of its own")
        else:
            seen.setdefault(key, (doc.text, f"{name} {doc.title!r}"))
    return notes
