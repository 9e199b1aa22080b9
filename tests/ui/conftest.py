"""Fixtures for window tests: a project with the seed article, and a window factory that
closes every window it made (which also closes its store)."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from annotator.core.model import NewDocument  # noqa: E402
from annotator.core.store import Store  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data"
SEED = DATA / "seed" / "us_russia_talks.txt"
SHARED_SEED = Path("/work/shared/corpus/seed/us_russia_talks.txt")


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed article as stored (UTF-8, LF line ends)."""
    if not SEED.exists() and SHARED_SEED.exists():  # pragma: no cover - fresh checkout
        SEED.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED_SEED, SEED)
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def project_path(tmp_path, seed_text) -> Path:
    """A project file holding the seed article and a short second article."""
    path = tmp_path / "p.db"
    store = Store.open(path)
    store.import_documents([
        NewDocument(title=seed_text.split("\n")[0], text=seed_text, origin="seed"),
        NewDocument(title="Second article", text="Second article\n\nThe mayor said the bridge “will open soon.”"),
    ])
    store.close()
    return path


@pytest.fixture
def make_window(qtbot):
    """``make_window(store, active=True)``: a shown MainWindow over ``store``; with
    ``active`` it is the active window and the article view has the keyboard focus."""
    from annotator.ui.main_window import MainWindow

    windows = []

    def make(store: Store, active: bool = True) -> MainWindow:
        window = MainWindow(store)
        windows.append(window)
        if not active:
            window.show()
            return window
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        window.view.setFocus()
        qtbot.waitUntil(window.view.hasFocus)
        return window

    yield make
    for window in windows:
        window.close()
        window.deleteLater()


@pytest.fixture(autouse=True)
def own_window_settings(tmp_path_factory, monkeypatch):
    """Each test its own window settings (recent projects, the layout, the theme...): a
    window closed by one test would otherwise hand its layout to the next test's window."""
    from annotator.core.project import DATA_DIR_ENV
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path_factory.mktemp("settings")))


@pytest.fixture(autouse=True)
def undo_of_an_import_answered_yes(monkeypatch):
    """Undoing an import asks first ("Undo the import of N documents?", a modal box that
    would wait forever offscreen): windows under test answer Yes.
    tests/ui/test_background_export.py asks the real box."""
    from annotator.ui import undo

    monkeypatch.setattr(undo, "ask_yes_no", lambda *_args: True)
