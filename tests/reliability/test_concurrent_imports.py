"""Issue 7, fault 4: two ``annotator import`` processes started together on one project.

Before the fix, about one run in four failed with a false or raw message ("is an SQLite
file but not an Annotator project", "duplicate column name: attrs", "database is locked"
at once, "UNIQUE constraint failed: documents.sha256"), and two files naming the same
speaker, imported at once, gave two entities. Now set-up and migration hold the write lock,
the duplicate check and the entity matching run inside the import's write transaction, and
the later process waits for the earlier one (busy timeout).

Real processes, many rounds (``--runslow`` runs five times as many). ``ANNOTATOR_SOURCE``
may name another source tree to run (to show the fault on an older version).
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from reliability_tools import ROOT, cli_env

ROUNDS = 6
SOURCE = os.environ.get("ANNOTATOR_SOURCE", str(ROOT))
RAW = ("sqlite", "unique constraint", "not an annotator project", "duplicate column", "damaged")


def rounds(request) -> int:
    return ROUNDS * (5 if request.config.getoption("--runslow") else 1)


def start(*args) -> subprocess.Popen:
    env = cli_env({"PYTHONPATH": SOURCE})
    return subprocess.Popen([sys.executable, "-m", "annotator", *map(str, args)], cwd=SOURCE, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def together(*commands) -> list[tuple[int, str]]:
    """Start every command at once; their (exit status, stderr)."""
    procs = [start(*c) for c in commands]
    out = []
    for p in procs:
        _, err = p.communicate(timeout=120)
        out.append((p.returncode, err))
    return out


def count(project, sql: str) -> int:
    conn = sqlite3.connect(f"{project.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def speaker_file(path, n: int) -> None:
    text = f"Tom Hart said the court would hear case number {n} on Monday."
    path.write_text(json.dumps({"format": "annotator", "version": 1, "documents": [{
        "id": f"d{n}", "title": f"case {n}", "text": text,
        "entities": [{"id": "e1", "name": "Tom Hart", "type": "person"}],
        "spans": [{"id": "s1", "label": "speaker", "start": 0, "end": 8, "fragments": [[0, 8]], "entity": "e1"}],
    }]}), encoding="utf-8")


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for n in range(12):
        (folder / f"article{n:02}.txt").write_text(f"Article {n}\n\nThe council met on day {n} and said little.\n",
                                                    encoding="utf-8")
    return folder


def test_two_imports_into_a_new_project_both_succeed_and_store_each_document_once(tmp_path, batch, request):
    failures = []
    for r in range(rounds(request)):
        project = tmp_path / f"new{r}.db"
        results = together(["import", batch, "--project", project], ["import", batch, "--project", project])
        failures += [(r, rc, err.strip()) for rc, err in results if rc != 0 or any(w in err.lower() for w in RAW)]
        assert count(project, "SELECT count(*) FROM documents") == 12
    assert failures == []


def test_two_imports_into_an_existing_project_never_show_a_raw_unique_error(tmp_path, batch, request):
    failures = []
    for r in range(rounds(request)):
        project = tmp_path / f"old{r}.db"
        seed = tmp_path / f"seed{r}.txt"
        seed.write_text(f"Seed {r}\n\nAn article already in the project.\n", encoding="utf-8")
        rc, err = together(["import", seed, "--project", project])[0]  # an existing project (made by SOURCE)
        assert rc == 0, err
        results = together(["import", batch, "--project", project], ["import", batch, "--project", project])
        failures += [(r, rc, err.strip()) for rc, err in results if rc != 0 or any(w in err.lower() for w in RAW)]
        assert count(project, "SELECT count(*) FROM documents") == 13
    assert failures == []


def test_two_files_naming_the_same_speaker_imported_at_once_give_one_entity(tmp_path, request):
    split = []
    for r in range(rounds(request)):
        first, second = tmp_path / f"a{r}.json", tmp_path / f"b{r}.json"
        speaker_file(first, 2 * r)
        speaker_file(second, 2 * r + 1)
        project = tmp_path / f"speakers{r}.db"
        results = together(["import", first, "--project", project], ["import", second, "--project", project])
        assert all(rc == 0 for rc, _ in results), results
        entities = count(project, "SELECT count(*) FROM entities WHERE name = 'Tom Hart'")
        if entities != 1:
            split.append((r, entities))
    assert split == []
