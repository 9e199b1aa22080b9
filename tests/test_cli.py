"""The ``annotator`` command line: in-process with click's CliRunner and as a subprocess.

No Qt: the window is replaced by a fake ``annotator.ui.app`` module where needed.
"""
from __future__ import annotations

import json
import os
import re
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
    assert data["format"] == "annotator" and data["version"] == 2
    assert [(d["title"], d["text"]) for d in data["documents"]] == [("Coach Brennan said the team will win the final.", ARTICLE)]
    result = invoke("stats", "--project", project)
    assert result.exit_code == 0 and "documents: 1" in result.stdout and "claim: 0" in result.stdout
    result = invoke("stats", "--json", "--project", project)
    stats = json.loads(result.stdout)
    assert {k: stats.pop(k) for k in ("documents", "spans", "claims_per_speaker")} == {
        "documents": 1, "spans": {"speaker": 0, "cue": 0, "claim": 0}, "claims_per_speaker": {}}
    assert stats.pop("claims_per_document") == [
        {"id": 1, "title": "Coach Brennan said the team will win the final.", "status": "new", "claims": 0}]
    assert stats.pop("documents_per_status") == {"new": 1, "in progress": 0, "done": 0}
    assert stats.pop("polarity_per_speaker") == {}  # the Statistics panel's figures (test_statistics.py)
    assert stats.pop("suggestions") == {"accepted": 0, "rejected": 0, "suggested": 0, "per_label": {}, "per_origin": {}}
    assert stats.pop("done_per_day") == {} and not stats


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


@pytest.mark.parametrize("command", [["stats"], ["search", "coach"], ["claims"], ["agreement"], ["export"]])
def test_reading_commands_refuse_an_empty_file_and_leave_it_empty(tmp_path, command):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert_one_line_error(invoke(*command, "--project", empty), "empty.txt", "empty file")
    assert empty.stat().st_size == 0


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
    from annotator.services.projects import open_project

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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux needs a named display")
def test_window_without_a_display_is_one_clear_line_and_exit_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["ANNOTATOR_DATA_DIR"] = str(tmp_path / "userdata")
    result = subprocess.run([sys.executable, "-c", "from annotator.cli import main; main()", "--project",
                             str(tmp_path / "p.annotator")], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0] and "xvfb-run annotator" in lines[0], result.stderr
    assert "QT_QPA_PLATFORM=offscreen" in lines[0] and "xcb" not in result.stderr
    assert not (tmp_path / "p.annotator").exists()


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


def test_folder_import_skips_readme_and_json_files_that_no_reader_recognises(tmp_path):
    """A corpus folder as /work/shared/corpus/wikinews: 8 articles (.txt), their *.gold.json
    (not Annotator JSON) and a README.md: the articles are imported, the rest is reported."""
    wikinews = Path(__file__).parent / "data" / "wikinews"
    folder = tmp_path / "wikinews"
    folder.mkdir()
    for path in wikinews.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "README.md").write_text("# GUM Wikinews news articles\n\nGold annotations.\n", encoding="utf-8")
    (folder / "LICENSE").write_text("CC BY 4.0\n", encoding="utf-8")
    (folder / "verify_gold.py").write_text("print('ok')\n", encoding="utf-8")
    (folder / "annotated.json").write_text(json.dumps({"format": "annotator", "version": 1, "documents": [
        {"title": "Extra", "text": "An extra article.\n"}]}), encoding="utf-8")
    project = tmp_path / "p.db"
    result = invoke("import", folder, "--project", project)
    assert result.exit_code == 0, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "imported 9 documents (0 spans); skipped 11"
    skipped = sorted(line.removeprefix("annotator: skipped: ") for line in lines[1:])
    assert skipped == sorted(
        [f"{folder / 'README.md'}: not an article (README/LICENSE...)",
         f"{folder / 'LICENSE'}: not a kind of file Annotator imports",
         f"{folder / 'verify_gold.py'}: not a kind of file Annotator imports"]
        + [f"{p}: a JSON file that is neither Annotator nor Label Studio JSON" for p in folder.glob("*.gold.json")])
    titles = {d["title"] for d in json.loads(invoke("export", "--project", project).stdout)["documents"]}
    assert len(titles) == 9 and "Extra" in titles and not any(t.startswith("#") or "GUM" in t for t in titles)
    # named explicitly, a file keeps the strict behaviour: refused with a message, nothing imported
    result = invoke("import", folder / "korea.gold.json", "--project", tmp_path / "q.db")
    assert_one_line_error(result, "korea.gold.json")


def test_folder_import_with_a_format_skips_what_that_format_does_not_recognise(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps({"format": "annotator", "version": 1, "documents": [
        {"title": "A", "text": "Article A.\n"}]}), encoding="utf-8")
    (folder / "b.json").write_text('{"quotes": []}', encoding="utf-8")
    (folder / "readme.txt").write_text("About this folder\n", encoding="utf-8")
    result = invoke("import", folder, "--format", "json", "--project", tmp_path / "p.db")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[1:] == [
        f"annotator: skipped: {folder / 'b.json'}: a JSON file that is not Annotator JSON",
        f"annotator: skipped: {folder / 'readme.txt'}: not a kind of file Annotator imports"]


def test_unknown_format_lists_only_the_formats_that_can_do_it(tmp_path, article):
    assert invoke("import", article, "--project", tmp_path / "p.db").exit_code == 0
    result = invoke("export", "--format", "xyz", "--project", tmp_path / "p.db")
    assert_one_line_error(result, "unknown format 'xyz'", "known for export:", "label-studio", "conll")
    known = result.stderr.split("known for export: ")[1].rstrip(")\n").split(", ")
    assert "text" not in known and "webanno-tsv" not in known and "html" not in known
    result = invoke("import", article, "--format", "xyz", "--project", tmp_path / "p.db")
    assert_one_line_error(result, "unknown format 'xyz'", "known for import:", "webanno-tsv", "text")
    known = result.stderr.split("known for import: ")[1].rstrip(")\n").split(", ")
    assert "conll" not in known and "spacy" not in known and "claims-csv" not in known


def test_export_report_lines_are_grouped_capped_and_all_in_the_report_file(tmp_path):
    """The new user's Label Studio export printed 230 lines, one per mention: now one per
    entity, at most 30 on stderr, the rest in --report FILE; doccano's offsets are a note."""
    project = tmp_path / "p.db"
    assert invoke("import", Path(__file__).parent / "data" / "webanno_tsv", "--project", project).exit_code == 0
    result = invoke("export", "--format", "label-studio", "-o", tmp_path / "ls.json", "--project", project)
    assert result.exit_code == 0, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == f"exported 8 documents to {tmp_path / 'ls.json'}"
    dropped = [line for line in lines if line.startswith("annotator: not exported: ")]
    assert len(dropped) == 30 and len(lines) == 31
    assert re.fullmatch(r"annotator: not exported: … and (\d+) more \(see --report FILE\)", dropped[-1])
    more = int(re.search(r"and (\d+) more", dropped[-1])[1])
    entity_lines = [line for line in dropped if "of entity" in line]
    assert len(set(entity_lines)) == len(entity_lines)  # each entity once
    report = tmp_path / "report.txt"
    result = invoke("export", "--format", "label-studio", "-o", tmp_path / "ls.json", "--report", report,
                    "--project", project)
    written = report.read_text(encoding="utf-8").splitlines()
    assert len(written) == 29 + more and all(line.startswith("not exported: ") for line in written)
    assert len(set(written)) == len(written)
    assert result.stderr.strip().splitlines()[-2] == f"annotator: not exported: … and {more} more (all in {report})"
    result = invoke("export", "--format", "doccano", "-o", tmp_path / "d.jsonl", "--project", project)
    assert result.stderr.startswith("annotator: note: offsets are UTF-16 code units, as doccano counts them "
                                    "(option offsets=codepoints for Python code points)\n")
    assert_one_line_error(invoke("export", "--report", tmp_path / "no" / "r.txt", "--project", project), "r.txt")


def test_report_lines_group_identical_lines_with_their_count():
    from annotator.cli import report_lines
    from annotator.formats.registry import ExportReport

    report = ExportReport(dropped=["a"] * 45 + ["b", "a"] + [f"x{n}" for n in range(40)], notes=["n", "n"])
    lines = report_lines(report, limit=5)
    assert lines == ["annotator: note: n (×2)", "annotator: not exported: a (×46)", "annotator: not exported: b",
                     "annotator: not exported: x0", "annotator: not exported: x1",
                     "annotator: not exported: … and 38 more (see --report FILE)"]
    assert report_lines(ExportReport(dropped=["a", "a"])) == ["annotator: not exported: a (×2)"]


def test_skip_bad_skips_only_the_bad_lines_of_a_jsonl_file(tmp_path):
    """Case B14 through the command line: the good lines of a file with a bad line arrive."""
    lines = [json.dumps({"title": "one", "text": "First article."}), '{"title": "broken", "text": ',
             json.dumps({"title": "three", "text": "Third article."})]
    path = tmp_path / "b.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project = tmp_path / "p.db"
    refused = invoke("import", path, "--project", project)
    assert refused.exit_code == 1 and "b.jsonl: line 2" in refused.stderr
    result = invoke("import", path, "--project", project, "--skip-bad")
    assert result.exit_code == 0 and "b.jsonl: line 2" in result.stderr
    titles = [d["title"] for d in json.loads(invoke("export", "--project", project).stdout)["documents"]]
    assert titles == ["one", "three"]


def test_the_title_is_the_first_line_unless_told_otherwise(tmp_path):
    path = tmp_path / "budget-story.txt"
    path.write_text("Council passes budget\n\nThe council approved the budget.\n", encoding="utf-8")
    first, named = tmp_path / "a.db", tmp_path / "b.db"
    assert invoke("import", path, "--project", first).exit_code == 0
    assert invoke("import", path, "--project", named, "--format", "text", "--option", "title=file-name").exit_code == 0
    assert json.loads(invoke("export", "--project", first).stdout)["documents"][0]["title"] == "Council passes budget"
    assert json.loads(invoke("export", "--project", named).stdout)["documents"][0]["title"] == "budget-story"
    bad = invoke("import", path, "--project", named, "--option", "title=nope")
    assert bad.exit_code == 1 and "title must be one of" in bad.stderr


def test_stats_count_suggestions_accepted_rejected_and_waiting(tmp_path, article):
    project = tmp_path / "p.db"
    invoke("import", article, "--project", project)
    assert "suggestions:" not in invoke("stats", "--project", project).stdout  # none yet
    assert invoke("suggest", "--project", project).exit_code == 0
    stats = json.loads(invoke("stats", "--json", "--project", project).stdout)["suggestions"]
    waiting = stats["suggested"]
    assert waiting >= 2 and (stats["accepted"], stats["rejected"]) == (0, 0)
    assert stats["per_label"]["claim"]["suggested"] >= 1
    assert sum(row["suggested"] for row in stats["per_origin"].values()) == waiting
    assert f"suggestions: 0 accepted, 0 rejected, {waiting} waiting" in invoke("stats", "--project", project).stdout
