"""The text view's subscription to the window's events (:mod:`annotator.ui.events`): it shows
each opened document, follows the spans of every Change that concern that document, and
marks the current annotation. Kept beside :mod:`annotator.ui.text_view` so that the view
itself stays a widget that is told what to show."""
from __future__ import annotations

from annotator.core.layers import in_layer, layer_spans
from annotator.core.model import ACCEPTED, Span
from annotator.core.store import Change
from annotator.ui.events import Current, OpenedDocument, ProjectEvents
from annotator.ui.text_view import AnnotatedTextView


class TextViewEvents:
    """Connects an :class:`AnnotatedTextView` to :class:`ProjectEvents` (connect it before
    the panels: they read the view's span index after a change).

    No signals of its own."""

    def __init__(self, view: AnnotatedTextView, events: ProjectEvents):
        self.view = view
        self.doc_id: int | None = None
        self.layer: str | None = None  # the annotator whose layer is shown (None: every layer)
        events.document_opened.connect(self.document_opened)
        events.change_applied.connect(self.change_applied)
        events.current_changed.connect(self.current_changed)

    def document_opened(self, opened: OpenedDocument) -> None:
        self.doc_id = opened.id
        self.view.set_document(opened.text, layer_spans(opened.spans, self.layer), opened.schema)

    def change_applied(self, change: Change) -> None:
        """Re-highlight only the spans of ``change`` in the shown document."""
        removed, changed = span_changes(change, self.doc_id, self.layer)
        if removed or changed:
            self.view.apply_span_changes(removed, changed)

    def current_changed(self, current: Current) -> None:
        if current.moved:
            try:
                self.view.set_current_span(current.span_id)
            except KeyError:  # in another annotator's layer than the one shown
                self.view.set_current_span(None)


def span_changes(change: Change, doc_id: int | None, layer: str | None = None) -> tuple[list[int], list[Span]]:
    """``(ids of the spans removed, spans added or changed as they are now)`` by ``change``
    in document ``doc_id``. The view shows accepted spans only: a span that becomes a
    suggestion or is rejected, or is not in ``layer`` (an annotator; None: every layer),
    counts as removed."""
    removed, changed = [], []
    for before, after in change.spans.pairs():
        if (after or before).document_id != doc_id:
            continue
        if after is None or after.status != ACCEPTED or not in_layer(after, layer):
            removed.append((after or before).id)
        else:
            changed.append(after)
    return removed, changed
