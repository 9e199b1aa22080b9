"""Merging other projects into a project, one layer per annotator (issue 11).

``annotator merge OTHER... --project P``: every document of OTHER is matched with P's by its
text (SHA-256 of the stored text). A document P does not have comes in whole, with every
annotator's annotations. For a document P has, each annotator of OTHER's copy is one of:

* *new* to P's copy: their annotations come in as their layer (with their uuids, times,
  statuses and links; their speakers join P's entities of the same name and type);
* *the same* as in P (the same spans: uuid, label, fragments, last change): nothing to do, so
  running the merge twice changes nothing;
* *different* (the annotator edited the document in both projects): a **conflict**, listed;
  P's version stays and OTHER's is not brought in (nothing is overwritten);
* unnamed (spans made before annotator names, annotator ''): listed, not brought in, since
  they cannot be told apart from P's unnamed annotations.

Each OTHER project is merged in one transaction (``Store.import_documents``); OTHER is only
read. Relations come with the annotator's spans when both ends do; a claim's link to a span
of another annotator of OTHER is kept only when that annotator comes in too.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.model import Document, NewDocument, NewEntity, NewRelation, NewSpan, Span
from annotator.core.store import Store
from annotator.core.store.changes import Change


@dataclass
class MergeReport:
    """What a merge did: ``added`` documents (lines "title (annotators)"), ``joined``
    annotator layers added to documents P had ("title: NAME's layer, N spans"),
    ``unchanged`` layers already in P as they are in OTHER, ``conflicts`` and ``notes``
    (lines naming the document and the annotator)."""

    added: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    change: Change | None = None  # what the merge wrote (an import's Change): the window's undo step


def _name(who: str) -> str:
    return who or "(unnamed)"


def _by_annotator(spans: list[Span]) -> dict[str, list[Span]]:
    groups: dict[str, list[Span]] = {}
    for span in spans:
        groups.setdefault(span.annotator, []).append(span)
    return groups


def _signature(spans: list[Span]) -> set:
    """What must be equal for two copies of one annotator's layer to be the same."""
    return {(s.uuid, s.label, s.fragments, s.status, s.modified) for s in spans}


def _new_document(doc: Document, spans: list[Span], other: Store, entities: dict, origin: str, schema_labels) -> NewDocument:
    """``doc`` with ``spans`` (and the relations and entities they use) as a NewDocument."""
    keys = {s.id: f"s{s.id}" for s in spans}
    used = {s.entity_id for s in spans} | {s.speaker_id for s in spans}
    new_spans = [NewSpan(
        keys[s.id], s.label, s.fragments,
        entity=f"e{s.entity_id}" if s.entity_id is not None else None,
        speaker=f"e{s.speaker_id}" if s.speaker_id is not None else None,
        source=keys.get(s.source_id), cue=keys.get(s.cue_id),
        form=s.form, polarity=s.polarity, intensity=s.intensity, target=s.target,
        attributes=s.attributes, note=s.note, uuid=s.uuid, status=s.status, annotator=s.annotator,
        created=s.created, modified=s.modified, origin=s.origin, score=s.score) for s in spans]
    new_entities = [NewEntity(f"e{e.id}", e.name, e.type, tuple(e.aliases), e.qid, e.notes, uuid=e.uuid, status=e.status,
                              annotator=e.annotator, created=e.created, modified=e.modified)
                    for i, e in sorted(entities.items()) if i in used]
    relations = [NewRelation(f"r{r.id}", r.type, keys[r.from_id], keys[r.to_id], r.attributes, uuid=r.uuid, status=r.status,
                             annotator=r.annotator, created=r.created, modified=r.modified)
                 for r in other.relations(doc.id, statuses=None) if r.from_id in keys and r.to_id in keys]
    labels = sorted({s.label for s in spans})  # the target adds those it lacks (OTHER's extra labels too)
    return NewDocument(doc.title, doc.text, source=doc.source, status=doc.status, polarity=doc.polarity,
                       entities=new_entities, spans=new_spans, relations=relations, labels=labels, origin=origin)


def merge_project(target: Store, other: Store, where: str) -> MergeReport:
    """Merge the project ``other`` (named ``where`` in messages) into ``target`` as the module
    docstring says, in one transaction. Returns what was done and what was not."""
    report = MergeReport()
    by_sha = {target.document(info.id).sha256: info.id for info in target.document_infos()}
    entities = {e.id: e for e in other.entities(statuses=None)}
    schema_labels = other.schema.label_names
    docs = []
    for info in other.document_infos():
        doc = other.document(info.id)
        spans = other.spans(info.id, statuses=None)
        groups = _by_annotator(spans)
        here = by_sha.get(doc.sha256)
        if here is None:
            docs.append(_new_document(doc, spans, other, entities, f"{where}#{info.id}", schema_labels))
            report.added.append(f"{doc.title} ({', '.join(map(_name, sorted(groups))) or 'no annotations'})")
            continue
        theirs = _by_annotator(target.spans(here, statuses=None))
        coming = []
        for who, group in sorted(groups.items()):
            if who in theirs and _signature(group) == _signature(theirs[who]):
                report.unchanged += 1
            elif not who:
                report.notes.append(f"{where}: {doc.title}: {len(group)} unnamed span(s) (made before annotator names) "
                                    "not merged: they cannot be told from this project's")
            elif who in theirs:
                report.conflicts.append(f"{where}: {doc.title}: {who} annotated it in both projects differently "
                                        f"({len(theirs[who])} spans here, {len(group)} there); this project's version kept")
            else:
                coming.append(who)
                report.joined.append(f"{doc.title}: {who}'s layer, {len(group)} span{'s' * (len(group) != 1)}")
        if coming:
            chosen = [s for s in spans if s.annotator in coming]
            docs.append(_new_document(doc, chosen, other, entities, f"{where}#{info.id}", schema_labels))
    if docs:
        imported, report.change = target.import_documents(docs)
        report.notes.extend(imported.notes)
        report.notes.extend(f"{where}: {line}" for line in imported.skipped)
    return report
