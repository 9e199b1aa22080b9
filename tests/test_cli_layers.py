"""``annotator stats`` and ``annotator claims`` count one layer, chosen as exports choose it
(:func:`annotator.services.layer_export.export_layer`): gold by default when there is one."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main

TEXT = "Professor Eastman said: the bridge will open.\n"
ANN = ("T1\tSource 0 17\tProfessor Eastman\nT2\tCue 18 22\tsaid\nT3\tContent 24 45\tthe bridge will open.\n"
       "T4\tAttribution 18 22\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "userdata"))


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _project(tmp_path: Path, names: tuple[str, ...]) -> Path:
    folder = tmp_path / "brat"
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "a.ann").write_text(ANN, encoding="utf-8")
    project = tmp_path / "team.annotator"
    for name in names:
        result = invoke("import", folder, "--project", project, "--annotator", name)
        assert result.exit_code == 0, result.output
    return project


def _claims(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_claims_and_stats_take_the_gold_layer_by_default(tmp_path):
    project = _project(tmp_path, ("ann", "ben", "gold"))
    result = invoke("claims", "--project", project)
    assert len(_claims(result)) == 1  # not once per layer
    assert "annotator: note: listing the gold layer" in result.stderr
    result = invoke("stats", "--project", project)
    assert "  Professor Eastman: 1" in result.stdout.splitlines()
    assert "annotator: note: counting the gold layer" in result.stderr
    figures = json.loads(invoke("stats", "--project", project, "--json").stdout)
    assert figures["claims_per_speaker"] == {"Professor Eastman": 1}
    assert figures["claims_per_document"][0]["claims"] == 1


def test_annotator_names_the_layer_or_all(tmp_path):
    project = _project(tmp_path, ("ann", "ben", "gold"))
    for args in (["claims", "--annotator", "ben"], ["--annotator", "ben", "claims"]):
        result = invoke(*args, "--project", project)
        assert len(_claims(result)) == 1 and "note" not in result.stderr
    assert len(_claims(invoke("claims", "--annotator", "all", "--project", project))) == 3
    assert _claims(invoke("claims", "--annotator", "zed", "--project", project)) == []
    all_layers = json.loads(invoke("stats", "--annotator", "all", "--project", project, "--json").stdout)
    assert all_layers["claims_per_speaker"] == {"Professor Eastman": 3}
    assert all_layers["spans"]["claim"] == 3
    ben = json.loads(invoke("--annotator", "ben", "stats", "--project", project, "--json").stdout)
    assert ben["spans"]["claim"] == 1


def test_without_gold_every_layer_and_no_note(tmp_path):
    project = _project(tmp_path, ("ann", "ben"))
    result = invoke("claims", "--project", project)
    assert len(_claims(result)) == 2 and "note" not in result.stderr
