"""The window's export takes the layer shown (View > Layer), else the gold layer (issue 11)."""
from __future__ import annotations

from annotator.core.store import Store

from tests.agreement.test_gold_export import project, t_lines


def test_the_window_exports_the_shown_layer_else_gold(tmp_path, make_window):
    path = project(tmp_path)
    w = make_window(Store.open(path, annotator="lead"), active=False)
    w.export("brat", tmp_path / "w_gold")
    assert len(t_lines(tmp_path / "w_gold")) == 4 and "gold’s layer" in w.statusBar().currentMessage()
    w.layers.choose("cleo")
    w.export("brat", tmp_path / "w_cleo")
    assert "claim 60 64\tFine" in t_lines(tmp_path / "w_cleo") and "cleo’s layer" in w.statusBar().currentMessage()
