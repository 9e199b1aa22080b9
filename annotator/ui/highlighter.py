"""Paints a document's spans over a QTextDocument with a QSyntaxHighlighter.

The highlighter never edits the document: formats live in each block's layout
(``QTextLayout.formats``), so they neither enter the undo stack nor mark the document
modified (``mergeCharFormat`` would do both).

Units: spans and :meth:`SpanHighlighter.rehighlight_range` use code points of the stored
text; ``setFormat`` and block positions are Qt UTF-16 positions. All conversions go through
:class:`annotator.core.offsets.OffsetMap`, once per block.

Looks, by the label's ``style`` in the schema:

* ``background`` (claim): a light tint of the label colour; nested claims get a stronger
  tint;
* ``underline`` (speaker): an underline and text in the label colour (Qt has no
  underline thickness: SingleUnderline);
* ``box`` (cue): bold text in a darker label colour, dotted underline unless a speaker
  underline is there;
* the current span: a much stronger tint of its colour and, for an underline, a wave;
* the spans linked to the current one (issue 10, "links visible"): for a current claim its
  source mention and its cue, for a current cue or mention the claims that use it: a
  background tint of their own colour (:data:`_TINT_LINKED`), over any claim tint;
* a speaker mention nested inside another (a name inside a longer mention): the inner
  stretch also gets a light tint of the speaker colour, so two underlines do not read as one;
* suggestions (:meth:`SpanHighlighter.set_suggestions`, spans with status "suggested"):
  a pale tint and a dashed underline of the label colour, under any annotation's look; the
  current suggestion a stronger tint.

Overlapping spans combine (a speaker inside a claim: claim background + speaker underline).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.core.errors import InputError
from annotator.core.model import CLAIM, SUGGESTED, Span
from annotator.core.offsets import OffsetMap
from annotator.core.schema import Schema
from annotator.core.span_index import SpanIndex

__all__ = ["SpanHighlighter", "tint"]

BACKGROUND, UNDERLINE, BOX = "background", "underline", "box"
_FALLBACK = (BACKGROUND, "#999999")  # a label the schema does not know
_TINT, _TINT_NESTED, _TINT_CURRENT, _TINT_CURRENT_MARK = 0.35, 0.55, 0.80, 0.22
_TINT_SUGGESTED, _TINT_SUGGESTED_CURRENT = 0.15, 0.45
_TINT_LINKED, _TINT_NESTED_MENTION = 0.60, 0.28


def tint(color: QColor, amount: float) -> QColor:
    """``color`` mixed with white: ``amount`` 0 gives white, 1 the colour itself."""
    return QColor.fromRgbF(
        1 - (1 - color.redF()) * amount,
        1 - (1 - color.greenF()) * amount,
        1 - (1 - color.blueF()) * amount,
    )


class SpanHighlighter(QSyntaxHighlighter):
    """Highlights the spans of a :class:`SpanIndex` in ``document``.

    Call :meth:`set_source` before (or instead of) ``setPlainText`` so the pass Qt runs
    over the new text uses the new spans. After span edits call :meth:`rehighlight_range`
    with the old and new extents; it redoes only the blocks that cover them.
    ``highlight_calls`` counts ``highlightBlock`` calls (for tests and benchmarks).
    """

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._index = SpanIndex()
        self._omap = OffsetMap("")
        self._styles: dict[str, tuple[str, QColor]] = {}
        self._schema: Schema | None = None
        self._current: int | None = None
        self._formats: dict[tuple, QTextCharFormat] = {}
        self._suggested = SpanIndex()  # drawn apart (dashed, paler): annotator.ui.suggestions
        self._current_suggestion: int | None = None
        self._linked: set[int] = set()  # spans linked to the current one, drawn tinted
        self._claims_of: dict[int, set[int]] = {}  # cue / source span id -> ids of the claims linking it
        self.highlight_calls = 0

    # -- state ----------------------------------------------------------------------------

    def set_source(self, index: SpanIndex, omap: OffsetMap, schema: Schema | None) -> None:
        """Use these spans, this text's offset map and this schema's label styles.

        Does not rehighlight: the caller sets the text next (or calls ``rehighlight``)."""
        self._index, self._omap, self._schema = index, omap, schema
        self._suggested, self._current_suggestion = SpanIndex(), None
        self._styles.clear()
        self._formats.clear()
        self._linked = set()
        self._claims_of = {}
        for span in index:
            self._link(span, 1)

    def _link(self, span: Span, sign: int) -> None:
        """Enter (``sign`` 1) or remove (-1) a claim's links in the reverse map."""
        if span.label != CLAIM:
            return
        for target in (span.source_id, span.cue_id):
            if target is None:
                continue
            if sign > 0:
                self._claims_of.setdefault(target, set()).add(span.id)
            else:
                claims = self._claims_of.get(target)
                if claims is not None:
                    claims.discard(span.id)
                    if not claims:
                        del self._claims_of[target]

    def spans_changed(self, removed: list[Span], added: list[Span]) -> None:
        """The view's spans changed (``removed``: as they were, ``added``: as they are now;
        a changed span is in both): keep the links and redraw those of the current span.
        Costs the changed spans, not the document's."""
        for span in removed:
            self._link(span, -1)
        for span in added:
            self._link(span, 1)
        if self._current is not None or self._linked:
            self._relink()

    def linked_ids(self) -> set[int]:
        """The spans drawn as linked to the current span."""
        return set(self._linked)

    def _relink(self) -> None:
        current = self._index.get(self._current) if self._current is not None else None
        if current is None:
            linked: set[int] = set()
        elif current.label == CLAIM:
            linked = {i for i in (current.source_id, current.cue_id) if i is not None and i in self._index}
        else:
            linked = set(self._claims_of.get(current.id, ()))
        linked.discard(self._current)
        old, self._linked = self._linked, linked
        for sid in old ^ linked:
            span = self._index.get(sid)
            if span is not None:
                self.rehighlight_span(span)

    @property
    def current_span_id(self) -> int | None:
        return self._current

    def set_current(self, span_id: int | None) -> None:
        """Mark ``span_id`` as the current span; rehighlights the old and the new one."""
        old, self._current = self._current, span_id
        for sid in (old, span_id):
            span = self._index.get(sid) if sid is not None else None
            if span is not None:
                self.rehighlight_span(span)
        self._relink()

    def set_suggestions(self, index: SpanIndex, current: int | None = None) -> None:
        """Draw the suggested spans of ``index`` (of the text shown), ``current`` the
        current suggestion. Does not rehighlight: the caller rehighlights the extents."""
        self._suggested, self._current_suggestion = index, current

    # -- incremental repaint ----------------------------------------------------------------

    def rehighlight_span(self, span: Span) -> None:
        """Rehighlight the blocks of each fragment of ``span`` (not its gaps)."""
        for a, b in span.fragments:
            self.rehighlight_range(a, b)

    def rehighlight_range(self, start_cp: int, end_cp: int) -> None:
        """Rehighlight only the blocks covering code points ``[start_cp, end_cp)``.

        Clamped to the text. Cost: a ``findBlock`` (O(log blocks)) and one
        ``highlightBlock`` per covered block."""
        doc = self.document()
        if doc is None:
            return
        n = self._omap.cp_length
        start_cp, end_cp = max(0, min(start_cp, n)), max(0, min(end_cp, n))
        qa, qb = self._omap.range_to_qt(min(start_cp, end_cp), max(start_cp, end_cp))
        block = first = doc.findBlock(qa)
        while block.isValid() and (block == first or block.position() < qb):
            self.rehighlightBlock(block)
            block = block.next()

    # -- painting ---------------------------------------------------------------------------

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        """Qt calls this for each block that needs formats. ``text`` is not used: its
        length is in code points while ``setFormat`` wants UTF-16 positions."""
        self.highlight_calls += 1
        block = self.currentBlock()
        qpos = block.position()
        omap = self._omap
        bs = omap.from_qt(qpos)
        be = omap.from_qt(min(qpos + block.length() - 1, omap.qt_length))
        spans = self._index.overlapping(bs, be)
        index = self._index  # a suggestion just accepted is drawn once, as an annotation
        spans += [s for s in self._suggested.overlapping(bs, be) if s.id not in index]
        if not spans:
            return
        # Sweep over the block: events (Qt position in block, -1 end / +1 start, span id).
        by_id = {span.id: span for span in spans}
        events: list[tuple[int, int, int]] = []
        for span in spans:
            for a, b in span.fragments:
                a, b = max(a, bs), min(b, be)
                if a < b:
                    events.append((omap.to_qt(a) - qpos, 1, span.id))
                    events.append((omap.to_qt(b) - qpos, -1, span.id))
        events.sort()
        active: dict[int, Span] = {}
        prev = 0
        for pos, kind, sid in events:
            if pos > prev and active:
                self.setFormat(prev, pos - prev, self._format_for(active.values()))
            prev = pos
            if kind > 0:
                active[sid] = by_id[sid]
            else:
                del active[sid]

    def _style(self, label: str) -> tuple[str, QColor]:
        style = self._styles.get(label)
        if style is None:
            name, color = _FALLBACK
            if self._schema is not None:
                try:
                    ldef = self._schema.label(label)
                    name, color = ldef.style, ldef.color
                except InputError:
                    pass
            style = self._styles[label] = (name if name in (UNDERLINE, BOX) else BACKGROUND, QColor(color))
        return style

    def _format_for(self, spans) -> QTextCharFormat:
        """The combined format for a segment covered by ``spans`` (cached by look)."""
        backgrounds: list[str] = []
        underline = box = current = linked = None
        current_style = suggested = None
        underlines = 0
        for span in spans:
            style, color = self._style(span.label)
            name = color.name()
            if span.status == SUGGESTED:
                if suggested is None or span.id == self._current_suggestion:
                    suggested = (name, span.id == self._current_suggestion)
                continue
            if span.id == self._current:
                current, current_style = name, style
            elif span.id in self._linked:
                linked = name
            if style == UNDERLINE:
                underlines += 1
                underline = name if underline is None or span.id == self._current else underline
            elif style == BOX:
                box = name
            else:
                backgrounds.append(name)
        key = (tuple(sorted(backgrounds)), underline, box, current, current_style, suggested, linked, underlines > 1)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = _build_format(*key)
        return fmt


def _build_format(backgrounds, underline, box, current, current_style, suggested=None, linked=None,
                  nested_mention=False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if suggested is not None:
        color = QColor(suggested[0])
        fmt.setBackground(tint(color, _TINT_SUGGESTED_CURRENT if suggested[1] else _TINT_SUGGESTED))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        fmt.setUnderlineColor(color)
    if backgrounds:
        colors = [QColor(c) for c in backgrounds]
        if current_style == BACKGROUND:
            base, amount = QColor(current), _TINT_CURRENT
        else:
            base = colors[0]
            amount = _TINT if len(colors) == 1 else _TINT_NESTED
        fmt.setBackground(tint(base, amount))
    elif current is not None:
        fmt.setBackground(tint(QColor(current), _TINT_CURRENT_MARK))
    elif nested_mention and underline is not None:
        fmt.setBackground(tint(QColor(underline), _TINT_NESTED_MENTION))
    if linked is not None:  # over a claim's tint: the cue inside the current claim shows
        fmt.setBackground(tint(QColor(linked), _TINT_LINKED))
    if box is not None:
        fmt.setFontWeight(QFont.Weight.Bold)
        fmt.setForeground(QColor(box).darker(150))
        if underline is None:
            style = QTextCharFormat.UnderlineStyle
            fmt.setUnderlineStyle(style.WaveUnderline if current_style == BOX else style.DotLine)
            fmt.setUnderlineColor(QColor(box))
    if underline is not None:
        style = QTextCharFormat.UnderlineStyle
        fmt.setUnderlineStyle(style.WaveUnderline if current_style == UNDERLINE else style.SingleUnderline)
        fmt.setUnderlineColor(QColor(underline))
        if box is None:
            fmt.setForeground(QColor(underline).darker(130))
    return fmt
