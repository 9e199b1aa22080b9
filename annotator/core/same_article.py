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
    the project once, in one query (O(project size)); see :class:`CopyFinder`."""
    finder = CopyFinder(store)
    return [note for doc in docs for note in [finder.check(doc)] if note]


class CopyFinder:
    """:func:`probable_copies` one document at a time (an import that streams its files).
    Keeps per text seen two SHA-256 digests and a name (about 200 bytes), never the text."""

    def __init__(self, store):
        self.seen: dict[str, tuple[str, str]] = {}  # key -> (sha256 of the text, how to name it)
        for doc_id, title, text in store.document_texts():
            self.seen.setdefault(spacing_key(text), (_sha(text), f"document {doc_id} {title!r} of the project"))

    def check(self, doc: NewDocument) -> str | None:
        """The note for ``doc`` (None if it is no near copy); remembers it for later ones."""
        key, sha = spacing_key(doc.text), _sha(doc.text)
        other = self.seen.get(key)
        if other is not None and other[0] != sha:
            return (f"{doc.origin or doc.title}: probably the same article as {other[1]} (the same words with "
                    "different spacing, as a tokenised copy has); imported as a document of its own")
        self.seen.setdefault(key, (sha, f"{doc.origin or doc.title} {doc.title!r}"))
        return None


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
