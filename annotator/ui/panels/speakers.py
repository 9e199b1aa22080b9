"""The Speakers panel: the project's speaker entities, with their mentions in this document.

The table's rows, their digits and the "This document only" filter are
:class:`~annotator.ui.panels.speakers_model.SpeakersModel`'s; this module holds the dock:
the table, its tool bar (New, Rename, Merge, Delete, Type), the check box and the list of
the selected speaker's mentions.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QDockWidget, QHBoxLayout, QHeaderView, QListWidget, QListWidgetItem, QMenu,
    QMessageBox, QSplitter, QTableView, QToolBar, QToolButton, QVBoxLayout, QWidget,
)

from annotator.core.store import Change, Store
from annotator.ui import settings
from annotator.ui.events import Current, OpenedDocument, ProjectEvents
from annotator.ui.panels.delegates import ComboDelegate
from annotator.ui.panels.speakers_model import SpeakersModel
from annotator.ui.text_view_snippets import mention_in_sentence

__all__ = ["SpeakersModel", "SpeakersPanel", "mention_in_sentence"]

DOCUMENT_ONLY_KEY = "speakers/document_only"


class SpeakersPanel(QDockWidget):
    """Dock with the entity table, its tool bar (with the "This document only" check box,
    ``document_only``, remembered in the window settings) and the selected entity's mentions.

    Signals: ``new_requested()``; ``rename_requested(int, str)``; ``retype_requested(int, str)``;
    ``merge_requested(int, int)`` (keep, gone); ``delete_requested(int)`` (after the user
    confirmed); ``mention_activated(int)`` a span id to jump to; ``entity_selected(int)``
    (-1: none).

    It follows the window's events once :meth:`follow` connected it.
    """

    new_requested = Signal()
    rename_requested = Signal(int, str)
    retype_requested = Signal(int, str)
    merge_requested = Signal(int, int)
    delete_requested = Signal(int)
    mention_activated = Signal(int)
    entity_selected = Signal(int)

    def __init__(self, store: Store, parent=None):
        super().__init__("Speakers", parent)
        self.setObjectName("speakers_dock")
        self.mentions_of: Callable[[int], list[tuple[int, str]]] = lambda _eid: []
        self._kept: list[int] = []  # the selected speakers, kept through a reload
        self.model = SpeakersModel(store, self)
        self.model.edit_requested = self._edited
        self.view = QTableView(self)
        self.view.setObjectName("speakers_view")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.setItemDelegateForColumn(SpeakersModel.TYPE, ComboDelegate(lambda _i: [(t, t) for t in self.model.store.schema.entity_types], self.view))
        header = self.view.horizontalHeader()
        # Fixed widths measured once (not ResizeToContents, which re-measures every row at
        # each dataChanged: 8,000 data() calls per edit at 259 speakers)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SpeakersModel.NAME, QHeaderView.ResizeMode.Stretch)
        self._size_columns()
        self.mentions = QListWidget(self)
        self.mentions.setObjectName("mentions_list")
        self.mentions.setWordWrap(True)
        self.mentions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.mentions.itemActivated.connect(self._mention_clicked)
        self.mentions.itemClicked.connect(self._mention_clicked)
        self.toolbar = self._make_toolbar()
        self.document_only = QCheckBox("This document only", self)
        self.document_only.setObjectName("speakers_document_only")
        self.document_only.setToolTip("Show only the speakers mentioned in this document (the digits then number "
                                      "only them); off: the project's other speakers follow, in grey")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.mentions)
        splitter.setSizes([300, 100])
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        row = QHBoxLayout()
        row.setContentsMargins(6, 0, 6, 4)
        row.addWidget(self.document_only)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(splitter)
        self.setWidget(box)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self.model.layoutChanged.connect(self.show_mentions)
        self.document_only.setChecked(settings.get_bool(DOCUMENT_ONLY_KEY))
        self.model.set_document_only(self.document_only.isChecked())
        self.document_only.toggled.connect(self._document_only_toggled)

    def _size_columns(self) -> None:
        """Widths from samples: a digit, the widest entity type, "00 / 0000" counts."""
        metrics, header = self.view.fontMetrics(), self.view.horizontalHeader()
        samples = {0: ["9"], SpeakersModel.TYPE: list(self.model.store.schema.entity_types) or ["PERSON"],
                   3: ["00 / 0000"], 4: ["00 / 0000"]}
        for column, texts in samples.items():
            width = max(metrics.horizontalAdvance(t) for t in texts) + 14
            title = header.fontMetrics().horizontalAdvance(SpeakersModel.HEADERS[column]) + 14
            header.resizeSection(column, max(width, title))

    # --- the window's events (annotator.ui.events) ---------------------------------------------

    def follow(self, events: ProjectEvents) -> None:
        """Follow the window's events: another project or document (numbered afresh; the
        same document again after a reload keeps its numbers and, once ``reloaded`` is
        announced, the selected speaker), each Change (then the mentions list), the current
        annotation (its speaker is selected), the read-only state; a cell being edited holds
        a reload back."""
        events.store_replaced.connect(lambda store: self.model.reload(store, None))
        events.document_opened.connect(self._document_opened)
        events.change_applied.connect(self._change_applied)
        events.current_changed.connect(self._current_changed)
        events.read_only_changed.connect(self.set_read_only)
        events.reloaded.connect(self._reloaded)
        events.add_editor(lambda: self.view.state() == QAbstractItemView.State.EditingState)

    def _document_opened(self, opened: OpenedDocument) -> None:
        self._kept = self.selected_ids() if opened.reloaded and opened.id == self.model.doc_id else []
        self.model.reload(self.model.store, opened.id)

    def _reloaded(self) -> None:
        kept, self._kept = self._kept, []
        if kept and self.model.row_of(kept[0]) >= 0:
            self.select_entity(kept[0])

    def _change_applied(self, change: Change) -> None:
        if self.model.apply_change(change):  # a Change without speaker links costs nothing here
            self.show_mentions()

    def _current_changed(self, current: Current) -> None:
        span, claim = current.span, current.claim
        if not current.moved or span is None:
            return
        entity = span.entity_id if span.entity_id is not None else (claim.speaker_id if claim else None)
        if entity is not None:
            self.select_entity(entity)

    def _document_only_toggled(self, on: bool) -> None:
        """The check box: show (and number) only this document's speakers; remembered."""
        kept = self.selected_ids()
        self.model.set_document_only(on)
        settings.set_value(DOCUMENT_ONLY_KEY, on)
        if len(kept) == 1:
            self.select_entity(kept[0])

    def _make_toolbar(self) -> QToolBar:
        bar = QToolBar(self)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        def add(name: str, text: str, tip: str, slot, key: str | None = None) -> QAction:
            action = QAction(text, self)
            action.setObjectName(name)
            action.setToolTip(tip)
            if key:
                action.setShortcut(QKeySequence(key))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.view.addAction(action)
            action.triggered.connect(slot)
            bar.addAction(action)
            return action

        self.new_action = add("speaker_new", "New", "New speaker from the text selection", self.new_requested.emit)
        self.rename_action = add("speaker_rename", "Rename", "Rename the selected speaker (F2)", self._rename)
        self.merge_action = add("speaker_merge", "Merge", "Merge the two selected speakers into the one with more mentions", self._merge)
        self.delete_action = add("speaker_delete", "Delete", "Delete the selected speaker and its mentions", self.confirm_delete, "Delete")
        types = QMenu(self)
        for entity_type in self.model.store.schema.entity_types:
            types.addAction(entity_type, lambda t=entity_type: self._retype(t))
        button = self.type_button = QToolButton(self)
        button.setObjectName("speaker_type")
        button.setText("Type")
        button.setToolTip("Set the selected speakers' type")
        button.setMenu(types)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        bar.addWidget(button)
        return bar

    def set_read_only(self, on: bool) -> None:
        """A read-only project: the tool bar's buttons are off and no cell can be edited
        (selecting speakers and listing their mentions still work)."""
        self.model.read_only = on
        for widget in (self.new_action, self.rename_action, self.merge_action, self.delete_action, self.type_button):
            widget.setEnabled(not on)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if on else
                                  QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked)

    # --- selection ----------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.entity_at(r).id for r in rows]

    def select_entity(self, entity_id: int) -> None:
        row = self.model.row_of(entity_id)
        if row >= 0 and self.selected_ids() != [entity_id]:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))

    def _selection_changed(self, *_args) -> None:
        ids = self.selected_ids()
        self.show_mentions()
        self.entity_selected.emit(ids[0] if len(ids) == 1 else -1)

    def show_mentions(self) -> None:
        """List the mentions of the (single) selected entity in this document."""
        self.mentions.clear()
        ids = self.selected_ids()
        found = self.mentions_of(ids[0]) if len(ids) == 1 else []
        for span_id, text in found:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, span_id)
            self.mentions.addItem(item)
        if not found:
            hint = QListWidgetItem("No mentions in this document." if len(ids) == 1 else
                                   "Select a speaker to list its mentions here; click one to go to it.")
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.mentions.addItem(hint)

    def _mention_clicked(self, item: QListWidgetItem) -> None:
        span_id = item.data(Qt.ItemDataRole.UserRole)
        if span_id is not None:
            self.mention_activated.emit(span_id)

    # --- requests -------------------------------------------------------------------------

    def _edited(self, entity_id: int, field: str, value: str) -> None:
        (self.rename_requested if field == "name" else self.retype_requested).emit(entity_id, value)

    def _rename(self) -> None:
        rows = self.view.selectionModel().selectedRows(SpeakersModel.NAME)
        if rows:
            self.view.setCurrentIndex(rows[0])
            self.view.edit(rows[0])

    def _retype(self, entity_type: str) -> None:
        for entity_id in self.selected_ids():
            self.retype_requested.emit(entity_id, entity_type)

    def _merge(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 2:
            QMessageBox.information(self, "Merge speakers", "Select exactly two speakers to merge.")
            return
        keep = max(ids, key=lambda eid: (self.model.project_mentions(eid), -eid))
        self.merge_requested.emit(keep, next(eid for eid in ids if eid != keep))

    def confirm_delete(self) -> None:
        """Ask, then request deletion of the selected speakers (undoable)."""
        ids = self.selected_ids()
        if not ids or self.model.read_only:
            return
        names = ", ".join(self.model.store.entity(eid).name for eid in ids)
        answer = QMessageBox.question(
            self, "Delete speaker",
            f"Delete {names} with all their mentions? Their claims keep their text but lose the speaker.\n"
            "(Edit > Undo brings everything back.)")
        if answer == QMessageBox.StandardButton.Yes:
            for entity_id in ids:
                self.delete_requested.emit(entity_id)
