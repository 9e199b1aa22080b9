"""Reading Annotator's native JSON and JSON Lines files document by document, in memory
bounded by one document (not by the file): the import path of :mod:`annotator.formats.native`.

* JSON Lines: one line at a time (a line over :data:`MAX_RECORD_BYTES` is refused, naming
  the file and the line).
* JSON: the top-level object is walked key by key; ``"format"``, ``"version"`` and
  ``"schema"`` are read as they come and each element of ``"documents"`` is decoded alone
  (``json.JSONDecoder.raw_decode`` on a buffer that grows until the element is complete,
  at most :data:`MAX_RECORD_BYTES` for one document). Annotator writes those keys before
  ``"documents"``; a file that lists ``"documents"`` first is read whole (up to the limit
  for files read whole), as :func:`~annotator.formats.native_reader.read_json` does.

Errors are those of :mod:`annotator.formats.native_reader` (InputError naming the file, the
document and the span). When the file is small enough to be read whole, a problem found
while streaming is reported by reading it whole, so the message is exactly the whole-file
reader's.
"""
from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Iterator

from annotator.core.errors import InputError
from annotator.core.model import NewDocument
from annotator.core.schema import load_schema, schema_from_dict
from annotator.core.textfile import MAX_FILE_BYTES, refuse_non_regular
from annotator.formats.native_reader import (
    FORMAT_NAME,
    VERSION,
    _jsonl_document,
    _where,
    document_from_dict,
    extra_label_names,
    read_json,
    refuse_options,
)

MAX_RECORD_BYTES = MAX_FILE_BYTES  # one document (a JSON Lines line, an element of "documents")
_CHUNK = 1 << 20
_WS = " \t\n\r"


def iter_jsonl(path: Path, *, bad_records: list[str] | None = None, **options) -> Iterator[NewDocument]:
    """The documents of a JSON Lines file, one line at a time (blank lines ignored); errors
    as :func:`~annotator.formats.native_reader.read_jsonl`: "<file>: line N: ...", or with a
    ``bad_records`` list, the line is skipped and its message appended there."""
    path = Path(path)
    refuse_options("jsonl", options, path.name)
    refuse_non_regular(path, path.name)
    labels = load_schema().label_names
    seen_text, offset = False, 0
    try:
        stream = open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path.name}: cannot read the file ({exc.strerror or exc.__class__.__name__})") from None
    with stream:
        n = 0
        while True:
            try:
                raw = stream.readline(MAX_RECORD_BYTES + 1)
            except OSError as exc:
                raise InputError(f"{path.name}: cannot read the file ({exc.strerror or exc.__class__.__name__})") from None
            if not raw:
                break
            n += 1
            if len(raw) > MAX_RECORD_BYTES:
                raise InputError(f"{path.name}: line {n} is longer than {MAX_RECORD_BYTES // 1048576} MB, the limit "
                                 "for one document")
            if n == 1 and raw.startswith(codecs.BOM_UTF8):
                raw, offset = raw[3:], 3
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"{path.name}: not UTF-8 (bad bytes at {offset + exc.start}); JSON files must be UTF-8") \
                    from None
            offset += len(raw)
            line = line[:-1] if line.endswith("\n") else line
            if not line.strip():
                continue
            seen_text = True
            try:
                yield _jsonl_document(path, n, line, labels)
            except InputError as exc:
                if bad_records is None:
                    raise
                bad_records.append(str(exc))
    if not seen_text:
        raise InputError(f"{path.name}: the file is empty")


def iter_json(path: Path, **options) -> Iterator[NewDocument]:
    """The documents of a native JSON file, one at a time (see the module). Raises
    InputError as :func:`~annotator.formats.native_reader.read_json` does."""
    path = Path(path)
    refuse_options("json", options, path.name)
    refuse_non_regular(path, path.name)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path.name}: cannot read the file ({exc.strerror or exc.__class__.__name__})") from None
    whole = size <= MAX_FILE_BYTES
    walker = _Walker(path)
    try:
        yield from walker.documents()
    except _ReadWhole:
        if not whole:
            raise InputError(f"{path.name}: \"documents\" comes before \"format\" and \"schema\"; a file over "
                             f"{MAX_FILE_BYTES // 1048576} MB ({size / 1048576:.1f} MB) is read document by document and "
                             "needs them first, as Annotator writes them") from None
        yield from read_json(path)
    except InputError:
        if walker.yielded or not whole:
            raise
        read_json(path)  # the whole-file reader's own message for the same problem
        raise
    finally:
        walker.close()


class _ReadWhole(Exception):
    """The file's keys are not in the order streaming needs."""


class _Walker:
    """A buffer over the file's text with a JSON decoder (see :func:`iter_json`)."""

    def __init__(self, path: Path):
        self.path, self.name = path, path.name
        try:
            self.stream = open(path, "rb")
        except OSError as exc:
            raise InputError(f"{path.name}: cannot read the file ({exc.strerror or exc.__class__.__name__})") from None
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf, self.pos, self.eof = "", 0, False
        self.lines, self.read_bytes = 0, 0  # line breaks dropped from the buffer; bytes read
        self.json = json.JSONDecoder()
        self.yielded = 0

    def close(self) -> None:
        self.stream.close()

    def _more(self, at_least: int = _CHUNK) -> bool:
        if self.eof:
            return False
        if self.pos > _CHUNK:  # drop what was read
            self.lines += self.buf.count("\n", 0, self.pos)
            self.buf, self.pos = self.buf[self.pos:], 0
        try:
            data = self.stream.read(max(_CHUNK, at_least))
        except OSError as exc:
            raise InputError(f"{self.name}: cannot read the file ({exc.strerror or exc.__class__.__name__})") from None
        self.read_bytes += len(data)
        try:
            self.buf += self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise InputError(f"{self.name}: not UTF-8 (bad bytes near {self.read_bytes - len(data) + exc.start}); "
                             "JSON files must be UTF-8") from None
        self.eof = not data
        return bool(data)

    def _place(self, pos: int) -> str:
        line = self.lines + self.buf.count("\n", 0, pos) + 1
        return f"line {line}, column {pos - self.buf.rfind(chr(10), 0, pos)}"

    def _skip(self) -> str:
        """The next non-blank character (not consumed), "" at the end of the file."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WS:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def _expect(self, chars: str, what: str) -> str:
        ch = self._skip()
        if not ch or ch not in chars:
            found = f"{ch!r}" if ch else "the end of the file"
            raise InputError(f"{self.name}: not valid JSON: expected {what}, found {found} at {self._place(self.pos)}")
        self.pos += 1
        return ch

    def _value(self):
        self._skip()
        while True:
            try:
                value, end = self.json.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if len(self.buf) - self.pos > MAX_RECORD_BYTES:
                    raise InputError(f"{self.name}: a document at {self._place(self.pos)} is larger than "
                                     f"{MAX_RECORD_BYTES // 1048576} MB, the limit for one document (or the JSON "
                                     "is not valid)") from None
                if self._more(len(self.buf) - self.pos):
                    continue
                raise InputError(f"{self.name}: not valid JSON: {exc.msg} at {self._place(exc.pos)}") from None
            except RecursionError:
                raise InputError(f"{self.name}: not valid JSON: nested too deeply") from None
            except ValueError:
                raise InputError(f"{self.name}: not valid JSON: a number has too many digits") from None
            if end == len(self.buf) and not self.eof and not isinstance(value, (str, dict, list)):
                self._more()  # a number or literal may go on in the next chunk
                continue
            self.pos = end
            return value

    def documents(self) -> Iterator[NewDocument]:
        if self._skip() == "":
            raise InputError(f"{self.name}: the file is empty")
        if self._skip() != "{":
            raise InputError(f"{self.name}: not an Annotator JSON file (expected an object with \"format\": \"annotator\")")
        self.pos += 1
        fmt, labels = None, None
        first = True
        while True:
            ch = self._expect('}"' if first else "},", "a key or '}'" if first else "',' or '}'")
            if ch == "}":
                break
            if ch == ",":
                self._expect('"', "a key")
            first = False
            self.pos -= 1
            key = self._value()
            self._expect(":", "':'")
            if key != "documents":
                value = self._value()
                if key == "format":
                    fmt = value
                    if fmt != FORMAT_NAME:
                        raise InputError(f"{self.name}: not an Annotator JSON file (expected \"format\": \"annotator\", "
                                         f"found {fmt!r})")
                elif key == "version":
                    _check_version(value, self.name)
                elif key == "schema":
                    labels = _labels(value, self.name)
                continue
            if fmt is None:
                raise _ReadWhole()
            if labels is None:
                labels = load_schema().label_names
            if self._expect("[", "a list of documents") != "[":
                raise InputError(f"{self.name}: \"documents\" must be a list")
            n = 0
            if self._skip() == "]":
                self.pos += 1
                continue
            while True:
                data = self._value()
                yield document_from_dict(data, _where(self.name, f"document {n + 1}", data), labels,
                                         origin=f"{self.name}#{n}")
                self.yielded += 1
                n += 1
                if self._expect(",]", "',' or ']'") == "]":
                    break
        if self._skip() != "":
            raise InputError(f"{self.name}: not valid JSON: Extra data at {self._place(self.pos)}")
        if fmt is None:
            raise InputError(f"{self.name}: not an Annotator JSON file (expected \"format\": \"annotator\")")


def _check_version(version, name: str) -> None:
    if type(version) is not int or version < 1:
        raise InputError(f"{name}: \"version\" must be a whole number, not {version!r}")
    if version > VERSION:
        raise InputError(f"{name}: written by a newer Annotator (format version {version}; "
                         f"this one reads version {VERSION}); update Annotator to import it")


def _labels(raw_schema, name: str) -> tuple[str, ...]:
    if raw_schema is None:
        return load_schema().label_names
    if not isinstance(raw_schema, dict):
        raise InputError(f"{name}: \"schema\" must be an object")
    schema = schema_from_dict(raw_schema, where=f"{name}: schema")
    return schema.label_names + tuple(n for n in extra_label_names(schema) if n not in schema.label_names)
