"""The F1 help sheet, generated from :mod:`annotator.ui.actions` so it never drifts from
the real keys: a short "how to annotate" text, then every action with its keys by menu."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from annotator.core.schema import Schema
from annotator.ui.actions import ActionDef, shortcut_text

HOW_TO = """
<h2>How to annotate</h2>
<ol>
<li><b>Select</b> words in the article: drag with the mouse, double-click a word, or move
the cursor with the arrow keys and hold <b>Shift</b> to extend: <b>Shift+Right</b> /
<b>Shift+Left</b> by a character, <b>Ctrl+Shift+Right</b> / <b>Ctrl+Shift+Left</b> by a
word (a word jump takes the punctuation after the word with it, such as a closing
quotation mark: Shift+Left gives it back; in Chinese and Japanese text, which has no
spaces, it goes a character or a Kana or Hangul word at a time). Selections snap to whole
words; press <b>W</b> to turn that off. While you select, the status line shows exactly what will be marked:
<i>Selection: “…”</i>. Spaces at either end are never part of a mark.</li>
<li><b>Mark</b> the selection: {labels}.</li>
<li>A new speaker mention joins the speaker whose name or alias is the same text, else the
speaker named inside it ("U.S. Secretary of State Antony Blinken" joins Antony Blinken),
or starts a new one (rename it with F2 in the Speakers panel). To mark a pronoun or
description ("the minister", "he") as a mention of speaker <i>#n</i> of the Speakers panel,
select it and press the digit <b>n</b>. When an article opens, its speakers are numbered in
the order of their first mention, then the project's other speakers (in grey) by name; a
speaker marked later gets the next free digit, and nobody is renumbered while the article
stays open. <i>This document only</i> in the Speakers panel hides (and leaves unnumbered)
the speakers the article does not mention.</li>
<li><b>Attribute</b> a claim: with the claim current and nothing selected, press the digit of
its speaker. The nearest mention of that speaker becomes its source, the nearest cue of its
paragraph its cue (a free one first; a cue may introduce several claims).</li>
<li><b>Link</b> by hand: make the claim current, then its speaker mention or cue (<b>]</b> /
<b>[</b> or a click; or leave the claim current and move the cursor onto the mention or cue
with the arrow keys), and press <b>L</b>: the mention becomes the claim's source (and its
speaker the claim's speaker), the cue its cue. The status line says what L would do.
<b>Shift+L</b> clears the current claim's source and cue.</li>
<li>Give the claim its <b>polarity</b> ({polarity}; the same key again clears it), cycle
its form and intensity, type its target.</li>
<li><b>]</b> and <b>[</b> step through the annotations; <b>Delete</b> removes the current one.
Mark the document's own polarity with Shift and the polarity key, and press Ctrl+D when
the article is done (again: back to in progress). A new article is "in progress" from its
first annotation on.</li>
</ol>
<p>Every edit is saved at once (there is no Save); Ctrl+Z undoes, Ctrl+Shift+Z redoes.
A copy of the project is kept when it opens and every 10 minutes while you edit (File &gt;
Back Up Now makes one at once); File &gt; Restore from Backup brings one back. When another
program holds the project, an edit asks to Retry or Cancel; it is never lost silently. A
project that cannot be written opens read-only, with a yellow bar saying why.
Single keys (letters, digits, brackets, Delete, Escape) work while the article has the
keyboard focus: click it, or a claim or mention in a panel, to give it the focus.</p>
"""


def help_html(defs: list[ActionDef], schema: Schema) -> str:
    """The help sheet as HTML."""
    labels = ", ".join(f"<b>{escape(lab.key)}</b> {escape(lab.title.lower())}" for lab in schema.labels)
    keys = schema.attribute_keys.get("polarity") or {}
    polarity = ", ".join(f"<b>{escape(k)}</b> {escape(v)}" for v, k in keys.items())
    parts = [HOW_TO.format(labels=labels, polarity=polarity), "<h2>Keys</h2>"]
    menu = None
    for d in defs:
        top = d.menu.split("/")[0]
        if top != menu:
            if menu is not None:
                parts.append("</table>")
            menu = top
            parts.append(f"<h3>{escape(top)}</h3><table cellspacing='0' cellpadding='3'>")
        keys_text = escape(shortcut_text(d)) or "—"
        parts.append(f"<tr><td width='130'><b>{keys_text}</b></td><td width='220'>{escape(d.text.replace('&', ''))}</td>"
                     f"<td>{escape(d.help)}</td></tr>")
    parts.append("</table>")
    return "\n".join(parts)


class HelpDialog(QDialog):
    """A non-modal window with the help sheet (F1)."""

    def __init__(self, defs: list[ActionDef], schema: Schema, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("help_dialog")
        self.setWindowTitle("Annotator — Keyboard Help")
        self.resize(820, 680)
        self.browser = QTextBrowser(self)
        self.browser.setHtml(help_html(defs, schema))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
