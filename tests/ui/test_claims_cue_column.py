"""The Claims table's Cue column and its incomplete claims (issue 10, "Links visible"): a claim
without a cue or a source has a warning icon and says what is missing; the "Incomplete" box
keeps those only."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

from annotator.core.store import Store  # noqa: E402
from annotator.ui.panels.claims import ClaimsModel  # noqa: E402
from ui_keys import CTRL, K, find, press, select_by_keys  # noqa: E402

CUE, DECORATION, TIP = ClaimsModel.CUE_COLUMN, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole


def _cell(w, claim: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    model = w.claims.model
    return model.data(model.index(model.row_of(claim), column), role)


def _shown(w) -> list[str]:
    """The Claim cells the table shows (through its filter)."""
    proxy = w.claims.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def test_the_cue_column_and_incomplete_claims_follow_the_links(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    assert w.claims.model.HEADERS[CUE] == "Cue"
    select_by_keys(w, *find(text, "Lavrov", 2))
    press(w, K.Key_S)
    lavrov = w.controller.current
    select_by_keys(w, *find(text, "praised"))
    press(w, K.Key_Q)
    praised = w.controller.current
    select_by_keys(w, *find(text, "constructive"))
    press(w, K.Key_C)
    claim = w.controller.current
    select_by_keys(w, *find(text, "useful,"))
    press(w, K.Key_C)
    other = w.controller.current
    assert _cell(w, claim, CUE) == "—" and _cell(w, claim, 0, DECORATION) is not None
    assert "Incomplete: no cue and no source" in _cell(w, claim, 0, TIP)

    w.claims.incomplete.click()  # the filter: both claims are incomplete
    assert len(_shown(w)) == 2
    w.controller.set_current(praised)
    w.controller.last_claim = claim
    press(w, K.Key_L)  # the cue linked: the Cue column shows it, the source is still missing
    assert _cell(w, claim, CUE) == "praised"
    assert "Incomplete: no source" in _cell(w, claim, 0, TIP) and _cell(w, claim, 0, DECORATION) is not None
    w.controller.set_current(lavrov)
    w.controller.last_claim = claim
    press(w, K.Key_L)  # the source linked: complete, no icon, filtered out
    assert _cell(w, claim, 0, DECORATION) is None and "Incomplete" not in _cell(w, claim, 0, TIP)
    assert _shown(w) == ["useful,"]
    press(w, K.Key_Z, CTRL)  # undo the source link: incomplete again
    assert sorted(_shown(w)) == ["constructive", "useful,"]
    w.claims.incomplete.click()
    assert len(_shown(w)) == 2
    assert not w.claims.model.flags(w.claims.model.index(0, CUE)) & Qt.ItemFlag.ItemIsEditable
    assert _cell(w, other, CUE) == "—"


def test_deleting_the_cue_empties_the_cue_cell(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    select_by_keys(w, *find(text, "praised"))
    press(w, K.Key_Q)
    cue = w.controller.current
    select_by_keys(w, *find(text, "constructive"))
    press(w, K.Key_C)
    claim = w.controller.current
    w.controller.set_current(cue)
    w.controller.last_claim = claim
    press(w, K.Key_L)
    assert _cell(w, claim, CUE) == "praised"
    w.controller.set_current(cue)
    press(w, K.Key_Delete)
    assert _cell(w, claim, CUE) == "—"
    press(w, K.Key_Z, CTRL)
    assert _cell(w, claim, CUE) == "praised"
