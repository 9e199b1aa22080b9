"""Export scope (issue 10): ``annotator export --document ID (repeatable) --status STATUS``
and :func:`annotator.services.importing.export_scope`."""
from __future__ import annotations

import json

from click.testing import CliRunner

from annotator import cli
from annotator.core.model import NewDocument
from annotator.core.store import Store


def project(tmp_path) -> tuple[str, list[int]]:
    path = tmp_path / "p.db"
    store = Store.open(path)
    report, _ = store.import_documents([NewDocument(title=f"A{i}", text=f"Article {i}.\n\nThe mayor said {i}.")
                                        for i in range(4)])
    store.update_document(report.added[1], status="done")
    store.update_document(report.added[3], status="done")
    store.close()
    return str(path), report.added


def exported(args: list[str]) -> list[str]:
    result = CliRunner().invoke(cli.main, ["export", "--format", "jsonl", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line)["title"] for line in result.stdout.splitlines()]


def test_document_is_repeatable_and_keeps_the_order_given(tmp_path):
    path, ids = project(tmp_path)
    assert exported(["--project", path, "--document", str(ids[2]), "--document", str(ids[0])]) == ["A2", "A0"]


def test_status_done_exports_only_done_documents(tmp_path):
    path, ids = project(tmp_path)
    assert exported(["--project", path, "--status", "done"]) == ["A1", "A3"]
    assert exported(["--project", path, "--status", "done", "--document", str(ids[0]), "--document", str(ids[1])]) == ["A1"]


def test_whole_project_by_default(tmp_path):
    path, _ = project(tmp_path)
    assert exported(["--project", path]) == ["A0", "A1", "A2", "A3"]


def test_an_unknown_document_or_status_is_refused_by_name(tmp_path):
    path, _ = project(tmp_path)
    result = CliRunner().invoke(cli.main, ["export", "--project", path, "--document", "999"])
    assert result.exit_code != 0 and "no document 999" in result.stderr
    result = CliRunner().invoke(cli.main, ["export", "--project", path, "--status", "finished"])
    assert result.exit_code != 0 and "'finished' is not one of new, in progress, done" in result.stderr
