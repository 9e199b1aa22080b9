"""A new user's report on the window, one test (or a few) per problem:

1. Export follows the extension typed in its file dialog; a name without one gets the
   chosen format's; folder formats ask for a folder; the status line names the format.
2. What an import skipped or noted is listed in a dialog.
3. An import is all or nothing; the window offers to import the other files without the
   bad one; File > Import Folder.
4. Undo of an added annotation neither scrolls away nor makes another annotation current.
5. The status line follows undo and redo.
6. Speaker digits never change while a document stays open; "This document only".
7. What an export could not carry is listed, grouped.
8. Right-to-left paragraphs are aligned to the right.
9. Ctrl+(Shift+)Right / Left go a character or word at a time in CJK text.
10. The caret line keeps clear of the view's edge; the current claim's text is not cut;
    each document keeps its scroll position; Export As tells once what a format loses; the
    export dialog starts in the home folder, then in the folder used last.

Keys go to the focused article view with QTest.keyClick (ASCII only). Dialogs are replaced
by stand-ins (annotator.ui.file_dialogs) or answered with a timer (message boxes); the window settings
and the home folder are redirected to this test's temporary folder.
"""
from __future__ import annotations

import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QPoint, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QCheckBox, QInputDialog, QMessageBox  # noqa: E402

from annotator.core import operations as ops  # noqa: E402
from annotator.core.model import NewDocument  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.formats.registry import ExportReport, formats, get_format  # noqa: E402
from annotator.ui import file_dialogs  # noqa: E402
from annotator.services import importing as importing_module  # noqa: E402
from annotator.ui import import_export as import_export_module  # noqa: E402
from annotator.ui.files import export_target, grouped  # noqa: E402
from annotator.ui.text_view import AnnotatedTextView, next_word_stop  # noqa: E402
from ui_keys import find, press, select_by_keys  # noqa: E402

K = Qt.Key
NONE = Qt.KeyboardModifier.NoModifier
SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    """The window settings and the home folder of this test only."""
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def click_when_asked(name: str, button_text: str) -> None:
    """Click the button labelled ``button_text`` of the message box called ``name`` once it
    is shown (it runs its own event loop, so the click is scheduled before it opens)."""
    def answer():
        boxes = [b for b in QApplication.topLevelWidgets()
                 if isinstance(b, QMessageBox) and b.isVisible() and b.objectName() == name]
        buttons = [b for b in boxes[0].buttons() if b.text().replace("&", "") == button_text] if boxes else []
        if buttons:
            buttons[0].click()
        else:
            QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)


def shown_box(w, name: str) -> QMessageBox | None:
    boxes = [b for b in w.findChildren(QMessageBox, name) if b.isVisible()]
    return boxes[-1] if boxes else None


class FileDialogs:
    """Stand-ins for the window's file dialogs (:mod:`annotator.ui.file_dialogs`): each returns the next answer queued
    and records the folder it was opened in."""

    def __init__(self, monkeypatch):
        self.saves: list[tuple[str, str]] = []
        self.folders: list[str] = []
        self.opened_in: list[str] = []
        monkeypatch.setattr(file_dialogs, "get_save_file_name", self._save)  # the window's only file dialogs
        monkeypatch.setattr(file_dialogs, "get_existing_directory", self._folder)

    def _save(self, _parent, _caption, folder, filters, *_args):
        self.opened_in.append(folder)
        name, wanted = self.saves.pop(0)
        picked = next(f for f in filters.split(";;") if f.startswith(wanted + ":"))
        return name, picked

    def _folder(self, _parent, _caption, folder, *_args):
        self.opened_in.append(folder)
        return self.folders.pop(0)


# --- 1. the format follows the typed extension -----------------------------------------------


def test_export_target_rules():
    json_, conll = get_format("json"), get_format("conll")
    assert export_target("/x/gui.conll", json_) == (Path("/x/gui.conll"), conll)
    assert export_target("/x/gui", json_) == (Path("/x/gui.json"), json_)
    assert export_target("/x/gui", conll) == (Path("/x/gui.conll"), conll)
    assert export_target("/x/Report 3.5 final", json_) == (Path("/x/Report 3.5 final.json"), json_)
    assert export_target("/x/gui.JSONL", json_)[1].name == "jsonl"
    # .json / .jsonl / .csv belong to several formats: the chosen filter's if it writes it
    assert export_target("/x/a.json", get_format("label-studio"))[1].name == "label-studio"
    assert export_target("/x/a.json", conll)[1].name == "json"
    assert export_target("/x/a.jsonl", get_format("doccano"))[1].name == "doccano"
    assert export_target("/x/a.csv", json_)[1].name == "claims-csv"
    assert export_target("/x/a.out", conll) == (Path("/x/a.out"), conll)  # no format writes .out
    assert export_target("/x/a.ann", json_) == (Path("/x/a.ann"), json_)  # brat writes folders, not .ann files


def test_export_follows_the_typed_extension(project_path, make_window, tmp_path, monkeypatch):
    store = Store.open(project_path)
    text = store.document(1).text
    ops.mark_speaker(store, 1, [find(text, "Sergey Lavrov")])
    w = make_window(store, active=False)
    dialogs = FileDialogs(monkeypatch)
    asked_layer = []  # CoNLL asks which layer: the first choice, all labels in one column
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: asked_layer.append(a[3]) or (a[3][0], True)))
    out = tmp_path / "out"
    out.mkdir()

    dialogs.saves.append((str(out / "gui.conll"), "json"))  # typed .conll, the json filter chosen
    exported = w.export()
    written = (out / "gui.conll").read_text(encoding="utf-8")
    assert not written.lstrip().startswith("{") and written.startswith("-DOCSTART-")
    assert exported == out / "gui.conll" and asked_layer
    assert "as conll" in w.statusBar().currentMessage()
    assert dialogs.opened_in[-1] == str(tmp_path / "home")  # the first export starts at home

    dialogs.saves.append((str(out / "gui"), "json"))  # no extension: the filter's is added
    assert w.export() == out / "gui.json"
    assert json.loads((out / "gui.json").read_text(encoding="utf-8"))["documents"]
    assert not (out / "gui").exists() and "as json" in w.statusBar().currentMessage()
    assert dialogs.opened_in[-1] == str(out)  # the folder used last

    (out / "again.json").write_text("keep me", encoding="utf-8")
    dialogs.saves.append((str(out / "again"), "json"))  # the added extension names a file that exists
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **_k: asked.append(args[2]) or QMessageBox.StandardButton.No)
    assert w.export() is None and "again.json already exists" in asked[0]
    assert (out / "again.json").read_text(encoding="utf-8") == "keep me"

    dialogs.saves.append((str(out / "tasks.json"), "label-studio"))  # shared extension: the chosen format
    w.export()
    assert isinstance(json.loads((out / "tasks.json").read_text(encoding="utf-8")), list)  # Label Studio tasks

    brat = out / "brat"
    brat.mkdir()
    dialogs.saves.append((str(out / "whatever"), "brat"))  # a folder format: a folder is asked next
    dialogs.folders.append(str(brat))
    assert w.export() == brat
    assert {".ann", ".conf", ".txt"} <= {p.suffix for p in brat.iterdir()}
    assert "as brat" in w.statusBar().currentMessage()
    dialogs.folders.append(str(brat))  # Export As > brat asks for the folder at once
    w.export("brat")
    assert dialogs.opened_in[-1] == str(out)


# --- 2. and 3. import: all or nothing, what was skipped or noted --------------------------------


def test_import_lists_what_it_skipped_and_noted(project_path, make_window, tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text('title,text,date,author\nOne,"First article. The mayor spoke.",2020-01-01,X\n'
                    'Two,"Second article here.",2020-01-02,Y\n', encoding="utf-8")
    store = Store.open(project_path)
    w = make_window(store, active=False)
    w.import_files([rows])
    assert store.document_count() == 4
    box = shown_box(w, "import_report_box")
    assert box is not None and box.text().startswith("Imported 2 document(s)")
    assert "date column" in box.detailedText() and "author" in box.detailedText()
    assert "date column" in box.informativeText()
    assert w.statusBar().currentMessage().startswith("Imported 2 document(s)")
    box.close()

    w.import_files([rows])  # again: both rows are in the project already
    box = shown_box(w, "import_report_box")
    assert box is not None and "2 skipped" in box.text()
    assert box.detailedText().count("already in the project") == 2 and "Skipped (2):" in box.detailedText()
    box.close()


def test_import_is_all_or_nothing_and_offers_to_skip_the_bad_file(project_path, make_window, tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.json"
    good.write_text("A good article\n\nThe minister said it was fine.\n", encoding="utf-8")
    bad.write_text('{"not": "annotator"', encoding="utf-8")
    store = Store.open(project_path)
    w = make_window(store)

    click_when_asked("import_refused_box", "Cancel")
    w.import_files([good, bad])
    assert store.document_count() == 2 and w.controller.undo_stack.count() == 0  # nothing imported
    assert "nothing was imported" in w.statusBar().currentMessage()

    click_when_asked("import_refused_box", import_export_module.SKIP_AND_IMPORT)
    w.import_files([good, bad])
    assert store.document_count() == 3 and w.controller.doc.title == "A good article"
    box = shown_box(w, "import_report_box")
    assert box is not None and "bad.json" in box.detailedText() and "1 skipped" in box.text()
    box.close()
    w.controller.undo()  # still one undo step
    assert store.document_count() == 2

    w.import_files([bad])  # a single bad file: said, nothing to offer, nothing imported
    box = shown_box(w, "import_refused_box")
    assert box is not None and "bad.json" in box.text() and "all or nothing" in box.informativeText()
    box.close()
    assert store.document_count() == 2


def test_import_folder(project_path, make_window, tmp_path, monkeypatch):
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in (1, 2):
        (folder / f"a{n}.txt").write_text(f"Article {n}\n\nSomebody said thing {n}.\n", encoding="utf-8")
    store = Store.open(project_path)
    w = make_window(store, active=False)
    file_menu = w.menuBar().actions()[0].menu()
    assert w.actions["import_folder"] in file_menu.actions()
    assert w.actions["import_folder"].shortcut().toString() == "Ctrl+Shift+I"
    dialogs = FileDialogs(monkeypatch)
    dialogs.folders.append(str(folder))
    w.actions["import_folder"].trigger()
    assert store.document_count() == 4 and dialogs.opened_in == [str(tmp_path / "home")]
    assert w.statusBar().currentMessage().startswith("Imported 2 document(s)")


# --- 4. undo keeps the view ---------------------------------------------------------------


def long_project(tmp_path) -> tuple[Path, str]:
    text = "A long article\n\n" + "".join(
        f"Paragraph {i}: the mayor said “it will open soon” and more words follow here.\n\n" for i in range(2000))
    path = tmp_path / "long.db"
    store = Store.open(path)
    store.import_documents([NewDocument(title="A long article", text=text)])
    for i in (10, 20, 30):
        ops.mark_claim(store, 1, [find(text, f"Paragraph {i}:")])
    store.close()
    return path, text


def test_undo_of_an_added_annotation_keeps_the_view(tmp_path, make_window):
    path, text = long_project(tmp_path)
    store = Store.open(path)
    w = make_window(store)
    w.claims.view.selectRow(1)  # a claim row chosen earlier in the table (the table keeps a current row)
    w.view.setFocus()
    start, end = find(text, "Paragraph 1990:")
    w.view.select_range(start, end)
    press(w, K.Key_C)
    added = w.controller.current
    bar = w.view.verticalScrollBar()
    scroll, cursor = bar.value(), w.view.cursor_offset()
    assert scroll > 1000 and cursor == end

    press(w, K.Key_Z, CTRL)
    assert store.span(added) is None
    assert w.controller.current is None and w.view.current_span_id() is None  # no other claim made current
    assert (bar.value(), w.view.cursor_offset()) == (scroll, cursor)  # neither scrolled nor moved

    w.view.set_cursor(0)  # far away: the redo is out of view, so the view goes to it
    assert not w.view.shows_range(start, end)
    press(w, K.Key_Z, CTRL | SHIFT)
    assert w.view.shows_range(start, end) and w.view.cursor_offset() == start
    assert w.controller.current is None

    press(w, K.Key_Z, CTRL)  # visible: nothing moves
    assert w.view.cursor_offset() == start and w.view.shows_range(start, end)


# --- 5. the status line follows undo and redo -----------------------------------------------------


def test_status_line_describes_what_is_there_after_undo_and_redo(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    press(w, K.Key_PageDown, CTRL)
    text = w.view.text
    select_by_keys(w, *find(text, "will open soon."))
    press(w, K.Key_C)
    press(w, K.Key_F)  # direct -> indirect
    assert w.place.text().startswith("Claim:") and "indirect" in w.place.text()
    press(w, K.Key_Z, CTRL)  # the form again
    assert "indirect" not in w.place.text() and "direct" in w.place.text()
    press(w, K.Key_Z, CTRL)  # the claim itself
    assert "Claim" not in w.place.text()
    press(w, K.Key_Z, CTRL | SHIFT)
    w.view.set_cursor(find(text, "open")[0])  # on the claim again
    assert "Claim:" in w.place.text() and "— direct" in w.place.text()
    press(w, K.Key_Z, CTRL | SHIFT)
    table = w.claims.model.data(w.claims.model.index(0, 2))
    assert table == "indirect" and "— indirect" in w.place.text()


# --- 6. speaker numbers ------------------------------------------------------------------------


def numbers(model) -> list[tuple[str, str]]:
    return [(model.data(model.index(r, 0)), model.data(model.index(r, 1))) for r in range(model.rowCount())]


def test_speaker_digits_stay_put_while_a_document_is_open(project_path, make_window):
    store = Store.open(project_path)
    for name in ("Sergey Lavrov", "Aaron Abel", "Ned Price", "Joe Biden"):
        ops.new_entity(store, name)
    w = make_window(store)
    model = w.speakers.model
    press(w, K.Key_PageDown, CTRL)  # the second article mentions nobody: everyone by name
    text = w.view.text
    assert numbers(model) == [("1", "Aaron Abel"), ("2", "Joe Biden"), ("3", "Ned Price"), ("4", "Sergey Lavrov")]
    select_by_keys(w, *find(text, "The mayor"))
    press(w, K.Key_3)
    ned = store.find_entity("Ned Price").id
    assert store.span(w.controller.current).entity_id == ned
    assert model.numbered(3).name == "Ned Price"  # it was moved to #1 when it got a mention
    assert numbers(model)[:4] == [("1", "Aaron Abel"), ("2", "Joe Biden"), ("3", "Ned Price"), ("4", "Sergey Lavrov")]
    select_by_keys(w, *find(text, "bridge"))
    press(w, K.Key_3)  # "3" again is the same speaker
    assert store.span(w.controller.current).entity_id == ned
    grey = model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole)
    assert grey is not None and model.data(model.index(2, 1), Qt.ItemDataRole.ForegroundRole) is None
    select_by_keys(w, *find(text, "Second article"))
    press(w, K.Key_S)  # a new speaker: the next digit, nobody renumbered
    assert model.numbered(5).name == "Second article" and model.numbered(3).name == "Ned Price"

    box = w.speakers.findChild(QCheckBox, "speakers_document_only")
    box.setChecked(True)  # this document's speakers only, numbered by first mention
    assert numbers(model) == [("1", "Second article"), ("2", "Ned Price")]
    assert w.actions["speaker_1"].text() == "Speaker #1: Second article"
    press(w, K.Key_Z, CTRL)  # the speaker made by S is gone: its digit is not given to anyone else
    assert numbers(model) == [("2", "Ned Price")]
    press(w, K.Key_Z, CTRL | SHIFT)  # back, with its digit
    assert numbers(model) == [("1", "Second article"), ("2", "Ned Price")]
    press(w, K.Key_Escape)
    select_by_keys(w, *find(text, "open soon"))
    press(w, K.Key_3)  # no third speaker shown
    assert "no speaker #3" in w.statusBar().currentMessage()

    press(w, K.Key_PageUp, CTRL)  # another document: numbered afresh (nobody mentioned there)
    assert model.rowCount() == 0
    w.close()
    again = make_window(Store.open(project_path), active=False)  # the choice is remembered
    assert again.speakers.findChild(QCheckBox, "speakers_document_only").isChecked()
    again.speakers.document_only.setChecked(False)


def test_a_speaker_without_a_digit_is_told(project_path, make_window):
    store = Store.open(project_path)  # nine speakers of this document (others' give way: test_frictions.py)
    text = store.document(1).text
    for word in ("Top", "diplomats", "Antony", "Blinken", "notes", "meeting", "Joe", "Biden", "president"):
        ops.mark_new_speaker(store, 1, [find(text, word)])
    w = make_window(store)
    select_by_keys(w, *find(text, "Sergey Lavrov"))
    press(w, K.Key_S)
    assert "Sergey Lavrov has no digit" in w.statusBar().currentMessage()
    assert w.speakers.model.number_of(store.find_entity("Sergey Lavrov").id) is None


# --- 7. what an export could not carry ----------------------------------------------------------


def test_export_lists_what_it_could_not_carry_grouped(project_path, make_window, tmp_path, monkeypatch):
    w = make_window(Store.open(project_path), active=False)
    lines = ["speaker mention “he” not linked to a claim"] * 5 + ["cue “said” not linked to a claim"] * 3 + ["a title"]
    # the export runs in a worker thread (annotator.ui.background), through the service
    monkeypatch.setattr(importing_module, "export_to", lambda *_a, **_k: ExportReport(dropped=list(lines)))
    w.export("claims-csv", tmp_path / "claims.csv")
    box = shown_box(w, "message_box")
    assert box is not None and "could not carry 9 thing(s)" in box.text()
    assert box.detailedText().splitlines() == ["speaker mention “he” not linked to a claim (×5)",
                                                "cue “said” not linked to a claim (×3)", "a title"]
    assert "(×5)" in box.informativeText()  # shown without opening the details
    assert grouped(["a", "b", "a"]) == ["a (×2)", "b"]
    box.close()


# --- 8. right-to-left paragraphs ------------------------------------------------------------------

HEBREW = ("ראש העיר דנה כהן אמרה כי \"התקציב יאוזן\".\n"
          "Mayor Dana Cohen said it in English too.\n\n"
          "שר האוצר אמר: \"אנחנו מוכנים\".")


def test_right_to_left_paragraphs_align_right(qtbot, seed_text):
    view = AnnotatedTextView()
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    view.set_document(seed_text, [], None)  # left to right only: Qt's own (faster) layout
    font, margin = view.document().defaultFont(), view.document().documentMargin()
    view.set_document(HEBREW, [], None)  # another document, laid out by BidiLayout, set up alike
    assert (view.document().defaultFont(), view.document().documentMargin()) == (font, margin)
    width = view.viewport().width()
    for offset, rtl in ((0, True), (find(HEBREW, "Mayor")[0], False), (find(HEBREW, "שר")[0], True)):
        cursor = QTextCursor(view.document())
        cursor.setPosition(offset)
        x = view.cursorRect(cursor).x()
        assert (x > width * 0.6) if rtl else (x < width * 0.2), (offset, x)
    start, end = find(HEBREW, "אנחנו")
    view.select_range(start, end)
    assert view.selection_range() == (start, end)
    cursor = QTextCursor(view.document())
    cursor.setPosition(start + 1)
    rect = view.cursorRect(cursor)
    cursor.setPosition(start + 2)
    rect2 = view.cursorRect(cursor)
    middle = QPoint((rect.x() + rect2.x()) // 2, rect.center().y())
    assert view.offset_at_point(middle) == start + 1  # hit tests follow the right alignment
    view.set_document(seed_text, [], None)
    assert view.document().defaultFont() == font and view.cursorRect().x() < width * 0.2


# --- 9. word jumps in CJK text -------------------------------------------------------------------

CHINESE = "北京市长说：“我们准备好了。”\n\n東京ではコンピューターを使う。 Hello world again"


def test_next_word_stop_rule():
    text = CHINESE
    assert next_word_stop(text, 0, text.index("\n")) == 1  # Qt: the whole paragraph
    assert next_word_stop(text, 4, text.index("\n")) == 5
    kata = text.index("コ")
    assert next_word_stop(text, kata, len(text)) == kata + len("コンピューター")  # a Katakana word
    hello = text.index("Hello")
    assert next_word_stop(text, hello, hello + 6) == hello + 6  # Latin: Qt's jump as before
    assert next_word_stop(text, 5, 0) == 4  # backwards
    assert next_word_stop(text, hello, text.index("東")) == text.index("。 ")  # back over the space, one mark


def test_ctrl_shift_right_goes_a_character_at_a_time_in_chinese(qtbot):
    view = AnnotatedTextView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    view.set_document(CHINESE, [], None)
    view.setFocus()
    view.set_cursor(0)
    QTest.keyClick(view, K.Key_Right, CTRL | SHIFT)
    assert view.selection_range() == (0, 1)
    QTest.keyClick(view, K.Key_Right, CTRL | SHIFT)
    assert view.selection_range() == (0, 2)
    QTest.keyClick(view, K.Key_Left, CTRL | SHIFT)
    assert view.selection_range() == (0, 1)
    view.set_cursor(CHINESE.index("Hello"))
    QTest.keyClick(view, K.Key_Right, CTRL)
    assert view.cursor_offset() == CHINESE.index("world")  # Latin: the next word's start, as before
    QTest.keyClick(view, K.Key_Left, CTRL)
    assert view.cursor_offset() == CHINESE.index("Hello")


# --- 10. cosmetic -------------------------------------------------------------------------------


def test_the_caret_line_keeps_clear_of_the_bottom_edge(qtbot, seed_text):
    worst = 99
    for height in range(280, 420, 7):
        view = AnnotatedTextView()
        qtbot.addWidget(view)
        view.resize(600, height)
        view.show()
        view.set_document(seed_text, [], None)
        view.setFocus()
        for _ in range(40):
            QTest.keyClick(view, K.Key_Down)
            worst = min(worst, view.viewport().height() - 1 - view.cursorRect().bottom())
        view.close()
    assert worst >= getattr(view, "caret_margin", 8) - 1


def test_the_current_claim_box_shows_its_first_line(project_path, make_window):
    store = Store.open(project_path)
    text = store.document(1).text
    long_claim = find(text, "We believe this is good for our people, good for the Russian people and, "
                            "in fact, good for the world,”")
    claim = ops.mark_claim(store, 1, [(find(text, "it was no secret")[0], long_claim[1])]).created_id("spans")
    w = make_window(store, active=False)
    w.controller.set_current(claim)
    label = w.sentiment.claim_label
    assert label.alignment() & Qt.AlignmentFlag.AlignTop
    assert label.text().endswith("…") and label.toolTip().startswith("it was no secret")
    assert label.fits(label.text())  # the lines shown fit the label's height: none is cut


def test_each_document_keeps_its_scroll_position(project_path, make_window, seed_text):
    w = make_window(Store.open(project_path))
    w.view.set_cursor(find(seed_text, "very simple.")[0])
    press(w, K.Key_Down, times=2)
    bar = w.view.verticalScrollBar()
    scroll, cursor = bar.value(), w.view.cursor_offset()
    assert scroll > 0
    press(w, K.Key_PageDown, CTRL)
    assert w.controller.doc_id == 2 and w.view.cursor_offset() == 0
    press(w, K.Key_PageUp, CTRL)
    assert (bar.value(), w.view.cursor_offset()) == (scroll, cursor)


def test_export_as_says_once_what_a_format_loses(project_path, make_window):
    w = make_window(Store.open(project_path), active=False)
    menu = w.findChild(type(w.menuBar().actions()[0].menu()), "export_menu")
    for fmt in formats():
        if fmt.can_write:
            action = next(a for a in menu.actions() if a.objectName() == f"action_export_{fmt.name}")
            assert "nothing lost" not in action.text()
            assert action.statusTip() == f"Cannot carry: {fmt.cannot_carry}"


def test_import_dialog_filters_come_from_the_registry():
    from annotator.formats.registry import formats
    from annotator.ui.files import import_filters

    readable = [f for f in formats() if f.can_read]
    filters = import_filters(readable).split(";;")
    assert filters[0].startswith("Articles and annotations (") and "*.ann" in filters[0] and "*.tsv" in filters[0]
    assert len(filters) == len(readable) + 2 and filters[-1] == "All files (*)"
    assert any(f.startswith("webanno-tsv: ") for f in filters) and not any(f.startswith("conll") for f in filters)


def test_conll_export_from_the_window_asks_for_the_layer(make_window, tmp_path, monkeypatch):
    """CoNLL is for one chosen layer (or all): the window asks which, as the CLI's --option."""
    from PySide6.QtWidgets import QInputDialog

    from annotator.core.model import NewDocument, NewSpan
    from annotator.core.store import Store
    from annotator.ui import import_export

    store = Store.open(tmp_path / "p.db")
    store.import_documents([NewDocument(title="t", text="Mayor Reyes said the bridge will reopen.",
                                        spans=[NewSpan("a", "speaker", ((0, 11),)), NewSpan("b", "claim", ((17, 39),))])])
    w = make_window(store)
    out = tmp_path / "out.conll"
    monkeypatch.setattr(import_export.ImportExport, "_ask_export_target", lambda self, name: (out, import_export.get_format("conll")))
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("only claim", True)))
    w.export("conll")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert "Mayor O" in lines and "bridge I-CLAIM" in lines
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("", False)))
    out.unlink()
    assert w.export("conll") is None and not out.exists()  # cancelled: nothing written
