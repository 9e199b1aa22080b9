"""Right-to-left paragraphs in the article view: :class:`BidiLayout` aligns each one to the
right, and :func:`relaid_document` gives the view a document with that layout only when its
text has right-to-left characters (:func:`has_rtl`)."""
from __future__ import annotations

import re

from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

# strong right-to-left characters (Hebrew, Arabic, Syriac, Thaana, N'Ko... and the RLM,
# RLE, RLO, RLI marks): a text without any lays out with Qt's own layout
_RTL = re.compile("[\u0590-\u08ff\u200f\u202b\u202e\u2067\ufb1d-\ufdff\ufe70-\ufefe"
                  "\U00010800-\U00010fff\U0001e800-\U0001efff]")


def has_rtl(text: str) -> bool:
    """True if ``text`` has a strong right-to-left character."""
    return _RTL.search(text) is not None


class BidiLayout(QPlainTextDocumentLayout):
    """The plain-text layout, with each right-to-left paragraph aligned to the right.

    ``QPlainTextDocumentLayout`` lays every block out with the document's default
    QTextOption, whose leading alignment (``AlignLeft`` without ``AlignAbsolute``, which is
    the default already, with direction auto) it never resolves per paragraph: a Hebrew or
    Arabic paragraph stood at the left. Alignment is applied when lines are drawn and hit
    (not when they are broken), so this sets the option of a right-to-left block's layout
    whenever its geometry is asked for (painting, cursor rectangles and hit tests all ask
    first). Line breaks, heights and offsets are untouched.

    A Python subclass makes Qt's layout of every block slower (about 80 ms more per MB),
    so the view uses it only for a text with right-to-left characters. No signals."""

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:  # noqa: N802 - Qt override
        rect = super().blockBoundingRect(block)
        if block.textDirection() == Qt.LayoutDirection.RightToLeft:
            layout = block.layout()
            option = layout.textOption()
            if not option.alignment() & Qt.AlignmentFlag.AlignRight:
                option.setAlignment(Qt.AlignmentFlag.AlignRight)
                layout.setTextOption(option)
        return rect


def relaid_document(old: QTextDocument, bidi: bool, parent: QObject) -> QTextDocument | None:
    """A new, empty document with ``old``'s settings, laid out with :class:`BidiLayout`
    (``bidi``) or Qt's own layout; None when ``old`` already has that kind of layout."""
    if isinstance(old.documentLayout(), BidiLayout) == bidi:
        return None
    document = QTextDocument(parent)
    document.setDocumentLayout(BidiLayout(document) if bidi else QPlainTextDocumentLayout(document))
    document.setDefaultFont(old.defaultFont())
    document.setDefaultTextOption(old.defaultTextOption())
    document.setDocumentMargin(old.documentMargin())
    return document
