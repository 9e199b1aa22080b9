"""Keyboard navigation in the article view (:class:`~annotator.ui.text_view.AnnotatedTextView`):
word jumps that go a word at a time through CJK text (:func:`next_word_stop`,
:func:`word_jump`), and the caret margin that keeps the cursor's line clear of the view's top
and bottom edges (:func:`keep_caret_clear`).

Offsets are code points of the stored text; Qt positions are converted only through the
view's :class:`~annotator.core.offsets.OffsetMap`.
"""
from __future__ import annotations

import re

from PySide6.QtGui import QFont, QFontMetricsF, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from annotator.core.offsets import OffsetMap, word_at

CARET_MARGIN = 0.6  # of a line's height: the room kept between the cursor's line and the view's edges
# Han, Kana, Hangul, Bopomofo, CJK symbols and full-width forms: scripts written without
# spaces, where Qt's word jump runs to the end of the paragraph
_CJK = re.compile("[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u31ff\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff"
                  "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]")
_WORD_KEYS = (  # key -> (Qt's cursor move, extend the selection)
    (QKeySequence.StandardKey.MoveToNextWord, QTextCursor.MoveOperation.WordRight, False),
    (QKeySequence.StandardKey.MoveToPreviousWord, QTextCursor.MoveOperation.WordLeft, False),
    (QKeySequence.StandardKey.SelectNextWord, QTextCursor.MoveOperation.WordRight, True),
    (QKeySequence.StandardKey.SelectPreviousWord, QTextCursor.MoveOperation.WordLeft, True),
)


def caret_margin(font: QFont) -> int:
    """The caret margin, in pixels, for text in ``font``."""
    return round(QFontMetricsF(font).height() * CARET_MARGIN)


def next_word_stop(text: str, offset: int, qt_stop: int) -> int:
    """Where a word jump (Ctrl+Right / Ctrl+Left, with or without Shift) from code point
    ``offset`` ends, given ``qt_stop``, where Qt's own jump would end (its direction tells
    which way the jump goes: Qt swaps them in right-to-left paragraphs).

    Qt's jump is kept unless it crosses CJK text, which has no spaces (Qt then selects a
    whole Chinese paragraph in one step). There the jump follows
    :func:`annotator.core.offsets.word_at`: a Han character (or a Kana or Hangul run, a
    Latin word...) at a time, then the spaces after it (forwards); backwards, the spaces
    before, then to the start of that word. Latin text moves exactly as before: to the
    start of the next word, with the punctuation after a word (a closing quotation mark)."""
    low, high = sorted((offset, qt_stop))
    if low == high or not _CJK.search(text, low, high):
        return qt_stop
    n = len(text)
    if qt_stop > offset:
        at = offset
        if not text[at].isspace():
            at = max(word_at(text, at)[1], at + 1)
        while at < n and text[at].isspace():
            at += 1
        return min(at, n)
    at = offset
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return word_at(text, at - 1)[0] if at > 0 else 0


def word_jump(view: QPlainTextEdit, event: QKeyEvent, text: str, omap: OffsetMap) -> bool:
    """Ctrl+Right / Ctrl+Left (with Shift: extend the selection) in ``view``, which shows
    ``text``, by :func:`next_word_stop`. Extending never takes only the spaces between two
    words: from the end of a word (where a mark leaves the caret) Ctrl+Shift+Right takes the
    next word with them. False for other keys (Qt handles them)."""
    for keys, operation, extend in _WORD_KEYS:
        if event.matches(keys):
            break
    else:
        return False
    cursor = view.textCursor()
    probe = QTextCursor(cursor)
    probe.clearSelection()
    probe.movePosition(operation)  # where Qt would go (and which way, in this paragraph)
    offset = omap.from_qt(cursor.position())
    stop = next_word_stop(text, offset, omap.from_qt(probe.position()))
    if extend and stop != offset and text[min(offset, stop):max(offset, stop)].isspace():
        probe.movePosition(operation)  # from a word's end (after a mark): the next word too, not only the space
        stop = next_word_stop(text, stop, omap.from_qt(probe.position()))
    mode = QTextCursor.MoveMode.KeepAnchor if extend else QTextCursor.MoveMode.MoveAnchor
    cursor.setPosition(omap.to_qt(stop), mode)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    event.accept()
    return True


def keep_caret_clear(view: QPlainTextEdit, margin: int) -> None:
    """Scroll ``view`` by whole lines until the cursor's line is ``margin`` pixels away from
    the bottom and the top of the view (as far as the scroll bar goes): Qt's own scrolling
    stopped with the line at the edge, often cut in half."""
    bar, height = view.verticalScrollBar(), view.viewport().height()
    if height < 3 * margin + view.cursorRect().height() or not view.viewport().rect().intersects(view.cursorRect()):
        return  # a view this small has no room for margins; a caret out of view is not followed
    for _ in range(50):
        if view.cursorRect().bottom() < height - margin or bar.value() >= bar.maximum():
            break
        bar.setValue(bar.value() + 1)
    for _ in range(50):
        if view.cursorRect().top() >= margin or bar.value() <= bar.minimum():
            break
        bar.setValue(bar.value() - 1)
