"""The Speakers panel's table model: the project's speaker entities, numbered for the digits.

:class:`SpeakersModel` is a thin adapter. The digits 1-9 address its numbered rows, and a
number never changes while a document stays open (typing digits never renumbers anyone):
when the document opens, its speakers are numbered in the order of their first mention,
then the others by name; afterwards a speaker that newly shows up (a new one, or, with
"This document only", one newly mentioned here) gets the next free number while there is
one. Another document numbers afresh. Speakers not mentioned in this document are grey;
"This document only" hides them (digits then number only this document's speakers).

Cost per edit (issue 10): a Change that touches no speaker link costs nothing here; one
that does updates the counts by its own span pairs (+1 / -1, no query) and repaints the
rows it touched; the registry is re-read only when entities change. The project-wide
counts ("this document / project") are read once per project by
:class:`~annotator.ui.panels.speakers_counts.ProjectCounts`, in the background for a large
project (the column shows "3 / …" until they arrive), then kept by the same deltas. Rows
keep their selection through re-sorting (``layoutChanged`` with persistent indexes).
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.core.model import ACCEPTED, SPEAKER, Entity
from annotator.core.store import Change, Store
from annotator.ui.panels.speakers_counts import ProjectCounts
from annotator.ui.panels.table_model import HeaderedTableModel, Index

DIGITS = 9
ELSEWHERE = QColor("#8a8a8a")  # the text of speakers not mentioned in this document


class SpeakersModel(HeaderedTableModel):
    """Columns: #, name (editable: F2 renames), type (editable), mentions and claims as
    "this document / project". ``edit_requested(entity_id, field, value)`` is called for edits.

    Rows: the numbered speakers by number, then the unnumbered ones of this document (by
    first mention), then the others by name (hidden with ``document_only``).

    No signals of its own: views follow Qt's ``modelReset`` (another project or document,
    numbered afresh), ``layoutChanged`` (rows moved, numbers kept) and ``dataChanged``."""

    HEADERS = ("#", "Name", "Type", "Mentions", "Claims")
    NAME, TYPE = 1, 2

    def __init__(self, store: Store, parent=None):
        super().__init__(parent)
        self.store = store
        self.doc_id: int | None = None
        self.edit_requested: Callable[[int, str, str], None] = lambda *_: None
        self._rows: list[Entity] = []
        self._entities: list[Entity] = []
        self._here: dict[int, tuple[int, int]] = {}
        self._first: dict[int, int] = {}  # entity -> offset of its first mention in this document
        self._mentions: dict[int, tuple[int, int]] = {}  # this document's speaker mentions: span id -> (entity, start)
        self.counts = ProjectCounts(self)  # the project-wide counts, read once per project
        self.counts.ready.connect(self._counts_ready)
        self._numbers: dict[int, int] = {}  # entity -> its digit while this document is open
        self._next = 1  # the next digit to give
        self._kept: set[int] = set()  # shown while this document stays open (document_only)
        self._opened = False
        self.document_only = False
        self.read_only = False  # a read-only project: no cell is editable
        self.reload()

    def reload(self, store: Store | None = None, doc_id: int | None = None) -> None:
        """Show another project or document, numbered afresh. The same document of the same
        project again (a reload after another window's change) keeps its numbers."""
        store = store or self.store
        if self._opened and store is self.store and doc_id == self.doc_id:
            self.refresh()
            return
        self.beginResetModel()
        if store is not self.store or not self._opened:
            self.counts.load(store)
        self.store, self.doc_id = store, doc_id
        self._number_afresh()
        self.endResetModel()

    def set_document_only(self, on: bool) -> None:
        """Show only this document's speakers (on) or every speaker; numbers afresh, since
        the digits number only the rows shown."""
        if bool(on) != self.document_only:
            self.document_only = bool(on)
            self.beginResetModel()
            self._number_afresh()
            self.endResetModel()

    def _number_afresh(self) -> None:
        entities, here, first = self._read()
        mine = sorted((e for e in entities if e.id in first), key=lambda e: (first[e.id], e.id))
        shown = mine + ([] if self.document_only else
                        sorted((e for e in entities if e.id not in first), key=lambda e: (e.name.casefold(), e.id)))
        self._numbers = {e.id: n for n, e in enumerate(shown[:DIGITS], 1)}
        self._next = len(self._numbers) + 1
        self._kept = {e.id for e in shown}
        self._opened = True
        self._entities = entities
        self._rows, self._here = self._arrange(entities, first), here

    def _read(self) -> tuple[list[Entity], dict[int, tuple[int, int]], dict[int, int]]:
        """The registry, this document's counts and first mentions, from one read of the
        document's spans (never a project-wide query)."""
        spans = self.store.spans(self.doc_id) if self.doc_id is not None else []
        self._mentions = {s.id: (s.entity_id, s.start) for s in spans if s.label == SPEAKER and s.entity_id is not None}
        here: dict[int, list[int]] = {}
        for span in spans:
            for k, eid in ((0, span.entity_id), (1, span.speaker_id)):
                if eid is not None:
                    here.setdefault(eid, [0, 0])[k] += 1
        return self.store.entities(), {e: (m, c) for e, (m, c) in here.items()}, self._first_mentions()

    def _first_mentions(self) -> dict[int, int]:
        first: dict[int, int] = {}
        for eid, start in self._mentions.values():
            if start < first.get(eid, start + 1):
                first[eid] = start
        self._first = first
        return first

    def _arrange(self, entities: list[Entity], first: dict[int, int]) -> list[Entity]:
        """The rows to show, in order; speakers that newly show up get the next digits."""
        shown = [e for e in entities if not self.document_only or e.id in self._kept or e.id in first]

        def order(e: Entity):
            number = self._numbers.get(e.id)
            return (0, number, "", 0) if number is not None else \
                (1, first[e.id], "", e.id) if e.id in first else (2, 0, e.name.casefold(), e.id)

        shown.sort(key=order)
        for entity in shown:
            if entity.id in self._numbers:
                continue
            if self._next <= DIGITS:
                self._numbers[entity.id] = self._next
                self._next += 1
            elif entity.id in first:  # this document's speakers come first: take the last
                others = [(n, e) for e, n in self._numbers.items() if e not in first]  # digit of another's
                if others:
                    number, other = max(others)
                    del self._numbers[other]
                    self._numbers[entity.id] = number
        self._kept.update(e.id for e in shown)
        return sorted(shown, key=order)

    def refresh(self) -> None:
        """Re-read entities and the counts (after another window's change), keeping the
        numbers and the selections (rows may move)."""
        self.counts.load(self.store)
        entities, here, first = self._read()
        self._entities = entities
        self._rearrange(entities, here, first)

    def _rearrange(self, entities: list[Entity], here: dict[int, tuple[int, int]], first: dict[int, int],
                   touched: set[int] | None = None) -> None:
        """Show ``entities`` in their order now; ``touched`` (None: all) are the entities
        whose cells changed when no row moves."""
        rows = self._arrange(entities, first)
        old_ids = [e.id for e in self._rows]
        new_ids = [e.id for e in rows]
        if set(old_ids) != set(new_ids):
            self.beginResetModel()
            self._rows, self._here = rows, here
            self.endResetModel()
            return
        if old_ids == new_ids and touched is not None:
            self._rows, self._here = rows, here
            self._repaint(touched)
            return
        self.layoutAboutToBeChanged.emit()
        position = {eid: row for row, eid in enumerate(new_ids)}
        persistent = self.persistentIndexList()
        moved = [self.index(position[old_ids[i.row()]], i.column()) for i in persistent]
        self._rows, self._here = rows, here
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()
        if rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(self.HEADERS) - 1))

    def _repaint(self, entity_ids) -> None:
        """dataChanged for the rows of ``entity_ids`` only."""
        wanted = set(entity_ids)
        for row, entity in enumerate(self._rows):
            if entity.id in wanted:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def apply_change(self, change: Change) -> bool:
        """Follow ``change``; returns True when it touched a speaker link (then the counts
        changed by its span pairs, and rows may have moved: unnumbered speakers of this
        document follow their first mention). A Change of entities re-reads the registry.
        A Change that touches no entity and no speaker link costs a scan of its pairs."""
        if change.imported is not None:  # an import's documents come by id, not as span pairs
            self.refresh()
            return True
        touched: set[int] = set()
        mentions_moved = False
        here = {eid: list(v) for eid, v in self._here.items()}
        for before, after in change.spans.pairs():
            for span, sign in ((before, -1), (after, 1)):
                if span is None or (span.entity_id is None and span.speaker_id is None):
                    continue
                accepted = span.status == ACCEPTED
                mine = span.document_id == self.doc_id
                for k, eid in ((0, span.entity_id), (1, span.speaker_id)):
                    if eid is None or not accepted:
                        continue
                    touched.add(eid)
                    self.counts.add(eid, k, sign)
                    if mine:
                        here.setdefault(eid, [0, 0])[k] += sign
            span = after or before
            if span.document_id == self.doc_id and span.label == SPEAKER:
                was = self._mentions.get(span.id)
                now = (after.entity_id, after.start) if after is not None and after.status == ACCEPTED \
                    and after.entity_id is not None else None
                if was != now:
                    mentions_moved = True
                    if now is None:
                        self._mentions.pop(span.id, None)
                    else:
                        self._mentions[span.id] = now
        if not touched and not change.entities and not mentions_moved:
            return False
        if change.entities:
            self._entities = self.store.entities()
        here_now = {eid: (v[0], v[1]) for eid, v in here.items() if v[0] > 0 or v[1] > 0}
        first = self._first_mentions() if mentions_moved else self._first
        self._rearrange(self._entities, here_now, first, None if change.entities else touched)
        return True

    def _counts_ready(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self._rows) - 1, 4))

    # --- Qt model ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return ("Press this digit to attribute a claim or mark a mention. Numbered when the document "
                    "opens (its speakers by first mention, then the others by name); a speaker marked later "
                    "gets the next free digit; nobody is renumbered while the document stays open", "", "",
                    "Mentions in this document / in the project", "Claims in this document / in the project")[section] or None
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() in (self.NAME, self.TYPE) and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        entity = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == 0:
                number = self._numbers.get(entity.id)
                return "" if number is None else str(number)
            if column == self.NAME:
                return entity.name
            if column == self.TYPE:
                return entity.type
            i = column - 3
            everywhere = self.counts.get(entity.id)
            return f"{self._here.get(entity.id, (0, 0))[i]} / {'…' if everywhere is None else everywhere[i]}"
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            aliases = f"\nalso: {', '.join(entity.aliases)}" if entity.aliases else ""
            elsewhere = "" if self.mentioned_here(entity.id) else "\nnot mentioned in this document"
            return f"{entity.name} ({entity.type}){aliases}{elsewhere}"
        if role == Qt.ItemDataRole.ForegroundRole and not self.mentioned_here(entity.id):
            return QBrush(ELSEWHERE)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 3, 4):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() not in (self.NAME, self.TYPE):
            return False
        entity = self._rows[index.row()]
        field = "name" if index.column() == self.NAME else "type"
        if value and value != getattr(entity, field):
            self.edit_requested(entity.id, field, str(value))
        return True

    # --- lookups ----------------------------------------------------------------------

    def entity_at(self, row: int) -> Entity | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def numbered(self, n: int) -> Entity | None:
        """Speaker #n (1-9) of the panel: the row shown with that number."""
        return next((e for e in self._rows if self._numbers.get(e.id) == n), None) if 1 <= n <= DIGITS else None

    def number_of(self, entity_id: int) -> int | None:
        """The digit of a speaker shown in the panel, or None."""
        number = self._numbers.get(entity_id)
        return number if number is not None and self.row_of(entity_id) >= 0 else None

    def mentioned_here(self, entity_id: int) -> bool:
        """True if the speaker has a mention in the shown document."""
        return self._here.get(entity_id, (0, 0))[0] > 0

    def project_mentions(self, entity_id: int) -> int:
        """Mentions of ``entity_id`` in the whole project (read now if the project-wide
        counts have not arrived yet)."""
        return self.counts.mentions(entity_id)

    def row_of(self, entity_id: int) -> int:
        return next((row for row, e in enumerate(self._rows) if e.id == entity_id), -1)
