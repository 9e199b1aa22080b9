"""The ``annotator`` command line: in-process with click's CliRunner and as a subprocess.

No Qt: the window is replaced by a fake ``annotator.ui.app`` module where needed.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main

ARTICLE = "Coach Brennan said the team will win the final.\n"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """A private default-project folder for every test."""
    folder = tmp_path / "userdata"
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "coach.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


def test_import_export_stats(tmp_path, article):
    project = tmp_path / "p.db"
    result = invoke("import", article, "--project", project)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "imported 1 document (0 spans)"
    result = invoke("export", "--format", "json", "--project", project)  # to stdout
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["format"] == "annotator" and data["version"] == 1
    assert [(d["title"], d["text"]) for d in data["documents"]] == [("Coach Brennan said the team will win the final.", ARTICLE)]
    result = invoke("stats", "--project", project)
    assert result.exit_code == 0 and "documents: 1" in result.stdout and "claim: 0" in result.stdout
    result = invoke("stats", "--json", "--project", project)
    assert json.loads(result.stdout) == {"documents": 1, "spans": {"speaker": 0, "cue": 0, "claim": 0}, "claims_per_speaker": {}}


def test_project_option_before_or_after_the_command(tmp_path, article):
    project = tmp_path / "p.db"
    assert invoke("--project", project, "import", article).exit_code == 0
    assert json.loads(invoke("stats", "--json", "--project", project).stdout)["documents"] == 1
    assert json.loads(invoke("--project", project, "stats", "--json").stdout)["documents"] == 1


def test_export_to_file_and_jsonl(tmp_path, article):
    project = tmp_path / "p.db"
    invoke("import", article, "--project", project)
    out = tmp_path / "out.jsonl"
    result = invoke("export", "--format", "jsonl", "--output", out, "--project", project)
    assert result.exit_code == 0 and result.stdout == ""
    assert "exported 1 document to" in result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["text"] == ARTICLE


def test_native_import_with_annotations_and_stats(tmp_path):
    doc = {"text": "Mayor Jones said taxes will fall.", "entities": [{"id": "e1", "name": "Mayor Jones"}],
           "spans": [{"id": "s1", "label": "speaker", "start": 0, "end": 11, "entity": "e1"},
                     {"id": "s2", "label": "cue", "start": 12, "end": 16},
                     {"id": "s3", "label": "claim", "start": 17, "end": 32, "speaker": "e1", "source": "s1", "cue": "s2"}]}
    path = tmp_path / "doc.json"
    path.write_text(json.dumps({"format": "annotator", "version": 1, "documents": [doc]}), encoding="utf-8")
    project = tmp_path / "p.db"
    result = invoke("import", path, "--project", project)
    assert result.stderr.strip() == "imported 1 document (3 spans)"
    stats = json.loads(invoke("stats", "--json", "--project", project).stdout)
    assert stats["spans"] == {"speaker": 1, "cue": 1, "claim": 1}
    assert stats["claims_per_speaker"] == {"Mayor Jones": 1}
    assert "Mayor Jones: 1" in invoke("stats", "--project", project).stdout


def test_duplicate_import_is_reported_and_exits_0(tmp_path, article):
    project = tmp_path / "p.db"
    invoke("import", article, "--project", project)
    result = invoke("import", article, "--project", project)
    assert result.exit_code == 0
    assert result.stderr.strip() == "imported 0 documents (0 spans); skipped 1: coach.txt: already in the project"


def test_skip_bad(tmp_path, article):
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(40))
    project = tmp_path / "p.db"
    result = invoke("import", article, bad, "--project", project)
    assert_one_line_error(result, "photo.txt")
    assert json.loads(invoke("stats", "--json", "--project", project).stdout)["documents"] == 0
    result = invoke("import", article, bad, "--skip-bad", "--project", project)
    assert result.exit_code == 0
    assert result.stderr.startswith("imported 1 document (0 spans); skipped 1: ") and "photo.txt" in result.stderr


def test_skip_bad_leaves_out_a_file_the_project_refuses(tmp_path, article):
    bad = tmp_path / "labels.json"
    bad.write_text(json.dumps({"format": "annotator", "version": 1, "documents": [
        {"text": "Acme Bank", "labels": ["ORG"], "spans": [{"id": "o", "label": "ORG", "start": 0, "end": 4}]},
        {"text": "x", "status": "archived"}]}), encoding="utf-8")
    result = invoke("import", article, bad, "--skip-bad", "--project", tmp_path / "p.db")
    assert result.exit_code == 0
    assert result.stderr.strip() == ("imported 1 document (0 spans); skipped 1: labels.json#1: "
                                     "status 'archived' is not one of new, in progress, done")
    stats = json.loads(invoke("stats", "--json", "--project", tmp_path / "p.db").stdout)
    assert stats["documents"] == 1 and "ORG" not in stats["spans"]


def test_folder_import_lists_other_files(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sub" / "second.md").write_text("# Heading\n\nBody text.\n", encoding="utf-8")
    result = invoke("import", folder, "--project", tmp_path / "p.db")
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == (f"imported 2 documents (0 spans); skipped 1: {folder / 'notes.pdf'}: "
                                     "not a kind of file Annotator imports")
    titles = [d["title"] for d in json.loads(invoke("export", "--project", tmp_path / "p.db").stdout)["documents"]]
    assert titles == [ARTICLE.strip(), "Heading"]


@pytest.mark.parametrize("args, fragments", [
    (["import", "missing.txt"], ["missing.txt: no such file or folder"]),
    (["export", "--format", "nope"], ["unknown format 'nope'", "json"]),
    (["export", "--format", "text"], ["can only be imported"]),
    (["import", "x.txt", "--format", "nope"], ["unknown format 'nope'"]),
    (["export", "--option", "novalue"], ["expected KEY=VALUE"]),
])
def test_errors_are_one_line(tmp_path, article, args, fragments):
    assert invoke("import", article, "--project", tmp_path / "p.db").exit_code == 0
    assert_one_line_error(invoke(*args, "--project", tmp_path / "p.db"), *fragments)


@pytest.mark.parametrize("command", ["stats", "export"])
def test_reading_commands_do_not_create_a_project(tmp_path, command):
    assert_one_line_error(invoke(command, "--project", tmp_path / "typo.db"), "typo.db: no such project")
    assert not (tmp_path / "typo.db").exists()


def test_bad_project_files_are_one_line_errors(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("this is not a database, just text " * 50, encoding="utf-8")
    assert_one_line_error(invoke("stats", "--project", junk), "junk.db")
    assert_one_line_error(invoke("stats", "--project", tmp_path), "is a folder")
    invoke("import", "--project", tmp_path / "p.db", Path(__file__).parent / "data" / "seed" / "us_russia_talks.txt")
    assert_one_line_error(invoke("export", "--project", tmp_path / "p.db", "--output", tmp_path / "no" / "x.json"),
                          "does not exist")


def test_usage_errors_keep_exit_2():
    result = invoke("import")
    assert result.exit_code == 2 and "Missing argument" in result.stderr


def test_default_project_gets_the_samples(data_dir, article):
    result = invoke("stats", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["documents"] == 9
    assert (data_dir / "default.annotator.db").is_file()
    assert "creating the default project" in result.stderr
    assert invoke("import", article).exit_code == 0
    data = json.loads(invoke("export").stdout)
    assert len(data["documents"]) == 10 and data["documents"][-1]["text"] == ARTICLE
    sources = {d["title"]: d["source"] for d in data["documents"]}
    assert sources["Sensitive Canadian document found on rainy streets"].startswith("https://en.wikinews.org/wiki/")
    seed = data["documents"][0]  # the annotated sample comes first
    claims = [s for s in seed["spans"] if s["label"] == "claim"]
    assert len(claims) == 12 and all(s["speaker"] and s["polarity"] for s in claims)
    names = {e["id"]: e["name"] for e in seed["entities"]}
    assert {names[s["speaker"]] for s in claims} >= {"Antony Blinken", "Sergey Lavrov", "Joe Biden"}


def test_default_project_samples_are_not_reimported_when_emptied(data_dir):
    from annotator.core.project import open_project

    store = open_project(None)
    for info in store.document_infos():
        store.delete_document(info.id)
    store.close()
    store = open_project(None)
    assert store.document_count() == 0
    store.close()


def test_formats_lists_the_registry():
    result = invoke("formats")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert {"json", "jsonl", "text"} <= set(names)
    assert "cannot carry:" in result.stdout and ".txt .md" in result.stdout


def test_no_command_opens_the_window(monkeypatch, tmp_path):
    calls = []
    fake = types.ModuleType("annotator.ui.app")
    fake.run = lambda project: calls.append(project) or 0
    monkeypatch.setitem(sys.modules, "annotator.ui.app", fake)
    result = invoke("--project", tmp_path / "p.db")
    assert result.exit_code == 0 and calls == [tmp_path / "p.db"]
    assert invoke().exit_code == 0 and calls[-1] is None


def test_window_that_cannot_start_is_a_one_line_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "annotator.ui.app", None)  # import raises ImportError
    assert_one_line_error(invoke(), "cannot open the window")


# --- as a subprocess ------------------------------------------------------------------------------


def run_cli(*args, env_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, ANNOTATOR_DATA_DIR=str(env_dir), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


def test_subprocess_import_export_formats(tmp_path, article, data_dir):
    project = tmp_path / "p.db"
    p = run_cli("import", article, "--project", project, env_dir=data_dir)
    assert p.returncode == 0 and p.stderr.strip() == "imported 1 document (0 spans)"
    p = run_cli("export", "--format", "json", "--project", project, env_dir=data_dir)
    assert p.returncode == 0 and json.loads(p.stdout)["documents"][0]["text"] == ARTICLE
    p = run_cli("formats", env_dir=data_dir)
    assert p.returncode == 0 and p.stdout.startswith("json")
    assert not data_dir.exists()  # --project given: the default project was never touched


def test_subprocess_errors_have_no_traceback(tmp_path, data_dir):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "annotator", "version": 1, "documents": [{"title": "x", "text": "abc", ', encoding="utf-8")
    p = run_cli("import", broken, "--project", tmp_path / "p.db", env_dir=data_dir)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert p.stderr.strip().splitlines() == [p.stderr.strip()]
    assert p.stderr.startswith("annotator: error: broken.json: not valid JSON: ")


def test_importing_the_cli_does_not_import_qt():
    code = "import annotator.cli, sys; assert not any(m.startswith('PySide6') for m in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60).returncode == 0
    code = ("import sys; from click.testing import CliRunner; from annotator.cli import main; "
            "r = CliRunner().invoke(main, ['formats']); assert r.exit_code == 0; "
            "assert not any(m.startswith(('PySide6', 'annotator.ui')) for m in sys.modules)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
