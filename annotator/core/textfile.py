"""Read article text files: bytes -> str with BOM / UTF-8 / legacy-encoding handling.

Pure Python (never imports Qt). Every offset elsewhere in Annotator is a Python code-point
index into the text this module returns, so this module must be the only place that
touches bytes, and it must not change the text beyond what is documented here:

* one leading byte-order mark is removed (B06: a kept U+FEFF shifts every offset by one);
* ``\\r\\n`` and lone ``\\r`` become ``\\n`` (B05: CRLF drift) - only in
  :func:`normalize_newlines` / :func:`read_article`;
* nothing else: no NFC/NFD normalisation, NBSP, ZWSP, tabs, U+2028 and runs of spaces are
  kept as they are (B02, B07, B08).

Binary, empty and oversized files are refused with :class:`InputError` whose message starts
with the file name (B14: never import part of a file silently).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import InputError

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_TITLE_CHARS",
    "ArticleText",
    "decode_text",
    "normalize_newlines",
    "not_regular_file",
    "read_article",
    "read_file_bytes",
    "refuse_non_regular",
    "text_sha256",
]

#: Largest text file read_article accepts, in bytes (50 MiB).
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Longest title read_article derives from a file, in code points.
MAX_TITLE_CHARS = 200

# BOMs, longest first: the UTF-32 LE BOM starts with the UTF-16 LE BOM.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Signatures of common binary formats someone might pick by mistake (leading bytes).
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/ODT/XLSX/EPUB)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"PK\x07\x08", "a ZIP archive"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", ""),  # checked with its full signature below
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (DOC/XLS/PPT)"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ\x90\x00", "a Windows executable"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x00\x00\x01\x00", "an icon (ICO)"),
    (b"OggS", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
    (b"ID3", ""),  # checked with its full signature below
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_ID3 = re.compile(rb"ID3[\x02-\x04]\x00")
_RIFF = re.compile(rb"RIFF....(WEBP|WAVE|AVI )", re.DOTALL)
_RIFF_KIND = {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}

# Category-Cc characters (U+0000-U+001F, U+007F-U+009F) other than \t \n \r \f; too many of
# them in decoded text means the file is binary.
_BAD_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

# Single-byte encodings that share most of their upper half with cp1252 (Latin-script
# Windows, ISO-8859 and DOS/Mac code pages). On short or accent-poor text the detector often
# names one of these although the file is cp1252 (S04/B13: it answers cp1250 for
# "The café’s owner ... “no comment”" and cp1250 for "Señor Müller sagte: «Ja»." in
# latin-1, which decodes the n-tilde wrongly); cp1252 is preferred then.
_CP1252_COUSINS = frozenset(
    {
        "cp1250", "cp1252", "cp1254", "cp1257", "cp1258",
        "latin_1", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9", "iso8859_10",
        "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
        "mac_roman", "mac_latin2", "mac_iceland", "mac_turkish", "hp_roman8",
        "cp437", "cp775", "cp850", "cp852", "cp857", "cp858", "cp860", "cp861",
        "cp862", "cp863", "cp865",
    }
)
# Detector answers that are never right for a file with neither NUL bytes nor a BOM that
# decodes as cp1252: EBCDIC, BOM-less UTF-16/32 (it says utf_16_le for b"Stra\xdfe").
_IMPLAUSIBLE_PICKS = frozenset(
    {
        "cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140",
        "utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be",
    }
)
# How much better (charset-normalizer "coherence", 0..1) the detector's language match
# must be before it wins over cp1252: Turkish in cp1254 scores 0.47 against 0.0.
_COHERENCE_MARGIN = 0.2
# Above this share of non-ASCII letters among all letters, cp1252 output does not look like
# a Western European language (Cyrillic/Greek/Hebrew bytes read as cp1252 are ~100%).
_MAX_NON_ASCII_LETTER_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class ArticleText:
    """One article read from a text file.

    title:  first non-blank line, stripped (for .md without the leading '#' heading marks),
            at most MAX_TITLE_CHARS code points; or the file stem when asked to.
    text:   the whole decoded text with newlines normalised to '\\n' (the title line is part
            of it); offsets of spans are code-point indices into this string.
    source: the path the file was read from, as given by the caller (str).
    """

    title: str
    text: str
    source: str


def text_sha256(text: str) -> str:
    """Lower-case hex SHA-256 of ``text.encode("utf-8")`` (64 chars); used to spot duplicates."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalize_newlines(text: str) -> str:
    """Return ``text`` with every "\\r\\n" and every lone "\\r" replaced by "\\n".

    Nothing else changes: no Unicode normalisation, and U+2028/U+2029, U+0085, NBSP, ZWSP,
    tabs and form feeds are kept. Idempotent; the result contains no "\\r".
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(data: bytes, name: str) -> str:
    """Decode the bytes of a text file to str; ``name`` is used in error messages only.

    Order: a BOM decides (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE; the BOM is dropped), else
    strict UTF-8, else a legacy encoding found with charset-normalizer, preferring cp1252
    when the bytes decode as cp1252 and the detector's pick is a Latin code page close to it
    (or an implausible pick, or no clearly better language match). One leading U+FEFF left
    after decoding is dropped. Newlines are NOT normalised here.

    Raises InputError("<name>: ...") when the data is empty or whitespace only, starts
    with a known binary signature (PNG, PDF, ZIP, GIF, JPEG, ...), contains NUL bytes
    without a UTF-16/32 BOM, has too many control characters (other than \\t \\n \\r \\f)
    once decoded, or cannot be decoded at all.
    """
    data = bytes(data)
    if not data:
        raise InputError(f"{name}: the file is empty")
    kind = _binary_signature(data)
    if kind:
        raise InputError(f"{name}: this is {kind}, not a text file")

    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: starts with a {encoding.upper()} byte-order mark but is not valid"
                    f" {encoding.upper()} (bad bytes at {exc.start + len(bom)})"
                ) from None
            break
    if text is None:
        if b"\x00" in data:
            raise InputError(
                f"{name}: contains NUL bytes, so it looks like a binary file, not text"
                " (UTF-16/UTF-32 text needs a byte-order mark)"
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_legacy(data, name)

    if text.startswith("\ufeff"):
        text = text[1:]
    _refuse_control_characters(text, name)
    if not text.strip():
        raise InputError(f"{name}: the file is empty (only whitespace)")
    return text


def not_regular_file(path: Path) -> str | None:
    """Why ``path`` is not a regular file to read ("a FIFO (named pipe)", "a character
    device"...), or None when it is one (or does not exist: opening says so). Uses stat()
    only: opening a FIFO would wait for a writer, and a device such as /dev/zero never ends."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "not a regular file"  # pragma: no cover - every kind is named above


def refuse_non_regular(path: Path, name: str | None = None) -> None:
    """InputError "<name>: is a FIFO (named pipe), not a file..." unless ``path`` is a regular
    file (or absent); never opens it."""
    kind = not_regular_file(path)
    if kind is not None:
        raise InputError(f"{path if name is None else name}: is {kind}, not a file; only regular files "
                         "(and folders of them) are imported")


def read_file_bytes(path: Path, name: str | None = None) -> bytes:
    """The bytes of the file at ``path``; InputError naming it (``name``, default the path)
    when it is not a regular file (a FIFO, a device: refused before it is opened), cannot be
    read or is larger than MAX_FILE_BYTES. The limit holds however the file grows: it is read
    in chunks and refused as soon as it passes the limit."""
    name = str(path) if name is None else name
    kind = not_regular_file(path)
    if kind == "a folder":
        raise InputError(f"{name}: cannot read the file (it is a folder)")
    refuse_non_regular(path, name)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(_too_large(name, size))
        chunks, total = [], 0
        with open(path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                total += len(chunk)
                if total > MAX_FILE_BYTES:  # grew after stat(), or a file whose size stat() does not tell
                    raise InputError(_too_large(name, total, at_least=True))
                chunks.append(chunk)
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({exc.strerror or exc.__class__.__name__})") from None
    return b"".join(chunks)


def read_utf8(path: Path, hint: str = "") -> str:
    """A file that must be UTF-8 (JSON, JSONL): its text with a BOM dropped. InputError
    naming the file (by its name) when it cannot be read, is too large, empty or not UTF-8
    (``hint`` is added to that message)."""
    data = read_file_bytes(path, path.name)
    if not data.strip():
        raise InputError(f"{path.name}: the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: not UTF-8 (bad bytes at {exc.start}){hint}") from None


def parse_json(text: str, where: str, line: int | None = None):
    """``json.loads(text)``; InputError "<where>: not valid JSON: ..." for bad JSON (with its
    line and column; a JSON Lines file gives ``line``), nesting too deep for the parser, or a
    number too long to convert."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        place = f"column {exc.colno}" if line is not None else f"line {exc.lineno}, column {exc.colno}"
        raise InputError(f"{where}: not valid JSON: {exc.msg.removesuffix(' at')} at {place}") from None
    except RecursionError:
        raise InputError(f"{where}: not valid JSON: nested too deeply") from None
    except ValueError:  # an integer of more than 4300 digits
        raise InputError(f"{where}: not valid JSON: a number has too many digits") from None


def read_article(path: Path, *, title_from_first_line: bool = True) -> ArticleText:
    """Read one article from a text file (.txt, .md, ...) at ``path``.

    Returns ArticleText(title, text, source): text is the whole file decoded with
    decode_text and passed through normalize_newlines; title is the first non-blank line,
    stripped (for .md/.markdown files without leading '#' marks), cut to MAX_TITLE_CHARS
    code points - or the file stem when ``title_from_first_line`` is False (or the line
    leaves nothing); source is ``str(path)``.

    Raises InputError naming the file when it cannot be read (OSError), is larger than
    MAX_FILE_BYTES, or decode_text refuses it (binary, empty, undecodable).
    """
    path = Path(path)
    name = str(path)
    text = normalize_newlines(decode_text(read_file_bytes(path, name), name))
    title = ""
    if title_from_first_line:
        title = _first_line_title(text, markdown=path.suffix.lower() in (".md", ".markdown"))
    if not title:
        title = path.stem
    return ArticleText(title=title, text=text, source=name)


# --------------------------------------------------------------------------- helpers


def _too_large(name: str, size: int, at_least: bool = False) -> str:
    return (
        f"{name}: the file is too large ({'more than ' if at_least else ''}{size / 1048576:.1f} MB;"
        f" the limit is {MAX_FILE_BYTES // 1048576} MB for a file that is read whole into memory;"
        " Annotator JSON and JSON Lines files are read document by document at any size)"
    )


def _binary_signature(data: bytes) -> str:
    """Name of the binary format ``data`` starts with, or "" if none is recognised."""
    for magic, kind in _BINARY_MAGIC:
        if kind and data.startswith(magic):
            return kind
    if _BZIP2.match(data):
        return "a bzip2 archive"
    if _ID3.match(data):
        return "an MP3 audio file"
    riff = _RIFF.match(data)
    if riff:
        return _RIFF_KIND[riff.group(1)]
    return ""


def _refuse_control_characters(text: str, name: str) -> None:
    """Refuse text with more than max(1, 1%) control characters other than \\t \\n \\r \\f."""
    bad = _BAD_CONTROLS.findall(text)
    if len(bad) > max(1, len(text) // 100):
        raise InputError(
            f"{name}: contains {len(bad)} control characters (e.g. U+{ord(bad[0]):04X}),"
            " so it looks like a binary file, not text"
        )


def _decode_legacy(data: bytes, name: str) -> str:
    """Decode non-UTF-8 bytes with a detected single- or multi-byte legacy encoding."""
    from charset_normalizer import from_bytes  # imported lazily: only non-UTF-8 files need it

    try:
        as_cp1252: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        as_cp1252 = None
    best = from_bytes(data).best()

    if as_cp1252 is not None:
        if best is None or best.encoding in _IMPLAUSIBLE_PICKS or str(best) == as_cp1252:
            return as_cp1252
        if (
            best.encoding in _CP1252_COUSINS or _looks_western(as_cp1252)
        ) and not _clearly_better_than_cp1252(data, best.coherence):
            return as_cp1252
    if best is None:
        raise InputError(
            f"{name}: is not UTF-8 and its text encoding could not be detected;"
            " save it as UTF-8 and try again"
        )
    return str(best)


def _clearly_better_than_cp1252(data: bytes, pick_coherence: float) -> bool:
    """True when the detector's pick is a clearly better language match than cp1252."""
    from charset_normalizer import from_bytes

    cp1252 = from_bytes(data, cp_isolation=["cp1252"]).best()
    if cp1252 is None:  # the detector finds cp1252 output too messy to be text
        return True
    return pick_coherence - cp1252.coherence >= _COHERENCE_MARGIN


def _looks_western(text: str) -> bool:
    """True when few letters are non-ASCII, as in Western European text (not Cyrillic etc.)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    non_ascii = sum(1 for c in letters if not c.isascii())
    return non_ascii <= _MAX_NON_ASCII_LETTER_SHARE * len(letters)


_MD_HEADING = re.compile(r"^ {0,3}#{1,6}(?=\s|$)")
_MD_CLOSING = re.compile(r"\s+#+\s*$")


def _first_line_title(text: str, *, markdown: bool) -> str:
    """First non-blank line of ``text`` (split on "\\n" only), stripped and capped."""
    for line in text.split("\n"):
        title = line.strip()
        if not title:
            continue
        if markdown and _MD_HEADING.match(line):
            title = _MD_HEADING.sub("", line).strip()
            title = _MD_CLOSING.sub("", " " + title).strip() if title else ""
        return title[:MAX_TITLE_CHARS].rstrip()
    return ""
