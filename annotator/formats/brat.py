"""brat standoff (brat rapid annotation tool, https://brat.nlplab.org/standoff.html): import
and export. Documentation for users: ``docs/formats/brat.md``.

A brat document is a ``.txt`` file and an ``.ann`` file of the same name; a collection is a
folder of them with ``annotation.conf`` / ``visual.conf``. Offsets in the ``.ann`` are code
points (Python ``str`` indices) into the ``.txt`` read as UTF-8 with no newline conversion,
half-open ``[start, end)``; Annotator stores the text without a BOM and with LF newlines and
converts the offsets (:mod:`brat_read`). The modules:

* :mod:`brat_read`: the line syntax, the text check, the offset conversion;
* :mod:`brat_build`: brat types to Annotator's layers (the ``mapping`` option), entities,
  relations, events, attributes, normalizations, notes;
* :mod:`brat_write`: the export; :mod:`brat_conf`: ``annotation.conf`` and ``visual.conf``.
"""
from __future__ import annotations

import json
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.model import NewDocument
from annotator.formats.brat_build import Mapping, build_document
from annotator.formats.brat_conf import find_annotation_conf, read_annotation_conf
from annotator.formats.brat_read import Ann, decode_utf8, parse_ann, read_bytes, text_view
from annotator.formats.brat_write import write_brat_folder
from annotator.formats.registry import Format, register

OPTIONS = ("mapping",)


def read_brat(path, **options) -> list[NewDocument]:
    """Read brat standoff: an ``.ann`` file (its ``.txt`` beside it), a ``.txt`` file (its
    ``.ann`` if any), or a folder (every ``.txt`` below it with its ``.ann``).

    Option ``mapping``: ``{brat type: "speaker" | "cue" | "claim" | "keep" | "skip"}`` over the
    defaults (Source/Speaker -> speaker, Cue -> cue, Content/Quote/Claim -> claim, case
    insensitive; any other type kept under its own name). Offsets: see the module docstring.
    What is not imported (zero-length spans, skipped types, ...) is listed in each
    document's ``notes``. Raises InputError naming the file and line for a malformed line,
    a text field that differs from the ``.txt``, or a reference to an undefined id.
    """
    path = Path(path)
    unknown = [o for o in options if o not in OPTIONS]
    if unknown:
        raise InputError(f"{path}: the brat format has no option {', '.join(map(repr, unknown))} (it has: mapping)")
    mapping = Mapping(mapping_option(options.get("mapping"), path), str(path))
    if path.is_dir():
        return [_read_pair(txt, ann, mapping, path, f"{path}#{(ann or txt).relative_to(path)}") for txt, ann in _pairs(path)]
    suffix = path.suffix.lower()
    if suffix not in (".ann", ".txt"):
        raise InputError(f"{path}: a brat document is an .ann file with its .txt (or a folder of them)")
    txt, ann = path.with_suffix(".txt"), path.with_suffix(".ann")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if not txt.is_file():
        raise InputError(f"{path}: its text file {txt.name} is missing")
    return [_read_pair(txt, ann if ann.is_file() else None, mapping, path.parent, str(ann))]


def mapping_option(value, path: Path) -> dict | None:
    """The ``mapping`` option as a dict: given as one, or as text (the command line's
    ``--option mapping=...``): a JSON object or ``Type:layer,Type:layer``."""
    if value is None or isinstance(value, dict):
        return value
    if not isinstance(value, str):
        raise InputError(f"{path}: the mapping option must be a mapping of brat types to layers")
    if value.strip().startswith("{"):
        try:
            parsed = json.loads(value)
        except ValueError as exc:
            raise InputError(f"{path}: the mapping option is not valid JSON ({exc})") from None
        return mapping_option(parsed if isinstance(parsed, dict) else [parsed], path)
    out = {}
    for pair in filter(str.strip, value.split(",")):
        name, sep, layer = pair.rpartition(":") if ":" in pair else pair.rpartition("=")
        if not sep or not name.strip():
            raise InputError(f"{path}: mapping {pair.strip()!r}: expected Type:layer (e.g. QUOTE:claim,SPEAKER:keep)")
        out[name.strip()] = layer.strip()
    return out


def _pairs(folder: Path) -> list[tuple[Path, Path | None]]:
    def visible(p: Path) -> bool:
        return p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    texts = sorted(p for p in folder.rglob("*") if visible(p) and p.suffix == ".txt")
    anns = sorted(p for p in folder.rglob("*") if visible(p) and p.suffix == ".ann")
    for ann in anns:
        if not ann.with_suffix(".txt").is_file():
            raise InputError(f"{ann}: its text file {ann.with_suffix('.txt').name} is missing")
    if not texts:
        raise InputError(f"{folder}: no brat documents (.txt with .ann) in this folder")
    return [(txt, txt.with_suffix(".ann") if txt.with_suffix(".ann").is_file() else None) for txt in texts]


def _read_pair(txt: Path, ann: Path | None, mapping: Mapping, root: Path, origin: str) -> NewDocument:
    decoded = decode_utf8(read_bytes(txt), txt)
    if not decoded.lstrip("\ufeff").strip():
        raise InputError(f"{txt}: the text file is empty")
    anns = parse_ann(decode_utf8(read_bytes(ann), ann), ann) if ann is not None else []
    view, notes = text_view(decoded, anns, ann or txt, txt)
    doc = build_document(anns, view, mapping, ann or txt, source=str(txt), origin=origin)
    if ann is None:
        notes.append(f"{txt}: no {txt.with_suffix('.ann').name} beside it: imported without annotations")
    conf = find_annotation_conf(txt.parent, root)
    if conf is not None and anns:
        notes += _undeclared(anns, read_annotation_conf(conf), ann, conf)
    doc.notes[:0] = notes
    return doc


def _undeclared(anns: list[Ann], declared: dict[str, set[str]], ann_path: Path, conf: Path) -> list[str]:
    """A note naming the types the ``.ann`` uses that its ``annotation.conf`` does not declare
    (brat shows them as errors; Annotator imports them all the same)."""
    sections = {"T": ("entities", "events"), "E": ("events",), "R": ("relations",), "*": ("relations",), "A": ("attributes",)}
    words = {"T": "entity", "E": "event", "R": "relation", "*": "equivalence", "A": "attribute"}
    missing = sorted({f"{a.type} ({words[a.kind]})" for a in anns if a.kind in sections
                      and not any(a.type in declared[s] for s in sections[a.kind])})
    return [f"{ann_path}: not declared in {conf}: {', '.join(missing)}"] if missing else []


CARRIES = ("spans of every label (discontinuous ones too), speaker entities (as Annotator:<type>-<id> normalizations),"
           " claims' source / cue links (Source and Cue relations), form / polarity / intensity (attributes), target and"
           " notes (# lines), relations, events, attributes, normalizations")

register(Format(
    name="brat", description="brat standoff: a folder of .txt + .ann files with annotation.conf", extensions=(".ann",),
    reader=read_brat, folder_writer=write_brat_folder, reads_folders=True, carries=CARRIES,
    owns_folder=lambda folder: any(folder.glob("*.ann")),
    cannot_carry="document title, status and polarity; speaker aliases and notes; zero-length spans (import);"
                 " a span crossing a line break is split there",
))
