"""The window side of "never lose an annotation" (issue 4): read-only projects, a locked
project (Retry / Cancel), failed writes, two windows on one project, undo over changes made
elsewhere, and backups (on opening, automatic, by hand, restore).

Keys go to the article view with QTest.keyClick (ASCII only); every check reads the store.
"""
from __future__ import annotations

import json
import os
import sqlite3
from html import escape

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox  # noqa: E402

from annotator.core import operations as ops  # noqa: E402
from annotator.core.store.backup import list_backups  # noqa: E402
from annotator.core.errors import ReadOnlyError, StoreWriteError  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from ui_keys import find, press, select_by_keys  # noqa: E402

K = Qt.Key
SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier
Button = QMessageBox.StandardButton


class answering:
    """``with answering(title, answers) as boxes: ...``: answer the message boxes called
    ``title`` that open inside the block: the n-th with ``answers[n]``, a button or
    ``(button, before)`` where ``before()`` runs first; any further box gets Cancel (so a
    test never hangs). ``boxes.seen`` lists their texts. Modal boxes run their own event
    loop, so the answers are scheduled before they open."""

    def __init__(self, title: str, answers: list):
        self.title, self.answers, self.seen, self.done = title, answers, [], False

    def __enter__(self) -> "answering":
        QTimer.singleShot(0, self._answer)
        return self

    def __exit__(self, *_exc) -> None:
        self.done = True

    def _answer(self) -> None:
        if self.done:
            return
        boxes = [b for b in QApplication.topLevelWidgets()
                 if isinstance(b, QMessageBox) and b.isVisible() and b.windowTitle() == self.title]
        if boxes:
            self.seen.append(boxes[0].text())
            n = len(self.seen) - 1
            button, before = (self.answers[n] if n < len(self.answers) else Button.Cancel), None
            if isinstance(button, tuple):
                button, before = button
            if before is not None:
                before()
            boxes[0].button(button).click()
        QTimer.singleShot(10, self._answer)


def refocus(window, qtbot) -> None:
    """Make the window active again with the focus in the article (the offscreen platform
    does not give it back after a modal box)."""
    with qtbot.waitActive(window):
        window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)


def message_box(window) -> QMessageBox | None:
    boxes = [b for b in window.findChildren(QMessageBox, "message_box") if b.isVisible()]
    return boxes[-1] if boxes else None


def lock(path) -> sqlite3.Connection:
    """A second connection holding the project's write lock (as another program would)."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=0)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def annotate_first_article(project_path) -> None:
    store = Store.open(project_path)
    text = store.document(1).text
    ops.mark_speaker(store, 1, [find(text, "Sergey Lavrov")])
    ops.mark_claim(store, 1, [find(text, "constructive")])
    store.close()


# --- read-only projects -------------------------------------------------------------------------


def test_read_only_project_shows_the_banner_and_refuses_every_edit(project_path, make_window, tmp_path):
    annotate_first_article(project_path)
    store = Store.open(project_path, read_only=True)
    w = make_window(store)
    assert w.banner.isVisible() and escape(store.read_only_reason) in w.banner.text()
    assert "Read-only project" in w.banner.text() and "[read-only]" in w.windowTitle()
    spans, entities = store.spans(1), store.entities()
    text = w.view.text

    for key in (K.Key_S, K.Key_C, K.Key_Q):
        select_by_keys(w, *find(text, "praised the talks"))
        w.statusBar().clearMessage()
        press(w, key)
        message = w.statusBar().currentMessage()
        assert message.startswith("Read-only project: Mark as") and "opened read-only" in message
    w.view.set_cursor(0)
    press(w, K.Key_BracketRight)  # navigation works: the first annotation becomes current
    assert w.controller.current == spans[0].id
    press(w, K.Key_Delete)
    assert "Delete Annotation is turned off" in w.statusBar().currentMessage()
    press(w, K.Key_P)
    assert w.controller.run(ops.mark_cue, 1, [find(text, "said")]) is None  # the controller refuses too
    assert store.spans(1) == spans and store.entities() == entities and len(w.view.index) == len(spans)

    for name in ("mark_claim", "mark_speaker", "speaker_1", "delete_span", "undo", "redo", "import",
                 "restore_backup", "toggle_done", "link_to_claim", "polarity_positive"):
        assert not w.actions[name].isEnabled(), name
    for name in ("export", "help", "next_document", "next_annotation", "escape", "backup_now", "open_project"):
        assert w.actions[name].isEnabled(), name
    for widget in (w.speakers.new_action, w.speakers.rename_action, w.speakers.merge_action,
                   w.speakers.delete_action, w.speakers.type_button, w.sentiment.status, w.sentiment.doc_polarity):
        assert not widget.isEnabled()
    assert w.claims.view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert not w.claims.model.flags(w.claims.model.index(0, 3)) & Qt.ItemFlag.ItemIsEditable
    assert not w.speakers.model.flags(w.speakers.model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    w.controller.set_current(next(s.id for s in spans if s.label == "claim"))
    assert not w.sentiment.polarity.isEnabled() and w.sentiment.target.isReadOnly()

    press(w, K.Key_PageDown, CTRL)  # the next document
    assert w.controller.doc_id == 2
    out = tmp_path / "out.json"
    w.export("json", out)
    assert [len(d["spans"]) for d in json.loads(out.read_text(encoding="utf-8"))["documents"]] == [2, 0]
    press(w, K.Key_F1)
    assert w._help is not None and w._help.isVisible()
    w.import_files([out])
    assert store.document_count() == 2

    w.close()  # nothing was written, not even the last document, and no backup made
    again = Store.open(project_path)
    assert again.meta("last_document") is None and again.spans(1) == spans
    again.close()
    assert list_backups(project_path) == []


def test_a_read_only_file_opened_from_the_window_shows_why(project_path, make_window, monkeypatch, tmp_path):
    real_access = os.access

    def access(path, mode, *args, **kwargs):  # root ignores chmod: say what a user would hear
        if mode & os.W_OK and os.path.abspath(path) == str(project_path):
            return False
        return real_access(path, mode, *args, **kwargs)

    w = make_window(Store.open(tmp_path / "other.db"))
    monkeypatch.setattr(os, "access", access)
    project_path.chmod(0o444)
    try:
        w.open_project(project_path)
        assert w.store.read_only and w.controller.doc_id == 1
        assert w.banner.isVisible() and "you do not have permission to change the file" in w.banner.text()
        assert not w.actions["mark_claim"].isEnabled() and "(read-only)" in w.statusBar().currentMessage()
        w.open_project(tmp_path / "other.db")  # a writable project again: the banner goes
        assert not w.banner.isVisible() and w.actions["mark_claim"].isEnabled() and w.speakers.new_action.isEnabled()
    finally:
        project_path.chmod(0o644)


def test_a_project_that_turns_read_only_switches_the_window(project_path, make_window, monkeypatch):
    store = Store.open(project_path)
    w = make_window(store)
    assert not w.banner.isVisible() and w.actions["mark_claim"].isEnabled()
    reason = f"{project_path} is read-only: it cannot be written (attempt to write a readonly database)."

    def refuse(*_args, **_kwargs):  # what the store does when SQLite answers SQLITE_READONLY
        store.read_only, store.read_only_reason = True, reason
        raise ReadOnlyError(f"could not write to {project_path}: the file is read-only; nothing was changed")

    monkeypatch.setattr(store, "add_span", refuse)
    select_by_keys(w, *find(w.view.text, "constructive"))
    press(w, K.Key_C)
    assert w.banner.isVisible() and escape(reason) in w.banner.text()
    assert not w.actions["mark_claim"].isEnabled() and not w.speakers.new_action.isEnabled()
    assert "nothing was changed" in w.statusBar().currentMessage()
    assert store.spans(1) == [] and len(w.view.index) == 0 and w.controller.undo_stack.count() == 0


# --- a locked project ----------------------------------------------------------------------------


def test_locked_project_asks_and_cancel_applies_nothing(project_path, make_window):
    store = Store.open(project_path, busy_timeout=0.05)
    w = make_window(store)
    locker = lock(project_path)
    try:
        select_by_keys(w, *find(w.view.text, "constructive"))
        with answering("Project locked", [Button.Cancel]) as boxes:
            press(w, K.Key_C)
        assert boxes.seen == ["The project is locked by another program; your edit was not applied."]
        assert store.spans(1) == [] and len(w.view.index) == 0 and w.controller.undo_stack.count() == 0
        assert "locked by another program" in w.statusBar().currentMessage()
    finally:
        locker.execute("ROLLBACK")
        locker.close()


def test_locked_project_retry_applies_the_edit_once(project_path, make_window, qtbot):
    store = Store.open(project_path, busy_timeout=0.05)
    w = make_window(store)
    rng = find(w.view.text, "constructive")
    locker = lock(project_path)
    try:
        select_by_keys(w, *rng)
        with answering("Project locked", [(Button.Retry, lambda: locker.execute("ROLLBACK"))]) as boxes:
            press(w, K.Key_C)
    finally:
        if locker.in_transaction:
            locker.execute("ROLLBACK")
    assert len(boxes.seen) == 1  # asked once: the retry after the lock was gone went through
    [claim] = store.spans(1)
    assert (claim.label, claim.fragments) == ("claim", (rng,))
    assert [s.id for s in w.view.index] == [claim.id] and w.controller.current == claim.id
    assert w.controller.undo_stack.count() == 1 and w.claims.model.rowCount() == 1

    locker.execute("BEGIN IMMEDIATE")  # undo meets the lock too: cancelled, then retried
    refocus(w, qtbot)
    with answering("Project locked", [Button.Cancel]) as boxes:
        press(w, K.Key_Z, CTRL)
    assert boxes.seen == ["The project is locked by another program; your undo was not applied."]
    assert store.span(claim.id) is not None and claim.id in w.view.index
    assert w.controller.undo_stack.index() == 1
    refocus(w, qtbot)
    with answering("Project locked", [(Button.Retry, lambda: locker.execute("ROLLBACK"))]) as boxes:
        press(w, K.Key_Z, CTRL)
    assert len(boxes.seen) == 1 and store.span(claim.id) is None and claim.id not in w.view.index
    assert w.controller.undo_stack.index() == 0
    locker.close()


# --- failed writes -------------------------------------------------------------------------------


def test_a_failed_write_is_reported_and_changes_nothing(project_path, make_window, monkeypatch, qtbot):
    store = Store.open(project_path)
    w = make_window(store)

    def full(*_args, **_kwargs):
        raise StoreWriteError(f"could not write to {project_path}: disk full; nothing was changed")

    monkeypatch.setattr(store, "add_span", full)
    select_by_keys(w, *find(w.view.text, "constructive"))
    press(w, K.Key_C)
    box = message_box(w)
    assert box is not None and "disk full" in box.text() and box.text().startswith("Could not save your edit")
    box.close()
    assert store.spans(1) == [] and len(w.view.index) == 0 and w.controller.undo_stack.count() == 0
    assert w.claims.model.rowCount() == 0 and w.documents.model.data(w.documents.model.index(0, 2)) == 0
    monkeypatch.undo()  # room again: the same keys work
    refocus(w, qtbot)
    press(w, K.Key_C)
    assert len(store.spans(1)) == 1 and len(w.view.index) == 1


def test_a_full_disk_during_an_import_changes_nothing(project_path, make_window, tmp_path, monkeypatch):
    from annotator.ui import background
    store = Store.open(project_path)
    w = make_window(store)
    article = tmp_path / "long.txt"
    article.write_text("A long article\n\n" + "The minister said it was fine. " * 20000, encoding="utf-8")
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]

    def full(path, **options):  # the import's own connection finds the disk full
        worker_store = Store.open(path, **options)
        worker_store.db.execute(f"PRAGMA max_page_count = {pages}")
        return worker_store
    monkeypatch.setattr(background, "open_store", full)
    w.import_files([article])
    box = message_box(w)
    assert box is not None and "disk full" in box.text()
    box.close()
    assert store.document_count() == 2 and w.documents.model.rowCount() == 2 and w.controller.undo_stack.count() == 0


# --- two windows on one project --------------------------------------------------------------


def test_an_edit_in_one_window_appears_in_the_other_after_its_poll(project_path, make_window):
    b = make_window(Store.open(project_path), active=False)
    a = make_window(Store.open(project_path))
    assert b.poll_timer.isActive() and b.poll_timer.interval() == 1500
    assert not b.controller.poll()  # opening the other window changed nothing

    b.controller.run(ops.new_entity, "Somebody")  # an edit of B's own: B has undo history
    b.controller.next_document()
    b.view.set_cursor(10)
    assert b.controller.doc_id == 2 and b.controller.undo_stack.count() == 1

    text = a.view.text
    select_by_keys(a, *find(text, "constructive"))
    press(a, K.Key_C)
    claim = a.controller.current
    assert b.documents.model.data(b.documents.model.index(0, 2)) == 0

    assert b.controller.poll() is True
    assert b.documents.model.data(b.documents.model.index(0, 2)) == 1
    assert b.controller.doc_id == 2 and b.view.cursor_offset() == 10  # where B was
    assert b.controller.undo_stack.count() == 1  # B's own history is kept
    assert "The project was changed by another window; reloaded" in b.statusBar().currentMessage()
    assert b.controller.poll() is False  # nothing new since

    b.controller.next_document(-1)
    assert [s.id for s in b.view.index] == [claim] and b.claims.model.rowCount() == 1
    assert a.controller.poll() is True  # and B's speaker shows in A, A's claim and cursor stay
    assert "Somebody" in [a.speakers.model.entity_at(r).name for r in range(a.speakers.model.rowCount())]
    assert a.controller.doc_id == 1 and [s.id for s in a.view.index] == [claim]

    b.controller.undo()  # B's own edit does not depend on A's: it is undone, A's claim stays
    assert "Somebody" not in [e.name for e in b.store.entities()] and b.store.span(claim) is not None
    assert "Undone" in b.statusBar().currentMessage()


def test_a_window_looks_for_changes_when_it_is_activated(project_path, make_window, qtbot):
    b = make_window(Store.open(project_path), active=False)
    a = make_window(Store.open(project_path))
    select_by_keys(a, *find(a.view.text, "constructive"))
    press(a, K.Key_C)
    assert len(b.view.index) == 0
    with qtbot.waitActive(b):
        b.activateWindow()
    assert [s.id for s in b.view.index] == [a.controller.current]


def test_the_shown_annotation_deleted_elsewhere_disappears(project_path, make_window):
    a = make_window(Store.open(project_path))
    text = a.view.text
    select_by_keys(a, *find(text, "constructive"))
    press(a, K.Key_C)
    claim = a.controller.current
    a.view.select_range(*find(text, "Sergey Lavrov"))  # a selection under way stays
    other = Store.open(project_path)
    ops.delete_span(other, claim)
    other.close()
    assert a.controller.poll() is True
    assert len(a.view.index) == 0 and a.controller.current is None and a.claims.model.rowCount() == 0
    assert a.view.selection_range() == find(text, "Sergey Lavrov")


def test_moving_between_documents_writes_nothing_other_windows_would_see(project_path, make_window):
    b = make_window(Store.open(project_path), active=False)
    a = make_window(Store.open(project_path))
    press(a, K.Key_PageDown, CTRL)
    press(a, K.Key_PageUp, CTRL)
    assert not b.controller.poll()


# --- undo over changes made elsewhere ----------------------------------------------------------


def test_undo_after_another_window_deleted_the_span(project_path, make_window):
    b = make_window(Store.open(project_path), active=False)
    a = make_window(Store.open(project_path))
    store = a.store
    select_by_keys(a, *find(a.view.text, "constructive"))
    press(a, K.Key_C)
    claim = a.controller.current
    b.controller.poll()
    b.controller.set_current(claim)
    b.controller.delete_current()  # B deletes it before A's poll saw anything
    assert b.store.span(claim) is None

    press(a, K.Key_Z, CTRL)
    box = message_box(a)
    assert box is not None and "could not undo: the project was changed elsewhere" in box.text().lower()
    box.close()
    assert a.controller.undo_stack.count() == 0 and not a.actions["undo"].isEnabled()
    assert len(a.view.index) == 0 and store.span(claim) is None
    a.controller.undo()
    assert "Nothing to undo" in a.statusBar().currentMessage()


def test_undo_that_the_store_refuses_clears_the_history(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    select_by_keys(w, *find(w.view.text, "Sergey Lavrov"))
    press(w, K.Key_S)
    mention = w.controller.current
    press(w, K.Key_Delete)  # the last mention of Lavrov: keep the speaker
    next(b for b in w.controller.marking.offer.buttons() if "Keep" in b.text()).click()
    assert store.span(mention) is None
    store.delete_entity(store.entities()[0].id)  # not through the window (same connection)

    press(w, K.Key_Z, CTRL)  # undoing the delete would bring back a mention of a deleted speaker
    box = message_box(w)
    assert box is not None and "could not undo: the project was changed elsewhere" in box.text().lower()
    box.close()
    assert w.controller.undo_stack.count() == 0 and store.span(mention) is None and len(w.view.index) == 0
    assert w.speakers.model.rowCount() == 0


def test_undo_never_overwrites_a_value_changed_elsewhere(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    select_by_keys(w, *find(w.view.text, "constructive"))
    press(w, K.Key_C)
    claim = w.controller.current
    press(w, K.Key_P)
    ops.set_claim_attribute(store, claim, "polarity", "negative")  # not through the window
    press(w, K.Key_Z, CTRL)
    box = message_box(w)
    assert box is not None and "could not undo" in box.text().lower()
    box.close()
    assert store.span(claim).polarity == "negative" and w.view.index.get(claim).polarity == "negative"
    assert w.controller.undo_stack.count() == 0


# --- backups -------------------------------------------------------------------------------------


def test_backups_on_opening_while_editing_and_by_hand(project_path, make_window):
    w = make_window(Store.open(project_path))
    [opened] = list_backups(project_path)
    assert opened.reason == "open" and opened.documents == 2 and w.last_backup == opened.path
    assert w.backup_timer.isActive() and w.backup_timer.interval() == 10 * 60_000
    assert w.auto_backup() is None  # no edit since the last backup

    select_by_keys(w, *find(w.view.text, "constructive"))
    press(w, K.Key_C)
    auto = w.auto_backup()
    assert auto is not None and list_backups(project_path)[0].reason == "auto"
    copy = Store.open(auto, read_only=True)
    assert [s.label for s in copy.spans(1)] == ["claim"]
    copy.close()
    assert w.auto_backup() is None

    manual = w.backup_now()
    assert list_backups(project_path)[0].path == manual and list_backups(project_path)[0].reason == "manual"
    assert str(manual) in w.statusBar().currentMessage()


def test_a_failing_backup_never_stops_the_opening(project_path, make_window, monkeypatch):
    import annotator.ui.project_backups as project_backups

    def fail(*_args, **_kwargs):
        raise StoreWriteError(f"could not write the backup of {project_path}: No space left on device")

    monkeypatch.setattr(project_backups, "make_backup", fail)
    w = make_window(Store.open(project_path))
    assert w.controller.doc_id == 1 and len(w.view.text) > 1000
    assert "No backup was made on opening" in w.statusBar().currentMessage()
    select_by_keys(w, *find(w.view.text, "constructive"))
    press(w, K.Key_C)
    assert len(w.store.spans(1)) == 1


def test_restore_from_backup_brings_back_the_old_content(project_path, make_window, qtbot):
    w = make_window(Store.open(project_path))
    [opened] = list_backups(project_path)  # made on opening: no annotation yet
    select_by_keys(w, *find(w.view.text, "constructive"))
    press(w, K.Key_C)
    press(w, K.Key_PageDown, CTRL)
    old = w.store

    before = w.restore_from_backup(opened.path)
    assert w.store is not old and w.store.spans(1) == [] and w.controller.undo_stack.count() == 0
    assert w.controller.doc_id == 2  # the same document, as restored
    box = message_box(w)
    assert box is not None and str(before) in box.text()
    box.close()
    refocus(w, qtbot)
    press(w, K.Key_PageUp, CTRL)
    assert len(w.view.index) == 0 and w.claims.model.rowCount() == 0
    assert w.documents.model.data(w.documents.model.index(0, 2)) == 0
    saved = Store.open(before, read_only=True)  # the content from before the restore is kept
    assert [s.label for s in saved.spans(1)] == ["claim"]
    saved.close()
    assert "before-restore" in [b.reason for b in list_backups(project_path)]

    select_by_keys(w, *find(w.view.text, "it was no secret"))  # the window works on the restored project
    press(w, K.Key_C)
    assert [s.label for s in w.store.spans(1)] == ["claim"] and w.controller.undo_stack.count() == 1


def test_restore_dialog_lists_the_backups_newest_first(project_path, make_window):
    from annotator.ui.backups import BackupsDialog

    w = make_window(Store.open(project_path))
    select_by_keys(w, *find(w.view.text, "constructive"))
    press(w, K.Key_C)
    w.backup_now()
    backups = list_backups(project_path)
    dialog = BackupsDialog(project_path, list(reversed(backups)), w)
    table = dialog.table
    assert table.rowCount() == 2 and [table.horizontalHeaderItem(c).text() for c in range(4)] == \
        ["Date", "Made", "Size", "Documents"]
    assert [table.item(r, 1).text() for r in range(2)] == ["Back Up Now", "when the project was opened"]
    assert table.item(0, 3).text() == "2" and table.item(0, 2).text().endswith("KB")
    assert dialog.chosen() == backups[0]
    dialog.close()

    def accept_oldest():  # File > Restore from Backup, answered: the oldest backup, then Yes
        dialogs = [d for d in QApplication.topLevelWidgets() if d.objectName() == "backups_dialog" and d.isVisible()]
        if not dialogs:
            QTimer.singleShot(10, accept_oldest)
            return
        dialogs[0].table.selectRow(1)
        dialogs[0].accept()

    QTimer.singleShot(0, accept_oldest)
    with answering("Restore from backup", [Button.Yes]) as boxes:
        w.actions["restore_backup"].trigger()
    assert len(boxes.seen) == 1 and "when the project was opened" in boxes.seen[0]
    assert w.store.spans(1) == [] and len(w.view.index) == 0
