"""Tokens and sentences of a text, computed once per text and kept in a cache folder.

:func:`segment` gives the tokens of :func:`annotator.core.tokenize.tokenize` and the sentences
of :func:`annotator.core.sentences.sentences` (spaCy's Sentencizer and a rule layer). spaCy
takes about a second to import and building its ``Doc`` costs more than the rest of a CoNLL
export, so the result is kept per text: a stored text never changes, so tokens and sentences
depend on the text and the segmenter only. An entry is keyed by the SHA-256 of the text
(UTF-8) under a folder named for :func:`segmenter_version` (a hash of the tokeniser's,
word rule's, grapheme rule's and sentence rules' source, the spaCy and Unicode versions): a
changed rule or library reads none of the old entries. An entry that cannot be read whole
(cut short, wrong sizes, offsets past the text) is computed again; a folder that cannot be
written leaves the cache unused (the result is the same, only slower).

The folder: ``$ANNOTATOR_CACHE_DIR`` (empty: no cache), else ``$ANNOTATOR_DATA_DIR/cache``
when that is set (tests set it), else ``appdirs.user_cache_dir("Annotator", "Annotator")``.
An entry is a little-endian int32 array: token count n, sentence count m, 1 if the text is
simple (:func:`annotator.core.tokenize.is_simple`) else 0, n token starts, n token ends, m
sentence-first token indices (code-point offsets, token indices).
"""
from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import unicodedata
from array import array
from pathlib import Path
from typing import NamedTuple

Token = tuple[int, int]
CACHE_DIR_ENV = "ANNOTATOR_CACHE_DIR"
_SOURCES = ("tokenize.py", "words.py", "offsets.py", "sentences.py", "token_align.py", "segments.py")
_VERSION: list[str] = []


def segmenter_version() -> str:
    """16 hex digits naming the tokeniser and segmenter in use: a hash of the source of
    ``core/{tokenize,words,offsets,sentences,token_align,segments}.py``, the spaCy version
    and the Unicode version of ``unicodedata``. Read once per process (no import of spaCy)."""
    if not _VERSION:
        from importlib.metadata import PackageNotFoundError, version

        digest = hashlib.sha256()
        here = Path(__file__).parent
        for name in _SOURCES:
            try:
                digest.update((here / name).read_bytes())
            except OSError:  # a bundle without sources: the package version stands for them
                from annotator import __version__

                digest.update(__version__.encode())
        try:
            digest.update(version("spacy").encode())
        except PackageNotFoundError:
            pass
        digest.update(unicodedata.unidata_version.encode())
        _VERSION.append(digest.hexdigest()[:16])
    return _VERSION[0]


def cache_dir() -> Path | None:
    """The cache folder of this segmenter version (see the module docstring), None when
    ``$ANNOTATOR_CACHE_DIR`` is set empty. Not created here."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override is not None:
        if not override:
            return None
        root = Path(override)
    elif os.environ.get("ANNOTATOR_DATA_DIR"):
        root = Path(os.environ["ANNOTATOR_DATA_DIR"]) / "cache"
    else:
        import appdirs

        root = Path(appdirs.user_cache_dir("Annotator", "Annotator"))
    return root / f"segments-{segmenter_version()}"


class Segments(NamedTuple):
    """Tokens as ``(start, end)`` code-point offsets; sentences as token-index ranges
    ``(first, end)`` covering every token in order; ``simple``:
    :func:`annotator.core.tokenize.is_simple` of the text (every offset a grapheme-cluster
    boundary, no format characters); ``starts`` and ``ends``: the tokens' offsets apart."""

    tokens: list[Token]
    sentences: list[tuple[int, int]]
    simple: bool
    starts: list[int]
    ends: list[int]


def compute(text: str) -> Segments:
    """:func:`segment` without the cache (imports spaCy)."""
    from annotator.core.sentences import sentences
    from annotator.core.tokenize import is_simple, tokenize

    tokens = tokenize(text)
    return Segments(tokens, sentences(text, tokens), is_simple(text), [a for a, _ in tokens], [b for _, b in tokens])


def segment(text: str) -> Segments:
    """The :class:`Segments` of ``text``: from the cache when it holds them, else computed
    (:func:`compute`) and stored."""
    folder = cache_dir()
    if folder is None:
        return compute(text)
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    path = folder / key[:2] / key
    found = _read(path, len(text))
    if found is not None:
        return found
    found = compute(text)
    _write(path, found.tokens, found.sentences, found.simple)
    return found


def _read(path: Path, length: int) -> Segments | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    values = array("i")
    if len(data) < 12 or len(data) % 4:
        return None
    values.frombytes(data)
    if sys.byteorder != "little":
        values.byteswap()
    n, m, simple = values[0], values[1], values[2]
    if n < 0 or m < 0 or simple not in (0, 1) or len(values) != 3 + 2 * n + m or (n > 0) != (m > 0) \
            or (n and values[2 + 2 * n] > length):
        return None
    starts, ends = values[3:3 + n].tolist(), values[3 + n:3 + 2 * n].tolist()
    firsts = values[3 + 2 * n:].tolist()
    if m and (firsts[0] != 0 or firsts[-1] >= n):
        return None
    return Segments(list(zip(starts, ends)), list(zip(firsts, firsts[1:] + [n])), bool(simple), starts, ends)


def _write(path: Path, tokens: list[Token], ranges: list[tuple[int, int]], simple: bool) -> None:
    values = array("i", [len(tokens), len(ranges), int(simple)])
    values.extend(a for a, _ in tokens)
    values.extend(b for _, b in tokens)
    values.extend(first for first, _ in ranges)
    if sys.byteorder != "little":
        values.byteswap()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with open(fd, "wb") as stream:
                stream.write(values.tobytes())
            os.replace(tmp, path)  # atomic: a reader sees the whole entry or none
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a folder that cannot be written: no cache, same result
