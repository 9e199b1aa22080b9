"""The window's review loop over suggestions (spans with status "suggested" in the store).

:class:`SuggestionReview` follows the event bus (:class:`~annotator.ui.events.ProjectEvents`)
like a dock: it keeps the shown document's suggestions in a :class:`SpanIndex` apart from
the view's annotations, has the highlighter draw them apart (dashed, paler:
:meth:`~annotator.ui.highlighter.SpanHighlighter.set_suggestions`), and holds the current
suggestion. Its methods are the handlers of the review keys (:mod:`annotator.ui.actions`):
next / previous suggestion, accept, accept only the span, reject, accept all. After
accepting or rejecting, the next suggestion is current: the review is ``.`` once to reach
the first suggestion, then ``A`` / ``R`` repeatedly; ``.`` skips the current one. Accepting and
rejecting run the Qt-free operations of :mod:`annotator.core.review` through
``Controller.run`` (the write path and the undo stack), so they undo and redo like any edit.

The score filter (``min_score``) limits what is reviewed: the Suggestions dock's list, the
suggestions drawn in the article, next / previous, a click, and "accept all" (which leaves
the suggestions below the filter, and the cues and mentions of their claims, as they are).
A suggestion without a score always passes.

A click on the article (the view's ``clicked(offset)``) makes the suggestion there current
(the innermost first; a second click on the same point passes to the next enclosing one),
without moving the cursor; a click where there is none leaves no suggestion current.

Signals: ``changed()`` (the list, its counts or the filter changed) and
``current_changed(int)`` (the current suggestion's span id, -1 for none).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.core import review
from annotator.core.model import SUGGESTED, Span
from annotator.core.span_index import SpanIndex
from annotator.core.store import Change
from annotator.ui.events import OpenedDocument, ProjectEvents

# The review loop (README "Reviewing suggestions"): after A, Shift+A or R the next suggestion
# is current already, so A / R are pressed repeatedly; "." passes over the current one (skips
# it: it stays a suggestion).
KEYS_HINT = "A accept, Shift+A accept only the span, R reject, . skip"
MERGE_GAP = 2000  # code points: suggestions closer than this are rehighlighted as one range


class SuggestionReview(QObject):
    """Review of the shown document's suggestions for ``controller`` (its store, view and
    write path); build it after the window's :class:`~annotator.ui.text_view_events.TextViewEvents`
    so that the view has the new text when the suggestions are drawn."""

    changed = Signal()
    current_changed = Signal(int)

    def __init__(self, controller, events: ProjectEvents, parent: QObject | None = None):
        super().__init__(parent)
        self.controller = controller
        self.doc_id: int | None = None
        self.index = SpanIndex()  # every suggestion of the shown document
        self.drawn = SpanIndex()  # those the score filter lets through (drawn, listed, reviewed)
        self.current: int | None = None
        self.min_score: float | None = None
        self.busy = False  # suggestions are being written (annotator.ui.auto_suggest): decisions wait
        events.document_opened.connect(self._document_opened)
        events.change_applied.connect(self._change_applied)
        controller.view.clicked.connect(self._clicked)

    # --- what there is --------------------------------------------------------------------

    @property
    def highlighter(self):
        return self.controller.view.highlighter

    def shown(self) -> list[Span]:
        """The suggestions the filter lets through, in text order."""
        return list(self.drawn)

    def passes(self, span: Span) -> bool:
        """True if the score filter lets ``span`` through (a span without a score always)."""
        return self.min_score is None or span.score is None or span.score >= self.min_score

    def hidden_count(self) -> int:
        """How many suggestions of the document the score filter hides."""
        return len(self.index) - len(self.drawn)

    def waiting_text(self) -> str:
        """The status line's count: ``3 suggestions waiting`` (``, 1 below the score filter``);
        "" when the document has none."""
        total, hidden = len(self.index), self.hidden_count()
        if not total:
            return ""
        text = f"{total} suggestion{'s' * (total != 1)} waiting"
        return text + (f", {hidden} below the score filter" if hidden else "")

    def set_min_score(self, value: float | None) -> None:
        """Review only suggestions scored at least ``value`` (None: all): list, draw and go to
        those alone. A current suggestion that no longer passes stops being current."""
        self.min_score = value
        before = {s.id for s in self.drawn}
        self.drawn = SpanIndex(s for s in self.index if self.passes(s))
        if self.current is not None and self.current not in self.drawn:
            self.current = None
            self.current_changed.emit(-1)
        self.highlighter.set_suggestions(self.drawn, self.current)
        self._redraw([s for s in self.index if (s.id in before) != (s.id in self.drawn)])
        self.changed.emit()

    def _redraw(self, spans) -> None:
        """Rehighlight the text of ``spans``: their fragments merged into ranges (two less
        than :data:`MERGE_GAP` code points apart are one range), so that a block holding
        many of them is highlighted once, not once per span. It saves little when each
        suggestion has a paragraph of its own (2,523 suggested spans written into a 300 kB
        article of 2,519 short paragraphs: 2,624 block passes before, 2,519 now)."""
        frags = sorted(f for span in spans for f in span.fragments)
        ranges: list[list[int]] = []
        for a, b in frags:
            if ranges and a - ranges[-1][1] < MERGE_GAP:
                ranges[-1][1] = max(ranges[-1][1], b)
            else:
                ranges.append([a, b])
        for a, b in ranges:
            self.highlighter.rehighlight_range(a, b)

    # --- following the project ------------------------------------------------------------

    def _document_opened(self, opened: OpenedDocument) -> None:
        self.doc_id = opened.id
        store = self.controller.store
        spans = store.spans(opened.id, statuses=(SUGGESTED,)) if opened.id is not None else []
        self.index = SpanIndex(spans)
        self.drawn = SpanIndex(s for s in spans if self.passes(s))
        self.current = None
        self.highlighter.set_suggestions(self.drawn)
        self._redraw(self.drawn)
        self.changed.emit()
        self.current_changed.emit(-1)

    def _change_applied(self, change: Change) -> None:
        """Follow the suggestions that ``change`` added, changed, accepted or rejected."""
        touched, redraw = False, []
        for before, after in change.spans.pairs():
            span = after or before
            if span.document_id != self.doc_id:
                continue
            if span.id in self.index:
                self.index.remove(span.id)
                if span.id in self.drawn:
                    redraw.append(self.drawn.remove(span.id))
                touched = True
            if after is not None and after.status == SUGGESTED:
                self.index.add(after)
                if self.passes(after):
                    self.drawn.add(after)
                    redraw.append(after)
                touched = True
        self._redraw(redraw)
        if touched:
            if self.current is not None and self.current not in self.drawn:
                self._set_current(None)
            self.changed.emit()

    # --- the current suggestion ------------------------------------------------------------

    def current_span(self) -> Span | None:
        return self.drawn.get(self.current) if self.current is not None else None

    def _set_current(self, span_id: int | None) -> None:
        old, self.current = self.current, span_id
        self.highlighter.set_suggestions(self.drawn, span_id)
        for sid in (old, span_id):
            span = self.drawn.get(sid) if sid is not None else None
            if span is not None:
                self.highlighter.rehighlight_span(span)
        self.current_changed.emit(-1 if span_id is None else span_id)

    def go_to(self, span_id: int) -> None:
        """Make suggestion ``span_id`` current, put the cursor on it and describe it."""
        span = self.drawn.get(span_id)
        if span is None:
            return
        self._set_current(span_id)
        view = self.controller.view
        view.set_cursor(span.start)
        view.scroll_to(span.start)
        self.controller.message_posted.emit(self.describe(span))

    def _clicked(self, offset: int) -> None:
        """A click at code point ``offset``: the suggestion there becomes current (the
        shortest first, then the next enclosing one at each click), described in the status
        bar; the cursor stays where the click put it. No suggestion there: none is current."""
        here = self.drawn.at(offset)  # innermost first
        if not here:
            if self.current is not None:
                self._set_current(None)
            return
        ids = [s.id for s in here]
        pick = ids[(ids.index(self.current) + 1) % len(ids)] if self.current in ids else ids[0]
        self._set_current(pick)
        self.controller.message_posted.emit(self.describe(self.drawn.get(pick)))

    def describe(self, span: Span) -> str:
        """``Suggested claim: “…” — rule:direct-quote, score 0.90 (A accept, …)``."""
        line = self.controller.describe(span)
        where = span.origin or "unknown origin"
        score = "" if span.score is None else f", score {span.score:.2f}"
        return f"Suggested {line[:1].lower()}{line[1:]} — {where}{score} ({KEYS_HINT})"

    # --- the keys ---------------------------------------------------------------------------

    def next_suggestion(self, step: int = 1) -> None:
        """Make the next (``step`` 1) or previous (-1) suggestion current, from the current
        suggestion or else from the cursor."""
        spans = self.shown()
        if not spans:
            self.controller.message_posted.emit("No suggestions in this document.")
            return
        ids = [s.id for s in spans]
        if self.current in ids:
            at = ids.index(self.current) + step
        else:
            cursor = self.controller.view.cursor_offset()
            after = [i for i, s in enumerate(spans) if s.start >= cursor]
            at = (after[0] if after else len(spans)) if step > 0 else (after[0] if after else len(spans)) - 1
        if 0 <= at < len(spans):
            self.go_to(ids[at])
        else:
            self.controller.message_posted.emit("No more suggestions this way.")

    def _busy(self) -> bool:
        if self.busy:
            self.controller.message_posted.emit("Suggestions are being written: accept and reject in a moment.")
        return self.busy

    def _decide(self, operation) -> None:
        if self._busy():
            return
        span = self.current_span()
        if span is None:
            self.controller.message_posted.emit("No current suggestion: press . (period) to reach one.")
            return
        if self.controller.run(operation, span.id) is not None:
            self._after(span.start)

    def _after(self, offset: int) -> None:
        """Go on to the first suggestion at or after ``offset`` (else none is current)."""
        nxt = next((s for s in self.shown() if s.start >= offset), None)
        if nxt is not None:
            self.go_to(nxt.id)
        else:
            self._set_current(None)
            self.controller.message_posted.emit("No more suggestions after this one.")

    def accept_suggestion(self) -> None:
        """Accept the current suggestion with its cue, source and speaker (one undo step)."""
        self._decide(review.accept_suggestion)

    def accept_span_only(self) -> None:
        """Accept the current suggestion alone (a claim's links to suggestions are dropped)."""
        self._decide(review.accept_span_only)

    def reject_suggestion(self) -> None:
        """Reject the current suggestion: kept as rejected, hidden, not proposed again."""
        self._decide(review.reject_suggestion)

    def accept_all_suggestions(self) -> None:
        """Accept every suggestion of the shown document that the score filter lets through
        (one undo step; :func:`annotator.core.review.accept_all`)."""
        if self._busy():
            return
        if self.doc_id is None or not len(self.drawn):
            self.controller.message_posted.emit("No suggestions in this document.")
            return
        before = len(self.index)
        if self.controller.run(review.accept_all, self.doc_id, self.min_score) is not None:
            self._set_current(None)
            left = len(self.index)
            self.controller.message_posted.emit(
                f"Accepted {before - left} suggestions." + (f" {left} below the score filter left." if left else ""))
