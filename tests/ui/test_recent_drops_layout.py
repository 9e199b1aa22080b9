"""Recent projects (File > Open Recent), files and folders dropped on the window, and the
window layout remembered from one window to the next (issue 10), through the real widgets."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDropEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.model import NewDocument  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.ui.files import IMPORT, OPEN, REFUSE, drop_plan  # noqa: E402
from annotator.ui.recent_projects import MAX_RECENT, recent_projects, remember_project  # noqa: E402


def _project(path: Path, title: str) -> Path:
    store = Store.open(path)
    store.import_documents([NewDocument(title=title, text=f"{title}\n\nThe mayor said the bridge will open.")])
    store.close()
    return path


def _file_menu(w):
    return next(a for a in w.menuBar().actions() if a.text() == "&File").menu()


# --- recent projects --------------------------------------------------------------------------


def test_open_recent_lists_the_projects_opened_and_opens_one(tmp_path, make_window):
    a = _project(tmp_path / "a.annotator", "Project A")
    b = _project(tmp_path / "b.annotator", "Project B")
    w = make_window(Store.open(a))
    assert w.recent_menu in [act.menu() for act in _file_menu(w).actions()]  # File > Open Recent
    w.open_project(b)
    assert recent_projects()[:2] == [b.absolute(), a.absolute()]
    w.recent_menu.aboutToShow.emit()  # the menu is rebuilt as it opens
    assert w.recent_menu.paths()[:2] == [b.absolute(), a.absolute()]
    entries = [act.text() for act in w.recent_menu.actions()]
    assert entries[0] == f"&1 b.annotator — {tmp_path}" and "&Clear Menu" in entries
    w.recent_menu.actions()[1].trigger()  # &2 a.annotator
    assert Path(w.store.where) == a and w.controller.doc.title == "Project A"
    assert recent_projects()[0] == a.absolute()
    # remembered for the next window; a project that no longer exists is not listed
    b.unlink()
    for extra in ("-wal", "-shm"):
        Path(str(b) + extra).unlink(missing_ok=True)
    other = make_window(Store.open(_project(tmp_path / "c.annotator", "Project C")), active=False)
    other.recent_menu.aboutToShow.emit()
    assert other.recent_menu.paths() == [(tmp_path / "c.annotator").absolute(), a.absolute()]
    next(act for act in other.recent_menu.actions() if act.text() == "&Clear Menu").trigger()
    assert recent_projects() == [] and other.recent_menu.paths() == []


def test_the_recent_list_keeps_the_newest_ten_once_each(tmp_path):
    for n in range(MAX_RECENT + 3):
        remember_project(tmp_path / f"p{n}.annotator")
    remember_project(tmp_path / "p5.annotator")
    remember_project(":memory:")
    kept = recent_projects()
    assert len(kept) == MAX_RECENT and kept[0] == (tmp_path / "p5.annotator").absolute()
    assert kept[1] == (tmp_path / f"p{MAX_RECENT + 2}.annotator").absolute() and len(set(kept)) == MAX_RECENT


# --- drag and drop ------------------------------------------------------------------------------


def test_drop_plan():
    assert drop_plan([Path("x.annotator")]) == (OPEN, [Path("x.annotator")], "")
    assert drop_plan([Path("old.db")])[0] == OPEN
    assert drop_plan([Path("a.txt"), Path("folder")]) == (IMPORT, [Path("a.txt"), Path("folder")], "")
    action, _, message = drop_plan([Path("x.annotator"), Path("a.txt")])
    assert action == REFUSE and "1 project(s) came with 1 other item(s)" in message
    assert drop_plan([])[0] == REFUSE


def _drop(w, paths: list[Path], target=None) -> bool:
    """Drag ``paths`` over ``target`` (the article by default) and drop them there; returns
    whether the drag was accepted."""
    target = target or w.view.viewport()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPoint(target.width() // 2, target.height() // 2)
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


def test_articles_and_a_folder_dropped_on_the_article_are_imported(tmp_path, make_window, qtbot):
    w = make_window(Store.open(_project(tmp_path / "p.annotator", "First")))
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "one.txt").write_text("One\n\nThe minister said the road is ready.\n", encoding="utf-8")
    (folder / "two.txt").write_text("Two\n\nThe mayor said nothing.\n", encoding="utf-8")
    single = tmp_path / "three.txt"
    single.write_text("Three\n\nThe judge said the court will decide.\n", encoding="utf-8")
    assert _drop(w, [single, folder])
    qtbot.waitUntil(lambda: w.store.document_count() == 4)
    assert w.drops.last_plan[0] == IMPORT
    assert w.statusBar().currentMessage().startswith("Imported 3 document(s)")
    assert w.controller.undo_stack.count() == 1  # one import, one undo step


def test_a_project_dropped_on_a_panel_opens(tmp_path, make_window, qtbot):
    first = _project(tmp_path / "first.annotator", "First")
    second = _project(tmp_path / "second.annotator", "Second")
    w = make_window(Store.open(first))
    assert _drop(w, [second], w.claims.view.viewport())
    qtbot.waitUntil(lambda: Path(w.store.where) == second)
    assert w.controller.doc.title == "Second" and recent_projects()[0] == second.absolute()
    assert _drop(w, [second])  # the project open already: said, nothing reopened
    qtbot.waitUntil(lambda: "open in this window" in w.statusBar().currentMessage())
    store = w.store
    assert _drop(w, [first, tmp_path / "a.txt"])  # a project with an article: refused, said why
    qtbot.waitUntil(lambda: "Drop one project" in w.statusBar().currentMessage())
    assert w.store is store and w.store.document_count() == 1


def test_text_dragged_over_the_window_is_not_taken(tmp_path, make_window):
    w = make_window(Store.open(_project(tmp_path / "p.annotator", "P")))
    mime = QMimeData()
    mime.setText("some words")
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w.view.viewport(), enter)
    assert not enter.isAccepted()


# --- the layout remembered ------------------------------------------------------------------


@pytest.fixture
def project(tmp_path) -> Path:
    return _project(tmp_path / "layout.annotator", "Layout")


def test_the_layout_is_remembered_and_reset(project, make_window, qtbot):
    w = make_window(Store.open(project))
    assert w.dockWidgetArea(w.claims) == Qt.DockWidgetArea.BottomDockWidgetArea and w.speakers.isVisible()
    w.speakers.toggleViewAction().trigger()  # View > Speakers off
    w.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, w.claims)  # the Claims panel moved left
    screen = w.screen().availableGeometry()  # (offscreen: 800 x 800) a size is restored within the screen
    w.resize(screen.width() - 40, screen.height() - 40)
    qtbot.wait(20)
    size = (w.width(), w.height())
    assert size != (1280, 800)
    w.close()
    again = make_window(Store.open(project))
    qtbot.wait(20)
    assert not again.speakers.isVisible() and again.dockWidgetArea(again.claims) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert (again.width(), again.height()) == size
    reset = again.actions["reset_layout"]
    assert reset in next(a for a in again.menuBar().actions() if a.text() == "&View").menu().actions()
    reset.trigger()
    qtbot.wait(20)
    assert again.speakers.isVisible() and again.dockWidgetArea(again.claims) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert (again.width(), again.height()) == (1280, 800)


def test_a_damaged_saved_layout_is_ignored(project, make_window):
    from annotator.ui import settings
    from annotator.ui.window_layout import GEOMETRY_KEY, STATE_KEY
    settings.set_value(STATE_KEY, b"not a layout")
    settings.set_value(GEOMETRY_KEY, "nonsense")
    w = make_window(Store.open(project))
    assert w.speakers.isVisible() and w.dockWidgetArea(w.claims) == Qt.DockWidgetArea.BottomDockWidgetArea
