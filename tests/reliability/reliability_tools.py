"""Helpers shared by the reliability tests: building projects, dumping them, checking them,
running the command line, writing the figures of a run."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from annotator.core.model import NewDocument, NewEntity, NewRelation, NewSpan
from annotator.core.store import Store

ROOT = Path(__file__).resolve().parents[2]
TABLES = ("documents", "entities", "spans", "relations", "meta", "_sqlite_migrations")
REPORT_ENV = "ANNOTATOR_RELIABILITY_REPORT"


def article(i: int, words: int = 300) -> NewDocument:
    """An article with a speaker, a cue, a claim linking them, and a relation."""
    text = f'"We will appeal number {i}," said lawyer Tom Hart. ' + " ".join(f"w{i}x{j}" for j in range(words))
    return NewDocument(
        title=f"article {i}", text=text, origin=f"article{i}.json",
        entities=[NewEntity("e1", "Tom Hart")],
        spans=[NewSpan("s1", "claim", ((1, 15),), speaker="e1", source="s2", cue="s3", polarity="negative"),
               NewSpan("s2", "speaker", ((len(text) - 200, len(text) - 190),), entity="e1"),
               NewSpan("s3", "cue", ((25, 29),))],
        relations=[NewRelation("r1", "about", "s1", "s3")],
    )


def make_project(path: Path, documents: int = 2, words: int = 300) -> Path:
    store = Store.open(path)
    try:
        store.import_documents([article(i, words) for i in range(documents)])
        store.add_entity("Ann Lee")
    finally:
        store.close()
    return path


def dump(target: Store | Path) -> tuple:
    """Every row of every table, to compare a project before and after."""
    if isinstance(target, Store):
        conn, close = target.db.conn, False
    else:
        conn, close = sqlite3.connect(f"{Path(target).resolve().as_uri()}?mode=ro", uri=True), True
    try:
        return tuple(tuple(conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()) for t in TABLES)
    finally:
        if close:
            conn.close()


def integrity_problems(store: Store) -> list[str]:
    """What is wrong with an open project: SQLite's integrity check, foreign keys, spans and
    fragments outside their document's text. Empty when all is well."""
    db = store.db
    problems = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
    problems += [f"foreign key: {r}" for r in db.execute("PRAGMA foreign_key_check").fetchall()]
    lengths = dict(db.execute("SELECT id, length(text) FROM documents").fetchall())
    for span_id, doc_id, start, end, fragments in db.execute('SELECT id, document_id, start, "end", fragments FROM spans'):
        n = lengths.get(doc_id)
        frags = json.loads(fragments)
        if n is None or not (0 <= start < end <= n) or not frags:
            problems.append(f"span {span_id}: {start}-{end} outside document {doc_id} (length {n})")
        elif any(not (0 <= a < b <= n) for a, b in frags) or (frags[0][0], frags[-1][1]) != (start, end):
            problems.append(f"span {span_id}: fragments {frags} do not fit document {doc_id}")
    return problems


def run_cli(*args, timeout: float = 60, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m annotator ARGS`` in a subprocess (no window; private data folder)."""
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=cli_env(env))


def cli_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.pop("ANNOTATOR_DEBUG", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


def assert_one_line_error(result: subprocess.CompletedProcess, *needles: str) -> None:
    """The command failed with status 1 and ONE line ``annotator: error: ...`` naming
    ``needles`` (e.g. the file), never a traceback."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def report_figures(section: str, figures: dict) -> None:
    """Merge ``figures`` under ``section`` into the JSON file named by
    $ANNOTATOR_RELIABILITY_REPORT (nothing when it is not set)."""
    target = os.environ.get(REPORT_ENV)
    if not target:
        return
    path = Path(target)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data[section] = figures
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
