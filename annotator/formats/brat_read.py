"""brat standoff, reading: the lines of an ``.ann`` file and the text of its ``.txt``.

Syntax as brat's own parser (nlplab/brat ``server/src/annotation.py``) reads it; one
annotation per line, the id, a TAB, the annotation, and for some kinds a TAB and a text:

* ``T1<TAB>Type START END[;START END]*<TAB>text`` text-bound; fragments' texts joined by a space
* ``R1<TAB>Type Arg1:T1 Arg2:T2`` relation (two arguments with different labels)
* ``E1<TAB>Type:T3 Role:T1 Role2:E2`` event: trigger (a T of the same type) and arguments
* ``A1<TAB>Name T1 [Value]`` / ``M1<TAB>Name T1`` attribute (no value: a binary one)
* ``N1<TAB>Reference T1 DB:ID<TAB>text`` normalization
* ``#1<TAB>AnnotatorNotes T1<TAB>note`` note
* ``*<TAB>Type T1 T2 ...`` equivalence (no id)

Lines are split as brat splits them (``str.splitlines``: also at U+2028, U+0085, form
feed ...). Offsets are code points into the ``.txt`` decoded as UTF-8 and *not*
newline-converted (brat opens it in binary mode: a CR counts, and a leading byte-order mark
is the character U+FEFF at offset 0). :class:`TextView` maps them to the stored text (BOM
dropped, CRLF and CR made LF, as every Annotator import does).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.textfile import normalize_newlines

ID_RE = re.compile(r"^([A-Za-z]+|#[A-Za-z]*)([0-9]+)(.*?)$")  # brat's __split_annotation_id
NORM_RE = re.compile(r"(\S+) (\S+) (\S+?):(\S+)")  # brat's normalization pattern
BIONLP_NORM = ((re.compile(r"^(Reference) Annotation:(\S+) Referent:(\S+)"), r"\1 \2 \3"),
               (re.compile(r"^(Reference) Referent:(\S+) Annotation:(\S+)"), r"\1 \3 \2"))
DISCONT_SEP = " "
FORMS = {"T": "T1<TAB>Type START END[;START END]<TAB>text", "R": "R1<TAB>Type Arg1:T1 Arg2:T2",
         "E": "E1<TAB>Type:T1 Role:T2 ...", "A": "A1<TAB>Name T1 [Value]", "M": "M1<TAB>Name T1",
         "N": "N1<TAB>Reference T1 DB:ID<TAB>text", "#": "#1<TAB>AnnotatorNotes T1<TAB>text", "*": "*<TAB>Type T1 T2 ..."}


@dataclass
class Ann:
    """One parsed line. ``args`` are (label, id) pairs: the two relation arguments, the
    event roles, or the members of an equivalence (label "")."""

    kind: str  # "T" "R" "E" "A" "N" "#" "*" ("M" lines are read as "A")
    id: str
    type: str
    line: int
    fragments: list[tuple[int, int]] = field(default_factory=list)
    text: str | None = None  # T: the text field (None if absent); N, #: the text
    args: list[tuple[str, str]] = field(default_factory=list)
    trigger: str = ""
    target: str = ""
    value: str | bool = True
    db: str = ""
    db_id: str = ""


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc.__class__.__name__})") from None


def decode_utf8(data: bytes, path: Path) -> str:
    """The file's text as brat reads it: strict UTF-8, a BOM kept as U+FEFF."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: is not UTF-8 (bad bytes at byte {exc.start}); brat files are UTF-8") from None


def parse_ann(content: str, path: Path) -> list[Ann]:
    """Parse an ``.ann`` file's text (a leading BOM is ignored). Blank lines are skipped.
    Raises InputError naming ``path`` and the line for a line brat could not parse, a
    duplicate id, or a reference to an id the file does not define."""
    if content.startswith("\ufeff"):
        content = content[1:]
    anns: list[Ann] = []
    ids: dict[str, Ann] = {}
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        ann = _parse_line(line, number, path)
        if ann.kind != "*":
            if ann.id in ids:
                raise InputError(f"{path}: line {number}: id {ann.id} is already used on line {ids[ann.id].line}")
            ids[ann.id] = ann
        anns.append(ann)
    for ann in anns:
        for ref in _references(ann):
            if ref not in ids:
                raise InputError(f"{path}: line {ann.line}: {ann.id} refers to {ref}, which the file does not define")
        if ann.kind == "E":
            trigger = ids[ann.trigger]
            if trigger.kind != "T" or trigger.type != ann.type:
                raise InputError(f"{path}: line {ann.line}: the trigger {ann.trigger} of event {ann.id} is not a text-bound"
                                 f" annotation of type {ann.type}")
    return anns


def _references(ann: Ann) -> list[str]:
    refs = [i for _, i in ann.args]
    if ann.kind == "E":
        refs.append(ann.trigger)
    if ann.target:
        refs.append(ann.target)
    return refs


def _bad(path: Path, number: int, line: str, why: str) -> InputError:
    shown = line if len(line) <= 80 else line[:77] + "..."
    return InputError(f"{path}: line {number}: {why}: {shown!r}")


def _parse_line(line: str, number: int, path: Path) -> Ann:
    if "\t" not in line:
        raise _bad(path, number, line, "no TAB after the id")
    ident, rest = line.split("\t", 1)
    if ident != "*" and not ID_RE.match(ident):
        raise _bad(path, number, line, f"{ident!r} is not a brat id")
    data, tab, tail = rest.partition("\t")
    tail = tail if tab else None
    kind = ident[0]
    try:
        if kind == "T":
            return _textbound(ident, data, tail, number)
        if kind == "R":
            kind_type, *args = data.split()
            pairs = [tuple(a.split(":")) for a in args]
            if len(pairs) != 2 or any(len(p) != 2 or not all(p) for p in pairs) or pairs[0][0] == pairs[1][0]:
                raise ValueError
            return Ann("R", ident, kind_type, number, args=list(pairs))
        if kind == "E":
            head, *args = data.split()
            etype, trigger = head.split(":")
            pairs = [tuple(a.split(":")) for a in args]
            if not etype or not trigger or any(len(p) != 2 or not all(p) for p in pairs):
                raise ValueError
            return Ann("E", ident, etype, number, trigger=trigger, args=list(pairs))
        if kind in "AM":
            parts = data.split(" ", 2) if kind == "A" else data.split()
            if len(parts) not in (2, 3) or not all(parts) or (kind == "M" and len(parts) != 2):
                raise ValueError
            if not ID_RE.match(parts[1]):
                raise ValueError
            return Ann("A", ident, parts[0], number, target=parts[1], value=parts[2] if len(parts) == 3 else True)
        if kind == "N":
            for pattern, repl in BIONLP_NORM:
                data = pattern.sub(repl, data, count=1)
            m = NORM_RE.match(data)
            if m is None:
                raise ValueError
            return Ann("N", ident, m[1], number, target=m[2], db=m[3], db_id=m[4], text=tail or "")
        if kind == "#":
            ntype, target = data.split()
            return Ann("#", ident, ntype, number, target=target, text=(tail or "").strip())
        if kind == "*":
            etype, *members = data.split()
            if not members:
                raise ValueError
            return Ann("*", "*", etype, number, args=[("", m) for m in members])
    except ValueError:
        raise _bad(path, number, line, f"not a valid {kind} line (expected {FORMS[kind]})") from None
    raise _bad(path, number, line, f"unknown annotation kind {kind!r} (expected one of T R E A M N # *)")


def _textbound(ident: str, data: str, tail: str | None, number: int) -> Ann:
    ttype, offsets = data.split(" ", 1)
    fragments = []
    for piece in offsets.split(";"):
        start, end = piece.split()
        if not (start.isdigit() and end.isdigit()):
            raise ValueError
        fragments.append((int(start), int(end)))
    if not ttype:
        raise ValueError
    return Ann("T", ident, ttype, number, fragments=fragments, text=tail)


class TextView:
    """The ``.txt`` as brat counts it (``basis``) and as Annotator stores it (``text``).

    ``basis`` is the decoded file with CRs and, if ``with_bom``, its leading U+FEFF;
    :meth:`to_text` maps a basis offset to the stored text, where the BOM is gone and each
    CRLF is one LF (a lone CR becomes an LF in place). An offset between CR and LF maps to
    the position of that LF.
    """

    def __init__(self, decoded: str, with_bom: bool):
        self.has_bom = decoded.startswith("\ufeff")
        self.basis = decoded if (with_bom or not self.has_bom) else decoded[1:]
        self.text = normalize_newlines(decoded[1:] if self.has_bom else decoded)
        removed = [0] if (self.has_bom and with_bom) else []
        removed += [m.start() for m in re.finditer("\r\n", self.basis)]
        self._removed = removed

    def to_text(self, offset: int) -> int:
        return offset - bisect_left(self._removed, offset)

    def check(self, ann: Ann) -> str | None:
        """Why ``ann`` (a T line) does not fit the basis text, or None. As brat: offsets
        within the text, fragments not overlapping, and the text field starting with the
        fragments' texts joined by a space (anything after it separated by a space)."""
        seen: list[tuple[int, int]] = []
        for start, end in ann.fragments:
            if start > end:
                return f"start {start} is after end {end}"
            if end > len(self.basis):
                return f"offset {end} is beyond the end of the text ({len(self.basis)} characters)"
            if any(start < b and a < end for a, b in seen):
                return f"fragments overlap at {start}-{end}"
            seen.append((start, end))
        if ann.text is None or not ann.text.strip():
            return None  # brat fills a missing text in
        expected = DISCONT_SEP.join(self.basis[a:b] for a, b in ann.fragments)
        got = ann.text
        if got == expected or (got.startswith(expected) and got[len(expected)].isspace()):
            return None
        if got.startswith("".join(self.basis[a:b] for a, b in ann.fragments)):
            return None  # pre-1.3 brat joined fragments without a space; brat accepts it
        return f"its text {got!r} does not match the text at {_offsets(ann.fragments)}: {expected!r}"


def _offsets(fragments) -> str:
    return ";".join(f"{a} {b}" for a, b in fragments)


def text_view(decoded: str, anns: list[Ann], ann_path: Path, txt_path: Path) -> tuple[TextView, list[str]]:
    """The view whose offsets the T lines fit: brat's (a BOM counted as a character) or,
    for a file with a BOM whose offsets were computed without it, the other one. Raises
    InputError naming the ``.ann`` file, the line and both texts when neither fits."""
    textbound = [a for a in anns if a.kind == "T"]
    first_error = None
    for with_bom in ((True, False) if decoded.startswith("\ufeff") else (True,)):
        view = TextView(decoded, with_bom)
        problems = ((a, view.check(a)) for a in textbound)
        bad = next(((a, why) for a, why in problems if why), None)
        if bad is None:
            notes = [] if with_bom or not textbound else [f"{ann_path}: offsets count from after the byte-order mark of {txt_path.name}"]
            return view, notes
        first_error = first_error or bad
    ann, why = first_error
    raise InputError(f"{ann_path}: line {ann.line}: {ann.id} does not fit {txt_path.name}: {why}")
