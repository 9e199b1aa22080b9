"""Import articles from a CSV table (format "csv", ``.csv``): one document per row.

Spec: RFC 4180 as Python's :mod:`csv` reads it (double quotes around cells that hold the
delimiter, quotes or line breaks; a quote inside a quoted cell doubled), with

* a header row naming the columns, matched case-insensitively and ignoring surrounding
  spaces: ``text`` (or ``body`` / ``content``) is required; ``title``, ``source`` (or
  ``url``) and ``date`` are optional; any other column is reported, not imported;
* the delimiter named by a first line ``sep=;`` (which Excel writes and honours: any one
  character), else sniffed from the file (comma, semicolon - as Excel writes in many
  European locales - or tab), falling back to a comma, and checked against the header;
* the bytes decoded with :func:`annotator.core.textfile.decode_text` (BOM, UTF-8, else a
  legacy encoding such as Excel's cp1252), and the line breaks *inside* each cell normalised
  to "\\n" (:func:`~annotator.core.textfile.normalize_newlines`); nothing else in a cell is
  changed, so leading spaces in a text cell stay (offsets depend on them).

A document's text is its text cell exactly; span offsets into it are Python code points,
half-open [start, end). Its title is the title cell, else the text's first non-blank line;
its source the source/url cell, else the file path. Rows whose cells are all empty are
skipped. An import is one transaction, so a row with an empty text cell, a row with more
cells than the header has columns, or malformed quoting refuses the whole file with an
InputError naming the file and the line.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.model import NewDocument
from annotator.core.textfile import MAX_FILE_BYTES, MAX_TITLE_CHARS, decode_text, normalize_newlines, read_file_bytes
from annotator.formats.registry import Format, register

__all__ = ["read_csv", "TEXT_COLUMNS", "SOURCE_COLUMNS"]

TEXT_COLUMNS = ("text", "body", "content")  # the first present is the document text
SOURCE_COLUMNS = ("source", "url")
TITLE_COLUMN = "title"
DATE_COLUMN = "date"
DELIMITERS = (",", ";", "\t")
_SNIFF_CHARS = 64 * 1024
_EXCEL_SEP = re.compile(r"sep=([^\r\n\"])[ \t]*(?:\r\n|\r|\n)", re.IGNORECASE)  # Excel's first line naming the delimiter


def read_csv(path: Path | str, **options) -> list[NewDocument]:
    """Read a CSV table of articles (format "csv"): one NewDocument per non-empty row.

    See the module docstring for the columns and the decoding. Raises InputError naming the
    file - and the line where there is one (the physical line where the row starts) - when
    the file cannot be read or decoded, has no text column (the message lists the columns
    found), has two columns of the same name, malformed quoting, a row with more cells than
    columns or with an empty text cell, or no rows at all; also for any option (this reader
    takes none).
    """
    path = Path(path)
    name = str(path)
    if options:
        raise InputError(f"{name}: the csv importer takes no options (got {', '.join(sorted(options))})")
    data = read_file_bytes(path, name)
    text = decode_text(data, name)

    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, MAX_FILE_BYTES))  # one cell may hold a whole long article
    try:
        return _read_rows(text, name)
    finally:
        csv.field_size_limit(old_limit)


def _read_rows(text: str, name: str) -> list[NewDocument]:
    excel = _EXCEL_SEP.match(text)
    delimiter = excel.group(1) if excel else _pick_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    if excel:
        next(reader)  # the "sep=;" line: the delimiter, not a row (line numbers still count it)
    header: list[str] = []
    try:
        while not any(h.strip() for h in header):  # blank lines before the header are skipped
            header = next(reader)
    except StopIteration:
        raise InputError(f"{name}: the file has no header row") from None
    except csv.Error as exc:
        raise InputError(f"{name}, line {reader.line_num}: malformed CSV header ({exc})") from None
    columns = _columns(header, f"{name}, line {reader.line_num}")
    text_col = next(columns[c] for c in TEXT_COLUMNS if c in columns)
    title_col = columns.get(TITLE_COLUMN)
    source_col = next((columns[c] for c in SOURCE_COLUMNS if c in columns), None)
    date_col = columns.get(DATE_COLUMN)
    unused = {i: 0 for i in range(len(header)) if i not in (text_col, title_col, source_col, date_col)}

    docs: list[NewDocument] = []
    dates = 0
    line = reader.line_num + 1  # where the next row starts
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"{name}, line {line}: malformed CSV ({exc}); look for a stray or missing quote from this line on") from None
        where, line = f"{name}, line {line}", reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue  # a blank line, or a row of empty cells as spreadsheets leave at the end
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
            raise InputError(f"{where}: the row has {len(row)} cells but the header has {len(header)} columns (is a text cell missing its quotes?)")
        body = _cell(row, text_col)
        if not body.strip():
            raise InputError(f"{where}: the {header[text_col].strip()} cell is empty")
        title = " ".join(_cell(row, title_col).split()) or _first_line(body)
        source = _cell(row, source_col).strip() or name
        dates += bool(_cell(row, date_col).strip())
        for i in unused:
            unused[i] += bool(_cell(row, i).strip())
        docs.append(NewDocument(title=title[:MAX_TITLE_CHARS].rstrip(), text=body, source=source, origin=f"{name}#{where.rsplit(', ', 1)[1]}"))
    if not docs:
        raise InputError(f"{name}: the table has a header but no rows")

    notes = docs[0].notes  # said once for the file
    if dates:
        notes.append(f"{name}: the date column ({_rows(dates)}) was read but not stored (documents have no date yet)")
    skipped = [f"{header[i].strip() or f'column {i + 1}'} ({_rows(n)})" for i, n in unused.items() if n]
    if skipped:
        notes.append(f"{name}: columns not imported: {', '.join(skipped)}")
    return docs


def _pick_delimiter(text: str) -> str:
    """csv.Sniffer's choice among comma, semicolon and tab, accepted when the header then has
    a text column; else the first of comma, semicolon, tab that gives one; else a comma."""
    sample = text[:_SNIFF_CHARS]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = ","
    for delimiter in dict.fromkeys((sniffed, *DELIMITERS)):
        try:
            header = next(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), [])
        except csv.Error:
            continue
        if any(h.strip().lower() in TEXT_COLUMNS for h in header):
            return delimiter
    return sniffed


def _cell(row: list[str], index: int | None) -> str:
    """The cell at ``index`` with its line breaks as "\\n"; "" for no column or a short row."""
    return normalize_newlines(row[index]) if index is not None and index < len(row) else ""


def _columns(header: list[str], where: str) -> dict[str, int]:
    """Map of known lower-case column names to their index; InputError naming ``where`` if
    none is a text column (listing those found) or a known name appears twice."""
    known = {*TEXT_COLUMNS, *SOURCE_COLUMNS, TITLE_COLUMN, DATE_COLUMN}
    columns: dict[str, int] = {}
    for i, raw in enumerate(header):
        key = raw.strip().lower()
        if key in known:
            if key in columns:
                raise InputError(f"{where}: two columns are called {raw.strip()!r}")
            columns[key] = i
    if not any(c in columns for c in TEXT_COLUMNS):
        found = ", ".join(repr(h) for h in header) or "none"
        raise InputError(f"{where}: no text column (needs one called {' or '.join(TEXT_COLUMNS)}; found {found})")
    return columns


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()
    return ""


register(
    Format(
        name="csv",
        description="CSV table of articles: one row per document (text, title, source columns)",
        extensions=(".csv",),
        reader=read_csv,
        carries="each row's text, title and source (or url)",
        cannot_carry="the date column and any other column (reported); annotations (import only)",
    )
)
