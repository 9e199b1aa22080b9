"""Files in and out of a project: :func:`import_paths` and :func:`export_to`.

A service (:mod:`annotator.services`): it drives the formats' readers and writers on a
store. Used by the command line and the window alike. Pure Python (never imports Qt).
"""
from __future__ import annotations

import io
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

from annotator.core.errors import InputError
from annotator.core.model import NewDocument
from annotator.core.same_article import CopyFinder
from annotator.core.store import ImportReport, Store
from annotator.core.textfile import not_regular_file
from annotator.formats.registry import (
    ExportItems,
    ExportReport,
    Format,
    detect_format,
    folder_format,
    formats,
    get_format,
    readable_files,
)


class ImportCancelled(Exception):
    """The import's ``progress`` callback asked to stop: nothing was stored."""


Progress = Callable[[int, int, str], bool]
"""``progress(done, total, name)``: ``done`` of ``total`` files read, ``name`` the one being
read (with the number of its documents read so far, "a.jsonl (400 documents)"; "" at the
end); returns False to cancel."""


def import_paths(store: Store, paths: Iterable[Path], *, fmt: str | None = None, skip_bad: bool = False,
                 options: dict | None = None, progress: Progress | None = None) -> ImportReport:
    """Import files and folders into ``store`` in ONE transaction (one undo step, read it
    from ``store.last_change``).

    Folders are searched recursively for files some format reads (the others are listed in
    ``report.skipped``, and so are a folder's README, LICENSE... and JSON files that no
    reader recognises, such as a corpus's ``*.gold.json``: see :func:`_not_an_article`);
    each file's format is ``fmt`` (a registry name) or detected from its extension.
    ``options`` are passed to every reader.

    Files are streamed: a format with a ``stream_reader`` (native JSON and JSON Lines) is
    read document by document at any size, the others file by file (those read whole are
    refused over the size limit, naming the file and its size); the store plans and writes
    the documents in batches inside the one transaction, so memory does not grow with the
    import. A file that cannot be read or is invalid raises InputError naming it and the
    whole import is rolled back (nothing is stored), unless ``skip_bad``: then it is listed
    in ``report.skipped`` ("<file>: <why>"), its part is rolled back alone and the rest is
    imported. Documents already in the project are skipped and listed too.
    ``progress`` is called before each file, after each batch of documents and once at the
    end (after the commit, its answer ignored); when it returns False before that, the
    import raises :class:`ImportCancelled` and nothing is stored (the transaction is rolled
    back).
    """
    fixed = _readable_format(fmt) if fmt else None
    options = dict(options or {})
    skipped: list[str] = []
    found = _expand([Path(p) for p in paths], fixed, skipped, skip_bad)
    copies = CopyFinder(store)  # tokenised copies (issue 8)
    notes: list[str] = []
    state = {"file": 0, "name": ""}

    def ask(done: int, name: str) -> None:
        if progress is not None and not progress(done, len(found), name):
            raise ImportCancelled()

    def read(index: int, path: Path, format_: Format | None) -> Iterator[NewDocument]:
        state["file"], state["name"] = index, path.name
        ask(index, path.name)
        for doc in _read(path, format_ or detect_format(path), options, skipped if skip_bad else None):
            note = copies.check(doc)
            if note:
                notes.append(note)
            yield doc

    def batch_done(count: int) -> None:
        ask(state["file"], f"{state['name']} ({count} document{'s' * (count != 1)})")

    if not skip_bad:
        docs = (doc for index, (path, format_) in enumerate(found) for doc in read(index, path, format_))
        report, _change = store.import_documents(docs, progress=batch_done if progress is not None else None)
    else:  # file by file, so that a bad file's part is rolled back alone
        report = ImportReport()
        with store.compound("Import"):
            for index, (path, format_) in enumerate(found):
                try:
                    part, _change = store.import_documents(read(index, path, format_),
                                                           progress=batch_done if progress is not None else None)
                except InputError as exc:  # that file's part was rolled back
                    skipped.append(str(exc))
                    continue
                report.added += part.added
                report.joined += part.joined
                report.skipped += part.skipped
                report.notes += part.notes
                report.entities_created += part.entities_created
                report.spans += part.spans
    if progress is not None:  # the end (stored and committed: too late to cancel)
        progress(len(found), len(found), "")
    report.skipped[:0] = skipped
    report.notes += notes
    return report


def _readable_format(name: str) -> Format:
    fmt = get_format(name, "read")
    if not fmt.can_read:
        raise InputError(f"the {fmt.name} format can only be exported, not imported")
    return fmt


def _expand(paths: list[Path], fixed: Format | None, skipped: list[str], skip_bad: bool) -> list[tuple[Path, Format | None]]:
    """(file, format or None = detect) for every path; folders expanded unless ``fixed``
    reads whole folders. Missing paths raise InputError (or are skipped with ``skip_bad``)."""
    out: list[tuple[Path, Format | None]] = []
    for path in paths:
        if not path.exists():
            if not skip_bad:
                raise InputError(f"{path}: no such file or folder")
            skipped.append(f"{path}: no such file or folder")
        elif path.is_dir() and fixed is not None and fixed.reads_folders:
            out.append((path, fixed))
        elif path.is_dir() and fixed is None and folder_format(path) is not None:
            out.append((path, folder_format(path)))  # a brat collection: .txt files belong to their .ann
        elif path.is_dir():
            readable, others = readable_files(path)
            if fixed is not None:
                others += [p for p in readable if p.suffix.lower() not in fixed.extensions]
                readable = [p for p in readable if p.suffix.lower() in fixed.extensions]
            reasons = {p: "not a kind of file Annotator imports" for p in others}
            for p in readable:
                why = _not_an_article(p, fixed)
                if why:
                    reasons[p] = why
                else:
                    out.append((p, fixed))
            skipped.extend(f"{p}: {reasons[p]}" for p in sorted(reasons))
        elif not_regular_file(path) is not None:  # a FIFO or a device: refused by name, never opened
            why = f"{path}: is {not_regular_file(path)}, not a file; only regular files (and folders of them) are imported"
            if not skip_bad:
                raise InputError(why)
            skipped.append(why)
        else:
            out.append((path, fixed))
    return out


_NOT_ARTICLES = re.compile(r"(?i)(README|LICEN[CS]E|CHANGELOG|CHANGES|CONTRIBUTING|COPYING|NOTICE|AUTHORS)([._-].*)?")


def _not_an_article(path: Path, fixed: Format | None) -> str | None:
    """Why a file found in a FOLDER is left out, or None to import it (a file named
    explicitly is always read, and refused with the reader's message if it is not one):

    * a folder's README, LICENSE, CHANGELOG, CONTRIBUTING, COPYING, NOTICE... (any
      extension) is about the folder, not a news article;
    * a file of an extension that only content-sniffing formats read (.json: Annotator or
      Label Studio JSON; .tsv: WebAnno TSV) whose content none of them recognises, such as
      a corpus's ``*.gold.json`` files next to its texts.
    """
    if _NOT_ARTICLES.fullmatch(path.name):
        return "not an article (README/LICENSE...)"
    suffix = path.suffix.lower()
    candidates = [fixed] if fixed is not None else [f for f in formats() if f.can_read and suffix in f.extensions]
    if candidates and all(f.sniff is not None for f in candidates) and not any(f.sniff(path) for f in candidates):
        if suffix == ".json":
            names = " nor ".join(_JSON_NAMES.get(f.name, f.name) for f in candidates)
            return f"a JSON file that is {'neither ' if len(candidates) > 1 else 'not '}{names} JSON"
        return f"a {suffix or 'extension-less'} file that is not {' or '.join(f.name for f in candidates)}"
    return None


_JSON_NAMES = {"json": "Annotator", "label-studio": "Label Studio"}


def _read(path: Path, fmt: Format, options: dict, bad_records: list[str] | None = None) -> Iterable[NewDocument]:
    """The documents of one file (a generator when the format streams); with ``bad_records``
    (skip_bad), a line-based format skips bad lines and lists them there (case B14)
    instead of refusing the whole file."""
    if bad_records is not None and fmt.skips_records:
        options = dict(options, bad_records=bad_records)
    try:
        if fmt.stream_reader is not None:
            yield from fmt.stream_reader(path, **options)
        else:
            yield from fmt.reader(path, **options)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc.__class__.__name__})") from None


# --- export ------------------------------------------------------------------------------------


class ExportCancelled(Exception):
    """The export's ``progress`` callback asked to stop: no file was left at the target."""


ExportProgress = Callable[[int, int], bool]
"""``progress(done, total)``: ``done`` of ``total`` documents written; False cancels."""


def export_scope(store: Store, doc_ids: Iterable[int] | None = None, status: str | None = None) -> list[int]:
    """The ids of the documents an export writes: ``doc_ids`` (None: every document, in
    import order), only those whose document status is ``status`` when it is given.
    Raises InputError for an id that is no document of the project, or a status that is
    not one of the schema's."""
    ids = list(dict.fromkeys(doc_ids)) if doc_ids is not None else store.document_ids()
    if doc_ids is not None:
        known = {info.id for info in store.document_infos(doc_ids=ids)}
        missing = [i for i in ids if i not in known]
        if missing:
            raise InputError(f"no document {', '.join(map(str, missing))} in the project")
    if status is not None:
        if status not in store.schema.document_status:
            raise InputError(f"status {status!r} is not one of {', '.join(store.schema.document_status)}")
        have = {info.id for info in store.document_infos(doc_ids=ids) if info.status == status}
        ids = [i for i in ids if i in have]
    return ids


def export_to(store: Store, fmt_name: str, output: Path | None, doc_ids: Iterable[int] | None = None,
              options: dict | None = None, layer: str | None = None,
              progress: ExportProgress | None = None, replace: bool = False) -> ExportReport:
    """Export the documents ``doc_ids`` (None: all, in import order; :func:`export_scope`
    narrows them) in the format called ``fmt_name`` to the file ``output`` or, when it is
    None, to standard output (UTF-8). ``layer``: only that annotator's annotations
    (:func:`~annotator.services.layer_export.layer_items`; None: every layer).

    Streamed: documents are read from the store and written one at a time (memory flat in
    the corpus). A file is written atomically (a temporary file in the same folder, then
    ``os.replace``), and a folder format writes into a temporary folder whose files are
    moved in at the end, so a failed or cancelled export never leaves half a file.
    ``progress(done, total)`` is called as documents are written; when it returns False
    the export raises :class:`ExportCancelled`. Returns the writer's report of what it
    could not carry (``dropped``) and of what the reader of the file should know
    (``notes``). Raises InputError for an unknown format (the message lists those that can
    be exported) or an import-only one, a missing output folder, or an output that is a
    folder; and, for a folder format, when files of the export would replace files already
    in the folder (another annotator's brat files, say) unless ``replace``: then nothing in
    the folder has changed.
    """
    fmt = get_format(fmt_name, "write")
    if not fmt.can_write:
        raise InputError(f"the {fmt.name} format can only be imported, not exported")
    each = None
    if layer is not None:
        from annotator.services.layer_export import layer_items

        def each(item):
            return layer_items([item], layer)[0]
    items = ExportItems(store, doc_ids, each=each)
    if progress is not None:
        total = len(items)

        def on_item(done: int) -> None:
            if not progress(done, total):
                raise ExportCancelled()
        items.on_item = on_item
        if not progress(0, total):
            raise ExportCancelled()
    options = dict(options or {})
    if fmt.writer is None:
        if output is None:
            raise InputError(f"the {fmt.name} format writes a folder: give an output folder")
        if output.exists() and not output.is_dir():
            raise InputError(f"{output}: is a file; the {fmt.name} format writes a folder")
        output.mkdir(parents=True, exist_ok=True)
        return _to_folder(fmt, items, output, store, options, replace)
    if output is None:
        return _to_stdout(fmt, items, store, options)
    output = output_file(Path(output), "export")
    if output.is_dir():
        raise InputError(f"{output}: is a folder; give a file name")
    if not output.parent.is_dir():
        raise InputError(f"{output}: the folder {output.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with open(fd, "wb") if fmt.binary else open(fd, "w", encoding="utf-8", newline="") as stream:
            report = fmt.writer(items, stream, store.schema, **options)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, output)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return report


def _to_folder(fmt: Format, items, output: Path, store: Store, options: dict, replace: bool = False) -> ExportReport:
    """A folder format written into a temporary folder beside ``output``, whose files are
    then moved into ``output``: a failed or cancelled export leaves ``output`` as it was.
    Files of the same names are replaced only with ``replace``; otherwise InputError names
    the folder and how many files it would have replaced, before any is moved."""
    tmp = Path(tempfile.mkdtemp(dir=output, prefix=".export-", suffix=".tmp"))
    try:
        report = fmt.folder_writer(items, tmp, store.schema, **options)
        clashes = [p for p in tmp.rglob("*") if not p.is_dir() and (output / p.relative_to(tmp)).exists()]
        if clashes and not replace:
            first = output / clashes[0].relative_to(tmp)
            raise InputError(f"{output}: the export would replace {len(clashes)} file(s) already there "
                             f"({first.name}{', ...' if len(clashes) > 1 else ''}); nothing was written. "
                             "Choose an empty folder, or replace them (--overwrite)")
        for path in sorted(tmp.rglob("*")):
            target = output / path.relative_to(tmp)
            if path.is_dir():
                target.mkdir(exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return report


def output_file(path: Path, what: str) -> Path:
    """The file that an ``what`` ("export", "report") written to ``path`` replaces: a
    symbolic link is followed (the file it names is replaced, the link stays). Raises
    InputError, naming ``path``, when it is a FIFO, a device or a socket: writing a
    temporary file and renaming it over such a path would replace the device or the pipe
    with a plain file (and opening a FIFO waits for a reader). Uses stat() only."""
    real = Path(os.path.realpath(path))
    kind = not_regular_file(real)
    if kind is not None and kind != "a folder":
        raise InputError(f"{path}: is {kind}, not a file; an {what} is written to a regular file "
                         "(leave out --output to write to standard output)")
    return real


def _to_stdout(fmt: Format, items, store: Store, options: dict) -> ExportReport:
    """Write to standard output as the writer goes (UTF-8; a binary format in one piece at
    the end: its writer builds the whole DocBin anyway)."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None or fmt.binary:  # a text-only stream (e.g. replaced by a test), or bytes
        buffer = io.BytesIO() if fmt.binary else io.StringIO(newline="")
        report = fmt.writer(items, buffer, store.schema, **options)
        data = buffer.getvalue()
        if out is None:
            sys.stdout.write(data if isinstance(data, str) else data.decode("utf-8"))
            sys.stdout.flush()
            return report
        sys.stdout.flush()
        out.write(data)
        out.flush()
        return report
    sys.stdout.flush()
    stream = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        report = fmt.writer(items, stream, store.schema, **options)
        stream.flush()
    finally:
        stream.detach()  # sys.stdout keeps its buffer open
    return report


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
