"""Every action of the window, declared once as data (after Picard's ``actions.py``).

:func:`action_defs` lists them for a schema (label, polarity, form and intensity keys come
from the schema file); the main window builds menus from them, :func:`create_actions` turns
them into QActions wired to the controller's handler methods, and the F1 help sheet is
generated from the same list, so menus, keys and help never drift apart.

Single keys without Ctrl/Alt (S, P, 1, ], Delete, Escape ...) are *text-scoped*: their
QActions have ``Qt.WidgetWithChildrenShortcut`` context and are added to the article view's
container, so they work while the article has the focus and never steal keys typed into the
panels' editors. The others are window-wide.

Actions that change the project (``ActionDef.edits``: everything in the Annotate menu,
delete, undo, redo, import, restore) are turned off while the project is read-only;
navigation, export, backups and help stay.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from annotator.core.schema import Schema

MENUS = ("File", "Edit", "Annotate", "Navigate", "View", "Help")


@dataclass(frozen=True)
class ActionDef:
    """One action. ``menu`` is a menu title, or "Title/Submenu"; ``handler`` names a method
    of the controller, called with ``args`` (and, for checkable actions, the new state);
    ``text_scope`` marks single-key shortcuts that only work while the article has focus;
    ``edits``: the action changes the project (off in a read-only project)."""

    id: str
    text: str
    menu: str
    handler: str
    help: str
    shortcuts: tuple[str, ...] = ()
    args: tuple = ()
    text_scope: bool = False
    checkable: bool = False
    separator_before: bool = False
    edits: bool = False
    icon: str = ""  # resources/icons/actions/<icon>.svg ("" none), see annotator.ui.icons


def _single_key(shortcuts: tuple[str, ...]) -> bool:
    """True if a shortcut is a key without Ctrl / Alt / Meta that is not F1..F12."""
    return any(not re.search(r"Ctrl\+|Alt\+|Meta\+", s) and not re.fullmatch(r"(Shift\+)?F\d+", s) for s in shortcuts)


def action_defs(schema: Schema) -> list[ActionDef]:
    """All actions, in menu order, with keys taken from ``schema``."""
    A = ActionDef
    defs = [
        A("new_project", "&New Project…", "File", "new_project", "Create an empty project file and open it", ("Ctrl+N",)),
        A("open_project", "&Open Project…", "File", "open_project", "Open another project file", ("Ctrl+O",)),
        A("import", "&Import Articles…", "File", "import_files", "Add .txt / .md articles or annotated files to the project "
          "(all or nothing: a bad file refuses the import, and the window offers to skip it)",
          ("Ctrl+I",), separator_before=True),
        A("import_folder", "Import &Folder…", "File", "import_folder",
          "Add every article of a folder and its subfolders, or a brat collection", ("Ctrl+Shift+I",)),
        A("merge_projects", "&Merge Projects…", "File", "merge_projects",
          "Bring other projects' annotator layers into this one (documents matched by text; nothing "
          "overwritten; conflicts listed; one undo step per project), as 'annotator merge' does"),
        A("export", "&Export…", "File", "export",
          "Export every document (the format follows the extension typed, else the chosen file type)",
          ("Ctrl+E",), args=(None,)),
        A("backup_now", "&Back Up Now", "File", "backup_now",
          "Save a copy of the project in its backups folder now (copies are also made when the project "
          "opens and every 10 minutes while you edit)", separator_before=True),
        A("restore_backup", "&Restore from Backup…", "File", "restore_from_backup_dialog",
          "Replace the project's content by one of its backups (the current content is backed up first)"),
        A("quit", "&Quit", "File", "quit", "Close the window (every edit is already saved)", ("Ctrl+Q",), separator_before=True),
        A("undo", "&Undo", "Edit", "undo", "Undo the last edit", ("Ctrl+Z",)),
        A("redo", "&Redo", "Edit", "redo", "Redo the edit just undone", ("Ctrl+Shift+Z", "Ctrl+Y")),
        A("delete_span", "&Delete Annotation", "Edit", "delete_current", "Delete the current annotation",
          ("Delete",), separator_before=True),
        A("escape", "&Clear Selection", "Edit", "clear_selection", "Clear the text selection and the current annotation",
          ("Escape",)),
        A("find", "&Find…", "Edit", "show_find", "Find in the document: every hit highlighted; Enter / F3 next, "
          "Shift+F3 previous; Escape returns to the article with the hit selected (S / Q / C mark it)",
          ("Ctrl+F",), separator_before=True),
        A("find_next", "Find &Next", "Edit", "find_next", "Select the next hit of the find bar", ("F3",)),
        A("find_previous", "Find Pre&vious", "Edit", "find_previous", "Select the previous hit of the find bar",
          ("Shift+F3",)),
        A("search_project", "&Search Project…", "Edit", "show_search", "Search every document, claim and speaker "
          "of the project (the Search panel); Enter on a hit opens the document there", ("Ctrl+Shift+F",)),
    ]
    for label in schema.labels:
        defs.append(A(f"mark_{label.name}", f"Mark as {label.title}", "Annotate", "mark",
                      f"Mark the selection as a {label.name}. {label.help}", (label.key,), (label.name,)))
    for n in range(1, 10):
        defs.append(A(f"speaker_{n}", f"Speaker #{n}", "Annotate/Speaker by &Number", "speaker_number",
                      f"With a selection: mark it as a mention of speaker #{n} of the Speakers panel; "
                      f"without: attribute the current claim to speaker #{n}", (str(n),), (n,)))
    claim_key = next((label.key for label in schema.labels if label.name == "claim" and label.key), "")
    defs += [
        A("link_to_claim", "&Link to Claim", "Annotate", "link_to_claim",
          "Link the current speaker mention or cue to the claim that was current before it (or, with a "
          "claim current, the one at the cursor): a mention becomes the claim's source and its speaker "
          "the claim's speaker, a cue its cue (a cue may serve several claims)",
          ("L",), separator_before=True),
        A("clear_links", "&Unlink Source and Cue", "Annotate", "clear_links",
          "Clear the current claim's source and cue links (its speaker stays)", ("Shift+L",)),
        A("add_fragment", "&Add Selection to Claim", "Annotate", "add_fragment",
          "Add the selection to the claim marked or chosen last, as another fragment of it (a claim "
          "around its cue: “Institutional recipients, said Mauer, are required…” is one claim)",
          (f"Shift+{claim_key}",) if claim_key else (), separator_before=True),
        A("remove_fragment", "&Remove Fragment", "Annotate", "remove_fragment",
          "Remove the fragment under the caret from the current claim (or span); its other fragments stay",
          ("Shift+Delete",)),
    ]
    keys = schema.attribute_keys
    for i, value in enumerate(schema.attributes.get("polarity", ())):
        key = (keys.get("polarity") or {}).get(value, "")
        defs.append(A(f"polarity_{value}", f"Polarity: {value.title()}", "Annotate", "set_polarity",
                      f"Set the current claim's polarity to {value} (again: clear it)", (key,) if key else (),
                      (value,), separator_before=i == 0))
    for name in ("form", "intensity"):
        if name in schema.attributes:
            key = keys.get(name) if isinstance(keys.get(name), str) else ""
            defs.append(A(f"cycle_{name}", f"Cycle {name.title()}", "Annotate", "cycle",
                          f"Cycle the current claim's {name}: {' → '.join(schema.attributes[name])} → none",
                          (key,) if key else (), (name,)))
    defs.append(A("edit_target", "Edit &Target…", "Annotate", "edit_target",
                  "Type the target of the current claim's sentiment in the Sentiment panel", ("T",)))
    for value in schema.document_polarity:
        key = (keys.get("polarity") or {}).get(value, "")
        defs.append(A(f"doc_polarity_{value}", f"Document Polarity: {value.title()}", "Annotate/&Document",
                      "set_document_polarity", f"Set the document's overall polarity to {value} (again: clear it)",
                      (f"Shift+{key}",) if key else (), (value,)))
    defs += [
        A("accept_suggestion", "&Accept Suggestion", "Annotate/S&uggestions", "accept_suggestion",
          "Accept the current suggestion; a claim with its suggested cue, source mention and speaker "
          "(one undo step)", ("A",)),
        A("accept_span_only", "Accept &Only the Span", "Annotate/S&uggestions", "accept_span_only",
          "Accept the current suggestion alone: a claim's links to suggested cues, mentions and speakers are dropped",
          ("Shift+A",)),
        A("reject_suggestion", "&Reject Suggestion", "Annotate/S&uggestions", "reject_suggestion",
          "Reject the current suggestion: it is kept as rejected, hidden, never exported, and not proposed "
          "again for the same text", ("R",)),
        A("accept_all_suggestions", "Accept A&ll in Document", "Annotate/S&uggestions", "accept_all_suggestions",
          "Accept every suggestion of the shown document that the score filter shows, with its links (one undo step)",
          ("Ctrl+Shift+A",), separator_before=True),
        A("suggest_document", "&Suggest This Document", "Annotate/S&uggestions", "suggest_document",
          "Suggest claims, cues and speakers in the shown document, in the background (one undo step; "
          "what is there already stays)", ("Ctrl+Shift+G",), separator_before=True),
        A("stop_suggesting", "S&top Suggesting", "Annotate/S&uggestions", "stop_suggesting",
          "Stop suggesting the document being suggested in the background (nothing is written)"),
        A("auto_suggest", "Suggest &New Documents Automatically", "Annotate/S&uggestions", "set_automatic",
          "Suggest a new document in the background when it is first opened (a preference of this "
          "computer, off by default)", checkable=True),
        A("toggle_done", "Mark Document &Done", "Annotate/&Document", "toggle_done",
          "Toggle the document's status between done and in progress", ("Ctrl+D",), separator_before=True),
        A("next_annotation", "&Next Annotation", "Navigate", "next_annotation", "Make the next annotation current", ("]",)),
        A("previous_annotation", "&Previous Annotation", "Navigate", "next_annotation",
          "Make the previous annotation current", ("[",), (-1,)),
        A("next_suggestion", "Next &Suggestion", "Navigate", "next_suggestion",
          "Make the next suggestion current (drawn dashed and paler; the Suggestions dock's score filter applies)",
          (".",), separator_before=True),
        A("previous_suggestion", "Previous S&uggestion", "Navigate", "next_suggestion",
          "Make the previous suggestion current", (",",), (-1,)),
        A("next_document", "Next &Document", "Navigate", "next_document", "Open the next document",
          ("Ctrl+PgDown", "Alt+Down"), separator_before=True),
        A("previous_document", "Previous D&ocument", "Navigate", "next_document", "Open the previous document",
          ("Ctrl+PgUp", "Alt+Up"), (-1,)),
        A("next_difference", "Next Di&fference", "Navigate", "next_difference",
          "Adjudication: the next place where the annotators' layers differ (wraps around)", ("Ctrl+Alt+N",),
          separator_before=True),
        A("previous_difference", "Previous Diff&erence", "Navigate", "previous_difference",
          "Adjudication: the previous place where the annotators' layers differ", ("Ctrl+Alt+P",)),
        A("snap_words", "Snap Selection to &Words", "View", "set_snap_to_words",
          "Widen selections to whole words (turn off to select parts of words)", ("W",), checkable=True,
          separator_before=True),
        A("reset_layout", "&Reset Layout", "View", "reset_layout",
          "Put the panels back where a new window has them (the layout is otherwise remembered from the last "
          "window closed)"),
        A("text_bigger", "&Larger Text", "View", "zoom_text", "Make the article's text larger (remembered)",
          ("Ctrl++", "Ctrl+="), (1,), separator_before=True),
        A("text_smaller", "S&maller Text", "View", "zoom_text", "Make the article's text smaller (remembered)",
          ("Ctrl+-",), (-1,)),
        A("text_normal", "&Normal Text Size", "View", "zoom_text", "Back to the article's usual text size",
          ("Ctrl+0",), (0,)),
        A("show_agreement", "&Agreement", "View", "show_agreement",
          "Measure the agreement between the annotators (and against the gold layer, when there is one) in "
          "the Agreement dock: span F1, attribution F1, token alpha, kappa; Enter on a document opens it",
          ("Ctrl+Alt+R",), separator_before=True),
        A("next_layer", "Next &Layer", "View", "next_layer",
          "Show the next annotator's layer in the text view (View > Layer: every layer, each annotator, gold)",
          ("Ctrl+Alt+L",)),
        A("side_by_side", "Layers &Side by Side", "View", "toggle_side_by_side",
          "Show every annotator's layer and the gold layer of the document side by side, scrolled together",
          ("Ctrl+Alt+S",)),
    ]
    for k in range(1, 10):
        defs.append(A(f"accept_version_{k}", f"Accept Version {k}", "Annotate/A&djudication", "accept_version",
                      f"Accept the {k}{'st' if k == 1 else 'nd' if k == 2 else 'rd' if k == 3 else 'th'} version of "
                      "the current difference into the gold layer (a claim with its cue, source and speaker; one undo step)",
                      (f"Ctrl+Alt+{k}",), (k,)))
    defs += [
        A("accept_selected_version", "Accept &Selected Version", "Annotate/A&djudication", "accept_selected_version",
          "Accept the version selected in the Adjudication dock into the gold layer", ("Ctrl+Alt+G",),
          separator_before=True),
        A("accept_agreed", "Accept All &Agreed", "Annotate/A&djudication", "accept_agreed",
          "Accept into gold everything every annotator of the document made alike (spans, links, attributes; "
          "one undo step)", ("Ctrl+Alt+A",)),
        A("premerge", "&Pre-merge into Gold", "Annotate/A&djudication", "premerge",
          "Take into gold what enough annotators agree on, with the strategy (unanimous, majority, at least N) "
          "and scope chosen in the Adjudication dock (one undo step)", ("Ctrl+Alt+M",)),
        A("help", "&Keyboard Help", "Help", "show_help", "Show every key and how to annotate", ("F1",)),
        A("about", "&About Annotator", "Help", "show_about", "Version and licence"),
    ]
    return [ActionDef(**{**d.__dict__, "text_scope": _single_key(d.shortcuts), "edits": _edits(d),
                         "icon": ICONS.get(d.id, d.icon)}) for d in defs]


ICONS = {"import": "import", "export": "export", "undo": "undo", "redo": "redo", "help": "help", "search": "search", "find": "search",
         "mark_speaker": "mark-speaker", "mark_cue": "mark-cue", "mark_claim": "mark-claim"}


EDIT_IDS = frozenset({"import", "import_folder", "merge_projects", "restore_backup", "undo", "redo", "delete_span"})
PREFERENCE_IDS = frozenset({"auto_suggest"})  # in the Annotate menu, but a preference: never turned off


def _edits(d: ActionDef) -> bool:
    """True for actions that change the project (turned off while it is read-only)."""
    return d.id in EDIT_IDS or (d.menu.split("/")[0] == "Annotate" and d.id not in PREFERENCE_IDS)


def create_actions(parent: QWidget, defs: list[ActionDef], target: object,
                   text_widget: QWidget) -> dict[str, QAction]:
    """QActions for ``defs``, triggering ``getattr(target, d.handler)(*d.args)``; text-scoped
    ones are added to ``text_widget`` with WidgetWithChildrenShortcut context, the others
    to ``parent`` (window-wide)."""
    actions: dict[str, QAction] = {}
    for d in defs:
        action = QAction(d.text, parent)
        action.setObjectName(f"action_{d.id}")
        action.setShortcuts([QKeySequence(s) for s in d.shortcuts])
        action.setStatusTip(d.help)
        action.setToolTip(d.help)
        action.setCheckable(d.checkable)
        action.triggered.connect(_caller(target, d))
        if d.text_scope:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            text_widget.addAction(action)
        else:
            parent.addAction(action)
        actions[d.id] = action
    return actions


def _caller(target: object, d: ActionDef) -> Callable[[bool], None]:
    def call(checked: bool = False) -> None:
        handler = getattr(target, d.handler)
        if d.checkable:
            handler(*d.args, checked)
        else:
            handler(*d.args)
    return call


def shortcut_text(d: ActionDef) -> str:
    """The action's keys as shown to the user ("Ctrl+Shift+Z, Ctrl+Y")."""
    return ", ".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in d.shortcuts)
