"""The one registry of file formats: the command line and the window's Import / Export
menus are both built from it (as doccano's format catalog and Label Studio's converters).

Each format is one module of this package that calls :func:`register` once at import
time with a :class:`Format`; :func:`formats` imports every module of the package.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from annotator.core.errors import InputError
from annotator.core.model import Document, Entity, NewDocument, Relation, Span

FIRST_FORMATS = ("json", "jsonl", "text")  # listed (and detected) first; the rest by name


@dataclass(frozen=True)
class ExportItem:
    """One document to export, with its spans (sorted), the entities they refer to, and its
    generic relations."""

    document: Document
    spans: list[Span]
    entities: list[Entity]
    relations: list[Relation] = field(default_factory=list)


@dataclass
class ExportReport:
    """What a writer could not carry (``dropped``) and what the reader of the file should know
    although nothing was lost (``notes``: "offsets are UTF-16 code units"): one
    human-readable line each, shown in the window and printed on stderr by the command line
    ("annotator: not exported: ..." / "annotator: note: ...").

    A writer reports each thing once: one line per entity, not one per mention of it."""

    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def drop(self, line: str) -> None:
        """Add ``line`` to ``dropped`` unless it is there already."""
        if line not in self.dropped:
            self.dropped.append(line)


def group_lines(lines: Iterable[str]) -> list[str]:
    """Identical lines once each, in first-seen order, with their count when repeated:
    ``"... (×45)"``. For showing a report (the command line, the window)."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    return [line if n == 1 else f"{line} (×{n})" for line, n in counts.items()]


Reader = Callable[..., list[NewDocument]]
"""``reader(path, **options)`` reads one file (or one folder, for folder formats) and
returns its documents; raises InputError naming the file (and line) for bad input. What it
read but could not import (unmapped types, ...) goes into each NewDocument's ``notes``.
Options are format-specific keywords (e.g. ``mapping`` for brat); a reader ignores none
silently: it raises InputError for an option it does not know."""

Writer = Callable[..., ExportReport]
"""``writer(items, stream, schema, **options)`` writes all items to an open stream (text or
binary as ``Format.binary`` says). Options are format-specific keywords (e.g. ``layer`` for
CoNLL); an unknown option raises InputError. Everything it cannot carry is listed in the
returned report's ``dropped``, never lost silently, each thing once; what a reader of the
file should know about it (the unit of its offsets) goes to ``notes``."""

FolderWriter = Callable[..., ExportReport]
"""``folder_writer(items, folder, schema, **options)`` writes one or more files per document
into a folder (formats such as brat standoff)."""


@dataclass(frozen=True)
class Format:
    """A registered format. ``extensions`` are lower-case with the dot (".json").
    ``carries`` / ``cannot_carry`` say, for ``annotator formats`` and the docs, what
    survives a trip through the format."""

    name: str
    description: str
    extensions: tuple[str, ...] = ()
    reader: Reader | None = None
    writer: Writer | None = None
    folder_writer: FolderWriter | None = None
    binary: bool = False
    reads_folders: bool = False
    carries: str = ""
    cannot_carry: str = ""
    sniff: Callable[[Path], bool] | None = None  # for extensions shared by several formats
    owns_folder: Callable[[Path], bool] | None = None  # a folder that is one of this format's (brat)
    skips_records: bool = False  # its reader takes ``bad_records`` (a list) to skip bad lines
    # the same as ``reader`` but yielding documents one by one in bounded memory (imports use it)
    stream_reader: Callable[..., Iterator] | None = None

    @property
    def can_read(self) -> bool:
        return self.reader is not None

    @property
    def can_write(self) -> bool:
        return self.writer is not None or self.folder_writer is not None


_FORMATS: dict[str, Format] = {}
_loaded = False


def register(fmt: Format) -> Format:
    """Add ``fmt``; a second format with the same name is a programming error."""
    if fmt.name in _FORMATS and _FORMATS[fmt.name] is not fmt:
        raise ValueError(f"format {fmt.name!r} registered twice")
    _FORMATS[fmt.name] = fmt
    return fmt


def formats() -> list[Format]:
    """All registered formats, in registration order."""
    global _loaded
    if not _loaded:
        package = importlib.import_module(__package__)
        for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__) if m.name != "registry"):
            importlib.import_module(f"{__package__}.{module}")
        _loaded = True
    first = [_FORMATS[n] for n in FIRST_FORMATS if n in _FORMATS]
    return first + sorted((f for f in _FORMATS.values() if f.name not in FIRST_FORMATS), key=lambda f: f.name)


def get_format(name: str, purpose: str | None = None) -> Format:
    """The format called ``name``; InputError listing the known names otherwise: with
    ``purpose`` "read" (import) or "write" (export), only the formats that can do that."""
    for fmt in formats():
        if fmt.name == name:
            return fmt
    able = {"read": lambda f: f.can_read, "write": lambda f: f.can_write}.get(purpose, lambda f: True)
    known = ", ".join(f.name for f in formats() if able(f))
    what = {"read": "known for import", "write": "known for export"}.get(purpose, "known")
    raise InputError(f"unknown format {name!r} ({what}: {known})")


def detect_format(path: Path) -> Format:
    """The readable format for ``path`` by extension (and content sniffing where several
    formats share an extension). InputError naming the file when none fits."""
    suffix = path.suffix.lower()
    candidates = [f for f in formats() if f.can_read and suffix in f.extensions]
    if len(candidates) > 1:
        sniffed = [f for f in candidates if f.sniff is not None and f.sniff(path)]
        candidates = sniffed or [f for f in candidates if f.sniff is None] or candidates
    if not candidates:
        known = sorted({e for f in formats() if f.can_read for e in f.extensions})
        raise InputError(f"{path}: no importer for {suffix or 'files without an extension'} files (known: {', '.join(known)})")
    return candidates[0]


def folder_format(folder: Path) -> Format | None:
    """The folder format whose ``owns_folder`` recognises ``folder`` (a brat collection), if any."""
    return next((f for f in formats() if f.reads_folders and f.owns_folder is not None and f.owns_folder(folder)), None)


def readable_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """Files under ``folder`` (recursively, sorted) that some format reads, and the others."""
    known = {e for f in formats() if f.can_read for e in f.extensions}
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [p for p in files if p.suffix.lower() in known], [p for p in files if p.suffix.lower() not in known]


def export_items(store, doc_ids: Iterable[int] | None = None) -> "ExportItems":
    """The store's documents as ExportItems (``store`` is a :class:`~annotator.core.store.Store`),
    read as they are iterated: see :class:`ExportItems`."""
    return ExportItems(store, doc_ids)


class ExportItems:
    """The documents of an export (``doc_ids``, None: all, in import order), read from the
    store a few hundred at a time each time they are iterated, so that a writer holds one
    document at a time (memory flat in the corpus). A writer that needs two passes (brat's
    label names, the claims CSV's summary) iterates twice and reads twice. ``len()`` is the
    number of documents. ``each`` maps every item (an annotator's layer); ``on_item(n)`` is
    called after the n-th item is handed out (a progress bar; it may raise to cancel)."""

    def __init__(self, store, doc_ids: Iterable[int] | None = None, each: Callable | None = None,
                 on_item: Callable[[int], None] | None = None):
        self.store = store
        self.every = doc_ids is None  # every document: the store's streamed read of them all
        self.ids = list(doc_ids) if doc_ids is not None else store.document_ids()
        self.each, self.on_item = each, on_item

    def __len__(self) -> int:
        return len(self.ids)

    def __bool__(self) -> bool:
        return bool(self.ids)

    def __getitem__(self, index):
        """One item (read now), or an ExportItems of a slice of the documents."""
        if isinstance(index, slice):
            return ExportItems(self.store, self.ids[index], self.each)
        return next(iter(ExportItems(self.store, [self.ids[index]], self.each)))

    def __iter__(self) -> Iterator[ExportItem]:
        store, each, on_item = self.store, self.each, self.on_item
        for n, (d, s, e) in enumerate(store.export_documents(None if self.every else self.ids), 1):
            item = ExportItem(d, s, e, store.relations(d.id))
            yield each(item) if each is not None else item
            if on_item is not None:
                on_item(n)
