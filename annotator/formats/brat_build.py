"""brat standoff, import: parsed ``.ann`` lines -> one NewDocument (see ``docs/formats/brat.md``).

Layers: a T type maps to speaker / cue / claim / keep (its own name as an extra label) /
skip, by the user's ``mapping`` (exact, then case-insensitive name) or :data:`LAYER_DEFAULTS`.
Relations said_by / speaker / source between a claim and a speaker are the claim's source
link, cue between a claim and a cue its cue link; other relations are kept. Attribution
events (type Attribution, or roles Content plus Source or Cue) become claims linked to
their source mention and cue (the trigger is the cue when there is no Cue role); other
events are kept: the trigger span (attribute ``brat_event``) with one relation per role
(attribute ``brat_role``). Equivalences are relations between consecutive members
(attribute ``brat_equiv``); speakers in one equivalence are one entity.
"""
from __future__ import annotations

from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.model import CLAIM, CUE, SPEAKER, NewDocument, NewEntity, NewRelation, NewSpan
from annotator.formats.brat_read import Ann, TextView

LAYER_DEFAULTS = {"source": SPEAKER, "speaker": SPEAKER, "cue": CUE, "content": CLAIM, "quote": CLAIM, "claim": CLAIM}
RELATION_DEFAULTS = {"said_by": SPEAKER, "speaker": SPEAKER, "source": SPEAKER, "cue": CUE}
ROLE_LAYERS = {"source": SPEAKER, "speaker": SPEAKER, "cue": CUE, "content": CLAIM, "claim": CLAIM, "quote": CLAIM}
MAPPING_VALUES = (SPEAKER, CUE, CLAIM, "keep", "skip")
CLAIM_FIELDS = {"form": ("direct", "indirect", "mixed"), "polarity": ("positive", "negative", "neutral", "mixed"),
                "intensity": ("low", "medium", "high")}
ANNOTATOR_DB, WIKIDATA_DB = "Annotator", "Wikidata"
SPAN_RESERVED = ("brat_event", "normalizations", "brat_comments")
RELATION_RESERVED = ("brat_role", "brat_equiv", "brat_args", "note", "normalizations", "brat_comments")


class Mapping:
    """The user's type -> layer mapping over the defaults; InputError for a bad value."""

    def __init__(self, user: dict | None, where: str):
        user = dict(user or {})
        for key, value in user.items():
            if not isinstance(key, str) or value not in MAPPING_VALUES:
                raise InputError(f"{where}: mapping {key!r}: {value!r} is not one of {', '.join(MAPPING_VALUES)}")
        self.user, self.folded = user, {k.casefold(): v for k, v in user.items()}

    def given(self, name: str) -> str | None:
        return self.user.get(name) or self.folded.get(name.casefold())

    def layer(self, name: str, defaults: dict) -> str:
        return self.given(name) or defaults.get(name.casefold(), "keep")


def role_base(role: str) -> str:
    """A role without its number (brat numbers repeated roles: Org-Arg2), case-folded."""
    return role.rstrip("0123456789").casefold() or role.casefold()


def entity_id_text(entity_type: str, entity_id: int) -> str:
    """The ID of an ``Annotator:`` normalization naming a speaker entity: "person-12"."""
    return f"{entity_type}-{entity_id}"


class Builder:
    def __init__(self, anns: list[Ann], view: TextView, mapping: Mapping, path: Path):
        self.anns, self.view, self.mapping, self.path = anns, view, mapping, path
        self.by_id = {a.id: a for a in anns if a.kind != "*"}
        self.spans: dict[str, NewSpan] = {}
        self.refs: dict[str, list[str]] = {}  # brat T/E id -> span keys
        self.rels: dict[str, list[NewRelation]] = {}  # brat R id -> relations
        self.relations: list[NewRelation] = []
        self.gone: set[str] = set()
        self.notes: list[str] = []
        self.labels: dict[str, str] = {}  # T id -> layer or "keep"
        self.entity_of: dict[str, tuple[str, str, str]] = {}  # span key -> (entity key, name, type)
        self.claim_speaker: dict[str, tuple[str, str, str]] = {}
        self.qids: dict[str, str] = {}
        self.equiv_groups: list[list[str]] = []
        self.triggers = {a.trigger for a in anns if a.kind == "E"}
        self._relabelled: set[str] = set()
        self.kept_triggers: dict[str, int] = {}  # label -> attributions whose trigger kept that label

    def note(self, ann: Ann | None, text: str) -> None:
        self.notes.append(f"{self.path}: line {ann.line}: {text}" if ann else f"{self.path}: {text}")

    def of(self, kind: str) -> list[Ann]:
        return [a for a in self.anns if a.kind == kind]

    def ref(self, ann: Ann, ident: str) -> list[str] | None:
        keys = self.refs.get(ident)
        if keys is None:
            self.note(ann, f"{ann.id} was not imported: it refers to {ident}, which was not imported")
        return keys

    # --- the passes ----------------------------------------------------------------------

    def build(self, source: str, origin: str) -> NewDocument:
        events = {e.id: self.event_mode(e) for e in self.of("E")}
        self.choose_labels(events)
        for ann in self.of("T"):
            self.add_textbound(ann)
        for ann in self.of("E"):
            if events[ann.id] == "generic":
                self.add_event(ann)
        for ann in self.of("E"):
            if events[ann.id] == "attribution":
                self.add_attribution(ann)
            elif events[ann.id] == "skip":
                self.note(ann, f"event {ann.id} ({ann.type}) skipped as the mapping asks")
        for ann in self.of("E"):
            if events[ann.id] == "generic":
                self.add_roles(ann)
        for ann in self.of("R"):
            self.add_relation(ann)
        for ann in self.of("*"):
            self.add_equiv(ann)
        for ann in self.anns:
            if ann.kind in "AN#":
                self.add_modifier(ann)
        for label, n in self.kept_triggers.items():
            article = "an" if label[:1].lower() in "aeiou" else "a"
            self.note(None, f"the trigger of {n} attribution{'s' * (n != 1)} was kept as {article} {label} span"
                            f" (not a cue)")
        entities = self.make_entities()
        kept = sorted({s.label for s in self.spans.values()} - {SPEAKER, CUE, CLAIM})
        self.summarise(kept)
        return NewDocument(title="", text=self.view.text, source=source, spans=list(self.spans.values()),
                           relations=self.relations, entities=entities, labels=kept, origin=origin, notes=self.notes)

    def event_mode(self, event: Ann) -> str:
        given = self.mapping.given(event.type)
        if given == "skip":
            return "skip"
        roles = {ROLE_LAYERS.get(role_base(r)) for r, _ in event.args}
        attribution = event.type.casefold() == "attribution" or (CLAIM in roles and (SPEAKER in roles or CUE in roles))
        return "attribution" if attribution and given != "keep" else "generic"

    def choose_labels(self, events: dict[str, str]) -> None:
        for ann in self.of("T"):
            self.labels[ann.id] = self.mapping.layer(ann.type, LAYER_DEFAULTS)
        for event in self.of("E"):
            if events[event.id] != "attribution":
                continue
            wanted = [(ROLE_LAYERS.get(role_base(r)), i) for r, i in event.args]
            if not any(layer == CUE for layer, _ in wanted):
                wanted.append((CUE, event.trigger))
            for layer, ident in wanted:
                target = self.by_id[ident]
                if layer is None or target.kind != "T" or self.labels[ident] in ("skip", layer):
                    continue
                if ident in self._relabelled:
                    self.note(event, f"{ident} is already a {self.labels[ident]} of another attribution; left so")
                    continue
                self._relabelled.add(ident)
                self.note(event, f"{ident} ({target.type}) imported as {layer}: part of attribution {event.id}")
                self.labels[ident] = layer

    def add_textbound(self, ann: Ann) -> None:
        layer = self.labels[ann.id]
        where = f"{ann.id} ({ann.type} {';'.join(f'{a} {b}' for a, b in ann.fragments)})"
        if layer == "skip":
            self.gone.add(ann.id)
            self.note(ann, f"{where} skipped as the mapping asks")
            return
        to = self.view.to_text
        fragments = tuple(sorted((to(a), to(b)) for a, b in ann.fragments if to(a) < to(b)))
        if not fragments:
            self.gone.add(ann.id)
            self.note(ann, f"{where} is zero-length; Annotator has no empty spans, so it was not imported")
            return
        if len(fragments) < len(ann.fragments):
            self.note(ann, f"{where}: its zero-length fragments were left out")
        self.spans[ann.id] = NewSpan(ann.id, ann.type if layer == "keep" else layer, fragments)
        self.refs[ann.id] = [ann.id]

    def add_event(self, event: Ann) -> None:
        if event.trigger not in self.refs:
            self.gone.add(event.id)
            self.note(event, f"event {event.id} was not imported: its trigger {event.trigger} was not imported")
            return
        trigger = self.spans[event.trigger]
        if trigger.attributes.get("brat_event"):  # a second event on the same trigger: its own span
            trigger = NewSpan(event.id, trigger.label, trigger.fragments)
            self.spans[event.id] = trigger
        trigger.attributes["brat_event"] = True
        self.refs[event.id] = [trigger.key]

    def add_roles(self, event: Ann) -> None:
        if event.id in self.gone:
            return
        source = self.refs[event.id][0]
        for n, (role, ident) in enumerate(event.args, 1):
            keys = self.refs.get(ident)
            if keys is None:
                self.note(event, f"role {role}:{ident} of event {event.id} was not imported: {ident} was not imported")
                continue
            for key in keys:
                self.relations.append(NewRelation(f"{event.id}-{n}-{key}", role, source, key, {"brat_role": True}))

    def add_attribution(self, event: Ann) -> None:
        layers: dict[str, list[str]] = {SPEAKER: [], CUE: [], CLAIM: []}
        for role, ident in event.args:
            layer = ROLE_LAYERS.get(role_base(role))
            keys = [k for k in self.refs.get(ident, []) if self.spans[k].label == layer]
            if layer is None or not keys:
                self.note(event, f"role {role}:{ident} of attribution {event.id} was not carried")
            layers.setdefault(layer, []).extend(keys)
        trigger = self.spans.get(event.trigger)
        if not layers[CUE] and trigger is not None and trigger.label == CUE:
            layers[CUE].append(event.trigger)
        elif trigger is not None and event.trigger not in layers[CUE]:
            self.kept_triggers[trigger.label] = self.kept_triggers.get(trigger.label, 0) + 1  # one note per label
        for extra in (SPEAKER, CUE):
            if len(layers[extra]) > 1:
                self.note(event, f"attribution {event.id} has several {extra}s; the claim is linked to the first")
        if not layers[CLAIM]:
            self.note(event, f"attribution {event.id} has no content; its source and cue were imported unlinked")
        for key in layers[CLAIM]:
            claim = self.spans[key]
            claim.source = claim.source or next(iter(layers[SPEAKER]), None)
            claim.cue = claim.cue or next(iter(layers[CUE]), None)
        self.refs[event.id] = layers[CLAIM]

    def add_relation(self, ann: Ann) -> None:
        layer = self.mapping.layer(ann.type, RELATION_DEFAULTS)
        if layer == "skip":
            self.note(ann, f"relation {ann.id} ({ann.type}) skipped as the mapping asks")
            return
        (label1, id1), (label2, id2) = ann.args
        for ident in (id1, id2):
            if ident in self.triggers and self.spans.get(ident) and self.spans[ident].attributes.get("brat_event"):
                self.note(ann, f"{ann.id} refers to the trigger {ident}; an export refers to its event instead")
        ends = [self.ref(ann, id1), self.ref(ann, id2)]
        if None in ends:
            return
        if layer in (SPEAKER, CUE) and len(ends[0]) == len(ends[1]) == 1 and self.link(ann, ends[0][0], ends[1][0], layer):
            return
        attrs = {} if (label1, label2) == ("Arg1", "Arg2") else {"brat_args": [label1, label2]}
        made = [NewRelation(f"{ann.id}-{a}-{b}" if len(ends[0]) * len(ends[1]) > 1 else ann.id, ann.type, a, b, dict(attrs))
                for a in ends[0] for b in ends[1]]
        self.relations.extend(made)
        self.rels[ann.id] = made

    def link(self, ann: Ann, key1: str, key2: str, layer: str) -> bool:
        """Make a claim-speaker (claim-cue) relation the claim's source (cue) link."""
        one, two = self.spans[key1], self.spans[key2]
        claim, other = (one, two) if one.label == CLAIM else (two, one)
        if claim.label != CLAIM or other.label != layer:
            return False
        field = "source" if layer == SPEAKER else "cue"
        if getattr(claim, field) not in (None, other.key):
            self.note(ann, f"{claim.key} already has a {field}; {ann.id} was kept as a {ann.type} relation")
            return False
        setattr(claim, field, other.key)
        return True

    def add_equiv(self, ann: Ann) -> None:
        members = []
        for _, ident in ann.args:
            keys = self.refs.get(ident)
            if keys is None:
                self.note(ann, f"member {ident} of the {ann.type} equivalence was not imported")
            members.extend(keys or [])
        for a, b in zip(members, members[1:]):
            self.relations.append(NewRelation(f"*{ann.line}-{a}-{b}", ann.type, a, b, {"brat_equiv": True}))
        self.equiv_groups.append(members)

    def add_modifier(self, ann: Ann) -> None:
        if ann.target in self.rels:
            for relation in self.rels[ann.target]:
                self.modify(ann, relation.attributes, None, RELATION_RESERVED)
            return
        if self.by_id[ann.target].kind == "R":
            self.note(ann, f"{ann.id} was not imported: it refers to {ann.target}, which was not imported as a relation")
            return
        for key in self.ref(ann, ann.target) or []:
            self.modify(ann, self.spans[key].attributes, self.spans[key], SPAN_RESERVED)

    def modify(self, ann: Ann, attrs: dict, span: NewSpan | None, reserved: tuple) -> None:
        claim = span if span is not None and span.label == CLAIM else None
        if ann.kind == "A":
            name, value = ann.type, ann.value
            if claim and isinstance(value, str) and name.casefold() in CLAIM_FIELDS and value.casefold() in CLAIM_FIELDS[name.casefold()]:
                setattr(claim, name.casefold(), value.casefold())
            elif claim and isinstance(value, str) and name.casefold() == "target":
                claim.target = value
            elif name in reserved:
                self.note(ann, f"attribute {name!r} is a name Annotator keeps for itself; not imported")
            elif name in attrs and attrs[name] != value:
                old = attrs[name] if isinstance(attrs[name], list) else [attrs[name]]
                attrs[name] = old + [value]
            else:
                attrs[name] = value
        elif ann.kind == "N":
            self.normalization(ann, attrs, span)
        elif ann.type == "AnnotatorNotes" and span is not None:
            span.note = f"{span.note}\n{ann.text}" if span.note else ann.text
        elif ann.type == "AnnotatorNotes":
            attrs["note"] = f"{attrs['note']}\n{ann.text}" if attrs.get("note") else ann.text
        elif claim and ann.type.casefold() == "target":
            claim.target = ann.text
        else:
            attrs.setdefault("brat_comments", []).append([ann.type, ann.text])

    def normalization(self, ann: Ann, attrs: dict, span: NewSpan | None) -> None:
        label = span.label if span is not None else None
        if ann.db.casefold() == ANNOTATOR_DB.casefold() and label in (SPEAKER, CLAIM):
            kind, _, number = ann.db_id.rpartition("-")
            entity = (f"annotator:{ann.db_id}", ann.text.strip(), kind or "person")
            (self.entity_of if label == SPEAKER else self.claim_speaker).setdefault(span.key, entity)
            return
        if ann.db.casefold() == WIKIDATA_DB.casefold() and label == SPEAKER:
            self.qids.setdefault(span.key, ann.db_id)
            return
        entry = [ann.db, ann.db_id, ann.text] + ([] if ann.type == "Reference" else [ann.type])
        attrs.setdefault("normalizations", []).append(entry)

    def make_entities(self) -> list[NewEntity]:
        text = self.view.text
        speakers = [k for k, s in self.spans.items() if s.label == SPEAKER]
        named = {k: " ".join(" ".join(text[a:b] for a, b in self.spans[k].fragments).split()) or "unnamed" for k in speakers}
        group_name = {}
        for members in self.equiv_groups:
            mine = [m for m in members if m in named]
            for m in mine:
                group_name.setdefault(m, named[mine[0]])
        entities: dict[str, NewEntity] = {}
        for key in speakers:
            ekey, name, etype = self.entity_of.get(key) or ("name:" + group_name.get(key, named[key]), group_name.get(key, named[key]), "person")
            entity = entities.setdefault(ekey, NewEntity(ekey, name or named[key], etype))
            entity.qid = entity.qid or self.qids.get(key)
            self.spans[key].entity = ekey
        for key, span in self.spans.items():
            if span.label != CLAIM:
                continue
            if key in self.claim_speaker:
                ekey, name, etype = self.claim_speaker[key]
                entities.setdefault(ekey, NewEntity(ekey, name or "unnamed", etype))
                span.speaker = ekey
            elif span.source is not None:
                span.speaker = self.spans[span.source].entity
        return list(entities.values())

    def summarise(self, kept: list[str]) -> None:
        types = {}
        for ann in self.of("T"):
            types.setdefault(ann.type, set()).add(self.labels[ann.id])
        mapped = sorted(f"{t} -> {'/'.join(sorted(v))}" for t, v in types.items()
                        if v & {SPEAKER, CUE, CLAIM} and v != {t})  # "claim -> claim" says nothing
        skipped = sorted(t for t, v in types.items() if v == {"skip"})
        parts = [f"mapped {', '.join(mapped)}" if mapped else "", f"kept as extra labels: {', '.join(kept)}" if kept else "",
                 f"skipped: {', '.join(skipped)}" if skipped else ""]
        if any(parts):
            self.note(None, "; ".join(p for p in parts if p))


def build_document(anns: list[Ann], view: TextView, mapping: Mapping, path: Path, source: str, origin: str) -> NewDocument:
    """The NewDocument for one parsed ``.ann`` file (its offsets already checked against
    ``view``); ``path`` names the file in notes."""
    return Builder(anns, view, mapping, path).build(source, origin)

