"""Following the other windows: :meth:`ProjectSync.poll` notices the commits of other
connections to the project (a second window, the command line) through
``PRAGMA data_version`` and :meth:`ProjectSync.reload` re-reads the views from the store,
keeping the reader's place. It reads the project only through the store and tells the views
through the window's event bus (:class:`~annotator.ui.events.ProjectEvents`), so a new dock
needs nothing here."""
from __future__ import annotations

from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from annotator.ui.controller import Controller

RELOADED = "The project was changed by another window; reloaded"


class ProjectSync:
    """The refresh from other windows of a :class:`~annotator.ui.controller.Controller`,
    which owns it and delegates ``poll`` and ``reload`` to it.

    No signals of its own: it reports through the controller's ``message_posted`` and
    ``reloaded`` and the event bus's ``schema_changed``, ``document_opened`` (with
    ``reloaded=True``) and ``reloaded``. :meth:`mark_seen` takes the project's current data
    version as the window's own (after the window itself wrote, or showed another project)."""

    def __init__(self, controller: Controller):
        self.ctl = controller
        self._data_version: int | None = None
        self.mark_seen()

    def _version(self) -> int | None:
        try:
            return self.ctl.store.data_version()
        except Exception:  # noqa: BLE001 - closed, or unreadable: nothing to compare
            return None

    def mark_seen(self) -> None:
        self._data_version = self._version()

    def poll(self) -> bool:
        """Reload the views if another connection (a second window, the command line)
        committed a change since the last look (``PRAGMA data_version``). The undo history
        is kept: an undo whose rows the other connection changed is refused when it is asked
        for (``Store.apply`` checks it inside the write). Returns True if it reloaded.
        Waits while a write is under way or a cell or field of a panel is being edited
        (:meth:`ProjectEvents.editing <annotator.ui.events.ProjectEvents.editing>`)."""
        ctl = self.ctl
        if ctl.writing or ctl.events.editing():
            return False
        version = self._version()
        if version is None or version == self._data_version:
            return False
        self._data_version = version
        self.reload()
        ctl.message_posted.emit(RELOADED + ".")
        return True

    def reload(self) -> None:
        """Re-read the document list, the shown document's spans and the panels from the
        store, keeping the document, the cursor (and selection), the scroll position, the
        current annotation and the selected speaker where they still exist (the parts keep
        their own selections: see :class:`~annotator.ui.events.OpenedDocument`)."""
        ctl = self.ctl
        doc_id, view = ctl.doc_id, ctl.view
        place = view.place()
        current, last_claim = ctl.current, ctl.last_claim
        self._reload_schema()  # also forgets the store's cached texts (a restore elsewhere can
                               # bring back document ids with other texts)
        ctl.doc_ids = ids = ctl.store.document_ids()
        if doc_id not in ids:
            ctl.open_document(ids[0] if ids else None, reloaded=True)
            ctl.events.reloaded.emit()
            ctl.reloaded.emit()
            return
        ctl.open_document(doc_id, reloaded=True)
        if current is not None and current in view.index:
            ctl.set_current(current)
        ctl.last_claim = last_claim if last_claim is not None and last_claim in view.index else None
        ctl.events.reloaded.emit()
        view.restore_place(place)
        ctl.refresh_description()
        ctl.reloaded.emit()

    def _reload_schema(self) -> None:
        """Labels another window's import added to the project (the store reads its schema
        once, when opened)."""
        ctl = self.ctl
        try:
            changed = ctl.store.refresh()
        except Exception:  # noqa: BLE001 - unreadable (locked, damaged): keep the schema it has
            return
        if changed:
            ctl.events.schema_changed.emit(ctl.store.schema)
