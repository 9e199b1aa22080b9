"""Exports take the gold layer by default when there is one (issue 11); ``--annotator NAME``
one annotator's layer, ``--annotator all`` every layer; the window exports the layer shown
(View > Layer), else gold."""
from __future__ import annotations

from click.testing import CliRunner

from annotator.cli import main
from annotator.core.adjudication import premerge
from annotator.core.store import Store

from tests.test_premerge import three


def t_lines(folder) -> list[str]:
    return sorted(line.split("\t", 1)[1] for f in folder.glob("*.ann")
                  for line in f.read_text(encoding="utf-8").splitlines() if line.startswith("T"))


def project(tmp_path, with_gold: bool = True):
    path = tmp_path / "team.annotator"
    store = Store.open(path, annotator="lead")
    three(store)
    if with_gold:
        premerge(store, [1], "majority")
    store.close()
    return path


def export(path, out, *extra):
    result = CliRunner().invoke(main, ["export", "--project", str(path), "--format", "brat", "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_export_takes_gold_by_default_and_a_named_layer_or_all_on_request(tmp_path):
    path = project(tmp_path)
    output = export(path, tmp_path / "default")
    assert "exporting the gold layer" in output
    gold = ["claim 40 58\tthe road is closed", "claim 9 29\tthe bridge will open", "cue 4 8\tsaid", "speaker 0 3\tAnn"]
    assert t_lines(tmp_path / "default") == gold  # majority: what ann and ben share
    export(path, tmp_path / "cleo", "--annotator", "cleo")
    assert t_lines(tmp_path / "cleo") == ["claim 44 58\troad is closed", "claim 60 64\tFine", "claim 9 29\tthe bridge will open",
                                          "cue 4 8\tsaid"]
    export(path, tmp_path / "all", "--annotator", "all")
    assert len(t_lines(tmp_path / "all")) == 4 + 4 + 4 + 4  # ann, ben, cleo, gold


def test_without_gold_every_layer_is_exported(tmp_path):
    path = project(tmp_path, with_gold=False)
    output = export(path, tmp_path / "out")
    assert "gold layer" not in output and len(t_lines(tmp_path / "out")) == 12
