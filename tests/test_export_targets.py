"""Found by a fresh user: ``annotator export -o x.conll`` wrote native JSON into x.conll (the
format came from --format's default only), and a brat export into a folder that already held
an annotator's brat files replaced them without a word. The format now follows the output's
extension unless --format names one, a --format that contradicts the extension is refused,
and a folder export never replaces files unless told to (--overwrite; the window asks)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator.cli import export_format, main
from annotator.core.errors import InputError
from annotator.core.model import NewDocument
from annotator.core.store import Store


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.annotator"
    store = Store.open(path)
    store.import_documents([NewDocument(title="One", text="The mayor said the bridge will open soon.")])
    store.close()
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_format_follows_the_extension(project, tmp_path):
    assert run("export", "--project", project, "-o", tmp_path / "x.conll").exit_code == 0
    assert (tmp_path / "x.conll").read_text(encoding="utf-8").startswith("-DOCSTART-")
    assert run("export", "--project", project, "-o", tmp_path / "x.jsonl").exit_code == 0
    assert json.loads((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()[0])["title"] == "One"
    assert export_format(None, tmp_path / "x.json") == "json"
    assert export_format(None, tmp_path / "x.weird") == "json"  # unknown: Annotator's own, as before
    assert export_format(None, None) == "json"
    assert export_format("label-studio", tmp_path / "x.json") == "label-studio"  # .json is theirs too


def test_a_format_that_contradicts_the_extension_is_refused(project, tmp_path):
    result = run("export", "--project", project, "--format", "json", "-o", tmp_path / "y.conll")
    assert result.exit_code == 1 and not (tmp_path / "y.conll").exists()
    assert "y.conll" in result.stderr and "conll format, not json" in result.stderr
    with pytest.raises(InputError):
        export_format("json", tmp_path / "y.spacy")


def test_a_folder_export_never_replaces_files_unless_told(project, tmp_path):
    folder = tmp_path / "ann"
    folder.mkdir()
    (folder / "1.txt").write_text("my precious notes", encoding="utf-8")
    (folder / "1.ann").write_text("T1\tspeaker 0 2\tmy\n", encoding="utf-8")
    result = run("export", "--project", project, "--format", "brat", "-o", folder)
    assert result.exit_code == 1 and "would replace" in result.stderr and "--overwrite" in result.stderr
    assert (folder / "1.txt").read_text(encoding="utf-8") == "my precious notes"
    assert sorted(p.name for p in folder.iterdir()) == ["1.ann", "1.txt"]  # nothing added either
    assert run("export", "--project", project, "--format", "brat", "-o", folder, "--overwrite").exit_code == 0
    assert (folder / "1.txt").read_text(encoding="utf-8").startswith("The mayor")
    empty = tmp_path / "new"
    assert run("export", "--project", project, "--format", "brat", "-o", empty).exit_code == 0
