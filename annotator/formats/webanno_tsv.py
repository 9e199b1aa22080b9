"""WebAnno TSV 3 reader (the export format of INCEpTION and WebAnno, versions 3 to 3.3).

Spec: INCEpTION / WebAnno user guide, appendix "WebAnno TSV 3.x". A file is one document:
``#FORMAT=WebAnno TSV 3.x``; layer lines ``#T_SP=`` (span), ``#T_CH=`` (chain), ``#T_RL=``
(relation), each ``layer|feature|...`` with one column per feature; ``#Text=`` sentence lines;
token lines ``sent-tok<TAB>begin-end<TAB>token<TAB>columns...`` (sub-tokens ``1-3.1``).
Stacked values are split on ``|``; ``[N]`` ties the lines of one multi-token annotation;
``_`` is "no annotation", ``*`` "no value"; a backslash escapes reserved characters.
The file's offsets count UTF-16 code units; everything returned here is in Python code
points, half-open ``[start, end)``.

Imported (docs/formats/webanno_tsv.md): person / organization mentions become speaker spans
and each coreference chain one entity; everything else is counted in one note per document.
The text is rebuilt from the tokens (:func:`_rebuild_text`) unless the ``text`` option gives
the original text, to which the tokens are aligned (:func:`_align_text`).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.model import SPEAKER, NewDocument, NewEntity, NewSpan
from annotator.core.offsets import Utf16Map, utf16_length
from annotator.formats.registry import Format, register

VERSIONS = ("3", "3.1", "3.2", "3.3")
TYPES = {"person": "person", "per": "person", "pers": "person",
         "organization": "organization", "organisation": "organization", "org": "organization"}
PRONOUNS = frozenset("i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself "
                     "she her hers herself it its itself they them their theirs themselves who whom whose which that "
                     "this these those one".split())
NAME_LINKS = frozenset("of and & - the for de la".split())
_ESCAPE = re.compile(r"\\(->|[][\\|_;*tnr\t])")
_ESCAPED = {"t": "\t", "n": "\n", "r": "\r"}  # the others stand for themselves
_UNIT_ID = re.compile(r"(\d{1,12})-(\d{1,12})(?:\.(\d{1,12}))?")  # bounded: no 5000-digit ints
_OFFSETS = re.compile(r"(\d{1,12})-(\d{1,12})")
_LABEL_ID = re.compile(r"(.*?)\[(\d{1,12})\]")
_ADDRESS = re.compile(r"(\d{1,12}-\d{1,12}(?:\.\d{1,12})?)(?:\[(\d{1,12})_(\d{1,12})\])?")
_CHAIN_LINK = re.compile(r"(.*)->(\d{1,12})-(\d{1,12})")


@dataclass
class _Layer:
    kind: str  # "SP", "CH" or "RL"
    name: str
    features: list[str]
    column: int  # index of the layer's first column after the three token columns


@dataclass
class _Unit:
    """A token line or a sub-token line (``ident`` "1-3.1", ``parent`` "1-3")."""
    line: int
    ident: str
    parent: str
    sentence: int
    begin: int  # UTF-16 offsets as written in the file
    end: int
    text: str
    cells: list[str]


@dataclass(eq=False)
class _Mention:
    units: list[_Unit]
    type: str | None  # the raw entity type (None: none given, the chain's type applies)
    identity: str = ""
    chain: bool = False  # a chain layer's link
    extent: tuple[int, int] = (0, 0)  # code points in the document text
    tokens: list[tuple[int, int, str]] = field(default_factory=list)


def read_webanno_tsv(path, *, text=None, **options) -> list[NewDocument]:
    """Read one WebAnno TSV 3.x file (INCEpTION / WebAnno export) as one document.

    ``text``: the original document text (a ``str``), or a ``pathlib.Path`` / a string naming
    an existing file (read as UTF-8); the tokens are then aligned to it left to right,
    skipping only whitespace. Without it the text is rebuilt from the tokens. The file's
    UTF-16 offsets are converted to code points. Raises InputError naming the file and line.
    """
    path = Path(path)
    speakers = _speaker_kinds(options.pop("speakers", None), path)
    if options:
        raise InputError(f"{path}: unknown option {', '.join(sorted(options))} for webanno-tsv (known: text, speakers)")
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 (byte {exc.start})") from None
    layers, units = _parse(raw.split("\n"), path)
    tokens = [u for u in units if u.ident == u.parent]
    doc_text, starts = _rebuild_text(tokens) if text is None else _align_text(tokens, _given_text(text, path), path)
    collector = _Collector(layers, path)
    mentions, pairs = collector.read(units)
    by_ident = {u.ident: u for u in units}
    for m in mentions:
        _place(m, by_ident, starts)
    spans, entities = _speakers(mentions, pairs, doc_text, collector, speakers)
    title = next((line.strip() for line in doc_text.split("\n") if line.strip()), path.stem)[:200]
    note = collector.note(path, sum(s.label == SPEAKER for s in spans), len(entities))
    labels = list(dict.fromkeys(s.label for s in spans if s.label != SPEAKER))
    return [NewDocument(title=title, text=doc_text, source=str(path), entities=entities, spans=spans, labels=labels,
                        origin=str(path), notes=[note] if note else [])]


def _speaker_kinds(value, path: Path) -> frozenset[str]:
    """The option ``speakers``: which entity types of the file make speakers, as a comma list
    of person / organization (and their short forms per, org); default both."""
    if value is None:
        return frozenset(("person", "organization"))
    names = [v.strip().casefold() for v in str(value).split(",") if v.strip()]
    unknown = [n for n in names if n not in TYPES]
    if unknown or not names:
        raise InputError(f"{path}: the option speakers takes person and / or organization (comma-separated), "
                         f"not {value!r}")
    return frozenset(TYPES[n] for n in names)


# --- the file -------------------------------------------------------------------------------------


def _split(value: str) -> list[str]:
    """``value`` split on unescaped ``|`` (escapes are kept for :func:`_unescape`)."""
    return [p.replace("\0", "\\\\") for p in re.split(r"(?<!\\)\|", value.replace("\\\\", "\0"))]


def _unescape(value: str) -> str:
    """Undo WebAnno TSV escaping: ``\\\\ \\[ \\] \\| \\_ \\-> \\; \\*``, and ``\\t \\n \\r``."""
    return _ESCAPE.sub(lambda m: _ESCAPED.get(m[1], m[1]), value)


def _parse(lines: list[str], path: Path) -> tuple[list[_Layer], list[_Unit]]:
    """Layers and token / sub-token lines; InputError (file, line) for anything malformed."""
    first = next((n for n, line in enumerate(lines) if line.strip()), 0)
    head = lines[first].strip()
    if not head.startswith("#FORMAT=WebAnno TSV"):
        raise InputError(f"{path}: line {first + 1}: not a WebAnno TSV file (no '#FORMAT=WebAnno TSV 3.x' header)")
    version = head[len("#FORMAT=WebAnno TSV"):].strip()
    if version not in VERSIONS:
        raise InputError(f"{path}: line {first + 1}: WebAnno TSV version {version!r} is not supported "
                         f"(known: {', '.join(VERSIONS)})")
    layers: list[_Layer] = []
    units: list[_Unit] = []
    width = 0
    last: _Unit | None = None
    for n, line in enumerate(lines[first + 1:], start=first + 2):
        line = line.rstrip("\r")
        if line.startswith(("#T_SP=", "#T_CH=", "#T_RL=")):
            if units:
                raise InputError(f"{path}: line {n}: layer definition after the first token")
            name, *features = _split(line[6:])
            layers.append(_Layer(line[3:5], name, features or [""], width))
            width += len(features or [""])
            continue
        if not line.strip() or line.startswith("#"):
            continue  # #Text= lines (the text comes from the tokens) and other metadata
        cells = line.split("\t")
        if len(cells) == 4 + width and cells[-1] == "":
            cells.pop()  # the trailing tab INCEpTION writes
        ident, offsets = _UNIT_ID.fullmatch(cells[0]), _OFFSETS.fullmatch(cells[1]) if len(cells) > 2 else None
        if ident is None or len(cells) < 3:
            raise InputError(f"{path}: line {n}: not a token line (expected 'sentence-token<TAB>begin-end<TAB>token')")
        if offsets is None:
            raise InputError(f"{path}: line {n}: bad offsets {cells[1]!r} (expected 'begin-end')")
        if len(cells) != 3 + width:
            raise InputError(f"{path}: line {n}: {len(cells)} columns, but the layers declared need {3 + width}")
        begin, end, token = int(offsets[1]), int(offsets[2]), _unescape(cells[2])
        if begin >= end or end - begin != utf16_length(token):
            raise InputError(f"{path}: line {n}: bad offsets {begin}-{end} for the token {token!r} "
                             f"({utf16_length(token)} UTF-16 code units)")
        unit = _Unit(n, cells[0], f"{ident[1]}-{ident[2]}", int(ident[1]), begin, end, token, cells[3:])
        if ident[3] is None:
            if last is not None and begin < last.end:
                raise InputError(f"{path}: line {n}: bad offsets {begin}-{end}: the token starts before the previous "
                                 f"one ends ({last.end})")
            last = unit
        elif last is None or last.ident != unit.parent or not last.begin <= begin < end <= last.end:
            raise InputError(f"{path}: line {n}: bad offsets {begin}-{end}: sub-token {unit.ident} is not inside "
                             f"token {unit.parent}")
        units.append(unit)
    if last is None:
        raise InputError(f"{path}: no token lines")
    return layers, units


def _given_text(text, path: Path) -> str:
    """The ``text`` option: a Path, or a string naming an existing file, is read as UTF-8."""
    if not isinstance(text, (str, Path)):
        raise InputError(f"{path}: option text must be a text or a file, not {type(text).__name__}")
    try:
        if isinstance(text, Path) or ("\n" not in text and len(text) < 4096 and Path(text).is_file()):
            return Path(text).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the text file {text} ({exc})") from None
    except ValueError:  # a name with a NUL character: not a file name
        pass
    return text


# --- the document text ----------------------------------------------------------------------------


def _rebuild_text(tokens: list[_Unit]) -> tuple[str, dict[str, int]]:
    """The rebuild rule: within a sentence, a token follows the previous one directly when the
    file's offsets are adjacent (begin == previous end), else after one space; each sentence
    is one line (``\\n`` between sentences and at the end). Returns the text and each token's
    start (code points)."""
    parts: list[str] = []
    starts: dict[str, int] = {}
    pos, prev = 0, None
    for tok in tokens:
        sep = "" if prev is None else "\n" if tok.sentence != prev.sentence else " " if tok.begin > prev.end else ""
        starts[tok.ident] = pos + len(sep)
        parts += [sep, tok.text]
        pos += len(sep) + len(tok.text)
        prev = tok
    return "".join(parts) + "\n", starts


def _align_text(tokens: list[_Unit], text: str, path: Path) -> tuple[str, dict[str, int]]:
    """Find the tokens in ``text`` left to right, skipping only whitespace between them."""
    starts: dict[str, int] = {}
    pos = 0
    for tok in tokens:
        while pos < len(text) and text[pos].isspace() and not tok.text.startswith(text[pos]):
            pos += 1
        if not text.startswith(tok.text, pos):
            raise InputError(f"{path}: line {tok.line}: token {tok.text!r} not found in the given text at offset {pos} "
                             f"(the text has {text[pos:pos + 20]!r})")
        starts[tok.ident] = pos
        pos += len(tok.text)
    return text, starts


def _to_cp(token: str, units16: int) -> int:
    """Code points of ``token`` in its first ``units16`` UTF-16 code units (clamped to the
    token; an offset inside a character's two units counts that character)."""
    units = Utf16Map(token)
    unit = min(max(units16, 0), units.length)
    cp = units.to_cp(unit)
    return cp if cp is not None else units.to_cp(unit + 1)


def _place(m: _Mention, by_ident: dict[str, _Unit], starts: dict[str, int]) -> None:
    """Set the mention's tokens and extent in the document text; a token of which some
    sub-tokens are in the mention contributes only those sub-tokens."""
    with_subs = {u.parent for u in m.units if u.ident != u.parent}
    for u in sorted(m.units, key=lambda u: (u.begin, u.end)):
        if u.ident != u.parent or u.ident not in with_subs:
            tok = by_ident[u.parent]
            start = starts[tok.ident]
            m.tokens.append((start + _to_cp(tok.text, u.begin - tok.begin), start + _to_cp(tok.text, u.end - tok.begin), u.text))
    m.extent = (min(t[0] for t in m.tokens), max(t[1] for t in m.tokens))


# --- annotations ----------------------------------------------------------------------------------


def _label(value: str) -> tuple[str | None, int | None]:
    """``"person[3]"`` -> ("person", 3); ``"*"`` / ``"_"`` -> (None, None)."""
    match = _LABEL_ID.fullmatch(value)
    label, ident = (match[1], int(match[2])) if match else (value, None)
    return (None if label in ("", "*", "_") else _unescape(label)), ident


def _stacked(cols: list[list[str]]) -> list[list[str]]:
    """The feature values of each stacked annotation of a span layer on one token, one list
    per annotation (``"*"`` where it has no value).

    Stacked values are ``|``-separated in the same order in every column, each tagged with its
    annotation's ``[N]``; a column may list fewer values than there are annotations (GUM
    writes ``person[1]|organization[2]`` with the identity ``Church_of_Scientology[2]`` of
    annotation 2 only), so a tagged value goes to the annotation with the same ``[N]``; only
    untagged values are matched by position."""
    count = max(map(len, cols), default=0)
    if count <= 1:
        return [[col[0] if col else "*" for col in cols]] if count else []
    tagged = [[_LABEL_ID.fullmatch(v) for v in col] for col in cols]
    widest = max(range(len(cols)), key=lambda c: len(cols[c]))  # the first column listing them all
    idents = [int(m[2]) if m else None for m in tagged[widest]]
    out = []
    for k, ident in enumerate(idents):
        vals = []
        for col, tags in zip(cols, tagged):
            by_id = {int(m[2]): v for v, m in zip(col, tags) if m}
            if ident is not None and ident in by_id:
                vals.append(by_id[ident])
            elif k < len(col) and tags[k] is None:
                vals.append(col[k])  # untagged: by position
            else:
                vals.append("*")
        out.append(vals)
    return out


def _kind(m: _Mention) -> str | None:
    return TYPES.get(m.type.lower()) if m.type else None


class _Collector:
    """Entity mentions (of the entity span layer and of chain layers), the identity links
    between them, and counts of everything not imported."""

    def __init__(self, layers: list[_Layer], path: Path):
        self.layers, self.path = layers, path
        # the entity layer: one with an "entity" feature (GUM's Referent), or DKPro's NamedEntity
        self.type_feature = {i: ("entity" if "entity" in l.features else "value") for i, l in enumerate(layers)
                             if l.kind == "SP" and ("entity" in l.features or l.name.endswith(".NamedEntity"))}
        self.spans: dict[tuple, _Mention] = {}  # (layer, id) or (layer, unit, stack index) -> mention
        self.links: dict[tuple, _Mention] = {}  # (layer, chain, link) -> mention
        self.pending: list[tuple[str, tuple, tuple]] = []  # relation type, dependent key, governor key
        self.others: set[tuple] = set()
        self.types, self.relations, self.layer_counts = Counter(), Counter(), Counter()
        self.features: dict[str, set[str]] = {}

    def read(self, units: list[_Unit]) -> tuple[list[_Mention], list[tuple[int, int]]]:
        for u in units:
            for li, layer in enumerate(self.layers):
                cols = [_split(c) if c != "_" else [] for c in u.cells[layer.column:layer.column + len(layer.features)]]
                stack = _stacked(cols) if layer.kind == "SP" else \
                    [[col[k] if k < len(col) else "*" for col in cols] for k in range(max(map(len, cols), default=0))]
                for k, vals in enumerate(stack):
                    getattr(self, layer.kind)(li, u, k, vals)
        mentions = list(self.spans.values()) + list(self.links.values())
        index = {id(m): i for i, m in enumerate(mentions)}
        pairs, chains = [], {}
        for (li, chain, _), m in self.links.items():
            chains.setdefault((li, chain), []).append(index[id(m)])
        for members in chains.values():
            pairs += [(members[0], i) for i in members[1:]]
        for rel_type, dep, gov in self.pending:
            a, b = self.spans.get(dep), self.spans.get(gov)
            if a is None or b is None or rel_type.lower().startswith("bridg"):
                self.relations[rel_type] += 1  # bridging, or not between entity mentions
            else:
                pairs.append((index[id(a)], index[id(b)]))
        return mentions, pairs

    def SP(self, li: int, u: _Unit, k: int, vals: list[str]) -> None:
        layer = self.layers[li]
        labels = [_label(v) for v in vals]
        ident = next((i for _, i in labels if i is not None), None)
        key = (li, ident) if ident is not None else (li, u.ident, k)
        if li not in self.type_feature:
            if key not in self.others:
                self.others.add(key)
                self.layer_counts[layer.name] += 1
        elif key in self.spans:
            self.spans[key].units.append(u)
        else:
            feats = {f: lab for f, (lab, _) in zip(layer.features, labels)}
            self.spans[key] = _Mention([u], feats.get(self.type_feature[li]), feats.get("identity") or "")
            self.features.setdefault(layer.name, set()).update(
                f for f, lab in feats.items() if lab is not None and f not in (self.type_feature[li], "identity"))

    def CH(self, li: int, u: _Unit, k: int, vals: list[str]) -> None:
        feats = dict(zip(self.layers[li].features, vals))
        match = _CHAIN_LINK.fullmatch(feats.get("referenceRelation", ""))
        if match is None:
            return
        key = (li, int(match[2]), int(match[3]))
        if key not in self.links:
            raw = _label(feats.get("referenceType", "*"))[0]  # an entity type only if it names one
            self.links[key] = _Mention([], raw if raw and raw.lower() in TYPES else None, chain=True)
            if _label(match[1])[0]:
                self.features.setdefault(self.layers[li].name, set()).add("referenceRelation")
        self.links[key].units.append(u)

    def RL(self, li: int, u: _Unit, k: int, vals: list[str]) -> None:
        layer = self.layers[li]
        target = layer.features[-1][3:] if layer.features[-1].startswith("BT_") else ""
        base = next((i for i, l in enumerate(self.layers) if l.kind == "SP" and l.name == target), None)
        address = _ADDRESS.fullmatch(vals[-1])
        if address is None:
            raise InputError(f"{self.path}: line {u.line}: bad relation address {vals[-1]!r} in layer {layer.name}")
        gov_id, dep_id = int(address[2] or 0), int(address[3] or 0)  # [governor_dependent] annotation ids
        gov = (base, gov_id) if gov_id else (base, address[1], 0)
        dep = (base, dep_id) if dep_id else (base, u.ident, 0)
        self.pending.append(((_label(vals[0])[0] if len(vals) > 1 else None) or layer.name, dep, gov))

    def note(self, path: Path, spans: int, entities: int) -> str:
        """One line: what was imported, and counts of everything read but not imported."""
        def listing(counter: Counter) -> str:
            return ", ".join(f"{what} {n}" for what, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))

        features = "; ".join(f"features {', '.join(sorted(fs))} of layer {name}" for name, fs in self.features.items() if fs)
        kept = (f"; mentions of other types kept as spans with their type as label ({listing(self.types)})"
                if self.types else "")
        parts = [
                 f"relations other than coreference between entity mentions ({listing(self.relations)})"
                 if self.relations else "",
                 f"annotations of other layers ({listing(self.layer_counts)})" if self.layer_counts else "", features]
        if not any(parts) and not kept:
            return ""
        lost = f"; not imported: {'; '.join(p for p in parts if p)}" if any(parts) else ""
        return f"{path.name}: {spans} person/organization mentions imported as speakers of {entities} entities{kept}{lost}"


# --- speakers and entities ------------------------------------------------------------------------


def _speakers(mentions: list[_Mention], pairs, text: str, col: _Collector,
              speakers: frozenset[str] = frozenset(("person", "organization"))):
    """Group mentions by their identity links (union-find); a group with a mention of a type of
    ``speakers`` (person, organization) becomes one entity (type: the most frequent, ties to
    the first), and its mentions of those types (and those without a type) become its speaker
    spans. Every other mention keeps its own type as its label ("place", "event", "abstract";
    "mention" when neither it nor its group has a type): a span, not a speaker."""
    parent = list(range(len(mentions)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    plain = {m.extent: i for i, m in reversed(list(enumerate(mentions))) if not m.chain}
    twins = {i: plain[m.extent] for i, m in enumerate(mentions) if m.chain and m.extent in plain}
    for i, j in twins.items():  # a chain link on an entity annotation: one mention
        mentions[j].type = mentions[j].type or mentions[i].type
    for a, b in list(pairs) + list(twins.items()):
        parent[find(a)] = find(b)
    groups: dict[int, list[_Mention]] = {}
    for i in sorted(set(range(len(mentions))) - set(twins), key=lambda i: mentions[i].extent):
        groups.setdefault(find(i), []).append(mentions[i])
    spans, entities, others = [], [], []

    def kind_of(m: _Mention) -> str | None:
        kind = _kind(m)
        return kind if kind in speakers else None

    for members in sorted(groups.values(), key=lambda ms: ms[0].extent):
        kinds = [kind_of(m) for m in members if kind_of(m)]
        group_type = next((m.type for m in members if m.type), None)
        rest = [m for m in members if not kind_of(m) and (m.type or not kinds)]
        col.types.update(m.type or "(no type)" for m in rest)
        others += [(m.extent, (m.type or group_type or "mention").strip() or "mention") for m in rest]
        if not kinds:
            continue
        counts = Counter(kinds).most_common()
        kind = counts[0][0] if len(counts) == 1 or counts[0][1] > counts[1][1] else kinds[0]
        key = f"e{len(entities) + 1}"
        taken = [m for m in members if m.type is None or kind_of(m)]
        spans += [NewSpan(f"s{len(spans) + i + 1}", SPEAKER, (m.extent,), entity=key) for i, m in enumerate(taken)]
        identity = next((m.identity for m in members if m.identity), "")
        entities.append(NewEntity(key, _name(taken, kind, text), kind, notes=f"Wikipedia: {identity}" if identity else ""))
    spans += [NewSpan(f"m{k}", label, (extent,)) for k, (extent, label) in enumerate(sorted(set(others)), 1)]
    return spans, entities


def _name(mentions: list[_Mention], kind: str, text: str) -> str:
    """The entity's name: the longest mention made only of capitalised words and name-internal
    of/and/the/hyphens (a trailing possessive 's and, for organizations, a leading "the"
    removed; for persons, mentions starting with "the" skipped, and two or more capitalised
    words ending a mention also count: "actor Jason Beghe"); else the first mention that is not
    a lone pronoun; else the first mention."""
    best = ""
    for m in mentions:
        toks = m.tokens[:-1] if len(m.tokens) > 1 and m.tokens[-1][2] in ("'s", "'", "’s", "’") else m.tokens
        if toks[0][2].lower() == "the":
            if kind == "person":
                continue
            toks = toks[1:]
        words = [t[2] for t in toks]
        if not words or (len(words) == 1 and words[0].lower() in PRONOUNS) or not words[-1][:1].isupper():
            continue
        if not (words[0][:1].isupper() and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in NAME_LINKS for w in words)):
            if kind != "person":
                continue
            run = len(words)  # "actor Jason Beghe": the name at the end of a person's mention
            while run and words[run - 1][:1].isupper():
                run -= 1
            if len(words) - run < 2:
                continue
            toks = toks[run:]
        name = text[toks[0][0]:toks[-1][1]]
        best = name if len(name) > len(best) else best
    if best:
        return best
    plain = [m for m in mentions if not (len(m.tokens) == 1 and m.tokens[0][2].lower() in PRONOUNS)]
    m = (plain or mentions)[0]
    return text[m.extent[0]:m.extent[1]]


def _sniff(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(64).lstrip(b"\xef\xbb\xbf").startswith(b"#FORMAT=WebAnno TSV")
    except OSError:
        return False


register(Format(
    name="webanno-tsv",
    description="WebAnno TSV 3.x (INCEpTION / WebAnno export): entity mentions and coreference",
    extensions=(".tsv",),
    reader=read_webanno_tsv,
    carries="person and organization mentions (as speaker spans) and their coreference chains (as entities)",
    cannot_carry="other entity types, bridging relations, other layers and features (counted in the import notes); "
                 "the original whitespace and paragraphs, unless the text option gives the original text",
    sniff=_sniff,
))
