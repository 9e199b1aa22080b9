"""The project's figures for ``annotator stats`` and the Statistics panel (one source, so the
two never disagree). All their SQL is here.

:func:`figures` returns the dictionary ``annotator stats --json`` prints::

    {"documents": 8,                                 # number of documents
     "spans": {"speaker": 40, "cue": 0, ...},        # spans per label (the schema's labels)
     "claims_per_speaker": {"Lavrov": 5, ...},       # claims by speaker, most first
     "polarity_per_speaker": {"Lavrov": {"positive": 3, "(none)": 2}, ...},
     "claims_per_document": [{"id": 1, "title": "...", "status": "done", "claims": 7}, ...],
     "documents_per_status": {"new": 5, "in progress": 2, "done": 1},
     "done_per_day": {"2026-12-08": 3, ...},         # documents done, by the UTC day they were marked
     "suggestions": {"accepted": 12, "rejected": 3, "suggested": 5,       # see below
                     "per_label": {"claim": {"accepted": 4, "rejected": 1, "suggested": 2}, ...},
                     "per_origin": {"rule:direct-quote": {"accepted": 4, ...}, ...}} }

Claims without a speaker count under ``(no speaker)``, claims without a polarity under
``(none)``. Only accepted spans count (not suggestions), except under ``suggestions``. A
document marked done before status times were recorded (projects of version 1) is not in
``done_per_day``.

``suggestions`` counts the spans that came from a suggester, by what became of them:
``accepted`` (status accepted with an ``origin``: a suggestion accepted in review, or a batch
pre-annotation written accepted by ``annotator suggest --accept``), ``rejected`` and
``suggested`` (still waiting for review); per label (the schema's labels, in its order, then
any other label) and per origin (``(unknown)`` for a suggestion without one), most first.
All counts are 0 and both tables empty in a project without suggestions.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.model import CLAIM
from annotator.core.store.reading import layer_condition
from annotator.core.store.search import ACCEPTED_S

if TYPE_CHECKING:
    from annotator.core.store import Store

NO_SPEAKER, NO_VALUE, NO_ORIGIN = "(no speaker)", "(none)", "(unknown)"
SUGGESTION_FATES = ("accepted", "rejected", "suggested")
DONE = "done"


def figures(store: Store, layer: str | None = None) -> dict:
    """Every figure of the project (shape in the module's docstring), counting the spans of
    ``layer`` (an annotator's name; None: every layer). Reads only."""
    out = dict(store.stats(layer=layer))
    accepted = ACCEPTED_S + layer_condition(layer, "s")
    also = [layer] if layer is not None else []
    per_speaker: dict[str, dict[str, int]] = {}
    for name, polarity, n in store.db.execute(
            f"SELECT coalesce(e.name, '{NO_SPEAKER}'), coalesce(s.polarity, '{NO_VALUE}'), count(*) FROM spans s"
            f" LEFT JOIN entities e ON e.id = s.speaker_id WHERE s.label = ?{accepted}"
            " GROUP BY e.id, s.polarity ORDER BY e.name, s.polarity", [CLAIM, *also]).fetchall():
        row = per_speaker.setdefault(name, {})
        row[polarity] = row.get(polarity, 0) + n
    order = list(out["claims_per_speaker"])
    out["polarity_per_speaker"] = {name: per_speaker[name] for name in order if name in per_speaker}
    out["claims_per_document"] = [
        {"id": i, "title": title, "status": status, "claims": n} for i, title, status, n in store.db.execute(
            f"SELECT d.id, d.title, d.status, (SELECT count(*) FROM spans s WHERE s.document_id = d.id"
            f" AND s.label = ?{accepted}) FROM documents d ORDER BY d.id", [CLAIM, *also]).fetchall()]
    out["documents_per_status"] = {status: 0 for status in store.schema.document_status}
    for status, n in store.db.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall():
        out["documents_per_status"][status] = n
    out["done_per_day"] = dict(store.db.execute(
        "SELECT substr(status_modified, 1, 10) AS day, count(*) FROM documents"
        " WHERE status = ? AND status_modified IS NOT NULL GROUP BY day ORDER BY day", [DONE]).fetchall())
    out["suggestions"] = suggestion_figures(store, layer)
    return out


def suggestion_figures(store: Store, layer: str | None = None) -> dict:
    """What became of the project's suggestions in ``layer`` (None: every layer) (the
    ``suggestions`` entry of :func:`figures`; shape and meaning in the module's docstring).
    Reads only."""
    per_label: dict[str, dict[str, int]] = {}
    per_origin: dict[str, dict[str, int]] = {}
    totals = dict.fromkeys(SUGGESTION_FATES, 0)
    for label, origin, status, n in store.db.execute(
            f"SELECT label, coalesce(origin, '{NO_ORIGIN}'), status, count(*) FROM spans"
            " WHERE (status IN ('suggested', 'rejected') OR (status = 'accepted' AND origin IS NOT NULL))"
            f"{layer_condition(layer)} GROUP BY label, origin, status", [layer] if layer is not None else []).fetchall():
        totals[status] += n
        for table, key in ((per_label, label), (per_origin, origin)):
            row = table.setdefault(key, dict.fromkeys(SUGGESTION_FATES, 0))
            row[status] += n
    order = {label: i for i, label in enumerate(store.schema.label_names)}
    return {**totals,
            "per_label": dict(sorted(per_label.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))),
            "per_origin": dict(sorted(per_origin.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])))}
