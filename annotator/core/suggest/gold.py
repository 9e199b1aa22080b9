"""Gold annotations read for evaluation: the Wikinews / seed ``*.gold.json`` files and
brat standoff folders of PARC-style attributions (PolNeAR: Source, Cue, Content and
Attribution events).

A gold folder holds either ``NAME.txt`` + ``NAME.gold.json`` pairs or ``NAME.txt`` +
``NAME.ann`` pairs (both kinds may be mixed). Offsets are code points into the ``.txt`` read
as UTF-8 without newline translation. The ``.gold.json`` shape is documented in
``../shared/corpus/wikinews/README.md``: ``quotes`` (``tag`` ``quote`` = a quotation, ``q`` =
a scare quote or a title, ignored by the evaluation), ``mentions``, ``entities`` and, in the
seed, ``attributions`` (quote index -> entity and mention).

Errors: :class:`~annotator.core.errors.InputError` naming the file and the line for a file
that cannot be read or a span outside its text.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import InputError

Frags = tuple[tuple[int, int], ...]


@dataclass
class GoldClaim:
    """One gold attribution: content ``fragments``, its ``source`` mention and ``cue``
    (None when absent), the speaker entity's ``speaker`` name and its other mentions
    ``entity_mentions`` (for the seed, where a quote is attributed to an entity), and
    whether it is a quotation (``direct``: every piece of Wikinews and seed gold)."""

    fragments: Frags
    source: Frags | None = None
    cue: Frags | None = None
    speaker: str | None = None
    entity_mentions: tuple[Frags, ...] = ()
    direct: bool = False


@dataclass
class GoldDocument:
    """A gold document: ``name``, ``text``, ``claims``, the ``ignore`` ranges (scare quotes:
    a suggestion that lands on one only is neither right nor wrong) and ``layers``: which of
    ``claims`` (all claims, reported speech too), ``direct``, ``cues``, ``speakers``,
    ``attribution`` the gold annotates."""

    name: str
    text: str
    claims: list[GoldClaim] = field(default_factory=list)
    ignore: list[tuple[int, int]] = field(default_factory=list)
    layers: frozenset[str] = frozenset()


def _read_text(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read it ({exc})") from None


def read_gold_json(path: Path) -> GoldDocument:
    """A ``NAME.gold.json`` with its ``NAME.txt`` (same folder)."""
    txt = path.with_name(path.name[: -len(".gold.json")] + ".txt")
    text = _read_text(txt)
    try:
        data = json.loads(_read_text(path))
        quotes, mentions = data["quotes"], data.get("mentions", [])
        entities = {e["id"]: e for e in data.get("entities", [])}
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a gold.json file ({exc})") from None

    def frag(rec) -> tuple[int, int]:
        a, b = rec["start"], rec["end"]
        if not (isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= len(text)):
            raise InputError(f"{path}: span {a}-{b} is outside the text of {txt.name}")
        return a, b

    attributed = {a["quote"]: a for a in data.get("attributions", [])}
    doc = GoldDocument(path.name[: -len(".gold.json")], text)
    groups: dict[object, GoldClaim] = {}
    for i, q in enumerate(quotes):
        if q.get("tag") == "q":
            doc.ignore.append(frag(q))
            continue
        group = q.get("group", f"#{i}")
        if group in groups:  # GUM cuts a quotation into one piece per sentence: one claim
            groups[group].fragments += (frag(q),)
            continue
        claim = groups[group] = GoldClaim((frag(q),), direct=True)
        att = attributed.get(i)
        if att is not None:
            ent = entities.get(att.get("entity"))
            if att.get("mention") is not None:
                claim.source = (frag(mentions[att["mention"]]),)
            if ent is not None:
                claim.speaker = ent.get("name")
                claim.entity_mentions = tuple((frag(mentions[m]),) for m in ent.get("mentions", []))
        doc.claims.append(claim)
    doc.layers = frozenset({"direct", "speakers", "attribution"} if attributed else {"direct"})
    return doc


def read_brat(path: Path) -> GoldDocument:
    """A brat ``NAME.ann`` (PolNeAR: Source / Cue / Content spans joined by ``Attribution``
    and ``Attribution-no-source`` events) with its ``NAME.txt``. Spans no event uses are
    ignored, as are Discuss / Discard flags."""
    text = _read_text(path.with_suffix(".txt"))
    spans: dict[str, Frags] = {}
    doc = GoldDocument(path.stem, text, layers=frozenset({"claims", "direct", "cues", "speakers", "attribution"}))
    for lineno, line in enumerate(_read_text(path).splitlines(), 1):
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            kind, _, offsets = fields[1].partition(" ")
            try:
                frags = tuple(tuple(int(x) for x in part.split()) for part in offsets.split(";"))
                if any(len(f) != 2 or not 0 <= f[0] < f[1] <= len(text) for f in frags):
                    raise ValueError
            except ValueError:
                raise InputError(f"{path}: line {lineno}: bad offsets {offsets!r}") from None
            spans[fields[0]] = frags
        elif line.startswith("E") and len(fields) >= 2:
            roles = dict(arg.split(":", 1) for arg in fields[1].split() if ":" in arg)
            content = roles.get("Content")
            if content is None or content not in spans:
                continue
            source = spans.get(roles.get("Source", ""))
            doc.claims.append(GoldClaim(
                spans[content], source, spans.get(roles.get("Cue", "")),
                " ".join(text[a:b] for a, b in source) if source else None))
    return doc


def read_gold_folder(folder: Path) -> list[GoldDocument]:
    """Every gold document of ``folder`` in name order. Raises InputError when the folder
    holds none."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    docs = [read_gold_json(p) for p in sorted(folder.glob("*.gold.json"))]
    docs += [read_brat(p) for p in sorted(folder.glob("*.ann")) if p.with_suffix(".txt").exists()]
    if not docs:
        raise InputError(f"{folder}: no gold documents (NAME.gold.json or NAME.ann beside NAME.txt)")
    return sorted(docs, key=lambda d: d.name)
