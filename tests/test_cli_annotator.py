"""``--annotator NAME`` on the command line (issue 11): who writes, and imports of the same
article by several annotators joining one document as several layers."""
from __future__ import annotations

import shutil
import types
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.core.store import Store

POLNEAR = Path("/work/shared/corpus/polnear")
ARTICLE = "breitbart_2015-12-07_clinton-camp-trump-s-islamaphobi"
NAMES = ("ann", "ben", "cleo", "dev", "eli", "fay")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "userdata"
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(folder))
    return folder


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def brat_copy(tmp_path) -> Path:
    """One polnear article (.txt + .ann) copied to a folder of its own (read from /work/shared)."""
    if not (POLNEAR / f"{ARTICLE}.ann").exists():  # pragma: no cover - shared corpus absent
        pytest.skip("polnear corpus not available")
    folder = tmp_path / "brat"
    folder.mkdir()
    for ext in (".txt", ".ann"):
        shutil.copyfile(POLNEAR / f"{ARTICLE}{ext}", folder / f"{ARTICLE}{ext}")
    return folder / f"{ARTICLE}.ann"


def test_six_annotators_importing_the_same_article_give_one_document_with_six_layers(tmp_path, brat_copy):
    project = tmp_path / "team.annotator"
    for name in NAMES:
        result = invoke("import", brat_copy, "--project", project, "--annotator", name)
        assert result.exit_code == 0, result.output
    assert "joined 1 already in the project" in result.stderr  # the last one joined the first's document
    store = Store.open(project)
    try:
        assert store.document_count() == 1
        doc_id = store.document_infos()[0].id
        per_annotator = Counter(s.annotator for s in store.spans(doc_id))
        assert set(per_annotator) == set(NAMES)
        assert len(set(per_annotator.values())) == 1 and per_annotator["ann"] > 0  # each layer whole
    finally:
        store.close()


def test_the_same_annotator_importing_again_is_skipped(tmp_path, brat_copy):
    project = tmp_path / "team.annotator"
    assert invoke("import", brat_copy, "--project", project, "--annotator", "ann").exit_code == 0
    result = invoke("import", brat_copy, "--project", project, "--annotator", "ann")
    assert result.exit_code == 0 and "imported 0 documents" in result.stderr
    store = Store.open(project)
    try:
        assert {s.annotator for s in store.spans(store.document_infos()[0].id)} == {"ann"}
    finally:
        store.close()


def test_global_annotator_option_before_the_command(tmp_path, brat_copy):
    project = tmp_path / "team.annotator"
    assert invoke("--annotator", "zoe", "import", brat_copy, "--project", project).exit_code == 0
    store = Store.open(project)
    try:
        assert {s.annotator for s in store.spans(store.document_infos()[0].id)} == {"zoe"}
    finally:
        store.close()


def test_import_without_annotator_stamps_nobody(tmp_path, brat_copy):
    project = tmp_path / "team.annotator"
    assert invoke("import", brat_copy, "--project", project).exit_code == 0
    store = Store.open(project)
    try:
        assert {s.annotator for s in store.spans(store.document_infos()[0].id)} == {""}
    finally:
        store.close()


def test_window_gets_the_annotator(monkeypatch, tmp_path):
    calls = []
    fake = types.ModuleType("annotator.ui.app")
    fake.run = lambda project, annotator=None: calls.append((project, annotator)) or 0
    monkeypatch.setitem(sys.modules, "annotator.ui.app", fake)
    assert invoke("--annotator", "ann", "--project", tmp_path / "p.db").exit_code == 0
    assert calls == [(tmp_path / "p.db", "ann")]
    assert invoke("--annotator", "ann").exit_code == 0  # a name after --annotator is not a project
    assert calls[-1] == (None, "ann")


def _t_lines(path: Path) -> list[str]:
    return sorted(line.split("\t", 1)[1] for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("T"))


def test_export_one_annotators_layer(tmp_path, brat_copy):
    project = tmp_path / "team.annotator"
    for name in ("ann", "ben"):
        assert invoke("import", brat_copy, "--project", project, "--annotator", name).exit_code == 0
    both, ben = tmp_path / "both", tmp_path / "ben"
    assert invoke("export", "--project", project, "--format", "brat", "-o", both).exit_code == 0
    result = invoke("export", "--project", project, "--format", "brat", "-o", ben, "--annotator", "ben")
    assert result.exit_code == 0, result.output
    solo, solo_out = tmp_path / "solo.annotator", tmp_path / "solo"
    assert invoke("import", brat_copy, "--project", solo, "--annotator", "ben").exit_code == 0
    assert invoke("export", "--project", solo, "--format", "brat", "-o", solo_out).exit_code == 0
    original = _t_lines(next(solo_out.glob("*.ann")))
    assert len(original) > 10
    [ben_ann] = list(ben.glob("*.ann"))
    [both_ann] = list(both.glob("*.ann"))
    assert _t_lines(ben_ann) == original  # ben's layer alone: as exported from a project with ben's alone
    assert len(_t_lines(both_ann)) == 2 * len(original)
    events = lambda path: sum(line.startswith(("E", "R")) for line in path.read_text(encoding="utf-8").splitlines())  # noqa: E731
    assert events(ben_ann) == events(next(solo_out.glob("*.ann"))) > 0  # ben's attributions, none of ann's
    nobody = tmp_path / "nobody"
    assert invoke("export", "--project", project, "--format", "brat", "-o", nobody, "--annotator", "zed").exit_code == 0
    assert _t_lines(next(nobody.glob("*.ann"))) == []  # the document is kept, without annotations
