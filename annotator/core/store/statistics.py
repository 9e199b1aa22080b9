"""The project's figures for ``annotator stats`` and the Statistics panel (one source, so the
two never disagree). All their SQL is here.

:func:`figures` returns the dictionary ``annotator stats --json`` prints::

    {"documents": 8,                                 # number of documents
     "spans": {"speaker": 40, "cue": 0, ...},        # spans per label (the schema's labels)
     "claims_per_speaker": {"Lavrov": 5, ...},       # claims by speaker, most first
     "polarity_per_speaker": {"Lavrov": {"positive": 3, "(none)": 2}, ...},
     "claims_per_document": [{"id": 1, "title": "...", "status": "done", "claims": 7}, ...],
     "documents_per_status": {"new": 5, "in progress": 2, "done": 1},
     "done_per_day": {"2026-12-08": 3, ...} }        # documents done, by the UTC day they were marked

Claims without a speaker count under ``(no speaker)``, claims without a polarity under
``(none)``. Only accepted spans count (not suggestions). A document marked done before
status times were recorded (projects of version 1) is not in ``done_per_day``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.model import CLAIM
from annotator.core.store.search import ACCEPTED_S

if TYPE_CHECKING:
    from annotator.core.store import Store

NO_SPEAKER, NO_VALUE = "(no speaker)", "(none)"
DONE = "done"


def figures(store: Store) -> dict:
    """Every figure of the project (shape in the module's docstring). Reads only."""
    out = dict(store.stats())
    accepted = ACCEPTED_S
    per_speaker: dict[str, dict[str, int]] = {}
    for name, polarity, n in store.db.execute(
            f"SELECT coalesce(e.name, '{NO_SPEAKER}'), coalesce(s.polarity, '{NO_VALUE}'), count(*) FROM spans s"
            f" LEFT JOIN entities e ON e.id = s.speaker_id WHERE s.label = ?{accepted}"
            " GROUP BY e.id, s.polarity ORDER BY e.name, s.polarity", [CLAIM]).fetchall():
        row = per_speaker.setdefault(name, {})
        row[polarity] = row.get(polarity, 0) + n
    order = list(out["claims_per_speaker"])
    out["polarity_per_speaker"] = {name: per_speaker[name] for name in order if name in per_speaker}
    out["claims_per_document"] = [
        {"id": i, "title": title, "status": status, "claims": n} for i, title, status, n in store.db.execute(
            f"SELECT d.id, d.title, d.status, (SELECT count(*) FROM spans s WHERE s.document_id = d.id"
            f" AND s.label = ?{accepted}) FROM documents d ORDER BY d.id", [CLAIM]).fetchall()]
    out["documents_per_status"] = {status: 0 for status in store.schema.document_status}
    for status, n in store.db.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall():
        out["documents_per_status"][status] = n
    out["done_per_day"] = dict(store.db.execute(
        "SELECT substr(status_modified, 1, 10) AS day, count(*) FROM documents"
        " WHERE status = ? AND status_modified IS NOT NULL GROUP BY day ORDER BY day", [DONE]).fetchall())
    return out
